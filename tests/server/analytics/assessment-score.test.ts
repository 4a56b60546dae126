import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  cityTotals,
  estimatedScore,
  groupScores,
  losses,
  readiness,
  scorePoints,
  scoringData,
  type ScoringCheck,
  type ScoringPoint,
  type ScoringProblem,
} from '../../../server/analytics/assessment-score';
import { loadCatalog } from '../../../server/services/assessment/catalog';
import { FIXTURE_DIR } from '../../api/fixture';

// The fixture catalog: market = zoning (1.1, 2 points, fails on an open occupy-road), fair-scale (1.1, 1),
// psa (2.2, 3, count ≥ 5); community = parking (1.2, 2); back-street = garbage (2.1, 3), lights (2.3, 2, rate ≥ 0.95).
const catalog = loadCatalog(join(FIXTURE_DIR, 'catalog')).assessment[0];
const day = (d: number) => Date.parse(`2026-03-${String(d).padStart(2, '0')}T10:00:00+08:00`);
const FROM = day(3);
const TO = day(10);

const points: ScoringPoint[] = [
  { id: 'mk1', name: '东门市场', typeId: 'market', subdistrictId: 'sd1', unitId: 'u1' },
  { id: 'mk2', name: '西门市场', typeId: 'market', subdistrictId: 'sd2', unitId: 'u2' },
  { id: 'cm1', name: '幸福小区', typeId: 'community', subdistrictId: 'sd1', unitId: 'u1' },
  { id: 'bs1', name: '槐树巷', typeId: 'back-street', subdistrictId: 'sd2', unitId: 'u2' },
  { id: 'x1', name: '不在目录的点位', typeId: 'no-such-type', subdistrictId: 'sd1', unitId: 'u1' },
];
const checks: ScoringCheck[] = [
  // An earlier check in the window: superseded by the latest.
  {
    id: 'c0',
    pointId: 'mk1',
    atMs: day(4),
    items: [
      { itemId: 'market-zoning', result: 'pass' },
      { itemId: 'market-fair-scale', result: 'pass' },
    ],
  },
  {
    id: 'c1',
    pointId: 'mk1',
    atMs: day(5),
    items: [
      { itemId: 'market-zoning', result: 'pass' },
      { itemId: 'market-fair-scale', result: 'fail' },
      { itemId: 'market-psa', result: 'pass', value: 6 },
    ],
  },
  {
    id: 'c2',
    pointId: 'mk2',
    atMs: day(6),
    items: [
      { itemId: 'market-zoning', result: 'pass' },
      { itemId: 'market-fair-scale', result: 'na' },
      { itemId: 'market-psa', result: 'pass' },
    ],
  },
  // Before the window: cm1 stays unchecked.
  { id: 'c3', pointId: 'cm1', atMs: day(1), items: [{ itemId: 'community-parking', result: 'pass' }] },
  {
    id: 'c4',
    pointId: 'bs1',
    atMs: day(7),
    items: [
      { itemId: 'back-street-garbage', result: 'pass' },
      { itemId: 'back-street-lights', result: 'fail', value: 0.9 },
    ],
  },
];
const problems: ScoringProblem[] = [
  { id: 'p1', pointId: 'mk1', category: 'occupy-road', reportedMs: day(4), closedMs: Infinity },
  // Closed before the window's end, or reported after it: no effect.
  { id: 'p2', pointId: 'mk2', category: 'occupy-road', reportedMs: day(4), closedMs: day(8) },
  { id: 'p3', pointId: 'mk2', category: 'occupy-road', reportedMs: day(11), closedMs: Infinity },
  // At an unchecked point: it stays unchecked.
  { id: 'p4', pointId: 'cm1', category: 'disorderly-parking', reportedMs: day(4), closedMs: Infinity },
];

const data = scoringData([catalog], points, checks, problems);
const scores = scorePoints(data, { fromMs: FROM, toMs: TO, atMs: TO, catalog });
const names = {
  city: '东昌区',
  subdistrict: (id: string) => ({ sd1: '东街道', sd2: '西街道' })[id],
  unit: (id: string) => ({ u1: '东城管', u2: '西城管' })[id],
  // Both subdistricts in one district: its row is theirs added up.
  district: (id: string) => ({ dt1: '东昌区' })[id],
  districtOf: (id: string) => ({ sd1: 'dt1', sd2: 'dt1' })[id],
};
const rows = (by: Parameters<typeof groupScores>[2]) => groupScores(catalog, scores, by, names);

