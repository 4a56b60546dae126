/**
 * 模拟测评 benchmark: `POST /api/assessment/mocks` as the service runs it — draw 80 points (by type,
 * spread over subdistricts) and plan them for 4 teams in the worker pool — on the demo city, after the
 * pool is warm (the server warms it at startup). Then the mock finished by hand: scoring its points and
 * turning its failures into problems (none here: nothing is checked, so everything is 未检查). Prints JSON.
 *
 *   npx tsx scripts/bench/mock.ts [--runs 5] [--points 80] [--teams 4] [--scale 1]
 */
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
import { createMock, finishMock } from '../../server/services/assessment/mocks';
import { createWorkflowDeps } from '../../server/services/problems/deps';
import { MockRequest } from '../../server/contract/assessment-mocks';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    points: { type: 'string', default: '80' },
    teams: { type: 'string', default: '4' },
    scale: { type: 'string', default: '1' },
  },
});
const runs = Number(values.runs);
const nPoints = Number(values.points);
const nTeams = Number(values.teams);
const log = (msg: string) => process.stderr.write(`${msg}\n`);

const dir = mkdtempSync(join(tmpdir(), 'xuncha-bench-mock-'));
try {
  log('generating and importing the demo city …');
  await generateDemoCity({ seed: 1, scale: Number(values.scale), outDir: join(dir, 'layers') });
  const store = openStore(join(dir, 'xuncha.db'));
  importLayers(store, join(dir, 'layers'));
  const catalog = loadCatalog(join(ROOT, 'data', 'catalog'));
  const roads = createRoadEngine(store);
  const pool = createAppPool({ store, catalog, roads, workers: 1 });
  await pool.run('warm', null);
  const deps = { store, catalog, pool, now: () => Date.now(), workflow: createWorkflowDeps(store) };
  // The registry's types in proportion to their size, nPoints in all.
  const counts = new Map<string, number>();
  for (const p of await store.scoringPoints()) counts.set(p.typeId, (counts.get(p.typeId) ?? 0) + 1);
  const all = [...counts.values()].reduce((a, b) => a + b, 0);
  const quotas: Record<string, number> = {};
  let left = nPoints;
  [...counts].forEach(([type, n], i, list) => {
    quotas[type] = i === list.length - 1 ? left : Math.round((nPoints * n) / all);
    left -= quotas[type];
  });
  const samples: { createMs: number; served: number; dropped: number; finishMs: number }[] = [];
  for (let r = 0; r < runs; r++) {
    const req = MockRequest.parse({ date: '2026-05-20', teams: Array.from({ length: nTeams }, (_, i) => ({ name: `第${i + 1}组` })), quotas, seed: r + 1 });
    let t = performance.now();
    const mock = await createMock(deps, req, { userId: null, name: 'bench' });
    const createMs = performance.now() - t;
    t = performance.now();
    await finishMock(deps, mock.id);
    const finishMs = performance.now() - t;
    samples.push({
      createMs: Math.round(createMs),
      served: mock.progress.planned,
      dropped: mock.points.length - mock.progress.planned,
      finishMs: Math.round(finishMs),
    });
    log(
      `run ${r + 1}: planned in ${Math.round(createMs)} ms (${mock.progress.planned}/${mock.points.length} in routes), finished in ${Math.round(finishMs)} ms`,
    );
  }
  await pool.close();
  await store.close();
  const ms = samples.map((s) => s.createMs).sort((a, b) => a - b);
  console.log(
    JSON.stringify(
      {
        bench: 'assessment-mock',
        date: new Date().toISOString(),
        machine: { cpus: cpus().length, cpu: cpus()[0]?.model, memGB: Math.round(totalmem() / 2 ** 30), node: process.version },
        points: nPoints,
        teams: nTeams,
        quotas,
        registry: Object.fromEntries(counts),
        createMs: { min: ms[0], median: ms[Math.floor(ms.length / 2)], max: ms[ms.length - 1] },
        runs: samples,
      },
      null,
      2,
    ),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
