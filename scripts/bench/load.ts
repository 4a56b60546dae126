/**
 * Light requests under heavy ones, over real HTTP against the server as `npm start` runs it (a child
 * process under tsx, with its worker pool): the latency of `GET /api/auth/me`, a base tile and a problem
 * tile, sent at a steady rate, first alone, then while 4 plan optimisations run at once, then while 4
 * plans and 2 ledger exports (XLSX and CSV of the whole ledger) run at once.
 *
 *   npx tsx scripts/bench/load.ts [--db var/xuncha.db] [--workers N] [--plans 4] [--stops 60] [--every-ms 20] [--only start]
 *
 * `--db` is a server's database (DATA_DIR/xuncha.db); default DATA_DIR (./var), where a demo city is
 * generated first (seed 1, scale 1, as `npm start` does) when it holds none. `--workers` sets WORKERS for
 * the server (0: everything on the event loop, as before the pool). Prints JSON. The light requests are
 * sent open-loop (one every `--every-ms`, whether or not the last was answered), so a stalled event loop
 * shows in every request that waited on it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { cpus } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { generateDemoCity } from '../demo-city/generate';
import { freePort } from '../free-port';
import { randomSecret } from '../../server/auth/passwords';
import { SESSION_COOKIE, SESSION_IDLE_MS, sha256 } from '../../server/auth/sessions';
import { importLayers } from '../../server/store/import-layers';
import { openStore } from '../../server/store/index';
import { defaultPoolSize } from '../../server/pool/pool';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TSX = join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
const START_TIMEOUT_MS = 180_000;
const IDLE_MS = 3000;
const TILE_Z = 14;

const { values } = parseArgs({
  options: {
    db: { type: 'string' },
    workers: { type: 'string' },
    plans: { type: 'string', default: '4' },
    stops: { type: 'string', default: '60' },
    'every-ms': { type: 'string', default: '20' },
    // `start`: only the phase after the start (at a million, the exports of the other phases take minutes).
    only: { type: 'string' },
  },
});
const dbFile = resolve(values.db ?? join(process.env.DATA_DIR ?? join(ROOT, 'var'), 'xuncha.db'));
if (basename(dbFile) !== 'xuncha.db') throw new Error(`--db must be a server's database, DATA_DIR/xuncha.db (got ${dbFile}).`);
const dataDir = dirname(dbFile);
const nPlans = Number(values.plans);
const nStops = Number(values.stops);
const everyMs = Number(values['every-ms']);

// The city, and a session of our own written into the store as a sign-in would (no scrypt round trip).
mkdirSync(dataDir, { recursive: true });
const store = openStore(dbFile);
if (!(await store.hasCity())) {
  console.error(`bench: no city in ${dataDir}; generating the demo city (seed 1, scale 1) …`);
  await generateDemoCity({ seed: 1, scale: 1, outDir: join(dataDir, 'layers') });
  importLayers(store, join(dataDir, 'layers'));
}
const city = (await store.getCity())!;
const problems = (await store.counts()).problems;
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
await store.close();
const headers = { cookie: `${SESSION_COOKIE}=${token}`, 'x-csrf-token': csrfToken };

function tileOf(lng: number, lat: number, z: number): { x: number; y: number } {
  const n = 2 ** z;
  const s = Math.sin((lat * Math.PI) / 180);
  return { x: Math.floor(((lng + 180) / 360) * n), y: Math.floor((0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI)) * n) };
}
const [cx, cy] = city.center;
const t = tileOf(cx, cy, TILE_Z);
// Nine tiles around the centre, so the light requests are not one cached answer.
const around = [-1, 0, 1].flatMap((dx) => [-1, 0, 1].map((dy) => `${TILE_Z}/${t.x + dx}/${t.y + dy}.pbf`));
const LIGHT = {
  me: () => '/api/auth/me',
  baseTile: (i: number) => `/tiles/base/${around[i % around.length]}`,
  problemTile: (i: number) => `/tiles/problems/${around[i % around.length]}`,
};
type LightKind = keyof typeof LIGHT;

// The server, as `npm start` runs it after the city exists.
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', BACKUP_DIR: '' };
if (values.workers !== undefined) env.WORKERS = values.workers;
const server: ChildProcess = spawn(process.execPath, [TSX, join(ROOT, 'server', 'index.ts')], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
let serverLog = '';
server.stderr!.on('data', (d: Buffer) => (serverLog += d.toString()));
/** Resolves when the server's log has printed `line` (it logs its start-up steps). */
function logged(line: RegExp, what: string): Promise<void> {
  return new Promise<void>((ready, fail) => {
    const timer = setTimeout(() => fail(new Error(`The server did not get ${what} in ${START_TIMEOUT_MS / 1000} s:\n${serverLog}`)), START_TIMEOUT_MS);
    const check = () => {
      if (!line.test(serverLog)) return;
      clearTimeout(timer);
      ready();
    };
    server.stdout!.on('data', check);
    check();
    server.once('exit', (code) => fail(new Error(`The server stopped (exit ${code}):\n${serverLog}`)));
  });
}
server.stdout!.on('data', (d: Buffer) => (serverLog += d.toString()));
await logged(/listening on/, 'to listen');
const listenedAt = performance.now();

