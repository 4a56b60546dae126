import { accessSync, constants, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import { NO_BACKUPS, startBackupSchedule } from './backup/schedule';
import { PID_FILE } from './backup/restore';
import { parseTrustProxy } from './http/proxy';
import { phoneAddresses } from './tls/addresses';
import { loadTls, type TlsSetup } from './tls/config';
import { redirectToHttps } from './tls/redirect';
import { createApp } from './app';
import { ensureAccounts } from './auth/bootstrap';
import { loadEnv } from './env';
import { ConfigError, StoreError } from './errors';
import { createBaseTiles } from './services/tiles/base-tiles';
import { loadCatalog } from './services/assessment/catalog';
import { createProblemTiles } from './services/tiles/problem-tiles';
import { createLiveIndex } from './services/problems/live-index';
import { sweepTracks } from './services/tracks/tracks';
import { createWorkflowDeps, type WorkflowDeps } from './services/problems/deps';
import { createSearchIndex } from './services/problems/search-index';
import { createRoadEngine } from './services/routing/road-engine';
import { createAppPool } from './pool/app-pool';
import { openStore, type Store } from './store/index';
import { sweepDeadlines } from './services/consequences/consequences';

// Starts the server: env → database → catalog → app → listen. Every startup failure is one readable
// message and exit status 1, never a stack.

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CATALOG_DIR = join(ROOT, 'data', 'catalog');
const CLIENT_DIR = join(ROOT, 'dist', 'client');
const SHUTDOWN_GRACE_MS = 5000;

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

const env = loadEnv();
const dataDir = resolve(env.DATA_DIR);
let store: Store;
try {
  mkdirSync(dataDir, { recursive: true });
  store = openStore(join(dataDir, 'xuncha.db'));
} catch (err) {
  if (err instanceof StoreError) fail(err.message);
  const reason = err instanceof Error ? err.message : String(err);
  fail(`Cannot use DATA_DIR ${dataDir} (${reason}). Create it, make it writable, or set DATA_DIR to another folder.`);
}

let tls: TlsSetup | null;
try {
  tls = loadTls(dataDir, env);
} catch (err) {
  await store.close();
  if (err instanceof ConfigError) fail(err.message);
  throw err;
}
const scheme = tls ? 'https' : 'http';

let catalog;
try {
  catalog = loadCatalog(CATALOG_DIR);
} catch (err) {
  await store.close();
  if (err instanceof ConfigError) fail(err.message);
  throw err;
}

try {
  await ensureAccounts(store, { adminPassword: env.ADMIN_PASSWORD, demoAccounts: env.DEMO_ACCOUNTS === 'on', now: new Date(), log: (l) => console.log(l) });
} catch (err) {
  await store.close();
  fail(`Could not set up the accounts: ${err instanceof Error ? err.message : String(err)}`);
}

const baseTiles = createBaseTiles(store);
const problemIndex = createLiveIndex(store);
const problemTiles = createProblemTiles(problemIndex);
const city = await store.getCity();
if (city) {
  // Build the basemap tiles' index before the first request instead of during it (the problem index is
  // built in a worker once the server listens: a million problems take it ~15 s).
  baseTiles.warm();
  await store.warmProblemEstimates();
  // The first sweep after an upgrade or an import looks at every problem (5 s at a million, once): here,
  // before listening, rather than in the first read of the 目标考核 tab. The later ones take milliseconds.
  const started = performance.now();
  const entered = await sweepDeadlines(store, Date.now());
  if (entered > 0) console.log(`目标考核: ${entered.toLocaleString('en')} escalations entered, in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
await sweepOldTracks();
// Daily is enough for a retention counted in days; the timer must not keep a stopping server alive.
setInterval(sweepOldTracks, 6 * 3_600_000).unref();

async function sweepOldTracks(): Promise<void> {
  const gone = await sweepTracks(store, env.TRACK_RETENTION_DAYS, Date.now());
  if (gone > 0) console.log(`Tracks: ${gone.toLocaleString('en')} fixes older than ${env.TRACK_RETENTION_DAYS} days deleted (TRACK_RETENTION_DAYS)`);
}

const roads = createRoadEngine(store);
const trustProxy = parseTrustProxy(env.TRUST_PROXY);
if (env.BACKUP_DIR) {
  // Found now rather than by the first backup at night.
  try {
    mkdirSync(resolve(env.BACKUP_DIR), { recursive: true });
    accessSync(resolve(env.BACKUP_DIR), constants.W_OK);
  } catch (err) {
    await store.close();
    fail(`BACKUP_DIR ${resolve(env.BACKUP_DIR)} cannot be written (${(err as Error).message}). Create it and make it writable, or unset BACKUP_DIR.`);
  }
}
const backups = env.BACKUP_DIR
  ? startBackupSchedule({ db: store.db, mediaDir: join(dataDir, 'media'), dir: resolve(env.BACKUP_DIR), at: env.BACKUP_AT, keep: env.BACKUP_KEEP })
  : null;
const system = {
  tls,
  phoneAddresses: phoneAddresses(tls, { host: env.HOST, port: env.PORT }),
  trustProxy: trustProxy.spec || null,
  backups: () => backups?.status() ?? NO_BACKUPS,
};
// Workers start on the first plan, matrix or export, and each opens the database itself.
const pool = createAppPool({ store, catalog, roads, workers: env.WORKERS, maxQueue: env.WORKER_QUEUE });
const search = createSearchIndex(store, (budgetMs) => pool.run('search.build', { budgetMs }));
let workflow: WorkflowDeps;
try {
  workflow = createWorkflowDeps(store);
} catch (err) {
  await store.close();
  if (err instanceof ConfigError) fail(err.message);
  throw err;
}
const app = await createApp({
  store,
  catalog,
  clientDir: CLIENT_DIR,
  baseTiles,
  problemTiles,
  problemIndex,
  roads,
  pool,
  search,
  trustProxy,
  system,
  workflow,
});
const server = serve(
  tls
    ? { fetch: app.fetch, port: env.PORT, hostname: env.HOST, createServer: createHttpsServer, serverOptions: { cert: tls.cert, key: tls.key } }
    : { fetch: app.fetch, port: env.PORT, hostname: env.HOST },
  onListening,
);

// So `npm run restore` can tell that a server is using this folder (removed again on shutdown).
const pidFile = join(dataDir, PID_FILE);
try {
  writeFileSync(pidFile, `${process.pid}\n`);
} catch (err) {
  console.error(`Cannot write ${pidFile} (${(err as Error).message}): \`npm run restore\` will not see that this server is running.`);
}

const redirect = env.HTTP_PORT !== undefined && tls ? createHttpServer(redirectToHttps(env.PORT)) : null;
if (env.HTTP_PORT !== undefined && !tls)
  console.log(`HTTP_PORT ${env.HTTP_PORT} is ignored: there is no certificate, so the server speaks plain HTTP on PORT.`);
redirect?.on('error', (err: NodeJS.ErrnoException) => {
  // The redirect is a convenience: the HTTPS server carries on without it.
  console.error(`HTTP_PORT ${env.HTTP_PORT} cannot be used (${err.code ?? err.message}); http:// addresses will not redirect.`);
});
redirect?.listen(env.HTTP_PORT, env.HOST, () => console.log(`Redirecting http://${env.HOST}:${env.HTTP_PORT} to HTTPS on port ${env.PORT}`));

async function onListening(info: { address: string; family: string; port: number }): Promise<void> {
  const host = info.family === 'IPv6' ? `[${info.address}]` : info.address;
  console.log(`Xuncha 巡查 listening on ${scheme}://${host}:${info.port}`);
  if (tls) {
    const from = tls.source === 'env' ? 'TLS_CERT' : `${join(dataDir, 'tls')} (npm run tls:init)`;
    console.log(`HTTPS with the certificate from ${from}, for ${tls.server.hosts.join(', ')}, valid until ${tls.server.notAfter.slice(0, 10)}`);
    if (Date.parse(tls.server.notAfter) - Date.now() < 30 * 86_400_000)
      console.log('The certificate expires within 30 days: run `npm run tls:init` again (or renew TLS_CERT).');
  }
  for (const address of system.phoneAddresses) console.log(`  phones: ${address}`);
  if (tls && system.phoneAddresses.length === 0) console.log(`HOST is ${env.HOST}: phones cannot reach this server; set HOST=0.0.0.0 to serve them.`);
  if (trustProxy.spec) console.log(`Trusting X-Forwarded-For/-Proto from ${trustProxy.spec}`);
  console.log(
    workflow.video.ffmpeg
      ? `Video clips: poster frames by ${workflow.video.ffmpeg}`
      : 'Video clips: no ffmpeg on PATH, so the browser makes each poster frame on upload (apt-get install ffmpeg to make them here)',
  );
  if (backups)
    console.log(`Backups into ${resolve(env.BACKUP_DIR!)} daily at ${backups.status().schedule?.at} city time, keeping ${backups.status().schedule?.keep}`);
  if (city) {
    console.log(`City: ${city.name} (${city.nameEn}), ${(await store.counts()).problems.toLocaleString('en')} problems, data in ${dataDir}`);
    // After listening, so the map is up at once; the first route request would otherwise wait for this.
    setImmediate(async () => {
      buildProblemIndex();
      await buildSearchIndex();
      // With workers, the road graph is loaded in them (routes, matrices and plans run there), not here.
      if (pool.stats().size === 0) await warmRoads();
      else warmPool();
    });
  } else {
    console.log(`No city is loaded in ${dataDir}. Run \`npm start\` to create the demo city (or import a layers folder).`);
  }
}

/** The problem index (tiles, hotspots, the big screen) built in a worker; those requests wait for it, the rest is answered meanwhile. */
function buildProblemIndex(): void {
  const started = performance.now();
  problemIndex
    .buildInBackground(() => pool.run('index.build', null))
    .then(
      async () => {
        await problemTiles.warm();
        console.log(
          `Problem index ready: ${(await store.counts()).problems.toLocaleString('en')} problems, in ${((performance.now() - started) / 1000).toFixed(1)} s`,
        );
      },
      // The first request that needs it builds it on the event loop instead.
      (err: unknown) =>
        console.error(`The problem index could not be built in a worker (${err instanceof Error ? err.message : String(err)}); it is built on first use.`),
    );
}

/** The ledger's search index, after an import or an upgrade (a million problems: ~25 s in the pool, in slices). */
async function buildSearchIndex(): Promise<void> {
  if ((await store.searchIndexState()).ready) return;
  const started = performance.now();
  search.ensure().then(
    () => console.log(`Search index ready, in ${((performance.now() - started) / 1000).toFixed(1)} s`),
    // Searches say so and start it again.
    (err: unknown) =>
      console.error(`The ledger's search index could not be built (${err instanceof Error ? err.message : String(err)}); the next search tries again.`),
  );
}

async function warmRoads(): Promise<void> {
  const started = performance.now();
  try {
    const loaded = await roads.warm();
    if (!loaded) return;
    const how = loaded.fromCache ? 'from its cache' : `built (${loaded.rebuiltBecause})`;
    console.log(
      `Road network ready: ${loaded.graph.nodeCount.toLocaleString('en')} junctions, ${how} in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
  } catch (err) {
    // Routing is one feature among many: the map and the API carry on, and each route request retries.
    console.error(`The road network could not be loaded; routes and plans will fail until this is fixed: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** Starts every worker now, each opening the store and loading the road graph (from the cache just written), off the event loop. */
function warmPool(): void {
  const { size } = pool.stats();
  if (size === 0) return;
  const started = performance.now();
  Promise.all(Array.from({ length: size }, () => pool.run('warm', null))).then(
    ([first]) =>
      console.log(
        `Road network ready: ${first.junctions.toLocaleString('en')} junctions, in ${size} worker${size === 1 ? '' : 's'} for routes, plans, matrices and exports, in ${((performance.now() - started) / 1000).toFixed(1)} s`,
      ),
    // Each plan retries on a fresh worker, with this error if it persists.
    (err: unknown) =>
      console.error(`The worker pool could not start; plans and exports will fail until this is fixed: ${err instanceof Error ? err.message : String(err)}`),
  );
}

server.on('error', async (err: NodeJS.ErrnoException) => {
  void pool.close();
  await store.close();
  rmSync(pidFile, { force: true });
  if (err.code === 'EADDRINUSE') fail(`Port ${env.PORT} on ${env.HOST} is already in use. Stop the other server, or set PORT to a free port.`);
  if (err.code === 'EACCES') fail(`Not allowed to listen on ${env.HOST}:${env.PORT}. Use a port above 1024, or set HOST/PORT.`);
  if (err.code === 'EADDRNOTAVAIL') fail(`HOST ${env.HOST} is not an address of this machine. Use 127.0.0.1 or 0.0.0.0.`);
  fail(`The server stopped: ${err.message}`);
});

let stopping = false;
function shutdown(signal: string): void {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: shutting down`);
  const done = async () => {
    await store.close();
    rmSync(pidFile, { force: true });
    process.exit(0);
  };
  backups?.stop();
  // Running plans and exports are cut off (their requests get no answer); the workers must not outlive us.
  void pool.close();
  redirect?.close();
  server.close(done);
  // Keep-alive connections would hold close() open; idle ones go now, busy ones get a grace period.
  (server as { closeIdleConnections?: () => void }).closeIdleConnections?.();
  setTimeout(done, SHUTDOWN_GRACE_MS).unref();
}
process.on('SIGINT', () => shutdown('SIGINT'));
process.on('SIGTERM', () => shutdown('SIGTERM'));
