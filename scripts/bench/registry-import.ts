/**
 * 点位信息表 import benchmark, on the demo city: the whole registry exported, then imported back (a) as
 * exported and (b) with `--edits` rows changed (a contact each), as a dry run and applied. Reading the
 * workbook and planning (matching each row to its point) run in the pool's worker (`planMs`); the writes
 * run on the main thread, which is what every other request waits for: reported apart as `mainMs`.
 * Prints JSON.
 *
 *   npx tsx scripts/bench/registry-import.ts [--runs 5] [--edits 50]
 */
import ExcelJS from 'exceljs';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { generateDemoCity } from '../demo-city/generate';
import { importLayers } from '../../server/store/import-layers';
import { openStore } from '../../server/store/index';
import { loadCatalog } from '../../server/services/assessment/catalog';
import { createRoadEngine } from '../../server/services/routing/road-engine';
import { createAppPool } from '../../server/pool/app-pool';
import { importRegistry } from '../../server/services/city/registry-import';
import { REGISTRY_COLUMNS } from '../../server/contract/places';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' }, edits: { type: 'string', default: '50' } } });
const runs = Number(values.runs);
const edits = Number(values.edits);
const log = (msg: string) => process.stderr.write(`${msg}\n`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const dir = mkdtempSync(join(tmpdir(), 'xuncha-bench-registry-'));
try {
  log('generating and importing the demo city …');
  await generateDemoCity({ seed: 1, scale: 1, outDir: join(dir, 'layers') });
  const store = openStore(join(dir, 'xuncha.db'));
  importLayers(store, join(dir, 'layers'));
  const catalog = loadCatalog(join(ROOT, 'data', 'catalog'));
  const pool = createAppPool({ store, catalog, roads: createRoadEngine(store), workers: 1 });
  await pool.run('warm', null);
  const now = Date.now();
  const exported = await pool.run('places.registry.xlsx', { query: {}, nowMs: now });

  // The same sheet with `edits` contacts changed, as a clerk's afternoon would.
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(exported) as unknown as ArrayBuffer);
  const ws = wb.getWorksheet('点位信息表')!;
  const contact = REGISTRY_COLUMNS.indexOf('联系人') + 1;
  for (let r = 3; r < 3 + edits && r <= ws.rowCount; r++) ws.getRow(r).getCell(contact).value = `联系人${r}`;
  const edited = new Uint8Array(await wb.xlsx.writeBuffer());

  const measure = async (bytes: Uint8Array, dryRun: boolean) => {
    let t = performance.now();
    const planned = await pool.run('places.registry.plan', { bytes: bytes.slice(), nowMs: now });
    const planMs = performance.now() - t;
    t = performance.now();
    const result = await importRegistry(store, catalog, planned, dryRun, 'bench', now);
    return { planMs, mainMs: performance.now() - t, rows: result.rows, changes: result.changes.length };
  };
  const cases: Record<string, { planMs: number; mainMs: number; rows: number; changes: number }[]> = { unchanged: [], editedDryRun: [] };
  for (let r = 0; r < runs; r++) {
    cases.unchanged.push(await measure(new Uint8Array(exported), false));
    cases.editedDryRun.push(await measure(edited, true));
    log(`run ${r + 1}: unchanged main ${cases.unchanged[r].mainMs.toFixed(1)} ms, edited dry run main ${cases.editedDryRun[r].mainMs.toFixed(1)} ms`);
  }
  // Applied once (it changes the registry: a second run would find nothing to change).
  const applied = await measure(edited, false);
  await pool.close();
  await store.close();
  const summary = (xs: { planMs: number; mainMs: number; rows: number; changes: number }[]) => ({
    rows: xs[0].rows,
    changes: xs[0].changes,
    planMsMedian: Math.round(median(xs.map((x) => x.planMs))),
    mainMsMedian: Math.round(median(xs.map((x) => x.mainMs)) * 10) / 10,
    mainMsMax: Math.round(Math.max(...xs.map((x) => x.mainMs)) * 10) / 10,
  });
  console.log(
    JSON.stringify(
      {
        bench: 'registry-import',
        date: new Date().toISOString(),
        machine: { cpus: cpus().length, model: cpus()[0]?.model, memGB: Math.round(totalmem() / 2 ** 30), node: process.version },
        runs,
        unchanged: summary(cases.unchanged),
        editedDryRun: summary(cases.editedDryRun),
        editedApplied: { rows: applied.rows, changes: applied.changes, planMs: Math.round(applied.planMs), mainMs: Math.round(applied.mainMs * 10) / 10 },
      },
      null,
      2,
    ),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