async function timed(path: string, init: RequestInit = {}): Promise<{ ms: number; status: number; bytes: number }> {
  const t0 = performance.now();
  const res = await fetch(`${base}${path}`, { ...init, headers: { ...headers, ...(init.headers as Record<string, string>) } });
  const bytes = (await res.arrayBuffer()).byteLength;
  return { ms: performance.now() - t0, status: res.status, bytes };
}

const planBody = (seed: number) =>
  JSON.stringify({
    date: new Date(nowMs + 86_400_000).toISOString().slice(0, 10),
    teams: [
      { name: '一组', start: city.center, budgetS: 8 * 3600 },
      { name: '二组', start: city.center, budgetS: 8 * 3600 },
    ],
    stops: { kinds: ['market', 'community', 'back-street'], sample: { n: nStops, seed } },
    seed,
  });
const postPlan = (seed: number) => timed('/api/plans', { method: 'POST', headers: { 'content-type': 'application/json' }, body: planBody(seed) });

/**
 * Light requests every `everyMs` until `load` settles (or for `idleMs` without load); their latencies by
 * kind, and how late this process's own timers ran (`benchLoopDelayMs`): on a shared machine, a latency
 * the bench's own loop also shows is the machine's contention, not the server's event loop.
 */
async function measure(
  load: Promise<unknown> | null,
  idleMs = IDLE_MS,
  kinds = Object.keys(LIGHT) as LightKind[],
): Promise<Record<LightKind, number[]> & { benchLoopDelayMs: { p99: number; max: number } }> {
  const out: Record<LightKind, number[]> = { me: [], baseTile: [], problemTile: [] };
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const pending: Promise<void>[] = [];
  let done = false;
  void (load ?? new Promise((r) => setTimeout(r, idleMs))).finally(() => (done = true));
  for (let i = 0; !done; i++) {
    const kind = kinds[i % kinds.length];
    pending.push(
      timed(LIGHT[kind](Math.floor(i / kinds.length))).then((r) => {
        if (r.status >= 400) throw new Error(`${LIGHT[kind](0)} answered ${r.status}`);
        out[kind].push(r.ms);
      }),
    );
    await new Promise((r) => setTimeout(r, everyMs));
  }
  await Promise.all(pending);
  delay.disable();
  const ms = (ns: number) => Number((ns / 1e6).toFixed(1));
  return { ...out, benchLoopDelayMs: { p99: ms(delay.percentile(99)), max: ms(delay.max) } };
}

function summary(ms: number[]) {
  if (ms.length === 0) return null;
  const s = [...ms].sort((a, b) => a - b);
  const at = (q: number) => Number(s[Math.min(s.length - 1, Math.floor(q * s.length))].toFixed(1));
  return { n: s.length, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: Number(s[s.length - 1].toFixed(1)) };
}
const summarise = (r: Awaited<ReturnType<typeof measure>>) => ({
  me: summary(r.me),
  baseTile: summary(r.baseTile),
  problemTile: summary(r.problemTile),
  all: summary([...r.me, ...r.baseTile, ...r.problemTile]),
  benchLoopDelayMs: r.benchLoopDelayMs,
});

function checkOk(what: string, r: { status: number }): void {
  if (r.status >= 300) throw new Error(`${what} answered ${r.status}; the server said:\n${serverLog.slice(-2000)}`);
}

