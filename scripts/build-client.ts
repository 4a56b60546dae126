/**
 * Builds the client into dist/client unless the build there was made from the same sources: a hash of
 * client/, vite.config.ts and package-lock.json is kept in dist/client/.build-hash. `npm start` and the
 * e2e tests call it, so neither builds twice.
 *
 *   npx tsx scripts/build-client.ts [--force]
 */
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
export const DIST = join(ROOT, 'dist', 'client');
const HASH_FILE = join(DIST, '.build-hash');

function listFiles(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) listFiles(path, out);
    else out.push(path);
  }
  return out;
}

/**
 * Hash of everything the client bundle is made from, so an unchanged tree skips the build: the client,
 * and the contract it imports (a change there alone — a page's roles, a schema — changes the bundle too).
 */
function clientSourceHash(): string {
  const hash = createHash('sha256');
  const files = [
    ...listFiles(join(ROOT, 'client')),
    ...listFiles(join(ROOT, 'server', 'contract')),
    join(ROOT, 'vite.config.ts'),
    join(ROOT, 'package-lock.json'),
  ]
    .filter((f) => existsSync(f))
    .sort();
  for (const file of files) {
    hash.update(file.slice(ROOT.length));
    hash.update(readFileSync(file));
  }
  return hash.digest('hex');
}

/** Runs `vite build` when the sources changed since the last build (or always with `force`); exits on failure. */
export function ensureClientBuilt(force = false): void {
  const want = clientSourceHash();
  if (!force && existsSync(HASH_FILE) && readFileSync(HASH_FILE, 'utf8') === want) {
    console.log('client: up to date (dist/client)');
    return;
  }
  console.log('client: building into dist/client …');
  const started = performance.now();
  const vite = join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  // NODE_ENV pinned: Vite takes React's build from it, and a build started under Vitest (NODE_ENV=test,
  // e.g. by a test that starts the server) would otherwise ship React's development build.
  const env = { ...process.env, NODE_ENV: 'production' };
  const result = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit', env });
  if (result.status !== 0) {
    console.error('client: the build failed (see above). Fix the error, then run `npm start` again.');
    process.exit(1);
  }
  writeFileSync(HASH_FILE, want);
  console.log(`client: built in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  ensureClientBuilt(process.argv.includes('--force'));
}
