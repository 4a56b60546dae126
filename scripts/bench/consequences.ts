/**
 * 目标考核 at a million problems: the first deadline sweep (every problem looked at, every escalated case
 * entered), the sweeps after it (a minute, a day), and the reads of the ledger tab — every unit's standing
 * and the longest unit ledger — through the HTTP routes in process. Prints JSON.
 *
 *   npx tsx scripts/bench/million/build-store.ts          # once, ~4 min
 *   npx tsx scripts/bench/consequences.ts [--runs 9] [--db var/bench-million/xuncha.db]
 *
 * It empties the store's deductions first, so the first sweep is the one an upgraded city's server makes.
 */
import { cpus, loadavg, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createApp } from '../../server/app';
import { loadCatalog } from '../../server/services/assessment/catalog';
import { sweepDeadlines } from '../../server/services/consequences/consequences';
import { openStore } from '../../server/store/index';
import { as, signIn } from '../../tests/api/fixture';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const { values } = parseArgs({
  options: { runs: { type: 'string', default: '9' }, db: { type: 'string', default: join(ROOT, 'var', 'bench-million', 'xuncha.db') } },
});
const runs = Number(values.runs);
const store = openStore(resolve(values.db));
if (!(await store.hasCity())) throw new Error(`No city in ${values.db}: run \`npx tsx scripts/bench/million/build-store.ts\` first (or pass --db).`);
const NOW = Date.parse('2026-11-26T09:00:00+08:00');
const MINUTE = 60_000;
store.db.exec('DELETE FROM unit_deductions; DELETE FROM unit_deduction_totals; DELETE FROM consequence_sweep;');

const round = (v: number) => Math.round(v * 10) / 10;
const time = async <T>(f: () => Promise<T>): Promise<[number, T]> => {
  const t = performance.now();
  const out = await f();
  return [round(performance.now() - t), out];
};
const [firstMs, firstEntries] = await time(() => sweepDeadlines(store, NOW));
const [minuteMs, minuteEntries] = await time(() => sweepDeadlines(store, NOW + MINUTE));
const [dayMs, dayEntries] = await time(() => sweepDeadlines(store, NOW + 24 * 60 * MINUTE));

const later = NOW + 24 * 60 * MINUTE;
const app = as(await createApp({ store, catalog: loadCatalog(join(ROOT, 'data', 'catalog')), now: () => later }), await signIn(store, 'admin', 'u01', later));
async function measure(path: string) {
  const times: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t = performance.now();
    const res = await app.request(path);
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`${path} answered ${res.status}`);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { p50: round(times[Math.floor(times.length / 2)]), max: round(times[times.length - 1]) };
}
const longest = store.db
  .prepare<[], { unitId: string; n: number }>('SELECT unit_id AS unitId, count(*) AS n FROM unit_deductions GROUP BY unit_id ORDER BY n DESC LIMIT 1')
  .get();
const out = {
  machine: { cpus: cpus().length, cpu: cpus()[0]?.model, memGB: Math.round(totalmem() / 2 ** 30), load: loadavg().map((l) => Math.round(l * 100) / 100) },
  date: new Date().toISOString().slice(0, 10),
  problems: (await store.counts()).problems,
  units: (await store.listUnits()).length,
  sweep: {
    first: { ms: firstMs, entries: firstEntries },
    minuteLater: { ms: minuteMs, entries: minuteEntries },
    dayLater: { ms: dayMs, entries: dayEntries },
  },
  overview: await measure('/api/consequences?year=2026'),
  longestLedger: { unit: longest?.unitId, entries: longest?.n, ...(longest ? await measure(`/api/consequences/units/${longest.unitId}?year=2026`) : {}) },
};
console.log(JSON.stringify(out, null, 2));
await store.close();
