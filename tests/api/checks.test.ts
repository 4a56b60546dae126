/**
 * `POST /api/checks` and `GET /api/checks`: a stop's check results from the field page, idempotent by
 * the client's UUID; and the `expect` field of transitions that queued look-backs use.
 */
import { randomUUID } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CheckRecord } from '../../server/contract/checks';
import { jpegWithExif } from '../fixtures/media/photos';
import { importLayers } from '../../server/store/import-layers';
import { FIXTURE_DIR, fixtureApp, getJson, type Requester } from './fixture';

const fx = await fixtureApp();
afterAll(async () => fx.close());
const inspector = await fx.signedIn('inspector');
const leader = await fx.signedIn('leader');

async function post(app: Requester, path: string, body: unknown) {
  const res = await app.request(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as any };
}
const stored = () => fx.store.db.prepare('SELECT count(*) FROM check_results').pluck().get() as number;

const check = (over: Record<string, unknown> = {}) => ({
  id: randomUUID(),
  pointId: 'mk01',
  items: [
    { itemId: 'market-zoning', result: 'fail', note: '东门外占道' },
    { itemId: 'market-fair-scale', result: 'pass' },
  ],
  at: '2026-03-20T10:15:00+08:00',
  lngLat: [115.9841, 36.4481],
  ...over,
});

describe('POST /api/checks', () => {
  it('stores a stop’s results with the signed-in inspector, and a retry gets the same record once', async () => {
    const body = check({ planId: 'plan-x' });
    const before = stored();
    const first = await post(inspector, '/api/checks', body);
    expect(first.status).toBe(201);
    expect(CheckRecord.parse(first.body)).toEqual(first.body);
    expect(first.body).toMatchObject({
      id: body.id,
      planId: 'plan-x',
      pointId: 'mk01',
      inspector: 'test-inspector（test-inspector）',
      at: body.at,
      lngLat: [115.9841, 36.4481],
      receivedAt: '2026-03-20T12:00:00+08:00',
    });
    expect(first.body.items).toEqual(body.items);

    // The phone never heard the answer and sends it again (keys in another order): the stored record, no second row.
    const { items, id, ...rest } = body;
    const again = await post(inspector, '/api/checks', { ...rest, items, id: id.toUpperCase() });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(stored()).toBe(before + 1);
  });

  it('refuses the same id with a different body (409), keeping the first', async () => {
    const body = check();
    expect((await post(inspector, '/api/checks', body)).status).toBe(201);
    const changed = await post(inspector, '/api/checks', { ...body, items: [{ itemId: 'market-zoning', result: 'pass' }] });
    expect(changed.status).toBe(409);
    expect(changed.body.error).toMatch(/different body/);
    const list = await getJson(inspector, '/api/checks?pointId=mk01');
    expect(list.body.checks.find((c: any) => c.id === body.id).items[0].result).toBe('fail');
  });

  it('links the reports raised from failed items by their client UUID, resolved once they have arrived', async () => {
    const reportKey = randomUUID();
    const waiting = randomUUID();
    const body = check({ problemIds: [reportKey, waiting, 'p03'] });
    // The report arrives first (the queue keeps order), with its UUID as the Idempotency-Key.
    const fd = new FormData();
    for (const [k, v] of Object.entries({ category: 'occupy-road', lng: 115.9841, lat: 36.4481, description: '东门外占道', reporter: '督查组' }))
      fd.set(k, String(v));
    fd.append('photos', new File([new Uint8Array(await jpegWithExif({}))], 'a.jpg', { type: 'image/jpeg' }));
    const rep = await inspector.request('/api/problems', { method: 'POST', body: fd, headers: { 'Idempotency-Key': reportKey } });
    expect(rep.status).toBeLessThan(300);
    const problemId = (await rep.json()) as any;
    const created = problemId.mergedInto ?? problemId.problem.id;
    const out = await post(inspector, '/api/checks', body);
    expect(out.status).toBe(201);
    expect(out.body.problems).toEqual([
      { ref: reportKey, id: created },
      { ref: waiting, id: null },
      { ref: 'p03', id: 'p03' },
    ]);
  });

  it('reads by plan, point and day (city time), newest first', async () => {
    const a = check({ planId: 'plan-read', at: '2026-03-19T23:30:00+08:00', pointId: 'mk01' });
    const b = check({ planId: 'plan-read', at: '2026-03-20T00:10:00+08:00', pointId: 'mk01' });
    for (const x of [a, b]) expect((await post(inspector, '/api/checks', x)).status).toBe(201);
    const byPlan = await getJson(leader, '/api/checks?planId=plan-read');
    expect(byPlan.body.checks.map((c: any) => c.id)).toEqual([b.id, a.id]);
    const byDay = await getJson(leader, '/api/checks?planId=plan-read&date=2026-03-19');
    expect(byDay.body.checks.map((c: any) => c.id)).toEqual([a.id]);
    expect((await getJson(leader, '/api/checks?date=2026-02-30')).status).toBe(400);
  });

  it('refuses unknown items and points, duplicate items, a missing UUID, and a unit account', async () => {
    const before = stored();
    const bad = [
      check({ items: [{ itemId: 'no-such-item', result: 'pass' }] }),
      check({ pointId: 'nowhere' }),
      check({
        items: [
          { itemId: 'market-zoning', result: 'pass' },
          { itemId: 'market-zoning', result: 'fail' },
        ],
      }),
      check({ id: 'not-a-uuid' }),
      check({ at: '2026-03-20 10:00' }),
      check({ items: [{ itemId: 'market-zoning', result: 'maybe' }] }),
    ];
    for (const b of bad) {
      const r = await post(inspector, '/api/checks', b);
      expect(r.status, JSON.stringify(r.body)).toBe(400);
      expect(r.body.error).toMatch(/^Invalid json\./);
    }
    expect((await post(await fx.signedIn('unit'), '/api/checks', check())).status).toBe(403);
    expect(stored()).toBe(before);
  });
});

