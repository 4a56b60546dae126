import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { MyPlaces } from '../../server/contract/places';
import { fixtureApp, getJson, type Requester } from './fixture';

// One city per file: each test below starts from what the one before left.
const fx = await fixtureApp();
afterAll(async () => fx.close());
const leader = await fx.signedIn('leader');
const inspector = await fx.signedIn('inspector');

async function send(app: Requester, method: string, path: string, body: unknown) {
  const res = await app.request(path, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as any };
}

async function patch(id: string, fields: Record<string, unknown>) {
  const cur = await getJson(fx.app, `/api/places/${id}`);
  const res = await send(fx.app, 'PATCH', `/api/places/${id}`, { version: cur.body.properties.version, ...fields });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

describe('GET /api/places/mine (我的点位)', () => {
  it('is empty, with zero totals, for an account that answers for no point', async () => {
    const { status, body } = await getJson(leader, '/api/places/mine');
    expect(status).toBe(200);
    expect(MyPlaces.parse(body)).toEqual(body);
    expect(body).toMatchObject({ days: 30, totals: { total: 0 }, points: [] });
  });

  it('lists the points the account is 包抓领导 of and 点位长 of (by its name), worst first, with the last check and who made it', async () => {
    const me = (await getJson(leader, '/api/auth/me')).body as { user: { id: number; displayName: string } };
    await patch('mk01', { leaderId: me.user.id });
    await patch('cm01', { keeper: me.user.displayName });
    // An inspector checks the market: one item fails, so it is 未达标 (not-ready), with the failed item named.
    const check = await send(inspector, 'POST', '/api/checks', {
      id: randomUUID(),
      pointId: 'mk01',
      items: [
        { itemId: 'market-zoning', result: 'fail', note: '东门外占道' },
        { itemId: 'market-fair-scale', result: 'pass' },
      ],
      at: '2026-03-20T10:15:00+08:00',
      lngLat: [115.9841, 36.4481],
    });
    expect(check.status, JSON.stringify(check.body)).toBe(201);

    const { body } = await getJson<MyPlaces>(leader, '/api/places/mine?days=30');
    expect(body.points.map((p) => [p.id, p.as, p.status])).toEqual([
      ['mk01', ['leader'], 'not-ready'],
      ['cm01', ['keeper'], 'stale'],
    ]);
    const market = body.points[0];
    expect(market.missing.length).toBeGreaterThan(0);
    expect(market.lastVisitBy).toMatch(/^test-inspector/);
    expect(market.lastVisitAt).toMatch(/^2026-03-20T10:15/);
    expect(body.points[1]).toMatchObject({ lastVisitAt: null, lastVisitBy: null, daysSinceVisit: null });
    expect(body.totals).toMatchObject({ total: 2, notReady: 1, stale: 1, ready: 0 });

    // Another account sees its own points only; a retired point leaves the list.
    expect((await getJson(inspector, '/api/places/mine')).body.points).toEqual([]);
    const cur = await getJson(fx.app, '/api/places/cm01');
    expect((await send(fx.app, 'POST', '/api/places/cm01/retire', { version: cur.body.properties.version, reason: '拆迁' })).status).toBe(200);
    expect((await getJson<MyPlaces>(leader, '/api/places/mine')).body.points.map((p) => p.id)).toEqual(['mk01']);
  });

  it('is for signed-in planners: a unit account is refused', async () => {
    expect((await getJson(await fx.signedIn('unit'), '/api/places/mine')).status).toBe(403);
  });
});
