/** Walked tracks over the fixture city (NOW is 2026-03-20 12:00 +08:00): batches in, progress and tracks out, privacy. */
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { PlanProgress, TeamPositions, TrackBatchResult, WalkedTracks } from '../../server/contract/tracks';
import { toCityIso } from '../../server/contract/city-time';
import { haversineM } from '../../server/contract/geo';
import { sweepTracks } from '../../server/services/tracks/tracks';
import { fixtureApp, getJson, NOW, readSse, type Requester } from './fixture';

const fx = await fixtureApp();
afterAll(async () => fx.close());

const CROSSING: [number, number] = [115.98, 36.45];
const inspector = await fx.signedIn('inspector');

async function savePlan(date: string, name: string, by: Requester = fx.app) {
  const res = await by.request('/api/plans', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ date, name, teams: [{ name: '一组', start: CROSSING, budgetS: 4 * 3600 }], stops: { kinds: ['market', 'community'] } }),
  });
  expect(res.status).toBe(201);
  return (await res.json()) as any;
}

const post = (body: unknown, by: Requester = inspector) =>
  by.request('/api/tracks', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

/** Fixes along `coords` (the team's planned route), 10 s apart, ending a minute before NOW. */
function fixesAlong(coords: number[][]) {
  const start = NOW - 60_000 - coords.length * 10_000;
  return coords.map(([lng, lat], i) => ({ id: randomUUID(), lng, lat, at: toCityIso(start + i * 10_000), accuracyM: 8 }));
}

/** A fix every 10 m along `line`, as a phone walking it at 1 m/s with a fix every 10 s would give. */
function densify(line: number[][]): number[][] {
  const out: number[][] = [line[0]];
  for (let i = 1; i < line.length; i++) {
    const [a, b] = [line[i - 1], line[i]];
    const m = haversineM(a[0], a[1], b[0], b[1]);
    const k = Math.max(1, Math.ceil(m / 10));
    for (let j = 1; j <= k; j++) out.push([a[0] + ((b[0] - a[0]) * j) / k, a[1] + ((b[1] - a[1]) * j) / k]);
  }
  return out;
}

const plan = await savePlan('2026-03-20', '今天');
const team = plan.teams[0];
// From the start to each stop in turn (the fixture's markets lie 220 m off its few streets: the team walks in).
const route = densify([team.start, ...team.stops.map((s: any) => s.lngLat)]);

describe('POST /api/tracks', () => {
  it('stores a batch once: a resent batch stores nothing and says so', async () => {
    const points = fixesAlong(route);
    const first = await post({ planId: plan.id, team: 0, points });
    expect(first.status).toBe(200);
    expect(TrackBatchResult.parse(await first.json())).toEqual({
      stored: points.length,
      duplicates: 0,
      dropped: { inaccurate: 0, future: 0, outside: 0, speed: 0 },
    });
    const again = TrackBatchResult.parse(await (await post({ planId: plan.id, team: 0, points })).json());
    expect(again).toMatchObject({ stored: 0, duplicates: points.length });
    const { body } = await getJson(inspector, `/api/plans/${plan.id}/progress`);
    const t = PlanProgress.parse(body).teams[0];
    expect(t.fixes).toBe(points.length);
    expect(t.reached).toBe(team.stops.length);
    // Reached in the order walked, this morning.
    const times = t.stops.map((s) => s.reachedAt!);
    expect(times.every((x) => x.startsWith('2026-03-20T11:'))).toBe(true);
    expect([...times].sort()).toEqual(times);
    expect(t.position?.lngLat).toEqual(route[route.length - 1]);
  });

  it('drops what cannot be true and counts it, never storing it', async () => {
    const other = await savePlan('2026-03-20', '另一条');
    const at = (s: number) => toCityIso(NOW - 600_000 + s * 1000);
    const [lng, lat] = CROSSING;
    const points = [
      { id: randomUUID(), lng, lat, at: at(0), accuracyM: 10 },
      { id: randomUUID(), lng: lng + 0.0001, lat, at: at(10), accuracyM: 80 },
      { id: randomUUID(), lng, lat, at: toCityIso(NOW + 3_600_000), accuracyM: 10 },
      { id: randomUUID(), lng: 121.47, lat: 31.23, at: at(20), accuracyM: 10 },
      // 5.6 km east ten seconds later: a GPS jump.
      { id: randomUUID(), lng: lng + 0.0625, lat, at: at(30), accuracyM: 10 },
      { id: randomUUID(), lng: lng + 0.0002, lat, at: at(40), accuracyM: 10 },
    ];
    const out = TrackBatchResult.parse(await (await post({ planId: other.id, team: 0, points })).json());
    expect(out).toEqual({ stored: 2, duplicates: 0, dropped: { inaccurate: 1, future: 1, outside: 1, speed: 1 } });
    const { body } = await getJson(inspector, `/api/plans/${other.id}/progress`);
    expect(body.teams[0].fixes).toBe(2);
  });

  it('refuses a team the plan does not have, an unknown plan and a fix without a UUID', async () => {
    const one = fixesAlong([CROSSING]);
    const noTeam = await post({ planId: plan.id, team: 3, points: one });
    expect(noTeam.status).toBe(400);
    expect(((await noTeam.json()) as any).error).toContain('选择所在小组');
    expect((await post({ planId: 'no-such-plan', team: 0, points: one })).status).toBe(404);
    const bad = await post({ planId: plan.id, team: 0, points: [{ ...one[0], id: 'fix-1' }] });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain('UUID');
  });

  it('is not for a unit, an API key or nobody', async () => {
    const one = fixesAlong([CROSSING]);
    expect((await post({ planId: plan.id, team: 0, points: one }, await fx.signedIn('unit'))).status).toBe(403);
    expect((await post({ planId: plan.id, team: 0, points: one }, fx.raw)).status).toBe(401);
    expect((await (await fx.signedIn('unit')).request(`/api/plans/${plan.id}/progress`)).status).toBe(403);
  });
});

describe('reading tracks', () => {
  it('gives the walked track simplified, one feature per team, with times for a replay', async () => {
    const { status, body } = await getJson(inspector, `/api/plans/${plan.id}/tracks`);
    expect(status).toBe(200);
    const fc = WalkedTracks.parse(body);
    expect(fc.features).toHaveLength(1);
    const f = fc.features[0];
    expect(f.properties).toMatchObject({ team: 0, name: '一组', color: team.color });
    const vertices = f.geometry.coordinates.flat().length;
    expect(vertices).toBeLessThanOrEqual(route.length);
    expect(f.properties.times.flat()).toHaveLength(vertices);
  });

  it("shows a big screen today's positions and tracks, not another day's, and never the progress", async () => {
    const tomorrow = await savePlan('2026-03-21', '明天');
    expect((await post({ planId: tomorrow.id, team: 0, points: fixesAlong([CROSSING]) })).status).toBe(200);
    const issued = await fx.app.request('/api/screen-tokens', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: '会议室大屏' }),
    });
    const token = ((await issued.json()) as { secret: string }).secret;
    expect((await fx.raw.request(`/api/plans/${plan.id}/tracks?screen_token=${token}`)).status).toBe(200);
    expect((await fx.raw.request(`/api/plans/${tomorrow.id}/tracks?screen_token=${token}`)).status).toBe(404);
    expect((await fx.raw.request(`/api/plans/${plan.id}/progress?screen_token=${token}`)).status).toBe(403);
    const { body } = await getJson(fx.raw, `/api/tracks/positions?screen_token=${token}`);
    const positions = TeamPositions.parse(body);
    expect(positions.date).toBe('2026-03-20');
    const mine = positions.teams.find((t) => t.planId === plan.id)!;
    expect(mine).toMatchObject({ team: 0, name: '一组', color: team.color });
    expect(mine.position.lngLat).toEqual(route[route.length - 1]);
    expect(positions.teams.some((t) => t.planId === tomorrow.id)).toBe(false);
  });

  it('sends a team’s newest fix on the event stream, to a screen as position fields only', async () => {
    const issued = await fx.app.request('/api/screen-tokens', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: '值班室大屏' }),
    });
    const token = ((await issued.json()) as { secret: string }).secret;
    const res = await fx.raw.request(`/api/events?screen_token=${token}`);
    const last = [CROSSING[0] + 0.0003, CROSSING[1]];
    const events = await readSse(
      res,
      (e) => e.some((x) => x.event === 'team.position'),
      async () => {
        const later = { id: randomUUID(), lng: last[0], lat: last[1], at: toCityIso(NOW - 5_000), accuracyM: 6 };
        expect((await post({ planId: plan.id, team: 0, points: [later] })).status).toBe(200);
      },
    );
    const ev = events.find((x) => x.event === 'team.position')!;
    expect(JSON.parse(ev.data)).toEqual({ planId: plan.id, team: 0, lng: last[0], lat: last[1], at: toCityIso(NOW - 5_000) });
  });
});

