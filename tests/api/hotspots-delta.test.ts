import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app';
import { POINTS_DELTA_BYTES_PER_ROW, POINTS_REVISION_HEADER } from '../../server/contract/points-bin';
import { applyPointsDelta, decodePoints, decodePointsDelta, type ProblemPoints } from '../../client/src/map/deck/points-bin';
import { jpegWithExif } from '../fixtures/media/photos';
import { as, fixtureApp, NOW, signIn, type Requester } from './fixture';

const fx = await fixtureApp();
afterAll(async () => fx.close());
// The clock of this app moves (lateDays and overdue follow it); the fixture's stays at NOW.
let clock = NOW;
const timed = await createApp({ store: fx.store, catalog: fx.catalog, now: () => clock, clientDir: null });
const app = as(timed, await signIn(fx.store, 'admin', 'u01', NOW));

async function full(on: Requester = app): Promise<{ points: ProblemPoints; revision: string; bytes: number }> {
  const res = await on.request('/api/hotspots/points.bin');
  expect(res.status).toBe(200);
  const revision = res.headers.get(POINTS_REVISION_HEADER);
  expect(revision).toBeTruthy();
  const buf = await res.arrayBuffer();
  return { points: decodePoints(buf), revision: revision!, bytes: buf.byteLength };
}

async function delta(since: string, on: Requester = app) {
  const res = await on.request(`/api/hotspots/points.delta?since=${encodeURIComponent(since)}`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('application/octet-stream');
  expect(res.headers.get('cache-control')).toBe('no-store');
  const buf = await res.arrayBuffer();
  return { delta: decodePointsDelta(buf), bytes: buf.byteLength };
}

/** The points as plain data: every column, the dictionary and the week span. */
function plain(p: ProblemPoints) {
  return {
    count: p.count,
    dictionary: p.dictionary,
    weekOffset: p.weekOffset,
    weeks: p.weeks,
    position: [...p.position],
    day: [...p.day],
    category: [...p.category],
    subdistrict: [...p.subdistrict],
    unit: [...p.unit],
    lateDays: [...p.lateDays],
    status: [...p.status],
    recurrence: [...p.recurrence],
  };
}

async function post(path: string, body: unknown) {
  const res = await app.request(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(res.status, await res.clone().text()).toBe(200);
}

async function report(fields: Record<string, string | number>): Promise<string> {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) fd.set(k, String(v));
  fd.append('photos', new File([new Uint8Array(await jpegWithExif({ color: '#556677' }))], 'r.jpg', { type: 'image/jpeg' }));
  const res = await app.request('/api/problems', { method: 'POST', body: fd });
  const body = (await res.json()) as { problem: { id: string } };
  expect(res.status, JSON.stringify(body)).toBe(201);
  return body.problem.id;
}

const REPORT = { category: 'exposed-garbage', lng: 115.972, lat: 36.4492, description: '垃圾', reporter: '督查组 李' };

describe('GET /api/hotspots/points.delta', () => {
  it('brings a buffer through a report, a transition and a merge to what a fresh points.bin decodes to', async () => {
    const start = await full();
    let held = start.points;
    let revision = start.revision;
    const step = async () => {
      const { delta: d, bytes } = await delta(revision);
      expect(d.dictionary.reload).toBe(false);
      const next = applyPointsDelta(held, d);
      expect(next).not.toBeNull();
      held = next!;
      revision = d.dictionary.revision!;
      const fresh = await full();
      expect(plain(held)).toEqual(plain(fresh.points));
      return { rows: d.rows, bytes, fullBytes: fresh.bytes };
    };

    // Nothing changed: no rows, and the same buffer back.
    const none = await delta(revision);
    expect(none.delta.rows).toBe(0);
    expect(applyPointsDelta(held, none.delta)).toBe(held);

    const a = await report(REPORT);
    const reported = await step();
    expect(held.count).toBe(start.points.count + 1);
    // The size of the change, not of the city: the new row (and any row whose flags it turned).
    expect(reported.rows).toBeGreaterThanOrEqual(1);
    expect(reported.rows).toBeLessThanOrEqual(3);
    expect(reported.bytes).toBeLessThan(reported.fullBytes / 2);

    await post('/api/problems/p06/transitions', { to: 'assigned', note: '复查不合格' });
    const moved = await step();
    expect(moved.rows).toBeGreaterThanOrEqual(1);
    expect(moved.rows).toBeLessThanOrEqual(3);

    const b = await report({ ...REPORT, lng: 115.9721, description: '垃圾二' });
    await post(`/api/problems/${b}/merge`, { into: a, actor: '创文办' });
    const merged = await step();
    expect(merged.rows).toBeGreaterThanOrEqual(1); // the new report, closed by the merge
    expect(merged.rows).toBeLessThanOrEqual(4);
    expect(held.count).toBe(start.points.count + 2);
  });

  it('says reload when it cannot bring the buffer forward: another server, a revision it never gave, bad input', async () => {
    const { revision } = await full();
    const [boot, seq] = revision.split('.');
    // Another app (as after a restart) numbers its own revisions.
    const other = await delta(revision, fx.app);
    expect(other.delta.dictionary).toEqual({ reload: true });
    expect(other.delta.rows).toBe(0);
    const ahead = await delta(`${boot}.${Number(seq) + 1000}`);
    expect(ahead.delta.dictionary.reload).toBe(true);
    expect(applyPointsDelta((await full()).points, ahead.delta)).toBeNull();
    expect((await app.request('/api/hotspots/points.delta')).status).toBe(400);
    expect((await app.request('/api/hotspots/points.delta?since=../etc')).status).toBe(400);
  });

  it('is 24 bytes a changed row after its header', async () => {
    const { revision } = await full();
    await report({ ...REPORT, lng: 115.99, lat: 36.45, description: '垃圾三' });
    const res = await app.request(`/api/hotspots/points.delta?since=${revision}`);
    const buf = await res.arrayBuffer();
    const view = new DataView(buf);
    expect(new TextDecoder().decode(new Uint8Array(buf, 0, 4))).toBe('XCPD');
    expect(view.getUint16(4, true)).toBe(1);
    const h = view.getUint16(6, true);
    expect(h % 8).toBe(0);
    const n = view.getUint32(8, true);
    expect(n).toBeGreaterThan(0);
    expect(buf.byteLength).toBe(h + POINTS_DELTA_BYTES_PER_ROW * n);
  });
  it('carries the rows the clock changed: late days and overdue move on with no write', async () => {
    const start = await full();
    clock += 5 * 86_400_000;
    // A session seen five days on has gone idle: sign in again at the moved clock (this test runs last).
    const later = as(timed, await signIn(fx.store, 'admin', 'u01', clock));
    try {
      const { delta: d } = await delta(start.revision, later);
      expect(d.dictionary.reload).toBe(false);
      expect(d.rows).toBeGreaterThan(0);
      expect(d.dictionary.nowDate).not.toBe(start.points.dictionary.nowDate);
      const next = applyPointsDelta(start.points, d);
      expect(plain(next!)).toEqual(plain((await full(later)).points));
    } finally {
      clock = NOW;
    }
  });
});
