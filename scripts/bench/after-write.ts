/**
 * What one write costs the readers at a million problems: the first `GET /api/hotspots` (and a problem
 * tile, and points.bin) after one new report, one transition and one merge, against the first after a
 * start. Works on a copy of the store (the writes would otherwise pile up in the benchmark store). Prints JSON.
 *
 *   npx tsx scripts/bench/million/build-store.ts          # once, ~4 min
 *   npx tsx scripts/bench/after-write.ts [--writes 5] [--db var/bench-million/xuncha.db]
 *
 * Each write is followed by the requests a big screen and a hotspot page make on the event that it
 * publishes; the live index (services/problems/live-index.ts) patches itself on the first of them, so
 * its time is inside the first request's. `index` counts how often the index was built whole and how
 * often patched: after the start it should say one build and one patch per write.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createApp } from '../../server/app';
import { PROBLEM_STATUSES, type ProblemStatus } from '../../server/contract/problems';
import { loadCatalog } from '../../server/services/assessment/catalog';
import { createWorkflowDeps } from '../../server/services/problems/deps';
import { intakeReport } from '../../server/services/problems/intake';
import { createLiveIndex } from '../../server/services/problems/live-index';
import { applyTransition, mergeProblems, problemHistory } from '../../server/services/problems/workflow';
import { openStore } from '../../server/store/index';
import { as, signIn } from '../../tests/api/fixture';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const { values } = parseArgs({
  options: { writes: { type: 'string', default: '5' }, db: { type: 'string', default: join(ROOT, 'var', 'bench-million', 'xuncha.db') } },
});
const writes = Number(values.writes);
const source = resolve(values.db);
const dir = mkdtempSync(join(tmpdir(), 'xuncha-after-write-'));
copyFileSync(source, join(dir, 'xuncha.db'));
const store = openStore(join(dir, 'xuncha.db'));
const city = await store.getCity();
if (!city) throw new Error(`No city in ${source}: run \`npx tsx scripts/bench/million/build-store.ts\` first (or pass --db).`);
const catalog = loadCatalog(join(ROOT, 'data', 'catalog'));
const NOW = Date.parse('2026-11-26T09:00:00+08:00');
const live = createLiveIndex(store);
const wf = createWorkflowDeps(store, { mediaDir: join(dir, 'media'), env: {} });
const raw = await createApp({ store, catalog, now: () => NOW, problemIndex: live, workflow: wf, logError: (e) => console.error(e) });
const app = as(raw, await signIn(store, 'admin', 'u01', NOW));

const ms = (t0: number) => Math.round((performance.now() - t0) * 10) / 10;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
/** z14 tile over the city centre (the densest place of the demo city). */
const [lng, lat] = city.center;
const z = 14;
const tx = Math.floor(((lng + 180) / 360) * 2 ** z);
const ty = Math.floor(((1 - Math.log(Math.tan((lat * Math.PI) / 180) + 1 / Math.cos((lat * Math.PI) / 180)) / Math.PI) / 2) * 2 ** z);

async function readers() {
  // The index patches itself on the first reader; timed apart so the figures say which part costs what.
  const t = performance.now();
  await live.current();
  const out: Record<string, number> = { indexPatch: ms(t) };
  for (const [name, path] of [
    ['hotspots', '/api/hotspots'],
    ['tile', `/tiles/problems/${z}/${tx}/${ty}.pbf`],
    ['pointsBin', '/api/hotspots/points.bin'],
  ] as const) {
    const t0 = performance.now();
    const res = await app.request(path);
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`${path} answered ${res.status}`);
    out[name] = ms(t0);
  }
  return out;
}

const afterStart = await readers();
const cachedAgain = await readers();
const OPEN = new Set(['reported', 'assigned'].map((s) => PROBLEM_STATUSES.indexOf(s as ProblemStatus)));
const open = async () => {
  const base = (await live.current()).index.base;
  return base.ids.filter((_, i) => OPEN.has(base.status[i]));
};
const runs: Record<string, Record<string, number>[]> = { report: [], transition: [], merge: [] };
const writeMs: Record<string, number[]> = { report: [], transition: [], merge: [] };
for (let k = 0; k < writes; k++) {
  let t0 = performance.now();
  await intakeReport(
    store,
    catalog,
    wf,
    { category: catalog.categories[k % catalog.categories.length].id, lng, lat, description: `基准测试第 ${k} 次上报`, reporter: '基准', source: 'inspection' },
    [],
    NOW + k * 60_000,
    null,
    { requirePhoto: false },
  );
  writeMs.report.push(ms(t0));
  runs.report.push(await readers());

  const candidates = await open();
  t0 = performance.now();
  const id = candidates[(k * 7919) % candidates.length];
  const to = (await problemHistory(store, id, NOW)).allowed[0];
  const moved = await applyTransition(
    store,
    catalog,
    wf.hub,
    id,
    { to, note: '基准测试', unit: to === 'assigned' ? ((await store.listUnits())[0] as { id: string }).id : undefined },
    NOW + k * 60_000,
  );
  if ('refused' in moved) throw new Error(`transition of ${id} to ${to} refused`);
  writeMs.transition.push(ms(t0));
  runs.transition.push(await readers());

  const base = (await live.current()).index.base;
  const from = candidates[(k * 7919 + 1) % candidates.length];
  const category = base.category[base.ids.indexOf(from)];
  const into = candidates.find((id) => id !== from && base.category[base.ids.indexOf(id)] === category) as string;
  t0 = performance.now();
  await mergeProblems(store, wf.hub, from, { into, note: '基准测试合并' }, NOW + k * 60_000);
  writeMs.merge.push(ms(t0));
  runs.merge.push(await readers());
}
const medians = (rs: Record<string, number>[]) => Object.fromEntries(Object.keys(rs[0]).map((key) => [key, median(rs.map((r) => r[key]))]));

console.log(
  JSON.stringify(
    {
      machine: { cpus: cpus().length, cpu: cpus()[0]?.model, memGB: Math.round(totalmem() / 2 ** 30), load: loadavg().map((l) => Math.round(l * 100) / 100) },
      date: new Date().toISOString().slice(0, 10),
      problems: (await live.current()).index.base.size,
      writes,
      firstAfterStartMs: afterStart,
      cachedMs: cachedAgain,
      writeMs: Object.fromEntries(Object.entries(writeMs).map(([k, v]) => [k, median(v)])),
      firstAfterWriteMedianMs: Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, medians(v)])),
      index: live.stats,
      rssMB: Math.round(process.memoryUsage().rss / 2 ** 20),
    },
    null,
    2,
  ),
);
await store.close();
rmSync(dir, { recursive: true, force: true });
