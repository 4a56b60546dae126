/**
 * Plans and matrices in the worker pool: the same answers as in-process (plans for the same seed,
 * errors with their status and body), a full queue answers 503 with Retry-After, and under
 * @hono/node-server a request the client aborts stops its optimisation at once (its worker kept).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve, type ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemoCity } from '../../scripts/demo-city/generate';
import { freePort } from '../../scripts/free-port';
import { createApp } from '../../server/app';
import { createAppPool, type AppPool } from '../../server/pool/app-pool';
import { loadCatalog } from '../../server/services/assessment/catalog';
import { createRoadEngine } from '../../server/services/routing/road-engine';
import { importLayers } from '../../server/store/import-layers';
import { openStore, type Store } from '../../server/store/index';
import { as, fixtureApp, NOW, signIn, type Requester } from './fixture';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CROSSING: [number, number] = [115.98, 36.45];
const TEAM = { name: '一组', start: CROSSING, budgetS: 4 * 3600 };
const TEAM2 = { name: '二组', start: CROSSING, end: [115.985, 36.45], shiftStart: '09:00', budgetS: 3 * 3600 };
// A limit the fixture's plans never reach: they stop at the solver's iteration cap, so the plan depends
// on the seed only, not on how fast the thread ran.
const plan = (over: Record<string, unknown> = {}) => ({
  date: '2026-03-20',
  teams: [TEAM, TEAM2],
  stops: { kinds: ['market', 'community'], openProblems: true },
  timeLimitMs: 30_000,
  ...over,
});

async function send(app: Requester, method: string, path: string, body?: unknown) {
  const res = await app.request(path, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, headers: res.headers, body: (await res.json()) as any };
}

/** A plan without what differs between two computations of it: its id, its times of saving, the timings. */
const comparable = ({ id: _id, createdAt: _c, updatedAt: _u, timing: _t, ...rest }: any) => rest;

