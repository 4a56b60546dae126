import { describe, expect, it } from 'vitest';
import { describeMapError } from '../../../client/src/map/map-errors';

// Shaped like MapLibre's AJAXError (status, url, body), which MapLibre does not export.
function ajaxError(status: number, url: string, body: string) {
  return Object.assign(new Error(`AJAXError: ${status}`), { status, url, body: new Blob([body]) });
}

describe('describeMapError', () => {
  it('names the source and status and quotes the server sentence', async () => {
    const err = ajaxError(400, 'http://h/tiles/problems/14/1/2.pbf?from=x', '{"error":"from must be a date like 2026-03-04"}');
    expect(await describeMapError(err, 'problems')).toEqual({
      key: 'problems tiles 400 from must be a date like 2026-03-04',
      message: 'problems tiles (HTTP 400): from must be a date like 2026-03-04',
    });
  });

  it('gives every tile of a failing source the same key', async () => {
    const a = await describeMapError(ajaxError(500, 'http://h/tiles/base/14/1/2.pbf', 'oops'), undefined);
    const b = await describeMapError(ajaxError(500, 'http://h/tiles/base/13/7/9.pbf', 'oops'), undefined);
    expect(a.key).toBe(b.key);
    expect(a.message).toBe('http://h/tiles/base/{z}/{x}/{y}.pbf (HTTP 500)');
  });

  it('passes other errors through by message', async () => {
    expect(await describeMapError(new Error('WebGL context lost'), undefined)).toEqual({ key: 'WebGL context lost', message: 'WebGL context lost' });
  });
});
