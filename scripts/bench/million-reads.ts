/**
 * The reads a city's offices and wall make all day, at a million problems: the big screen's summary, the
 * ledger's full-text search and every ledger sort, the first of each after a start, and the server's
 * memory. In process through the HTTP routes (no socket), signed in as an administrator. Prints JSON.
 *
 *   npx tsx scripts/bench/million/build-store.ts          # once, ~4 min
 *   npx tsx scripts/bench/million-reads.ts [--runs 9] [--db var/bench-million/xuncha.db]
 *
 * `first` is the first request after the process opened the store (it pays for the in-memory index or
 * the full-text index when they are not built yet); `p50`/`max` are over --runs more.
 */
import { cpus, loadavg, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createApp } from '../../server/app';
import { LEDGER_SORTS } from '../../server/contract/workflow';
import { loadCatalog } from '../../server/services/assessment/catalog';
import { openStore } from '../../server/store/index';
import { as, signIn } from '../../tests/api/fixture';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const { values } = parseArgs({
  options: { runs: { type: 'string', default: '9' }, db: { type: 'string', default: join(ROOT, 'var', 'bench-million', 'xuncha.db') } },
});
const runs = Number(values.runs);
let t0 = performance.now();
const store = openStore(resolve(values.db));
// Opening migrates an older store (its new indexes: seconds at a million, once).
const openS = (performance.now() - t0) / 1000;
if (!(await store.hasCity())) throw new Error(`No city in ${values.db}: run \`npx tsx scripts/bench/million/build-store.ts\` first (or pass --db).`);
const NOW = Date.parse('2026-11-26T09:00:00+08:00');
const app = as(await createApp({ store, catalog: loadCatalog(join(ROOT, 'data', 'catalog')), now: () => NOW }), await signIn(store, 'admin', 'u01', NOW));

const round = (v: number) => Math.round(v * 10) / 10;
async function timed(path: string) {
  const t = performance.now();
  const res = await app.request(path);
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`${path} answered ${res.status}`);
  return performance.now() - t;
}
async function measure(path: string) {
  const first = await timed(path);
  const rest: number[] = [];
  for (let r = 0; r < runs; r++) rest.push(await timed(path));
  rest.sort((a, b) => a - b);
  return { first: round(first), p50: round(rest[Math.floor(rest.length / 2)]), max: round(rest[rest.length - 1]) };
}

const out: Record<string, unknown> = {
  machine: { cpus: cpus().length, cpu: cpus()[0]?.model, memGB: Math.round(totalmem() / 2 ** 30), load: loadavg().map((l) => Math.round(l * 100) / 100) },
  date: new Date().toISOString().slice(0, 10),
  problems: (await store.counts()).problems,
  runs,
};
out.openS = Math.round(openS * 10) / 10;
// What the server's pool does in slices after an import or an upgrade (here in-process, at once).
t0 = performance.now();
const rebuilt = !(await store.searchIndexState()).ready;
while (!(await store.buildSearchIndex(1000)).ready) {
  // slice after slice
}
out.searchIndex = { rebuilt, buildS: Math.round((performance.now() - t0) / 100) / 10 };
out.screenSummary = await measure('/api/screen/summary');
out.screenSummaryDistrict = await measure(`/api/screen/summary?district=${encodeURIComponent(((await store.listSubdistricts())[0] as { id: string }).id)}`);
// Words a clerk types: a category word that matches many, a place word, a street name that matches few,
// a two-word search, one character; and searches with a sort, a filter and a deep page.
const q = (w: string) => `/api/ledger?q=${encodeURIComponent(w)}`;
out.ledgerSearch = {
  common: await measure(q('垃圾')),
  place: await measure(q('农贸市场')),
  rare: await measure(q('碾子八十七巷')),
  twoWords: await measure(q('占道 经营')),
  oneChar: await measure(q('圾')),
  commonByUnit: await measure(`${q('垃圾')}&sort=unit&order=asc`),
  commonByDeadline: await measure(`${q('垃圾')}&sort=deadline&order=desc`),
  commonAssigned: await measure(`${q('垃圾')}&status=assigned`),
  commonPage500: await measure(`${q('垃圾')}&offset=100000`),
};
const sorts: Record<string, unknown> = {};
for (const sort of LEDGER_SORTS)
  for (const order of ['asc', 'desc'] as const) sorts[`${sort} ${order}`] = await measure(`/api/ledger?sort=${sort}&order=${order}`);
out.ledgerSort = sorts;
out.ledgerSortDeep = {
  'unit asc, offset 500,000': await measure('/api/ledger?sort=unit&order=asc&offset=500000'),
  'deadline desc, offset 900,000': await measure('/api/ledger?sort=deadline&order=desc&offset=900000'),
};
out.rssMB = Math.round(process.memoryUsage().rss / 2 ** 20);
console.log(JSON.stringify(out, null, 2));
await store.close();
