/**
 * Times `GET /api/problems?bbox=…` returning 5,000 features, in process through app.request()
 * (routing, validation, SQL, GeoJSON serialisation; no socket), on the city in DATA_DIR.
 *
 *   DATA_DIR=./var npx tsx scripts/bench/api-problems.ts [--runs 50]
 *
 * Prints JSON. The bboxes are seeded squares around random problems, grown until one page is full,
 * so every timed request returns exactly `limit` features.
 */
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { cpus } from 'node:os';
import { createApp } from '../../server/app';
import { loadCatalog } from '../../server/services/assessment/catalog';
import { openStore } from '../../server/store/index';
import { mulberry32 } from '../../server/solver/random';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const LIMIT = 5000;

const { values } = parseArgs({ options: { runs: { type: 'string', default: '50' }, seed: { type: 'string', default: '1' } } });
const runs = Number(values.runs);

const store = openStore(join(resolve(process.env.DATA_DIR ?? join(ROOT, 'var')), 'xuncha.db'));
const app = await createApp({ store, catalog: loadCatalog(join(ROOT, 'data', 'catalog')) });
const city = await store.getCity();
if (!city) throw new Error('No city in DATA_DIR: run `npm start` once (or set DATA_DIR) before benchmarking.');
const [w, s, e, n] = city.bbox;
const random = mulberry32(Number(values.seed));

async function count(bbox: number[]): Promise<number> {
  const res = await app.request(`/api/problems?bbox=${bbox.join(',')}&limit=${LIMIT}`);
  const body = (await res.json()) as { features: unknown[] };
  return body.features.length;
}

// Squares that hold at least one full page, found before timing starts.
const boxes: number[][] = [];
while (boxes.length < 10) {
  const cx = w + random() * (e - w);
  const cy = s + random() * (n - s);
  let half = 0.002;
  let bbox = [cx - half, cy - half, cx + half, cy + half];
  while ((await count(bbox)) < LIMIT && half < e - w) {
    half *= 1.25;
    bbox = [cx - half, cy - half, cx + half, cy + half];
  }
  if (half < e - w) boxes.push(bbox.map((v) => Number(v.toFixed(6))));
}

const timesMs: number[] = [];
let bytes = 0;
for (let i = 0; i < runs; i++) {
  const bbox = boxes[i % boxes.length];
  const t0 = performance.now();
  const res = await app.request(`/api/problems?bbox=${bbox.join(',')}&limit=${LIMIT}`);
  const text = await res.text();
  timesMs.push(performance.now() - t0);
  bytes = text.length;
}
timesMs.sort((a, b) => a - b);
const q = (p: number) => Number(timesMs[Math.min(timesMs.length - 1, Math.floor(p * timesMs.length))].toFixed(1));
console.log(
  JSON.stringify(
    {
      bench: 'api-problems-bbox',
      problemsInStore: (await store.counts()).problems,
      featuresPerResponse: LIMIT,
      responseBytes: bytes,
      runs,
      p50Ms: q(0.5),
      p95Ms: q(0.95),
      maxMs: q(1),
      machine: { cpus: cpus().length, cpu: cpus()[0]?.model, node: process.version },
      date: new Date().toISOString(),
    },
    null,
    2,
  ),
);
await store.close();