describe('keeping tracks', () => {
  it('deletes an account’s fixes on request (administrators only)', async () => {
    const walker = await fx.signedIn('leader');
    const p = await savePlan('2026-03-20', '领导带队');
    expect((await post({ planId: p.id, team: 0, points: fixesAlong(route.slice(0, 3)) }, walker)).status).toBe(200);
    const id = (await fx.store.userForLogin('test-leader'))!.user.id;
    expect((await inspector.request(`/api/users/${id}/tracks`, { method: 'DELETE' })).status).toBe(403);
    const res = await fx.app.request(`/api/users/${id}/tracks`, { method: 'DELETE' });
    expect(await res.json()).toEqual({ deleted: 3 });
    expect((await getJson(inspector, `/api/plans/${p.id}/progress`)).body.teams[0].fixes).toBe(0);
    expect((await fx.app.request('/api/users/99999/tracks', { method: 'DELETE' })).status).toBe(404);
  });

  it('deletes fixes older than the retention, and a plan’s with the plan', async () => {
    const p = await savePlan('2026-03-20', '保留期');
    const old = { id: randomUUID(), lng: CROSSING[0], lat: CROSSING[1], at: toCityIso(NOW - 91 * 86_400_000), accuracyM: 5 };
    const recent = { id: randomUUID(), lng: CROSSING[0], lat: CROSSING[1], at: toCityIso(NOW - 60_000), accuracyM: 5 };
    expect(TrackBatchResult.parse(await (await post({ planId: p.id, team: 0, points: [old, recent] })).json()).stored).toBe(2);
    expect(await sweepTracks(fx.store, 90, NOW)).toBe(1);
    expect((await fx.store.trackPointsOfPlan(p.id)).map((r) => r.id)).toEqual([recent.id]);
    expect((await fx.app.request(`/api/plans/${p.id}`, { method: 'DELETE' })).status).toBe(204);
    expect(await fx.store.trackPointsOfPlan(p.id)).toEqual([]);
  });
});
