/**
 * `npm start`: make a fresh clone serve a city in one command, and a second start fast.
 *
 * 1. Builds the client into dist/client unless the build there was made from the same sources
 *    (a hash of client/, vite.config.ts and package-lock.json is kept in dist/client/.build-hash).
 * 2. Opens DATA_DIR/xuncha.db; when no city is loaded, generates the deterministic demo city into
 *    DATA_DIR/layers and imports it (the same path every importer takes).
 * 3. Starts the server (server/index.ts).
 *
 * Environment: PORT, HOST, DATA_DIR as for the server; DEMO_SEED (1) and DEMO_SCALE (1) for the first start.
 */
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const DIST = join(ROOT, 'dist', 'client');
const HASH_FILE = join(DIST, '.build-hash');

const StartEnv = z.object({
  DATA_DIR: z.string().min(1).default('./var'),
  DEMO_SEED: z.coerce.number().int().min(0).default(1),
  DEMO_SCALE: z.coerce.number().min(0.2).max(10).default(1),
});

function listFiles(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) listFiles(path, out);
    else out.push(path);
  }
  return out;
}

/** Hash of everything the client bundle is made from, so an unchanged tree skips the build. */
function clientSourceHash(): string {
  const hash = createHash('sha256');
  const files = [...listFiles(join(ROOT, 'client')), join(ROOT, 'vite.config.ts'), join(ROOT, 'package-lock.json')]
    .filter((f) => existsSync(f))
    .sort();
  for (const file of files) {
    hash.update(file.slice(ROOT.length));
    hash.update(readFileSync(file));
  }
  return hash.digest('hex');
}

function ensureClientBuilt(): void {
  const want = clientSourceHash();
  if (existsSync(HASH_FILE) && readFileSync(HASH_FILE, 'utf8') === want) {
    console.log('client: up to date (dist/client)');
    return;
  }
  console.log('client: building into dist/client … (first start only, about a minute)');
  const started = performance.now();
  const vite = join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  const result = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error('client: the build failed (see above). Fix the error, then run `npm start` again.');
    process.exit(1);
  }
  writeFileSync(HASH_FILE, want);
  console.log(`client: built in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

async function ensureCity(env: z.infer<typeof StartEnv>): Promise<void> {
  const dataDir = resolve(ROOT, env.DATA_DIR);
  mkdirSync(dataDir, { recursive: true });
  const { openStore } = await import('../server/store/index');
  const store = openStore(join(dataDir, 'xuncha.db'));
  try {
    if (store.hasCity()) return;
    const { generateDemoCity } = await import('./demo-city/generate');
    const { importLayers } = await import('../server/store/import-layers');
    const layersDir = join(dataDir, 'layers');
    let started = performance.now();
    console.log(`data: no city in ${dataDir}; generating the demo city (seed ${env.DEMO_SEED}, scale ${env.DEMO_SCALE}) …`);
    const generated = await generateDemoCity({
      seed: env.DEMO_SEED,
      scale: env.DEMO_SCALE,
      outDir: layersDir,
      onProgress: (msg) => console.log(`  ${msg}`),
    });
    console.log(`data: generated in ${((performance.now() - started) / 1000).toFixed(1)} s: ${JSON.stringify(generated.counts)}`);
    started = performance.now();
    const imported = await importLayers(store, layersDir, { onProgress: (msg) => console.log(`  ${msg}`) });
    console.log(`data: imported in ${((performance.now() - started) / 1000).toFixed(1)} s: ${JSON.stringify(imported.counts)}`);
  } finally {
    store.close();
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
if (!statSync(DIST, { throwIfNoEntry: false })?.isDirectory()) throw new Error('dist/client is missing after the build');
await ensureCity(parsed.data);
console.log(`ready to serve after ${((performance.now() - t0) / 1000).toFixed(1)} s`);
await import('../server/index');
