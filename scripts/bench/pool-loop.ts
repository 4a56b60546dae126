/**
 * How long the event loop stalls while plans are computed: `--plans` plan requests of `--stops` stops at
 * once, in process through app.request() (no sockets, no other process on the timeline), with the worker
 * pool (`--workers`, default cores - 1) or without it (`--workers 0`: the plans run on the event loop, as
 * before the pool). A 5 ms interval timer records how late each of its ticks ran; a request that arrived
 * meanwhile would have waited as long.
 *
 *   npx tsx scripts/bench/pool-loop.ts [--db var/xuncha.db] [--workers 1] [--plans 4] [--stops 60]
 *
 * Prints JSON. Needs a city in the database (`npm start` once, or scripts/bench/load.ts, makes one).
 */
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { cpus } from 'node:os';
import { createApp } from '../../server/app';
import { randomSecret } from '../../server/auth/passwords';
import { SESSION_COOKIE, SESSION_IDLE_MS, sha256 } from '../../server/auth/sessions';
import { createAppPool } from '../../server/pool/app-pool';
import { defaultPoolSize } from '../../server/pool/pool';
import { loadCatalog } from '../../server/services/assessment/catalog';
import { createRoadEngine } from '../../server/services/routing/road-engine';
import { openStore } from '../../server/store/index';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TICK_MS = 5;

const { values } = parseArgs({
  options: { db: { type: 'string' }, workers: { type: 'string' }, plans: { type: 'string', default: '4' }, stops: { type: 'string', default: '60' } },
});
const dbFile = resolve(values.db ?? join(process.env.DATA_DIR ?? join(ROOT, 'var'), 'xuncha.db'));
const workers = values.workers !== undefined ? Number(values.workers) : defaultPoolSize();
const store = openStore(dbFile);
const city = await store.getCity();
if (!city) throw new Error(`No city in ${dbFile}: run \`npm start\` once (or scripts/bench/load.ts) before this benchmark.`);
const problems = (await store.counts()).problems;
const catalog = loadCatalog(join(ROOT, 'data', 'catalog'));
const roads = createRoadEngine(store);
await roads.warm();
const pool = createAppPool({ store, catalog, roads, workers });
// The workers start, open the store and load the road graph before timing, as the server does at start.
await Promise.all(Array.from({ length: pool.stats().size }, () => pool.run('warm', null)));

const nowMs = Date.now();
const user =
  (await store.userForLogin('bench-load'))?.user ??
  (await store.createUser({
    username: 'bench-load',
    displayName: 'bench-load',
    role: 'admin',
    unitId: null,
    passwordHash: 'not-for-login',
    now: new Date(nowMs).toISOString(),
  }));
const token = randomSecret();
const csrfToken = randomSecret();
await store.createSession(sha256(token), { userId: user.id, role: 'admin', csrfToken, createdMs: nowMs, seenMs: nowMs, expiresMs: nowMs + SESSION_IDLE_MS });
const app = await createApp({ store, catalog, roads, pool });
const headers = { cookie: `${SESSION_COOKIE}=${token}`, 'x-csrf-token': csrfToken, 'content-type': 'application/json' };

const plan = async (seed: number) => {
  const body = JSON.stringify({
    date: new Date(nowMs + 86_400_000).toISOString().slice(0, 10),
    teams: [
      { name: '一组', start: city.center, budgetS: 8 * 3600 },
      { name: '二组', start: city.center, budgetS: 8 * 3600 },
    ],
    stops: { kinds: ['market', 'community', 'back-street'], sample: { n: Number(values.stops), seed } },
    seed,
  });
  const res = await app.request('/api/plans', { method: 'POST', headers, body });
  if (res.status !== 201) throw new Error(`POST /api/plans answered ${res.status}: ${await res.text()}`);
  await res.arrayBuffer();
};
await plan(99);

const lateMs: number[] = [];
let last = performance.now();
const tick = setInterval(() => {
  const t = performance.now();
  lateMs.push(Math.max(0, t - last - TICK_MS));
  last = t;
}, TICK_MS);
const t0 = performance.now();
await Promise.all(Array.from({ length: Number(values.plans) }, (_, i) => plan(i + 1)));
const wallMs = performance.now() - t0;
// One more tick, so a loop blocked to the end is counted.
await new Promise((r) => setTimeout(r, 4 * TICK_MS));
clearInterval(tick);
await pool.close();
await store.close();

lateMs.sort((a, b) => a - b);
const at = (q: number) => Number(lateMs[Math.min(lateMs.length - 1, Math.floor(q * lateMs.length))].toFixed(1));
console.log(
  JSON.stringify({
    bench: 'pool-loop',
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, node: process.version },
    city: { name: city.nameEn, problems },
    workers,
    load: `${values.plans} POST /api/plans of ${values.stops} stops at once`,
    wallMs: Math.round(wallMs),
    timerLateMs: { ticks: lateMs.length, p50: at(0.5), p99: at(0.99), max: at(1) },
  }),
);