describe('POST /api/problems/:id/transitions with expect', () => {
  const move = (app: Requester, id: string, body: Record<string, unknown>) => post(app, `/api/problems/${id}/transitions`, body);

  it('applies a look-back when the problem is still as the inspector saw it, and a resent one is answered, not repeated', async () => {
    const first = await move(inspector, 'p06', { to: 'closed', note: '复查合格', expect: 'rectified' });
    expect(first.status).toBe(200);
    expect(first.body.status).toBe('closed');
    const steps = first.body.history.length;
    const again = await move(inspector, 'p06', { to: 'closed', note: '复查合格', expect: 'rectified' });
    expect(again.status).toBe(200);
    expect(again.body.history).toHaveLength(steps);
  });

  it('refuses (409) a look-back on a problem someone else closed meanwhile, saying who and when', async () => {
    // The leader closes p15 while the inspector's look-back waits in the phone's queue.
    expect((await move(leader, 'p15', { to: 'closed', note: '已复查' })).status).toBe(200);
    const late = await move(inspector, 'p15', { to: 'assigned', note: '仍有车辆停放', expect: 'rectified' });
    expect(late.status).toBe(409);
    expect(late.body).toMatchObject({
      status: 'closed',
      allowed: [],
      last: { actor: 'test-leader（test-leader）', action: 'pass', to: 'closed', at: '2026-03-20T12:00:00+08:00' },
    });
    expect(late.body.error).toMatch(/closed now, not rectified/);
    expect((await getJson(leader, '/api/problems/p15')).body.properties.status).toBe('closed');
  });

  it('refuses a step the state machine does not allow with the last step too', async () => {
    const r = await move(inspector, 'p01', { to: 'rectified', note: 'x' });
    expect(r.status).toBe(409);
    expect(r.body.last).toMatchObject({ action: 'pass', to: 'closed' });
  });
});

describe('check results and a new city', () => {
  it('go with the points they name when a city is imported anew', async () => {
    const own = await fixtureApp();
    try {
      expect((await post(await own.signedIn('inspector'), '/api/checks', check())).status).toBe(201);
      const count = () => own.store.db.prepare('SELECT count(*) FROM check_results').pluck().get() as number;
      expect(count()).toBe(1);
      importLayers(own.store, FIXTURE_DIR);
      expect(count()).toBe(0);
    } finally {
      await own.close();
    }
  });

  it('come with a city whose layers carry a history, and a phone resending one of them is a replay', async () => {
    const own = await fixtureApp();
    const dir = mkdtempSync(join(tmpdir(), 'xuncha-checks-'));
    try {
      cpSync(FIXTURE_DIR, dir, { recursive: true });
      const body = check();
      writeFileSync(join(dir, 'checks.ndjson'), `${JSON.stringify({ ...body, inspector: '古楼街道巡查员王敏' })}\n`);
      importLayers(own.store, dir);
      const listed = await getJson(await own.signedIn('leader'), '/api/checks?pointId=mk01');
      expect(listed.status).toBe(200);
      expect(listed.body.checks).toEqual([expect.objectContaining({ id: body.id, inspector: '古楼街道巡查员王敏', receivedAt: body.at })]);
      // The phone that made it (the history came from it through another system) sends it once more.
      const again = await post(await own.signedIn('inspector'), '/api/checks', body);
      expect(again.status).toBe(200);
      expect(again.body).toMatchObject({ id: body.id, inspector: '古楼街道巡查员王敏' });
      expect((await post(await own.signedIn('inspector'), '/api/checks', { ...body, items: body.items.slice(1) })).status).toBe(409);
    } finally {
      await own.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
