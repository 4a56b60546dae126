import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { compress, MIN_COMPRESS_BYTES, negotiateEncoding } from '../../../server/http/compress';

const BIG = Buffer.from(JSON.stringify({ type: 'FeatureCollection', features: Array.from({ length: 200 }, (_, i) => ({ id: `p${i}`, name: '占道经营' })) }));

describe('negotiateEncoding', () => {
  it('picks the highest q, brotli on a tie, and nothing refused', () => {
    expect(negotiateEncoding(undefined)).toBeNull();
    expect(negotiateEncoding('')).toBeNull();
    expect(negotiateEncoding('identity')).toBeNull();
    expect(negotiateEncoding('gzip, deflate')).toBe('gzip');
    expect(negotiateEncoding('gzip, deflate, br, zstd')).toBe('br');
    expect(negotiateEncoding('br;q=0.4, gzip;q=0.8')).toBe('gzip');
    expect(negotiateEncoding('BR;Q=1, GZIP;q=0.5')).toBe('br');
    expect(negotiateEncoding('br;q=0, gzip;q=0')).toBeNull();
    expect(negotiateEncoding('*')).toBe('br');
    expect(negotiateEncoding('*;q=0.5, br;q=0')).toBe('gzip');
    expect(negotiateEncoding('x-gzip')).toBe('gzip');
  });
});

/** An app answering each case the way a route would, behind the compressor. */
function app() {
  return new Hono()
    .use('*', compress())
    .get('/geo', (c) => c.body(BIG, 200, { 'Content-Type': 'application/geo+json', ETag: '"v1"' }))
    .get('/small', (c) => c.json({ ok: true }))
    .get('/png', (c) => c.body(BIG, 200, { 'Content-Type': 'image/png' }))
    .get('/zip', (c) => c.body(BIG, 200, { 'Content-Type': 'application/zip' }))
    .get('/attachment', (c) => c.body(BIG, 200, { 'Content-Type': 'application/json', 'Content-Disposition': 'attachment; filename="a.json"' }))
    .get('/no-transform', (c) => c.body(BIG, 200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-transform' }))
    .get('/encoded', (c) => c.body(BIG, 200, { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' }))
    .get('/missing', (c) => c.json({ error: 'x'.repeat(2 * MIN_COMPRESS_BYTES) }, 404))
    .get('/vary', (c) => c.body(BIG, 200, { 'Content-Type': 'application/json', Vary: 'Cookie' }));
}
const get = (path: string, enc = 'br, gzip', method = 'GET') => app().request(path, { method, headers: { 'accept-encoding': enc } });

describe('compress()', () => {
  it('compresses GeoJSON, sets Vary and the length, and turns the ETag weak', async () => {
    const res = await get('/geo');
    expect(res.headers.get('content-encoding')).toBe('br');
    expect(res.headers.get('vary')).toBe('Accept-Encoding');
    expect(res.headers.get('etag')).toBe('W/"v1"');
    const body = Buffer.from(await res.arrayBuffer());
    expect(Number(res.headers.get('content-length'))).toBe(body.length);
    expect(brotliDecompressSync(body).equals(BIG)).toBe(true);
    expect(res.headers.get('content-type')).toBe('application/geo+json');
  });

  it('adds to an existing Vary', async () => {
    expect((await get('/vary')).headers.get('vary')).toBe('Cookie, Accept-Encoding');
    expect((await get('/vary', 'identity')).headers.get('vary')).toBe('Cookie, Accept-Encoding');
  });

  it('leaves alone small bodies, images, zips, downloads, no-transform, encoded bodies, errors and HEAD', async () => {
    for (const path of ['/small', '/png', '/zip', '/attachment', '/no-transform', '/missing']) {
      const res = await get(path);
      expect([path, res.headers.get('content-encoding')]).toEqual([path, null]);
    }
    const small = await get('/small');
    expect(await small.json()).toEqual({ ok: true });
    expect(Buffer.from(await (await get('/png')).arrayBuffer()).equals(BIG)).toBe(true);
    expect((await get('/encoded')).headers.get('content-encoding')).toBe('gzip');
    expect((await get('/geo', 'br, gzip', 'HEAD')).headers.get('content-encoding')).toBeNull();
  });

  it('compresses a stream as it flows, without waiting for its end', async () => {
    let finish!: () => void;
    const ended = new Promise<void>((ok) => (finish = ok));
    let closed = false;
    const chunk = Buffer.from(JSON.stringify({ part: 'x'.repeat(4000) }));
    const streaming = new Hono().use('*', compress()).get('/stream', (c) => {
      const body = new ReadableStream<Uint8Array>({
        async start(ctl) {
          ctl.enqueue(chunk);
          ctl.enqueue(chunk);
          // The rest waits for the test: a compressor that read the whole stream first would never answer.
          await ended;
          ctl.enqueue(chunk);
          ctl.close();
          closed = true;
        },
      });
      return c.body(body, 200, { 'Content-Type': 'application/json' });
    });
    const res = await streaming.request('/stream', { headers: { 'accept-encoding': 'gzip' } });
    expect(res.headers.get('content-encoding')).toBe('gzip');
    expect(res.headers.get('content-length')).toBeNull();
    expect(closed).toBe(false);
    const reader = res.body!.getReader();
    const got: Buffer[] = [];
    finish();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      got.push(Buffer.from(value));
    }
    expect(gunzipSync(Buffer.concat(got)).equals(Buffer.concat([chunk, chunk, chunk]))).toBe(true);
  });

  it('never holds back an event stream', async () => {
    let later!: () => void;
    const gate = new Promise<void>((ok) => (later = ok));
    const sse = new Hono().use('*', compress()).get('/events', (c) => {
      const body = new ReadableStream<Uint8Array>({
        async start(ctl) {
          ctl.enqueue(new TextEncoder().encode(`event: ready\ndata: ${'x'.repeat(2000)}\n\n`));
          await gate;
          ctl.close();
        },
      });
      return c.body(body, 200, { 'Content-Type': 'text/event-stream' });
    });
    const res = await sse.request('/events', { headers: { 'accept-encoding': 'br, gzip' } });
    expect(res.headers.get('content-encoding')).toBeNull();
    const first = await res.body!.getReader().read();
    expect(new TextDecoder().decode(first.value)).toMatch(/^event: ready/);
    later();
  });
});