try {
  // From listening: the index is built in a worker meanwhile; the readers of it wait, the rest is answered.
  const firstTile = timed(LIGHT.problemTile(4));
  const firstHotspots = timed('/api/hotspots');
  const starting = await measure(Promise.all([firstTile, firstHotspots]), 0, ['me', 'baseTile']);
  const [tile0, hotspots0] = [await firstTile, await firstHotspots];
  checkOk('first problem tile', tile0);
  checkOk('first /api/hotspots', hotspots0);
  const afterStart = {
    load: 'from listening, while the problem index is built',
    indexReadyS: Number(/Problem index ready: .* in ([\d.]+) s/.exec(serverLog)?.[1] ?? NaN),
    firstProblemTileMs: Math.round(tile0.ms),
    firstHotspotsMs: Math.round(hotspots0.ms),
    sinceListeningMs: Math.round(performance.now() - listenedAt),
    light: summarise(starting),
  };
  // Then the ledger's search index, when the store needs it (after an import or an upgrade): built in slices
  // in the pool, the light requests answered meanwhile.
  const searchBuilt = /Search index ready/.test(serverLog)
    ? null
    : await (async () => {
        const t = performance.now();
        const during = await measure(logged(/Search index ready/, 'its search index built'), 0, ['me', 'baseTile', 'problemTile']);
        return { load: 'while the search index is built', waitedS: Number(((performance.now() - t) / 1000).toFixed(1)), light: summarise(during) };
      })();
  const searchIndex = { readyS: Number(/Search index ready, in ([\d.]+) s/.exec(serverLog)?.[1] ?? NaN), whileBuilding: searchBuilt };
  if (values.only === 'start') {
    console.log(
      JSON.stringify(
        { bench: 'load', date: new Date().toISOString(), city: { name: city.nameEn, problems }, db: dbFile, lightEveryMs: everyMs, afterStart, searchIndex },
        null,
        2,
      ),
    );
  } else {
    // After listening the server loads the road graph; measuring before that would time the load.
    await logged(/Road network ready/, 'its road network ready');

    // Once each before timing: the worker starts and loads its road graph, the exports' indexes are built.
    checkOk('warm-up plan', await postPlan(99));
    checkOk('warm-up CSV export', await timed('/api/ledger/export.csv'));
    for (const kind of Object.keys(LIGHT) as LightKind[]) checkOk(kind, await timed(LIGHT[kind](0)));

    const idle = await measure(null);

    const plansOnly = Array.from({ length: nPlans }, (_, i) => postPlan(i + 1));
    const underPlans = await measure(Promise.all(plansOnly));
    const plansOnlyDone = await Promise.all(plansOnly);
    plansOnlyDone.forEach((r, i) => checkOk(`plan ${i + 1}`, r));

    const plans = Array.from({ length: nPlans }, (_, i) => postPlan(i + 11));
    const xlsx = timed('/api/ledger/export.xlsx');
    const csv = timed('/api/ledger/export.csv');
    const underAll = await measure(Promise.all([...plans, xlsx, csv]));
    const plansDone = await Promise.all(plans);
    plansDone.forEach((r, i) => checkOk(`plan ${i + 11}`, r));
    const [x, c] = [await xlsx, await csv];
    checkOk('XLSX export', x);
    checkOk('CSV export', c);

    const workers = values.workers !== undefined ? Number(values.workers) : defaultPoolSize();
    console.log(
      JSON.stringify(
        {
          bench: 'load',
          date: new Date().toISOString(),
          machine: { cpus: cpus().length, model: cpus()[0]?.model ?? '', node: process.version },
          city: { name: city.nameEn, problems },
          db: dbFile,
          server: { workers, workersSetBy: values.workers !== undefined ? '--workers' : 'default (cores - 1, at least 1)' },
          lightEveryMs: everyMs,
          afterStart,
          searchIndex,
          idle: summarise(idle),
          plans: {
            load: `${nPlans} POST /api/plans of ${nStops} stops at once`,
            planMs: plansOnlyDone.map((r) => Math.round(r.ms)),
            light: summarise(underPlans),
          },
          plansAndExports: {
            load: `${nPlans} POST /api/plans of ${nStops} stops, GET /api/ledger/export.xlsx and .csv at once`,
            planMs: plansDone.map((r) => Math.round(r.ms)),
            xlsx: { ms: Math.round(x.ms), bytes: x.bytes },
            csv: { ms: Math.round(c.ms), bytes: c.bytes },
            light: summarise(underAll),
          },
        },
        null,
        2,
      ),
    );
  }
} finally {
  server.kill('SIGTERM');
  await new Promise<void>((r) => {
    const timer = setTimeout(() => {
      server.kill('SIGKILL');
      r();
    }, 10_000);
    server.once('exit', () => {
      clearTimeout(timer);
      r();
    });
  });
}