describe('plans and matrices in the worker pool (fixture city)', async () => {
  const fx = await fixtureApp();
  const pool = createAppPool({ store: fx.store, catalog: fx.catalog, roads: createRoadEngine(fx.store), workers: 1 });
  const pooledRaw = await createApp({ store: fx.store, catalog: fx.catalog, now: () => NOW, pool, logError: (e) => fx.errors.push(e) });
  const pooled = as(pooledRaw, await signIn(fx.store, 'admin', 'u01', NOW));
  afterAll(async () => {
    await pool.close();
    await fx.close();
  });

  it('computes the same plan as in-process for the same seed, and re-optimises and re-times it the same', async () => {
    const inWorker = await send(pooled, 'POST', '/api/plans', plan({ seed: 7 }));
    const inProcess = await send(fx.app, 'POST', '/api/plans', plan({ seed: 7 }));
    expect(inWorker.status).toBe(201);
    expect(inProcess.status).toBe(201);
    expect(pool.stats().completed).toBe(1);
    expect(inWorker.body.totals.served).toBeGreaterThan(5);
    expect(comparable(inWorker.body)).toEqual(comparable(inProcess.body));
    // Saved by the main thread, readable at once.
    expect((await send(pooled, 'GET', `/api/plans/${inWorker.body.id}`)).body).toEqual(inWorker.body);

    const optW = await send(pooled, 'POST', `/api/plans/${inWorker.body.id}/optimise`, { seed: 3 });
    const optP = await send(fx.app, 'POST', `/api/plans/${inProcess.body.id}/optimise`, { seed: 3 });
    expect(optW.status).toBe(200);
    expect(comparable(optW.body)).toEqual(comparable(optP.body));

    const edit = {
      teams: [
        { ...TEAM, stops: [{ id: 'cm01' }, { id: 'mk01', locked: true }] },
        { ...TEAM2, stops: [] },
      ],
    };
    const editW = await send(pooled, 'PUT', `/api/plans/${inWorker.body.id}`, edit);
    const editP = await send(fx.app, 'PUT', `/api/plans/${inProcess.body.id}`, edit);
    expect(editW.status).toBe(200);
    expect(editW.body.teams[0].stops.map((s: any) => s.id)).toEqual(['cm01', 'mk01']);
    expect(comparable(editW.body)).toEqual(comparable(editP.body));
    expect(pool.stats().completed).toBe(3);
  });

  it('answers a shortest path from the pool exactly as in-process, and its errors', async () => {
    const before = pool.stats().completed;
    for (const path of ['/api/route?from=115.98,36.45&to=115.985,36.45&profile=walk', '/api/route?from=115.98,36.45&to=115.5,36.45&maxSnapM=50']) {
      const w = await send(pooled, 'GET', path);
      expect(w).toEqual(await send(fx.app, 'GET', path).then((p) => ({ ...p, headers: w.headers })));
    }
    expect(pool.stats().completed).toBe(before + 2);
  });

  it('answers a matrix from the pool exactly as in-process', async () => {
    const q = { profile: 'walk', points: [CROSSING, [115.985, 36.45], [115.98, 36.455], [115.975, 36.45]] };
    const w = await send(pooled, 'POST', '/api/matrix', q);
    const p = await send(fx.app, 'POST', '/api/matrix', q);
    expect(w.status).toBe(200);
    expect(w.body.durationsS[0][1]).toBeGreaterThan(0);
    expect(w.body).toEqual(p.body);
  });

  it('keeps the status and body of every error thrown in the worker', async () => {
    const cases = [
      plan({ stops: { ids: ['mk01', 'nope'] } }), // InputError from the selection: 400 with details
      plan({ stops: { subdistricts: ['sd-none'] } }), // SelectionError: 422
      plan({ teams: [{ ...TEAM, start: [115.93, 36.45] }] }), // a team start off the network: 422
    ];
    const statuses = [];
    for (const body of cases) {
      const w = await send(pooled, 'POST', '/api/plans', body);
      const p = await send(fx.app, 'POST', '/api/plans', body);
      expect(w.body).toEqual(p.body);
      expect(w.status).toBe(p.status);
      statuses.push(w.status);
    }
    expect(statuses).toEqual([400, 422, 422]);
    const w = await send(pooled, 'POST', '/api/plans', cases[0]);
    expect(w.body.details).toEqual([expect.objectContaining({ path: 'json.stops.ids.1' })]);
    const far = await send(pooled, 'POST', '/api/matrix', { profile: 'walk', points: [CROSSING, [115.5, 36.45]], maxSnapM: 50 });
    expect(far.body).toEqual((await send(fx.app, 'POST', '/api/matrix', { profile: 'walk', points: [CROSSING, [115.5, 36.45]], maxSnapM: 50 })).body);
    expect(fx.errors).toEqual([]);
  });

  it('answers 503 with Retry-After and a sentence saying when to try again when the queue is full', async () => {
    const busyPool = createAppPool({ store: fx.store, catalog: fx.catalog, roads: createRoadEngine(fx.store), workers: 1, maxQueue: 0 });
    try {
      const app = as(await createApp({ store: fx.store, catalog: fx.catalog, now: () => NOW, pool: busyPool }), await signIn(fx.store, 'admin', 'u01', NOW));
      // The first takes the only worker (which must start, open the store and load the roads first).
      const first = send(app, 'POST', '/api/plans', plan());
      const second = await send(app, 'POST', '/api/plans', plan());
      expect(second.status).toBe(503);
      const retryAfter = Number(second.headers.get('retry-after'));
      expect(Number.isInteger(retryAfter) && retryAfter >= 1).toBe(true);
      expect(second.body.error).toContain(`约 ${retryAfter} 秒后再试`);
      expect(second.body.error).toContain(`Try again in about ${retryAfter} s`);
      expect((await first).status).toBe(201);
      // With the worker free again, the same request is planned.
      expect((await send(app, 'POST', '/api/plans', plan())).status).toBe(201);
    } finally {
      await busyPool.close();
    }
  });
});

