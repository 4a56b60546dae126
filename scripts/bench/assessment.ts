/**
 * Assessment scoring benchmark: 10,000 points of the catalog's types, a year of weekly checks (one per
 * point and week, 520,000 in all) and 30,000 problems at the points, scored as `GET /api/assessment/scores`
 * does (the window's rows and the 52-week trend, each week under its version). The rows come from memory,
 * so this times the scoring, not SQLite. Prints JSON.
 *
 *   npx tsx scripts/bench/assessment.ts [--runs 5] [--points 10000] [--weeks 52]
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { cpus, totalmem } from 'node:os';
import { cityTotals, scoringData, type ScoringCheck, type ScoringPoint, type ScoringProblem } from '../../server/analytics/assessment-score';
import { assessmentLosses, assessmentScores } from '../../server/services/assessment/scores';
import { loadCatalog } from '../../server/services/assessment/catalog';
import type { Store } from '../../server/store/index';
import { DAY_MS } from '../../server/contract/city-time';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const { values } = parseArgs({
  options: { runs: { type: 'string', default: '5' }, points: { type: 'string', default: '10000' }, weeks: { type: 'string', default: '52' } },
});
const runs = Number(values.runs);
const nPoints = Number(values.points);
const weeks = Number(values.weeks);
const catalog = loadCatalog(join(ROOT, 'data', 'catalog'));
const version = catalog.assessment[catalog.assessment.length - 1];

// A seeded PRNG (mulberry32): the same data every run.
let seed = 42;
const rnd = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const END = Date.parse('2026-11-29T23:59:59.999+08:00');
const START = END - weeks * 7 * DAY_MS + 1;
const points: ScoringPoint[] = Array.from({ length: nPoints }, (_, i) => ({
  id: `pt${i}`,
  name: `点位${i}`,
  typeId: version.pointTypes[i % version.pointTypes.length].id,
  subdistrictId: `sd${i % 12}`,
  unitId: `u${i % 60}`,
}));
const types = new Map(version.pointTypes.map((t) => [t.id, t]));
const checks: ScoringCheck[] = [];
for (let w = 0; w < weeks; w++)
  for (const p of points) {
    const items = types.get(p.typeId)!.items.map((it) => {
      const r = rnd();
      if (it.rule.kind === 'count') {
        const value = Math.max(0, it.rule.min + (r < 0.2 ? -1 : 1));
        return { itemId: it.id, result: value >= it.rule.min ? ('pass' as const) : ('fail' as const), value };
      }
      return { itemId: it.id, result: r < 0.15 ? ('fail' as const) : r < 0.2 ? ('na' as const) : ('pass' as const) };
    });
    checks.push({ id: `c${w}-${p.id}`, pointId: p.id, atMs: START + w * 7 * DAY_MS + Math.floor(rnd() * 6 * DAY_MS), items });
  }
checks.sort((a, b) => a.atMs - b.atMs || (a.id < b.id ? -1 : 1));
const categories = [...new Set(version.pointTypes.flatMap((t) => t.items.flatMap((it) => it.categories)))];
const problems: ScoringProblem[] = Array.from({ length: 30_000 }, (_, i) => {
  const reportedMs = START + Math.floor(rnd() * (END - START));
  return {
    id: `p${i}`,
    pointId: points[Math.floor(rnd() * nPoints)].id,
    category: categories[Math.floor(rnd() * categories.length)],
    reportedMs,
    closedMs: rnd() < 0.8 ? reportedMs + Math.floor(rnd() * 14 * DAY_MS) : Infinity,
  };
});
// Bumped to stand for a new check result: the service's packed rows are then read and packed again.
let mark = 0;
const store = {
  file: 'bench',
  cityStamp: async () => 'bench',
  scoringMark: async () => String(mark),
  problemsRevision: async () => 0,
  storedCatalogCount: async () => 0,
  storedCatalogVersions: async () => [],
  scoringPoints: async () => points,
  scoringChecks: async (from: number, to: number) => checks.filter((c) => c.atMs >= from && c.atMs <= to),
  // A cursor answers its rows in batches.
  scoringProblems: (from: number, to: number) =>
    (async function* () {
      yield problems.filter((p) => p.reportedMs <= to && p.closedMs >= from);
    })(),
  listSubdistricts: async () => Array.from({ length: 12 }, (_, i) => ({ id: `sd${i}`, name: `街道${i}`, code: String(i) })),
  listUnits: async () => Array.from({ length: 60 }, (_, i) => ({ id: `u${i}`, name: `单位${i}`, type: 'property', subdistrictId: null })),
  getCity: async () => ({ name: '基准市' }),
  problemPhotos: async () => [],
} as unknown as Store;

const time = async (f: () => unknown) => {
  const out: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    await f();
    out.push(Math.round((performance.now() - t0) * 10) / 10);
  }
  out.sort((a, b) => a - b);
  return { min: out[0], median: out[Math.floor(out.length / 2)], max: out[out.length - 1] };
};
const q = { from: START, to: END };
const result = {
  bench: 'assessment-scores',
  date: new Date().toISOString(),
  machine: { cpus: cpus().length, model: cpus()[0]?.model, memGB: Math.round(totalmem() / 2 ** 30), node: process.version },
  points: nPoints,
  weeks,
  checks: checks.length,
  problems: problems.length,
  catalogVersion: version.version,
  // Its parts: packing the rows (once per request), then the 52 weekly city totals alone.
  packMs: await time(() => scoringData(catalog.assessment, points, checks, problems)),
  trendOnlyMs: await (async () => {
    const data = scoringData(catalog.assessment, points, checks, problems);
    const windows = Array.from({ length: weeks }, (_, w) => ({
      fromMs: START + w * 7 * DAY_MS,
      toMs: START + (w + 1) * 7 * DAY_MS - 1,
      atMs: START + (w + 1) * 7 * DAY_MS - 1,
      catalog: version,
    }));
    return time(() => cityTotals(data, windows));
  })(),
  // The window's rows plus the week-by-week trend: what one GET /api/assessment/scores computes, right
  // after a new check (the rows read and packed again) …
  scoresCityAfterCheckMs: await time(() => {
    mark++;
    return assessmentScores(store, catalog, { q: { ...q, by: 'city' }, nowMs: END });
  }),
  // … and when nothing changed since the last request (the packed rows kept), as for the rest:
  scoresCityMs: await time(() => assessmentScores(store, catalog, { q: { ...q, by: 'city' }, nowMs: END })),
  scoresBySubdistrictMs: await time(() => assessmentScores(store, catalog, { q: { ...q, by: 'subdistrict' }, nowMs: END })),
  scoresByIndicatorMs: await time(() => assessmentScores(store, catalog, { q: { ...q, by: 'indicator' }, nowMs: END })),
  scoresByPointMs: await time(() => assessmentScores(store, catalog, { q: { ...q, by: 'point' }, nowMs: END })),
  lossesMs: await time(() => assessmentLosses(store, catalog, { q: { ...q, limit: 50 }, nowMs: END })),
  sample: (async () => {
    const s = await assessmentScores(store, catalog, { q: { ...q, by: 'city' }, nowMs: END });
    return { scoreRate: s.rows[0].scoreRate, estimatedScore: s.estimatedScore, trendWeeks: s.trend.length };
  })(),
};
console.log(JSON.stringify(result, null, 2));
