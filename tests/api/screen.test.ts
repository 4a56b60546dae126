import { afterAll, describe, expect, it } from 'vitest';
import { ScreenSummary } from '../../server/contract/screen';
import { cityWeekStart } from '../../server/contract/city-time';
import { fixtureApp, getJson, NOW } from './fixture';

const fx = await fixtureApp();
afterAll(async () => fx.close());

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
    expect(s.period).toEqual({ from: '2026-02-18', to: '2026-03-20', days: 30, rolling: true });
    expect(s.assessment).toBeNull();
    expect(s.categories.reduce((a, c) => a + c.count, 0)).toBe(await count(`from=${from30}&to=${nowIso}`));
    expect(s.categories.map((c) => c.count)).toEqual([...s.categories.map((c) => c.count)].sort((a, b) => b - a));
    const newest = (await getJson(fx.app, `/api/problems?limit=12&from=${from30}`)).body.features.map((f: any) => f.id);
    expect(s.latest.map((p) => p.id)).toEqual(newest);
    // The fixture's imported problems have no photos.
    expect(s.latest.every((p) => p.thumbUrl === null)).toBe(true);
    const ranked = (await getJson(fx.app, '/api/rankings?by=subdistrict')).body.rows;
    expect(s.rankings.subdistricts.top.map((r) => r.id)).toEqual(ranked.slice(0, 5).map((r: any) => r.id));
    // Arrows: the previous 30 days ranked on their own; move = rank then − rank now.
    const before = (
      await getJson(fx.app, `/api/rankings?by=subdistrict&from=${encodeURIComponent(new Date(NOW - 60 * 86_400_000).toISOString())}&to=${from30}`)
    ).body.rows;
    for (const r of s.rankings.subdistricts.top) expect(r.move).toBe(before.find((b: any) => b.id === r.id).rank - r.rank);
  });

  it('follows ?from=&to= (city days, inclusive) in the categories, the latest reports and the 红黑榜, not in the KPI tiles', async () => {
    const city = ScreenSummary.parse((await getJson(fx.app, '/api/screen/summary')).body);
    const { status, body } = await getJson(fx.app, '/api/screen/summary?from=2026-01-01&to=2026-02-15');
    expect(status).toBe(200);
    const s = ScreenSummary.parse(body);
    expect(s.period).toEqual({ from: '2026-01-01', to: '2026-02-15', days: 46, rolling: false });
    const inPeriod = await count('from=2026-01-01&to=2026-02-15');
    expect(inPeriod).toBeGreaterThan(0);
    expect(s.categories.reduce((a, c) => a + c.count, 0)).toBe(inPeriod);
    const newest = (await getJson(fx.app, '/api/problems?limit=12&from=2026-01-01&to=2026-02-15')).body.features.map((f: any) => f.id);
    expect(s.latest.map((p) => p.id)).toEqual(newest);
    for (const p of s.latest) expect(p.reportedAt.slice(0, 10) >= '2026-01-01' && p.reportedAt.slice(0, 10) <= '2026-02-15').toBe(true);
    // The ranking window is the period: the same as /api/rankings over those days.
    const window = `from=${encodeURIComponent('2026-01-01T00:00:00+08:00')}&to=${encodeURIComponent('2026-02-15T23:59:59.999+08:00')}`;
    const ranked = (await getJson(fx.app, `/api/rankings?by=subdistrict&${window}`)).body.rows;
    expect(s.rankings.subdistricts.top.map((r) => [r.id, r.found])).toEqual(ranked.slice(0, 5).map((r: any) => [r.id, r.found]));
    // The KPI tiles are this week / now / the last 30 days whatever the period.
    expect(s.kpi).toEqual(city.kpi);
    expect(s.trend).toEqual(city.trend);
  });

  it('counts a period ending today only up to now, and refuses a period it cannot read with a sentence', async () => {
    const today = ScreenSummary.parse((await getJson(fx.app, '/api/screen/summary?from=2026-03-20&to=2026-03-20')).body);
    expect(today.categories.reduce((a, c) => a + c.count, 0)).toBe(await count(`from=2026-03-20&to=${encodeURIComponent('2026-03-20T12:00:00+08:00')}`));
    for (const [query, path, pattern] of [
      ['from=2026-02-30&to=2026-03-01', 'query.from', /date like 2026-03-20/],
      ['from=2026-03-01', 'query.to', /from and to go together/],
      ['from=2026-03-10&to=2026-03-01', 'query.to', /must not be before from/],
      ['from=2000-01-01&to=2026-03-01', 'query.to', /at most 3660/],
      ['from=last-week&to=2026-03-01', 'query.from', /YYYY-MM-DD/],
    ] as const) {
      const res = await getJson(fx.app, `/api/screen/summary?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body.error, query).toMatch(pattern);
      expect(res.body.details[0].path, query).toBe(path);
    }
  });

  it('pins to one subdistrict with ?district=, and names the valid ones for an unknown id', async () => {
    const city = (await getJson(fx.app, '/api/screen/summary')).body;
    const { status, body } = await getJson(fx.app, '/api/screen/summary?district=sd02');
    expect(status).toBe(200);
    expect(body.district).toEqual({ id: 'sd02', name: '东城街道', level: 'subdistrict' });
    expect(body.kpi.open).toBe(await count('status=reported,assigned&subdistrict=sd02'));
    expect(body.kpi.open).toBeLessThan(city.kpi.open);
    expect(body.latest.every((p: any) => p.subdistrictName === '东城街道')).toBe(true);
    const bad = await getJson(fx.app, '/api/screen/summary?district=nowhere');
    expect(bad.status).toBe(404);
    expect(bad.body.error).toMatch(/sd02/);
  });

  it('shows a write on the next call, though summaries are reused while nothing changes', async () => {
    const before = ScreenSummary.parse((await getJson(fx.app, '/api/screen/summary')).body);
    expect(ScreenSummary.parse((await getJson(fx.app, '/api/screen/summary')).body)).toEqual(before);
    const moved = await fx.app.request('/api/problems/p07/transitions', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ to: 'rectified', note: '已清理' }),
    });
    expect(moved.status).toBe(200);
    const after = ScreenSummary.parse((await getJson(fx.app, '/api/screen/summary')).body);
    expect(after.kpi.open).toBe(before.kpi.open - 1);
  });

  it('is open to the screen token role and closed to a unit account', async () => {
    expect((await (await fx.signedIn('leader')).request('/api/screen/summary')).status).toBe(200);
    expect((await (await fx.signedIn('unit')).request('/api/screen/summary')).status).toBe(403);
    expect((await fx.raw.request('/api/screen/summary')).status).toBe(401);
  });
});