describe('a plan request the client aborts, under @hono/node-server (demo city)', () => {
  let dir: string;
  let store: Store;
  let pool: AppPool;
  let server: ServerType;
  let base: string;
  let headers: Record<string, string>;
  let center: [number, number];
  const errors: unknown[] = [];
  const now = Date.parse('2026-11-25T12:00:00+08:00');

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'xuncha-pool-'));
    await generateDemoCity({ seed: 1, scale: 0.5, end: '2026-11-25', outDir: join(dir, 'layers') });
    store = openStore(join(dir, 'xuncha.db'));
    importLayers(store, join(dir, 'layers'));
    const catalog = loadCatalog(join(ROOT, 'data', 'catalog'));
    pool = createAppPool({ store, catalog, roads: createRoadEngine(store), workers: 1 });
    // As the server does after it starts: the worker opens the store and builds the road graph now.
    await pool.run('warm', null);
    const app = await createApp({ store, catalog, now: () => now, pool, logError: (e) => errors.push(e) });
    const port = await freePort();
    server = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, () => resolve(s));
    });
    base = `http://127.0.0.1:${port}`;
    const creds = await signIn(store, 'inspector', 'u01', now);
    headers = { cookie: creds.cookie, 'x-csrf-token': creds.csrfToken, 'content-type': 'application/json' };
    center = (await store.getCity())!.center as [number, number];
  }, 120_000);
  afterAll(async () => {
    await pool?.close();
    await new Promise((r) => (server ? server.close(r) : r(null)));
    await store?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const body = (n: number) =>
    JSON.stringify({
      date: '2026-11-26',
      teams: [
        { name: '一组', start: center, budgetS: 8 * 3600 },
        { name: '二组', start: center, budgetS: 8 * 3600 },
      ],
      stops: { kinds: ['market', 'community', 'back-street'], sample: { n, seed: 1 } },
      timeLimitMs: 30_000,
    });

  async function until(check: () => boolean, what: string): Promise<void> {
    for (let i = 0; i < 1200; i++) {
      if (check()) return;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`timed out waiting for ${what}`);
  }

  it('stops the optimisation in its worker at once, saves nothing, and plans the next request on the same worker', async () => {
    const abort = new AbortController();
    // 400 stops, 30 s allowed: seconds of solving (24,000 iterations) if nothing stopped it.
    const request = fetch(`${base}/api/plans`, { method: 'POST', headers, body: body(400), signal: abort.signal });
    request.catch(() => undefined);
    await until(() => pool.stats().running === 1, 'the plan to reach the worker');
    // Into the planning: the selection, the matrix, the solver.
    await new Promise((r) => setTimeout(r, 300));
    expect(pool.stats().running).toBe(1);
    abort.abort();
    const abortedAt = performance.now();
    await expect(request).rejects.toMatchObject({ name: 'AbortError' });
    await until(() => pool.stats().running === 0, 'the worker to stop the plan');
    // Seconds of solving were left; the solver's clock saw the cancel flag and the worker stopped it.
    expect(performance.now() - abortedAt).toBeLessThan(1000);
    expect(pool.stats()).toMatchObject({ running: 0, queued: 0, completed: 1, stopped: 1, killed: 0 });
    expect(await store.listPlans('2026-11-26')).toEqual([]);

    const next = await fetch(`${base}/api/plans`, { method: 'POST', headers, body: body(20) });
    expect(next.status).toBe(201);
    expect(await store.listPlans('2026-11-26')).toHaveLength(1);
    expect(pool.stats()).toMatchObject({ workers: 1, stopped: 1, killed: 0, completed: 2 });
    // A client that went away is nothing to log.
    expect(errors).toEqual([]);
  }, 120_000);
});
