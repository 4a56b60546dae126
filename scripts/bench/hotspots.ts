/**
 * Hotspot benchmark over the store in DATA_DIR (default: the 1,000,000-problem store that
 * scripts/bench/million/build-store.ts makes). Prints JSON.
 *
 *   npx tsx scripts/bench/million/build-store.ts          # once, ~4 min
 *   npx tsx scripts/bench/hotspots.ts [--runs 5] [--api-runs 50]
 *
 * Measures, each as min/median/max wall and CPU time over --runs fresh computations (no cache):
 * - index: reading the problems from SQLite into typed arrays, and assigning H3 cells (once per
 *   problems revision; the first request after a change pays it);
 * - hotspots: the whole analysis for `/api/hotspots` (filter, cell × week cube, weekly Gi* on every
 *   bin, BH, classes, Mann-Kendall, whole-period Gi*), and its pure part alone (analyseCube);
 * - recurring: recurring-site detection over every problem (filter, leader clustering, ranking);
 * - api: `GET /api/hotspots` in process, cached (p50 / p95 over --api-runs), and the first, uncached call.
 */
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { cpus, loadavg, totalmem } from 'node:os';
import { gridDisk } from 'h3-js';
import { csrFromLists } from '../../server/analytics/gi-star';
import { findRecurringSites } from '../../server/analytics/recurring';
import { analyseCube } from '../../server/analytics/space-time-cube';
import { createApp } from '../../server/app';
import { H3_RES_DEFAULT } from '../../server/contract/hotspots';
import { loadCatalog } from '../../server/services/assessment/catalog';
import { analyseHotspots, recurringSites } from '../../server/services/hotspots/hotspots';
import { buildAnalyticsIndex } from '../../server/services/problems/analytics-index';
import { openStore } from '../../server/store/index';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' }, 'api-runs': { type: 'string', default: '50' } } });
const runs = Number(values.runs);
const apiRuns = Number(values['api-runs']);
const dataDir = resolve(process.env.DATA_DIR ?? join(ROOT, 'var', 'bench-million'));
const store = openStore(join(dataDir, 'xuncha.db'));
if (!(await store.hasCity())) throw new Error(`No city in ${dataDir}: run \`npx tsx scripts/bench/million/build-store.ts\` first (or set DATA_DIR).`);
const NOW = Date.parse('2026-11-26T09:00:00+08:00');

const ms = (t0: number) => Math.round((performance.now() - t0) * 10) / 10;
function stats(xs: number[]) {
  const s = [...xs].sort((a, b) => a - b);
  return { min: s[0], median: s[Math.floor(s.length / 2)], max: s[s.length - 1], p95: s[Math.min(s.length - 1, Math.floor(s.length * 0.95))] };
}
/** Wall and CPU time (process.cpuUsage: user + system) of n runs; CPU time says more on a shared machine. */
function time(n: number, f: () => unknown) {
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < n; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    f();
    wall.push(ms(t0));
    const c = process.cpuUsage(c0);
    cpu.push(Math.round((c.user + c.system) / 100) / 10);
  }
  return { wall: stats(wall), cpu: stats(cpu) };
}

let t0 = performance.now();
const index = await buildAnalyticsIndex(store);
const indexMs = ms(t0);
t0 = performance.now();
index.cells(10);
const h3FinestMs = ms(t0);
t0 = performance.now();
const cells = index.cells(H3_RES_DEFAULT);
const h3ParentMs = ms(t0);

// The cube the default query builds, for timing the pure statistics alone.
const analysis = analyseHotspots(index, {}, NOW);
const position = new Map(analysis.cellIds.map((h, c) => [h, c]));
const csr = csrFromLists(analysis.cellIds.map((h) => gridDisk(h, 1).flatMap((nb) => (position.has(nb) ? [position.get(nb) as number] : []))));
const cube = { cells: analysis.cellIds.length, weeks: analysis.weeks, counts: analysis.counts, ...csr };

const everyProblem = Uint32Array.from({ length: index.base.size }, (_, k) => k);
index.timeOrdered();

const result = {
  benchmark: 'hotspots',
  date: new Date().toISOString(),
  machine: {
    cpus: cpus().length,
    model: cpus()[0]?.model,
    memGB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    loadavg: loadavg().map((l) => Math.round(l * 10) / 10),
  },
  store: { dataDir, problems: index.base.size, cellsRes9: cells.ids.length, cubeCells: cube.cells, weeks: cube.weeks, bins: cube.cells * cube.weeks },
  index: { buildMs: indexMs, h3AssignRes10Ms: h3FinestMs, h3ParentsRes9Ms: h3ParentMs },
  hotspots: {
    analysisMs: time(runs, () => analyseHotspots(index, { res: H3_RES_DEFAULT }, NOW)),
    analysisOneCategoryMs: time(runs, () => analyseHotspots(index, { res: H3_RES_DEFAULT, category: ['occupy-road'] }, NOW)),
    analyseCubeOnlyMs: time(runs, () => analyseCube(cube)),
  },
  recurring: {
    detectionMs: time(runs, () => recurringSites(index, {}, NOW)),
    clusteringOnlyMs: time(runs, () => findRecurringSites({ ...index.timeOrdered(), order: everyProblem }, 30)),
    sitesWithRecurrences: recurringSites(index, { limit: 1000 }, NOW).total,
  },
  api: {} as Record<string, unknown>,
};

const app = await createApp({ store, catalog: loadCatalog(join(ROOT, 'data', 'catalog')), now: () => NOW });
t0 = performance.now();
let res = await app.request('/api/hotspots?res=9');
await res.text();
const firstMs = ms(t0); // builds the service's own index (as a server's first request after start)
t0 = performance.now();
res = await app.request('/api/hotspots?res=8');
const bytes = (await res.text()).length;
const uncachedMs = ms(t0);
const cached: number[] = [];
for (let i = 0; i < apiRuns; i++) {
  t0 = performance.now();
  res = await app.request('/api/hotspots?res=9');
  await res.text();
  cached.push(ms(t0));
}
t0 = performance.now();
res = await app.request('/api/hotspots/points.bin');
const binBytes = (await res.arrayBuffer()).byteLength;
const pointsBinMs = ms(t0);
result.api = {
  firstRequestWithIndexBuildMs: firstMs,
  uncachedRes8Ms: uncachedMs,
  res8Bytes: bytes,
  cachedRes9: stats(cached),
  pointsBinFirstMs: pointsBinMs,
  pointsBinBytes: binBytes,
};
console.log(JSON.stringify(result, null, 2));
await store.close();
