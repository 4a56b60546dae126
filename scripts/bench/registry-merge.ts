/**
 * Registry merge benchmark: (a) a real OpenStreetMap extract (tests/fixtures/osm-extracts, Nanjing Xinjiekou,
 * 1.5 MB) merged into the city it made, edited as a mapper would (one stop moved, one market deleted), dry run
 * and applied, as `npm run import -- --merge` runs it; (b) `--grids N` grids of `--vertices V` vertices
 * imported as one GeoJSON (POST /api/grids/import: read and checked in the pool, written on the main thread),
 * and GET /api/grids (every point counted in every grid, in the pool).
 * Prints JSON.
 *
 *   npx tsx scripts/bench/registry-merge.ts [--runs 5] [--grids 300] [--vertices 50]
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { importCity } from '../import/import-city';
import { openStore } from '../../server/store/index';
import { listGrids, prepareGrids, writeGrids } from '../../server/services/city/grids';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const { values } = parseArgs({
  options: { runs: { type: 'string', default: '5' }, grids: { type: 'string', default: '300' }, vertices: { type: 'string', default: '50' } },
});
const runs = Number(values.runs);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const EXTRACT = join(ROOT, 'tests/fixtures/osm-extracts/nanjing-xinjiekou-2021.osm');

const dir = mkdtempSync(join(tmpdir(), 'xuncha-bench-merge-'));
try {
  await importCity({ file: EXTRACT, dataDir: dir, name: '南京新街口' });
  const edited = join(dir, 'edited.osm');
  writeFileSync(
    edited,
    readFileSync(EXTRACT, 'utf8')
      .replace('<node id="1378529899" lat="32.0362206"', '<node id="1378529899" lat="32.0367206"')
      .replace('<way id="857245092">', '<way id="857245092" action="delete">'),
  );
  const dry: number[] = [];
  let changes = 0;
  let points = 0;
  for (let r = 0; r < runs; r++) {
    const t = performance.now();
    const s = await importCity({ file: edited, dataDir: dir, merge: true });
    dry.push(performance.now() - t);
    changes = s.merge!.changes.length;
    points = s.merge!.rows;
  }
  let t = performance.now();
  await importCity({ file: edited, dataDir: dir, merge: true, apply: true, actor: 'bench' });
  const appliedMs = performance.now() - t;

  // Grids: a square lattice over the city, each a ring of `vertices` points.
  const store = openStore(join(dir, 'xuncha.db'));
  const [w, s, e, n] = (await store.getCity())!.bbox;
  const side = Math.ceil(Math.sqrt(Number(values.grids)));
  const features = [];
  for (let i = 0; i < Number(values.grids); i++) {
    const [cx, cy] = [w + ((i % side) + 0.5) * ((e - w) / side), s + (Math.floor(i / side) + 0.5) * ((n - s) / side)];
    const [rx, ry] = [((e - w) / side) * 0.45, ((n - s) / side) * 0.45];
    const ring = Array.from({ length: Number(values.vertices) }, (_, k) => {
      const a = (2 * Math.PI * k) / Number(values.vertices);
      return [cx + rx * Math.cos(a), cy + ry * Math.sin(a)];
    });
    features.push({
      type: 'Feature',
      properties: { 网格名称: `第${i + 1}网格`, 网格员: `网格员${i + 1}` },
      geometry: { type: 'Polygon', coordinates: [[...ring, ring[0]]] },
    });
  }
  const text = JSON.stringify({ type: 'FeatureCollection', features });
  // The route reads and checks the file in the pool (prepare) and writes on the main thread (write).
  const prepareMs: number[] = [];
  const gridMs: number[] = [];
  for (let r = 0; r < runs; r++) {
    t = performance.now();
    const prepared = await prepareGrids(store, text);
    prepareMs.push(performance.now() - t);
    t = performance.now();
    await writeGrids(store, prepared, 'bench', Date.now());
    gridMs.push(performance.now() - t);
  }
  t = performance.now();
  await listGrids(store);
  const listMs = performance.now() - t;
  await store.close();
  console.log(
    JSON.stringify(
      {
        bench: 'registry-merge',
        date: new Date().toISOString(),
        machine: { cpus: cpus().length, model: cpus()[0]?.model, memGB: Math.round(totalmem() / 2 ** 30), node: process.version },
        runs,
        osmMerge: { file: 'nanjing-xinjiekou-2021.osm', points, changes, dryRunMsMedian: Math.round(median(dry)), appliedMs: Math.round(appliedMs) },
        gridImport: {
          grids: features.length,
          vertices: Number(values.vertices),
          bytes: text.length,
          prepareInPoolMsMedian: Math.round(median(prepareMs)),
          writeMainThreadMsMedian: Math.round(median(gridMs) * 10) / 10,
          writeFirstMs: Math.round(gridMs[0] * 10) / 10,
          listInPoolMs: Math.round(listMs),
        },
      },
      null,
      2,
    ),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
