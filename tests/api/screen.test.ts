import { afterAll, describe, expect, it } from 'vitest';
import { ScreenSummary } from '../../server/schemas/screen';
import { cityWeekStart } from '../../server/services/screen';
import { fixtureApp, getJson, NOW } from './fixture';

const fx = fixtureApp();
afterAll(() => fx.close());

/** Problems /api/problems returns for `query`: the screen's counts must agree with the list. */
async function count(query: string): Promise<number> {
  const { status, body } = await getJson(fx.app, `/api/problems?limit=50000&${query}`);
  expect(status).toBe(200);
  return body.features.length;
}

describe('cityWeekStart', () => {
  it('is Monday 00:00 in the city (+08:00), also across the UTC date line', () => {
    expect(cityWeekStart(Date.parse('2026-03-20T12:00:00+08:00'))).toBe(Date.parse('2026-03-16T00:00:00+08:00'));
    // Monday 07:00 city time is still Sunday in UTC.
    expect(cityWeekStart(Date.parse('2026-03-16T07:00:00+08:00'))).toBe(Date.parse('2026-03-16T00:00:00+08:00'));
    expect(cityWeekStart(Date.parse('2026-03-15T23:59:59+08:00'))).toBe(Date.parse('2026-03-09T00:00:00+08:00'));
  });
});

describe('GET /api/screen/summary', () => {
  it('gives KPIs, categories, trend and latest that agree with /api/problems', async () => {
    const { status, body } = await getJson(fx.app, '/api/screen/summary');
    expect(status).toBe(200);
    const s = ScreenSummary.parse(body);
    const nowIso = encodeURIComponent(s.now);
    expect(s.kpi.thisWeek).toBe(await count(`from=2026-03-16&to=${nowIso}`));
    expect(s.kpi.lastWeek).toBe(await count(`from=2026-03-09&to=${encodeURIComponent('2026-03-13T12:00:00+08:00')}`));
    expect(s.kpi.open).toBe(await count('status=reported,assigned'));
    expect(s.kpi.overdue).toBe(await count('status=overdue'));
    expect(s.kpi.overdue).toBeGreaterThan(0);
    expect(s.trend).toHaveLength(12);
    expect(s.trend[11].weekStart).toBe('2026-03-16');
    expect(s.trend[0].weekStart).toBe('2025-12-29');
    expect(s.trend.reduce((a, w) => a + w.count, 0)).toBe(await count(`from=2025-12-29&to=${nowIso}`));
    const from30 = encodeURIComponent(new Date(NOW - 30 * 86_400_000).toISOString());
    expect(s.categories.reduce((a, c) => a + c.count, 0)).toBe(await count(`from=${from30}&to=${nowIso}`));
    expect(s.categories.map((c) => c.count)).toEqual([...s.categories.map((c) => c.count)].sort((a, b) => b - a));
    const newest = (await getJson(fx.app, '/api/problems?limit=8')).body.features.map((f: any) => f.id);
    expect(s.latest.map((p) => p.id)).toEqual(newest);
    // The fixture's imported problems have no photos.
    expect(s.latest.every((p) => p.thumbUrl === null)).toBe(true);
    const ranked = (await getJson(fx.app, '/api/rankings?by=subdistrict')).body.rows;
    expect(s.rankings.subdistricts.top.map((r) => r.id)).toEqual(ranked.slice(0, 5).map((r: any) => r.id));
    // Arrows: the previous 30 days ranked on their own; move = rank then − rank now.
    const before = (await getJson(fx.app, `/api/rankings?by=subdistrict&from=${encodeURIComponent(new Date(NOW - 60 * 86_400_000).toISOString())}&to=${from30}`)).body.rows;
    for (const r of s.rankings.subdistricts.top) expect(r.move).toBe(before.find((b: any) => b.id === r.id).rank - r.rank);
  });

  it('pins to one subdistrict with ?district=, and names the valid ones for an unknown id', async () => {
    const city = (await getJson(fx.app, '/api/screen/summary')).body;
    const { status, body } = await getJson(fx.app, '/api/screen/summary?district=sd02');
    expect(status).toBe(200);
    expect(body.district).toEqual({ id: 'sd02', name: '东城街道' });
    expect(body.kpi.open).toBe(await count('status=reported,assigned&subdistrict=sd02'));
    expect(body.kpi.open).toBeLessThan(city.kpi.open);
    expect(body.latest.every((p: any) => p.subdistrictName === '东城街道')).toBe(true);
    const bad = await getJson(fx.app, '/api/screen/summary?district=nowhere');
    expect(bad.status).toBe(404);
    expect(bad.body.error).toMatch(/sd02/);
  });

  it('is open to the screen token role and closed to a unit account', async () => {
    expect((await fx.signedIn('leader').request('/api/screen/summary')).status).toBe(200);
    expect((await fx.signedIn('unit').request('/api/screen/summary')).status).toBe(403);
    expect((await fx.raw.request('/api/screen/summary')).status).toBe(401);
  });
});