describe('assessment scoring on a hand-computed example', () => {
  it('scores each point from its latest check in the window and the problems open at its end', () => {
    const by = Object.fromEntries(scores.map((s) => [s.point.id, s]));
    expect(Object.keys(by).sort()).toEqual(['bs1', 'cm1', 'mk1', 'mk2']);
    // mk1: zoning passed at the check but p1 (占道) is open → fails; fair scale failed; psa 6 ≥ 5 passed.
    expect(by.mk1.check?.id).toBe('c1');
    expect(by.mk1.items.map((i) => [i.itemId, i.verdict, i.problemIds])).toEqual([
      ['market-zoning', 'fail', ['p1']],
      ['market-fair-scale', 'fail', []],
      ['market-psa', 'pass', []],
    ]);
    expect([by.mk1.earned, by.mk1.possible]).toEqual([3, 6]);
    // mk2: n/a is not scored; psa with a verdict only keeps it.
    expect([by.mk2.earned, by.mk2.possible]).toEqual([5, 5]);
    // bs1: a rate of 0.9 under 0.95 fails.
    expect([by.bs1.earned, by.bs1.possible]).toEqual([3, 5]);
    expect(by.cm1.check).toBeNull();
  });

  it('groups into the city, subdistricts, types, units and indicators', () => {
    expect(rows('city')).toEqual([{ key: 'city', name: '东昌区', scoreRate: 0.6875, earned: 11, possible: 16, lost: 5, checked: 3, unchecked: 1 }]);
    expect(rows('subdistrict').map((r) => [r.key, r.name, r.scoreRate, r.checked, r.unchecked])).toEqual([
      ['sd1', '东街道', 0.5, 1, 1],
      ['sd2', '西街道', 0.8, 2, 0],
    ]);
    const [district] = rows('district');
    const sds = rows('subdistrict');
    expect([district.key, district.name, district.checked, district.unchecked]).toEqual(['dt1', '东昌区', 3, 1]);
    expect(district.earned).toBeCloseTo(
      sds.reduce((n, r) => n + r.earned, 0),
      6,
    );
    expect(district.possible).toBeCloseTo(
      sds.reduce((n, r) => n + r.possible, 0),
      6,
    );
    expect(rows('type').map((r) => [r.key, r.scoreRate, r.checked, r.unchecked])).toEqual([
      ['back-street', 0.6, 1, 0],
      ['market', 0.727273, 2, 0],
      ['community', null, 0, 1],
    ]);
    expect(rows('unit').map((r) => [r.key, r.name, r.lost])).toEqual([
      ['u1', '东城管', 3],
      ['u2', '西城管', 2],
    ]);
    expect(rows('indicator').map((r) => [r.key, r.depth, r.earned, r.possible, r.scoreRate, r.checked, r.unchecked])).toEqual([
      ['1', 1, 2, 5, 0.4, 2, 1],
      ['1.1', 2, 2, 5, 0.4, 2, 0],
      ['1.2', 2, 0, 0, null, 0, 1],
      ['2', 1, 9, 11, 0.818182, 3, 0],
      ['2.1', 2, 3, 3, 1, 1, 0],
      ['2.2', 2, 6, 6, 1, 2, 0],
      ['2.3', 2, 0, 2, 0, 1, 0],
    ]);
    expect(rows('point').map((r) => r.key)).toEqual(['mk1', 'bs1', 'mk2', 'cm1']);
  });

  it('estimates the on-site score from the leaf indicators observed', () => {
    // 20 × (5 × 0.4 + 6 × 1 + 4 × 1 + 2 × 0) ÷ (5 + 6 + 4 + 2) = 20 × 12 ÷ 17
    expect(estimatedScore(catalog, scores)).toBe(14.12);
    expect(estimatedScore(catalog, [])).toBeNull();
  });

  it('ranks the losses by points × failures, each with where it failed and why', () => {
    const l = losses(catalog, scores);
    expect(l.map((r) => [r.itemId, r.lost, r.failures.length])).toEqual([
      ['back-street-lights', 2, 1],
      ['market-zoning', 2, 1],
      ['market-fair-scale', 1, 1],
    ]);
    expect(l[1].failures[0]).toMatchObject({ point: { id: 'mk1' }, checkId: 'c1', failedAtCheck: false, problemIds: ['p1'] });
  });

  it('never counts an unchecked point as passed, and scores nothing with no checks', () => {
    const none = scorePoints(scoringData([catalog], points, [], problems), { fromMs: FROM, toMs: TO, atMs: TO, catalog });
    expect(groupScores(catalog, none, 'city', names)[0]).toMatchObject({ scoreRate: null, checked: 0, unchecked: 4 });
  });

  it('gives the city totals of each week as scoring every point of that week does', () => {
    const windows = [0, 2, 4, 6, 8].map((d) => ({ fromMs: day(1 + d), toMs: day(3 + d) - 1, atMs: day(3 + d) - 1, catalog }));
    const totals = cityTotals(data, windows);
    windows.forEach((w, k) => {
      const city = groupScores(catalog, scorePoints(data, w), 'city', names)[0];
      expect(totals[k]).toEqual({ earned: city.earned, possible: city.possible, checked: city.checked, unchecked: city.unchecked });
    });
    expect(totals.map((t) => t.checked)).toEqual([1, 1, 2, 1, 0]);
  });

  it('says which points are ready: checked lately, every item passed, nothing open', () => {
    const r = readiness(data, catalog, day(10), 7);
    expect(r.map((p) => [p.point.id, p.status, p.missing, p.openProblems, p.lastVisitMs])).toEqual([
      ['mk1', 'not-ready', ['market-fair-scale'], 1, day(5)],
      // p2 closed on day 8 and p3 is reported on day 11: nothing is open at mk2 on day 10.
      ['mk2', 'ready', [], 0, day(6)],
      // Last checked on day 1, more than 7 days before day 10.
      ['cm1', 'stale', [], 1, day(1)],
      ['bs1', 'not-ready', ['back-street-lights'], 0, day(7)],
    ]);
    expect(readiness(data, catalog, day(10), 3).map((p) => p.status)).toEqual(['stale', 'stale', 'stale', 'not-ready']);
  });
});
