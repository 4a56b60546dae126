import { afterAll, describe, expect, it } from 'vitest';
import { fixtureApp, getJson } from './fixture';

const fx = await fixtureApp();
afterAll(async () => fx.close());

describe('errors', () => {
  it.each(['/api/nothing', '/api', '/api/problems/p01/extra', '/tiles/other/1/2/3.pbf', '/tiles'])('answers 404 JSON for unknown %s', async (path) => {
    const { status, headers, body } = await getJson(fx.app, path);
    expect(status).toBe(404);
    expect(headers.get('content-type')).toMatch(/^application\/json/);
    expect(body.error).toMatch(/^No route for GET .*openapi\.json/);
  });

  it('answers 404 JSON for a method the API does not have', async () => {
    const res = await fx.app.request('/api/meta', { method: 'POST', body: '{}' });
    expect(res.status).toBe(404);
    expect((await res.json()).error).toMatch(/^No route for POST \/api\/meta/);
  });

  it('turns an unexpected failure into a 500 JSON, logs it and keeps serving', async () => {
    const broken = await fixtureApp();
    await broken.store.close();
    const { status, body } = await getJson(broken.app, '/api/problems');
    expect(status).toBe(500);
    expect(body.error).toMatch(/Internal server error/);
    expect(broken.errors).toHaveLength(1);
    await broken.close();
    // The other app (another store) is unaffected.
    expect((await fx.app.request('/api/meta')).status).toBe(200);
  });
});
