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
const store = openStore(resolve(values.db));
if (!store.hasCity()) throw new Error(`No city in ${values.db}: run \`npx tsx scripts/bench/million/build-store.ts\` first (or pass --db).`);
const NOW = Date.parse('2026-11-26T09:00:00+08:00');
const app = as(createApp({ store, catalog: loadCatalog(join(ROOT, 'data', 'catalog')), now: () => NOW }), signIn(store, 'admin', 'u01', NOW));

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
  problems: store.counts().problems,
  runs,
};
out.screenSummary = await measure('/api/screen/summary');
out.screenSummaryDistrict = await measure(`/api/screen/summary?district=${encodeURIComponent((store.listSubdistricts()[0] as { id: string }).id)}`);
// Words a clerk types: a category word that matches many, a place word that matches few, a two-word search.
out.ledgerSearch = {
  common: await measure(`/api/ledger?q=${encodeURIComponent('垃圾')}`),
  rare: await measure(`/api/ledger?q=${encodeURIComponent('农贸市场')}`),
  twoWords: await measure(`/api/ledger?q=${encodeURIComponent('占道 经营')}`),
};
const sorts: Record<string, unknown> = {};
for (const sort of LEDGER_SORTS)
  for (const order of ['asc', 'desc'] as const) sorts[`${sort} ${order}`] = await measure(`/api/ledger?sort=${sort}&order=${order}`);
out.ledgerSort = sorts;
out.rssMB = Math.round(process.memoryUsage().rss / 2 ** 20);
console.log(JSON.stringify(out, null, 2));
store.close();
