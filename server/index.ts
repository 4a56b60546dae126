import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import { createApp } from './app';
import { ensureAccounts } from './auth/bootstrap';
import { loadEnv } from './env';
import { ConfigError, StoreError } from './errors';
import { createBaseTiles } from './services/tiles/base-tiles';
import { loadCatalog } from './services/assessment/catalog';
import { createProblemTiles } from './services/tiles/problem-tiles';
import { createRoadEngine } from './services/routing/road-engine';
import { openStore, type Store } from './store/index';

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

let catalog;
try {
  catalog = loadCatalog(CATALOG_DIR);
} catch (err) {
  store.close();
  if (err instanceof ConfigError) fail(err.message);
  throw err;
}

try {
  await ensureAccounts(store, { adminPassword: env.ADMIN_PASSWORD, demoAccounts: env.DEMO_ACCOUNTS === 'on', now: new Date(), log: (l) => console.log(l) });
} catch (err) {
  store.close();
  fail(`Could not set up the accounts: ${err instanceof Error ? err.message : String(err)}`);
}

const baseTiles = createBaseTiles(store);
const problemTiles = createProblemTiles(store);
const city = store.getCity();
if (city) {
  // Build the tile indexes before the first request instead of during it.
  baseTiles.warm();
  problemTiles.warm();
  store.warmProblemEstimates();
}

const roads = createRoadEngine(store);
const app = createApp({ store, catalog, clientDir: CLIENT_DIR, baseTiles, problemTiles, roads });
const server = serve({ fetch: app.fetch, port: env.PORT, hostname: env.HOST }, (info) => {
  const host = info.family === 'IPv6' ? `[${info.address}]` : info.address;
  console.log(`Xuncha 巡查 listening on http://${host}:${info.port}`);
  if (city) {
    console.log(`City: ${city.name} (${city.nameEn}), ${store.counts().problems.toLocaleString('en')} problems, data in ${dataDir}`);
    // After listening, so the map is up at once; the first route request would otherwise wait for this.
    setImmediate(warmRoads);
  } else {
    console.log(`No city is loaded in ${dataDir}. Run \`npm start\` to create the demo city (or import a layers folder).`);
  }
});

function warmRoads(): void {
  const started = performance.now();
  try {
    const loaded = roads.warm();
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

server.on('error', (err: NodeJS.ErrnoException) => {
  store.close();
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
  const done = () => {
    store.close();
    process.exit(0);
  };
  server.close(done);
  // Keep-alive connections would hold close() open; idle ones go now, busy ones get a grace period.
  (server as { closeIdleConnections?: () => void }).closeIdleConnections?.();
  setTimeout(done, SHUTDOWN_GRACE_MS).unref();
}
process.on('SIGINT', () => shutdown('SIGINT'));
process.on('SIGTERM', () => shutdown('SIGTERM'));
