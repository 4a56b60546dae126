/**
 * The hotspot work in the worker pool: the statistics (the same answers as in-process, one computation
 * for requests that ask at once, a failed one not kept), points.bin made there from a snapshot of the
 * index, and the problem index built after a start.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app';
import { analyseCube } from '../../server/analytics/space-time-cube';
import { createAppPool } from '../../server/pool/app-pool';
import { BusyError } from '../../server/errors';
import { createHotspots } from '../../server/services/hotspots/hotspots';
import { pointsBinInput } from '../../server/services/hotspots/points-bin';
import { transferResult } from '../../server/pool/tasks';
import { createLiveIndex, type PackedIndexAt } from '../../server/services/problems/live-index';
import { createRoadEngine } from '../../server/services/routing/road-engine';
import { as, fixtureApp, getJson, NOW, signIn } from './fixture';

describe('hotspots in the worker pool (fixture city)', async () => {
  const fx = await fixtureApp();
  const pool = createAppPool({ store: fx.store, catalog: fx.catalog, roads: createRoadEngine(fx.store), workers: 1 });
  const pooled = as(await createApp({ store: fx.store, catalog: fx.catalog, now: () => NOW, pool }), await signIn(fx.store, 'admin', 'u01', NOW));
  afterAll(async () => {
    await pool.close();
    await fx.close();
  });

  it('answers /api/hotspots and a cell history as in-process, the statistics computed in a worker', async () => {
    for (const path of ['/api/hotspots?res=9', '/api/hotspots?res=10&category=occupy-road']) {
      const before = pool.stats().completed;
      const inWorker = await getJson(pooled, path);
      expect(pool.stats().completed).toBe(before + 1);
      expect(inWorker.status).toBe(200);
      expect(inWorker.body.features.length).toBeGreaterThan(0);
      expect(inWorker.body).toEqual((await getJson(fx.app, path)).body);
    }
    const cell = (await getJson(pooled, '/api/hotspots?res=9')).body.features[0].id;
    const history = await getJson(pooled, `/api/hotspots/cells/${cell}?res=9`);
    expect(history.status).toBe(200);
    expect(history.body).toEqual((await getJson(fx.app, `/api/hotspots/cells/${cell}?res=9`)).body);
  });

  it('makes points.bin in a worker with the same bytes as in-process, once per version, its snapshot moved there', async () => {
    const before = pool.stats().completed;
    const res = await pooled.request('/api/hotspots/points.bin');
    expect(res.status).toBe(200);
    const inWorker = new Uint8Array(await res.arrayBuffer());
    expect(pool.stats().completed).toBe(before + 1);
    const inProcess = new Uint8Array(await (await fx.app.request('/api/hotspots/points.bin')).arrayBuffer());
    expect(inWorker.length).toBeGreaterThan(100);
    expect(Buffer.from(inWorker).equals(Buffer.from(inProcess))).toBe(true);
    // The same version again is the cached body; a delta from it has no rows and asks for no new body.
    const again = await pooled.request('/api/hotspots/points.bin');
    expect(Buffer.from(await again.arrayBuffer()).equals(Buffer.from(inWorker))).toBe(true);
    const delta = await pooled.request(`/api/hotspots/points.delta?since=${encodeURIComponent(again.headers.get('X-Points-Revision') ?? '')}`);
    expect(delta.status).toBe(200);
    expect(pool.stats().completed).toBe(before + 1);

    const snapshot = pointsBinInput((await createLiveIndex(fx.store).current()).index, NOW);
    const moved = await pool.run('hotspots.points', transferResult(snapshot));
    expect(snapshot.lng.length).toBe(0); // its buffers went to the worker, not a copy
    expect(Buffer.from(moved).equals(Buffer.from(inProcess))).toBe(true);
  });

  it('computes once for requests that come together, and again after a computation failed', async () => {
    let calls = 0;
    let fail = true;
    const hotspots = createHotspots(fx.store, createLiveIndex(fx.store), async (cube) => {
      calls++;
      if (fail) throw new BusyError(2);
      return analyseCube(cube);
    });
    const q = { res: 9 };
    const both = await Promise.allSettled([hotspots.hotspotsJson(q, NOW), hotspots.hotspotsJson(q, NOW)]);
    expect(both.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(calls).toBe(1);
    fail = false;
    const bytes = await hotspots.hotspotsJson(q, NOW);
    expect(calls).toBe(2);
    expect(JSON.parse(new TextDecoder().decode(bytes)).features.length).toBeGreaterThan(0);
    await hotspots.hotspotsJson(q, NOW);
    expect(calls).toBe(2);
  });

  it('serves tiles and hotspots from an index built in a worker; while it builds they wait and the rest is answered', async () => {
    const live = createLiveIndex(fx.store);
    const app = as(
      await createApp({ store: fx.store, catalog: fx.catalog, now: () => NOW, pool, problemIndex: live }),
      await signIn(fx.store, 'admin', 'u01', NOW),
    );
    const fromWorker = await pool.run('index.build', null);
    let arrive!: (p: PackedIndexAt) => void;
    const built = live.buildInBackground(() => new Promise((resolve) => (arrive = resolve)));
    let answered = false;
    const tile = Promise.resolve(app.request('/tiles/problems/0/0/0.pbf')).then(async (r) => {
      answered = true;
      return { status: r.status, bytes: new Uint8Array(await r.arrayBuffer()) };
    });
    const hotspots = getJson(app, '/api/hotspots?res=9');
    expect((await getJson(app, '/api/meta')).status).toBe(200);
    await new Promise((r) => setTimeout(r, 50));
    expect(answered).toBe(false);
    expect(live.stats.builds).toBe(0);
    arrive(fromWorker);
    await built;
    const inProcess = await fx.app.request('/tiles/problems/0/0/0.pbf');
    expect(await tile).toEqual({ status: 200, bytes: new Uint8Array(await inProcess.arrayBuffer()) });
    expect((await hotspots).body).toEqual((await getJson(fx.app, '/api/hotspots?res=9')).body);
    expect(live.stats).toEqual({ builds: 1, patches: 0 });
  });
});
