/**
 * Load on `GET /api/problems?bbox=…` answering 2,000 problems: 32 keep-alive connections to a real
 * server (server/index.ts in a child process, so the load generator does not share its event loop),
 * each sending its next request as soon as the last answer is read, for 15 s; once with no
 * Accept-Encoding and once with `Accept-Encoding: gzip`.
 *
 *   npx tsx scripts/bench/geojson-load.ts [--connections 32] [--seconds 15] [--server-args=--cpu-prof]
 *   DATA_DIR=./var npx tsx scripts/bench/geojson-load.ts      # an existing city instead of a fresh demo city
 *
 * Without DATA_DIR it generates the demo city (seed 1, scale 1) into a temp folder and imports it, the
 * way `npm start` does. Prints JSON: per mode the throughput, p50/p95/p99/max latency (from sending the
 * request to the last byte of the answer), requests over 1 s, failures (no answer within 10 s), the
 * bytes of one answer, and the server's CPU time per answer (Linux; steadier than the rest on a busy machine).
 * The bboxes are seeded squares around random problems, grown until one page is full, so every answer
 * holds exactly `limit` features.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { randomSecret } from '../../server/auth/passwords';
import { SESSION_COOKIE, SESSION_IDLE_MS, sha256 } from '../../server/auth/sessions';
import { mulberry32 } from '../../server/solver/random';
import { importLayers } from '../../server/store/import-layers';
import { openStore, type Store } from '../../server/store/index';
import { freePort } from '../free-port';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const LIMIT = 2000;
const BOXES = 10;
const SLOW_MS = 1000;
/** A request still unanswered after this is counted as failed (and its connection dropped). */
const TIMEOUT_MS = 10_000;
const SERVER_START_MS = 120_000;

const { values } = parseArgs({
  options: {
    connections: { type: 'string', default: '32' },
    seconds: { type: 'string', default: '15' },
    seed: { type: 'string', default: '1' },
    'server-args': { type: 'string', default: '' },
  },
});
const connections = Number(values.connections);
const durationMs = Number(values.seconds) * 1000;

// The city: the one in DATA_DIR, or a fresh demo city in a temp folder (removed at the end).
const tempDir = process.env.DATA_DIR ? null : mkdtempSync(join(tmpdir(), 'xuncha-geojson-load-'));
const dataDir = tempDir ?? resolve(process.env.DATA_DIR!);
const store: Store = openStore(join(dataDir, 'xuncha.db'));
if (!(await store.hasCity())) {
  if (!tempDir) throw new Error(`No city in ${dataDir}: run \`npm start\` once with DATA_DIR=${dataDir}, or unset DATA_DIR for a fresh demo city.`);
  const { generateDemoCity } = await import('../demo-city/generate');
  await generateDemoCity({ seed: 1, scale: 1, outDir: join(tempDir, 'layers') });
  importLayers(store, join(tempDir, 'layers'));
}

// A signed-in administrator, written as a login would write it (no scrypt round trip).
const NOW = Date.now();
const user =
  (await store.userForLogin('bench-admin'))?.user ??
  (await store.createUser({
    username: 'bench-admin',
    displayName: 'bench',
    role: 'admin',
    unitId: null,
    passwordHash: 'not-for-login',
    now: new Date(NOW).toISOString(),
  }));
const token = randomSecret();
await store.createSession(sha256(token), {
  userId: user.id,
  role: 'admin',
  csrfToken: randomSecret(),
  createdMs: NOW,
  seenMs: NOW,
  expiresMs: NOW + SESSION_IDLE_MS,
});
const cookie = `${SESSION_COOKIE}=${token}`;
const problemsInStore = (await store.counts()).problems;
const city = (await store.getCity())!;

