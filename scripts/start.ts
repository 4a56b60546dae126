/**
 * `npm start`: make a fresh clone serve a city in one command, and a second start fast.
 *
 * 1. Builds the client into dist/client unless it was built from the same sources (build-client.ts).
 * 2. Opens DATA_DIR/xuncha.db; when no city is loaded, generates the deterministic demo city into
 *    DATA_DIR/layers and imports it (the same path every importer takes).
 * 3. Starts the server (server/index.ts).
 *
 * Environment: PORT, HOST, DATA_DIR as for the server; DEMO_SEED (1), DEMO_SCALE (1) and DEMO_DISTRICTS (the
 * generator's default: 1 below scale 3) for the first start.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { ensureClientBuilt } from './build-client';

const StartEnv = z.object({
  DATA_DIR: z.string().min(1).default('./var'),
  DEMO_SEED: z.coerce.number().int().min(0).default(1),
  DEMO_SCALE: z.coerce.number().min(0.2).max(10).default(1),
  DEMO_DISTRICTS: z.coerce.number().int().min(1).max(20).optional(),
});

async function ensureCity(env: z.infer<typeof StartEnv>): Promise<void> {
  // Relative to the working directory, exactly as server/index.ts resolves it.
  const dataDir = resolve(env.DATA_DIR);
  mkdirSync(dataDir, { recursive: true });
  const { openStore } = await import('../server/store/index');
  const store = openStore(join(dataDir, 'xuncha.db'));
  try {
    if (await store.hasCity()) return;
    const { generateDemoCity } = await import('./demo-city/generate');
    const { importLayers } = await import('../server/store/import-layers');
    const layersDir = join(dataDir, 'layers');
    let started = performance.now();
    const districts = env.DEMO_DISTRICTS === undefined ? '' : `, ${env.DEMO_DISTRICTS} districts`;
    console.log(`data: no city in ${dataDir}; generating the demo city (seed ${env.DEMO_SEED}, scale ${env.DEMO_SCALE}${districts}) …`);
    const generated = await generateDemoCity({
      seed: env.DEMO_SEED,
      scale: env.DEMO_SCALE,
      districts: env.DEMO_DISTRICTS,
      outDir: layersDir,
      onProgress: (msg) => console.log(`  ${msg}`),
    });
    console.log(`data: generated in ${((performance.now() - started) / 1000).toFixed(1)} s: ${JSON.stringify(generated.counts)}`);
    started = performance.now();
    const imported = importLayers(store, layersDir, { onProgress: (msg) => console.log(`  ${msg}`) });
    console.log(`data: imported in ${((performance.now() - started) / 1000).toFixed(1)} s: ${JSON.stringify(imported.counts)}`);
  } finally {
    await store.close();
  }
}

const parsed = StartEnv.safeParse(process.env);
if (!parsed.success) {
  console.error('Invalid configuration:');
  for (const issue of parsed.error.issues) console.error(`  ${issue.path.join('.')}: ${issue.message}`);
  process.exit(1);
}
const t0 = performance.now();
ensureClientBuilt();
try {
  await ensureCity(parsed.data);
} catch (err) {
  // A broken database or a failed demo import is one readable message, not a stack.
  const { StoreError } = await import('../server/errors');
  if (!(err instanceof StoreError)) throw err;
  console.error(err.message);
  process.exit(1);
}
console.log(`ready to serve after ${((performance.now() - t0) / 1000).toFixed(1)} s`);
await import('../server/index');
