/**
 * The 网格 filter at a city's volume: the problems inside one grid's outline, as the ledger (a page and its
 * total), the map's problem list and its zoom-0 tile (the filter panel's count), the 红黑榜 and the hotspot
 * analysis ask for them — each beside the same request for the grid's subdistrict, which reads a stored
 * column. The grids are the store's own (the demo city has one per block between arterials); the densest,
 * the median and the sparsest grid by problems. In process through the HTTP routes, signed in as an
 * administrator. Prints JSON.
 *
 *   npx tsx scripts/bench/million/build-store.ts          # once, ~4 min
 *   npx tsx scripts/bench/grid-filter.ts [--runs 5] [--db var/bench-million/xuncha.db]
 */
import { cpus, loadavg, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createApp } from '../../server/app';
import { loadCatalog } from '../../server/services/assessment/catalog';
import { openStore } from '../../server/store/index';
import { as, signIn } from '../../tests/api/fixture';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const { values } = parseArgs({
  options: { runs: { type: 'string', default: '5' }, db: { type: 'string', default: join(ROOT, 'var', 'bench-million', 'xuncha.db') } },
});
const runs = Number(values.runs);
const store = openStore(resolve(values.db));
if (!(await store.hasCity())) throw new Error(`No city in ${values.db}: run \`npx tsx scripts/bench/million/build-store.ts\` first (or pass --db).`);
const grids = await store.gridNames();
if (grids.length === 0) throw new Error(`${values.db} has no 网格: draw or import some (POST /api/grids/import), or rebuild the store with the demo city's.`);
const NOW = Date.parse('2026-11-26T09:00:00+08:00');
const app = as(await createApp({ store, catalog: loadCatalog(join(ROOT, 'data', 'catalog')), now: () => NOW }), await signIn(store, 'admin', 'u01', NOW));

const round = (v: number) => Math.round(v * 10) / 10;
async function timed(path: string): Promise<{ ms: number; body: ArrayBuffer }> {
  const t = performance.now();
  const res = await app.request(path);
  const body = await res.arrayBuffer();
  if (res.status !== 200 && res.status !== 204) throw new Error(`${path} answered ${res.status}: ${new TextDecoder().decode(body).slice(0, 200)}`);
  return { ms: performance.now() - t, body };
}
async function measure(path: string) {
  const first = (await timed(path)).ms;
  const rest: number[] = [];
  for (let r = 0; r < runs; r++) rest.push((await timed(path)).ms);
  rest.sort((a, b) => a - b);
  return { first: round(first), p50: round(rest[Math.floor(rest.length / 2)]), max: round(rest[rest.length - 1]) };
}
const total = async (query: string) => (JSON.parse(new TextDecoder().decode((await timed(`/api/ledger?limit=1&${query}`)).body)) as { total: number }).total;

const t0 = performance.now();
// Warm what every request shares (the problem index, the road graph's absence is fine), so `first` is the filter's own.
await timed('/tiles/problems/0/0/0.pbf');
const warmS = round((performance.now() - t0) / 1000);
const sized = [];
for (const g of grids) sized.push({ ...g, problems: await total(`grid=${g.id}`) });
sized.sort((a, b) => b.problems - a.problems);
const picks = { densest: sized[0], median: sized[Math.floor(sized.length / 2)], sparsest: sized[sized.length - 1] };

const out: Record<string, unknown> = {
  machine: { cpus: cpus().length, cpu: cpus()[0]?.model, memGB: Math.round(totalmem() / 2 ** 30), load: loadavg().map((l) => Math.round(l * 100) / 100) },
  date: new Date().toISOString().slice(0, 10),
  problems: (await store.counts()).problems,
  grids: grids.length,
  problemsInGrids: sized.reduce((n, g) => n + g.problems, 0),
  warmS,
  runs,
};
for (const [which, g] of Object.entries(picks)) {
  const sd = `subdistrict=${g.subdistrictId}`;
  const grid = `grid=${g.id}`;
  out[which] = {
    grid: g.name,
    problems: g.problems,
    ledgerPage: { grid: await measure(`/api/ledger?${grid}&limit=50`), subdistrict: await measure(`/api/ledger?${sd}&limit=50`) },
    problemsGeoJson: { grid: await measure(`/api/problems?${grid}&limit=5000`), subdistrict: await measure(`/api/problems?${sd}&limit=5000`) },
    countTile: { grid: await measure(`/tiles/problems/0/0/0.pbf?${grid}`), subdistrict: await measure(`/tiles/problems/0/0/0.pbf?${sd}`) },
    rankings: { grid: await measure(`/api/rankings?by=unit&${grid}`), all: await measure('/api/rankings?by=unit') },
    hotspots: { grid: await measure(`/api/hotspots?${grid}`), subdistrict: await measure(`/api/hotspots?${sd}`) },
  };
}
await store.close();
console.log(JSON.stringify(out, null, 2));