// Squares that hold at least one full page, found in process before the server starts.
const { createApp } = await import('../../server/app');
const { loadCatalog } = await import('../../server/services/assessment/catalog');
const inProcess = await createApp({ store, catalog: loadCatalog(join(ROOT, 'data', 'catalog')) });
const count = async (bbox: number[]) => {
  const res = await inProcess.request(`/api/problems?bbox=${bbox.join(',')}&limit=${LIMIT}`, { headers: { cookie } });
  if (res.status !== 200) throw new Error(`GET /api/problems answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { features: unknown[] }).features.length;
};
const [w, s, e, n] = city.bbox;
const random = mulberry32(Number(values.seed));
const boxes: string[] = [];
while (boxes.length < BOXES) {
  const cx = w + random() * (e - w);
  const cy = s + random() * (n - s);
  let half = 0.002;
  while ((await count([cx - half, cy - half, cx + half, cy + half])) < LIMIT && half < e - w) half *= 1.25;
  if (half < e - w) boxes.push([cx - half, cy - half, cx + half, cy + half].map((v) => v.toFixed(6)).join(','));
}
await store.close();

const port = await freePort();
const server: ChildProcess = spawn(
  process.execPath,
  [...values['server-args'].split(' ').filter(Boolean), '--import', 'tsx', join(ROOT, 'server', 'index.ts')],
  {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, DEMO_ACCOUNTS: 'off', ADMIN_PASSWORD: randomSecret() },
    stdio: ['ignore', 'pipe', 'inherit'],
  },
);
await new Promise<void>((ok, fail) => {
  const timer = setTimeout(() => fail(new Error(`The server did not start listening within ${SERVER_START_MS / 1000} s.`)), SERVER_START_MS);
  server.once('exit', (code) => fail(new Error(`The server exited (${code}) before listening.`)));
  server.stdout!.on('data', (chunk: Buffer) => {
    if (chunk.toString().includes('listening on')) {
      clearTimeout(timer);
      ok();
    }
  });
});
server.stdout!.resume();

interface Answer {
  ms: number;
  status: number;
  bytes: number;
}

function get(agent: Agent, path: string, encoding: string | null): Promise<Answer> {
  const t0 = performance.now();
  return new Promise((ok) => {
    const headers: Record<string, string> = { cookie };
    if (encoding) headers['accept-encoding'] = encoding;
    const req = request({ host: '127.0.0.1', port, path, agent, headers, timeout: TIMEOUT_MS }, (res) => {
      let bytes = 0;
      res.on('data', (chunk: Buffer) => (bytes += chunk.length));
      res.on('end', () => ok({ ms: performance.now() - t0, status: res.statusCode ?? 0, bytes }));
      res.on('error', () => ok({ ms: performance.now() - t0, status: 0, bytes }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => ok({ ms: performance.now() - t0, status: 0, bytes: 0 }));
    req.end();
  });
}

const CLOCK_TICKS_PER_S = 100;
/** CPU seconds (user + system) the server process has used, from /proc (Linux); null elsewhere. */
function serverCpuS(): number | null {
  const file = `/proc/${server.pid}/stat`;
  if (!existsSync(file)) return null;
  // Fields 14 and 15 (utime, stime), counted after the command name's closing parenthesis.
  const stat = readFileSync(file, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / CLOCK_TICKS_PER_S;
}

async function load(encoding: string | null) {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  // Open every connection first (one untimed round), so the figures are of the steady state.
  await Promise.all(Array.from({ length: connections }, (_, i) => get(agent, `/api/problems?bbox=${boxes[i % boxes.length]}&limit=${LIMIT}`, encoding)));
  const cpu0 = serverCpuS();
  const times: number[] = [];
  let failed = 0;
  let bytes = 0;
  let next = 0;
  const t0 = performance.now();
  const end = t0 + durationMs;
  const worker = async () => {
    while (performance.now() < end) {
      const box = boxes[next++ % boxes.length];
      const a = await get(agent, `/api/problems?bbox=${box}&limit=${LIMIT}`, encoding);
      if (a.status !== 200) failed++;
      else {
        times.push(a.ms);
        bytes = a.bytes;
      }
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
  const elapsedS = (performance.now() - t0) / 1000;
  const cpu1 = serverCpuS();
  agent.destroy();
  times.sort((a, b) => a - b);
  const q = (p: number) => (times.length ? Number(times[Math.min(times.length - 1, Math.floor(p * times.length))].toFixed(1)) : null);
  return {
    acceptEncoding: encoding ?? '(none)',
    requests: times.length,
    failed,
    requestsPerS: Number((times.length / elapsedS).toFixed(1)),
    p50Ms: q(0.5),
    p95Ms: q(0.95),
    p99Ms: q(0.99),
    maxMs: q(1),
    over1s: times.filter((t) => t > SLOW_MS).length,
    responseBytes: bytes,
    // What one answer costs the server whatever else the machine runs (the thread pool's compression included).
    serverCpuMsPerRequest: cpu0 !== null && cpu1 !== null && times.length ? Number((((cpu1 - cpu0) * 1000) / times.length).toFixed(1)) : null,
  };
}

try {
  const loadBefore = loadavg()[0];
  // One warm-up round, so the first timed requests do not pay for compiling statements.
  await Promise.all(boxes.map((b) => get(new Agent(), `/api/problems?bbox=${b}&limit=${LIMIT}`, null)));
  const identity = await load(null);
  const gzip = await load('gzip');
  console.log(
    JSON.stringify(
      {
        bench: 'geojson-load',
        problemsInStore,
        featuresPerResponse: LIMIT,
        connections,
        seconds: durationMs / 1000,
        results: [identity, gzip],
        loadAverageBefore: Number(loadBefore.toFixed(2)),
        machine: { cpus: cpus().length, cpu: cpus()[0]?.model, node: process.version },
        date: new Date().toISOString(),
      },
      null,
      2,
    ),
  );
} finally {
  const exited = new Promise((ok) => server.once('exit', ok));
  server.kill('SIGTERM');
  await exited;
  if (tempDir) rmSync(tempDir, { recursive: true, force: true });
}
