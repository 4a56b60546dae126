import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BASE_TILE_LAYERS } from '../../server/contract/tiles';
import { createLiveIndex } from '../../server/services/problems/live-index';
import { createProblemTiles } from '../../server/services/tiles/problem-tiles';
import { decodeTile, FIXTURE_DIR, fixtureApp, getJson, NOW, tileOf } from './fixture';

const fx = await fixtureApp();
afterAll(async () => fx.close());

const WRITTEN = readFileSync(join(FIXTURE_DIR, 'problems.ndjson'), 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l));
const OVERDUE = ['p03', 'p08', 'p14'];
const OPEN = WRITTEN.filter((w) => w.properties.status !== 'closed').length;

/** Every tile at zoom z that the fixture city touches. */
function cityTiles(z: number) {
  const a = tileOf(115.97, 36.46, z);
  const b = tileOf(115.99, 36.44, z);
  const out: { x: number; y: number }[] = [];
  for (let x = a.x; x <= b.x; x++) for (let y = a.y; y <= b.y; y++) out.push({ x, y });
  return out;
}

describe('GET /tiles/base/{z}/{x}/{y}.pbf', () => {
  it('serves every basemap layer with the contract properties at z14', async () => {
    const seen = new Map<string, Map<string, Record<string, unknown>>>();
    for (const { x, y } of cityTiles(14)) {
      const res = await fx.app.request(`/tiles/base/14/${x}/${y}.pbf`);
      if (res.status === 204) continue;
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/x-protobuf');
      expect(res.headers.get('cache-control')).toBe('private, no-cache');
      for (const [layer, features] of Object.entries(await decodeTile(res))) {
        const byId = seen.get(layer) ?? new Map();
        features.forEach((f, i) => {
          expect(f.extent).toBe(4096);
          byId.set(String(f.properties.id ?? `${layer}-${i}`), f.properties);
        });
        seen.set(layer, byId);
      }
    }
    // The fixture city has no points of the other types (tests/api/points.test.ts has them).
    // Nor has it districts: a one-district city draws no district boundary (tests/api/districts.test.ts does).
    expect([...seen.keys()].sort()).toEqual(BASE_TILE_LAYERS.filter((l) => l !== 'points' && l !== 'districts' && l !== 'district-labels').sort());
    expect([...seen.get('roads')!.keys()].sort()).toEqual(['r01', 'r02', 'r03', 'r04', 'r05', 'r06']);
    expect(seen.get('roads')!.get('r03')).toEqual({ id: 'r03', name: '东关街', class: 'residential', oneway: 1 });
    // A road without a name carries no name key (MVT has no null).
    expect(seen.get('roads')!.get('r04')).toEqual({ id: 'r04', class: 'footway', oneway: 0 });
    expect(seen.get('roads')!.get('r06')).toEqual({ id: 'r06', class: 'service', oneway: -1 });
    expect([...seen.get('water')!.values()]).toEqual([{ name: '莲花池', kind: 'pond' }]);
    expect([...seen.get('water-labels')!.values()]).toEqual([{ id: expect.any(String), name: '莲花池', kind: 'pond' }]);
    expect(seen.get('subdistricts')!.get('sd01')).toEqual({ id: 'sd01', name: '西城街道' });
    expect(seen.get('subdistrict-labels')!.get('sd02')).toEqual({ id: 'sd02', name: '东城街道' });
    expect(seen.get('communities')!.get('cm01')).toEqual({ id: 'cm01', name: '幸福小区' });
    expect(seen.get('community-labels')!.get('cm01')).toEqual({ id: 'cm01', name: '幸福小区' });
    expect(seen.get('back-streets')!.get('bs01')).toEqual({ id: 'bs01', name: '羊市街' });
    expect(seen.get('markets')!.get('mk01')).toEqual({ id: 'mk01', name: '东关农贸市场' });
  });

  it('puts label points inside their polygons', async () => {
    const { x, y } = tileOf(115.974, 36.454, 14);
    const tile = await decodeTile(await fx.app.request(`/tiles/base/14/${x}/${y}.pbf`));
    const label = tile['community-labels'].find((f) => f.properties.id === 'cm01')!;
    const polygon = tile.communities.find((f) => f.properties.id === 'cm01')!;
    const ring = polygon.geometry[0];
    const [minX, maxX] = [Math.min(...ring.map((p) => p.x)), Math.max(...ring.map((p) => p.x))];
    const [minY, maxY] = [Math.min(...ring.map((p) => p.y)), Math.max(...ring.map((p) => p.y))];
    const p = label.geometry[0][0];
    expect(p.x).toBeGreaterThan(minX);
    expect(p.x).toBeLessThan(maxX);
    expect(p.y).toBeGreaterThan(minY);
    expect(p.y).toBeLessThan(maxY);
  });

  it('leaves minor roads and communities out of low zooms', async () => {
    const { x, y } = tileOf(115.98, 36.45, 10);
    const tile = await decodeTile(await fx.app.request(`/tiles/base/10/${x}/${y}.pbf`));
    expect(tile.roads.map((f) => f.properties.id).sort()).toEqual(['r01', 'r02', 'r05']);
    expect(tile.communities).toBeUndefined();
    expect(tile['community-labels']).toBeUndefined();
    expect(tile.markets.map((f) => f.properties.id)).toEqual(['mk01']);
  });

  it('answers 204 for a tile with nothing in it', async () => {
    const res = await fx.app.request('/tiles/base/14/0/0.pbf');
    expect(res.status).toBe(204);
    expect(await res.text()).toBe('');
  });

  it.each([
    ['/tiles/base/15/0/0.pbf', 'param.z', 'z must be at most 14 (the map overzooms above it)'],
    ['/tiles/base/3/8/0.pbf', 'param.x', 'x must be below 8 at zoom 3'],
    ['/tiles/base/3/0/9.pbf', 'param.y', 'y must be below 8 at zoom 3'],
    ['/tiles/base/3/0/a.pbf', 'param.y', 'y must be a whole number followed by .pbf, as in 12/3380/1558.pbf'],
    ['/tiles/base/a/0/0.pbf', 'param.z', 'z must be a whole number'],
  ])('rejects %s', async (path, detailPath, message) => {
    const { status, body } = await getJson(fx.app, path);
    expect(status).toBe(400);
    expect(body.details).toEqual([{ path: detailPath, message }]);
  });
});

describe('GET /tiles/problems/{z}/{x}/{y}.pbf', () => {
  it('sends one point per problem from z14 with id, category, status and overdue', async () => {
    const found = new Map<string, Record<string, unknown>>();
    for (const { x, y } of cityTiles(14)) {
      const res = await fx.app.request(`/tiles/problems/14/${x}/${y}.pbf`);
      if (res.status === 204) continue;
      expect(res.headers.get('content-type')).toBe('application/x-protobuf');
      expect(res.headers.get('cache-control')).toBe('private, no-cache');
      const tile = await decodeTile(res);
      expect(Object.keys(tile)).toEqual(['problems']);
      for (const f of tile.problems) {
        expect(f.type).toBe(1);
        expect(typeof f.id).toBe('number');
        found.set(String(f.properties.id), f.properties);
      }
    }
    expect([...found.keys()].sort()).toEqual(WRITTEN.map((w) => w.properties.id).sort());
    for (const w of WRITTEN) {
      const p = w.properties;
      expect(found.get(p.id)).toEqual({ id: p.id, category: p.category, status: p.status, overdue: OVERDUE.includes(p.id) ? 1 : 0 });
    }
  });

  it('places points where the problems are', async () => {
    const [lng, lat] = [115.9841, 36.4481];
    const { x, y } = tileOf(lng, lat, 16);
    const tile = await decodeTile(await fx.app.request(`/tiles/problems/16/${x}/${y}.pbf`));
    const p01 = tile.problems.find((f) => f.properties.id === 'p01')!;
    const n = 2 ** 16;
    const s = Math.sin((lat * Math.PI) / 180);
    const wx = ((lng + 180) / 360) * n - x;
    const wy = (0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI)) * n - y;
    expect(Math.abs(p01.geometry[0][0].x - wx * 4096)).toBeLessThanOrEqual(1);
    expect(Math.abs(p01.geometry[0][0].y - wy * 4096)).toBeLessThanOrEqual(1);
  });

  it.each([0, 6, 10, 12, 13])('aggregates into grid cells at z%i, counting every problem once', async (z) => {
    let count = 0;
    let open = 0;
    let overdue = 0;
    const singles: string[] = [];
    for (const { x, y } of cityTiles(z)) {
      const res = await fx.app.request(`/tiles/problems/${z}/${x}/${y}.pbf`);
      if (res.status === 204) continue;
      for (const f of (await decodeTile(res)).problems) {
        // Neighbour cells sent as buffer lie outside the tile: count each cell in its own tile only.
        const p = f.geometry[0][0];
        const cellX = Math.floor(p.x / 512);
        const cellY = Math.floor(p.y / 512);
        if (cellX < 0 || cellY < 0 || cellX > 7 || cellY > 7) continue;
        if ('count' in f.properties) {
          expect(Object.keys(f.properties).sort()).toEqual(['count', 'open', 'overdue']);
          expect(f.properties.count).toBeGreaterThan(1);
          count += f.properties.count as number;
          open += f.properties.open as number;
          overdue += f.properties.overdue as number;
        } else {
          singles.push(String(f.properties.id));
          count += 1;
          if (f.properties.status !== 'closed') open += 1;
          overdue += f.properties.overdue as number;
        }
      }
    }
    expect(count).toBe(WRITTEN.length);
    expect(open).toBe(OPEN);
    expect(overdue).toBe(OVERDUE.length);
    expect(new Set(singles).size).toBe(singles.length);
  });

  it('groups the market problems into one cluster at z13', async () => {
    const { x, y } = tileOf(115.984, 36.448, 13);
    const tile = await decodeTile(await fx.app.request(`/tiles/problems/13/${x}/${y}.pbf`));
    const clusters = tile.problems.filter((f) => 'count' in f.properties);
    // p01–p04 stand within 30 m of the market.
    expect(clusters.some((f) => (f.properties.count as number) >= 4 && f.properties.overdue === 1)).toBe(true);
  });

  it('applies the same filters as /api/problems', async () => {
    const total = async (query: string) => {
      const ids: string[] = [];
      for (const { x, y } of cityTiles(14)) {
        const res = await fx.app.request(`/tiles/problems/14/${x}/${y}.pbf?${query}`);
        if (res.status === 204) continue;
        for (const f of (await decodeTile(res)).problems) ids.push(String(f.properties.id));
      }
      const n = new Set(ids).size;
      return { n, ids: [...new Set(ids)].sort() };
    };
    const list = async (query: string) => (await getJson(fx.app, `/api/problems?${query}`)).body.features.map((f: { id: string }) => f.id).sort();
    for (const query of [
      'status=overdue',
      'status=reported,overdue',
      'category=small-ads',
      'subdistrict=sd01&status=closed',
      'unit=u03',
      'from=2026-03-01&to=2026-03-19',
    ]) {
      const t = await total(query);
      expect(t.ids, query).toEqual(await list(query));
      expect(t.n, query).toBeGreaterThan(0);
    }
  });

  it('answers 204 when the filters leave nothing', async () => {
    const { x, y } = tileOf(115.98, 36.45, 10);
    expect((await fx.app.request(`/tiles/problems/10/${x}/${y}.pbf?category=none`)).status).toBe(204);
    expect((await fx.app.request('/tiles/problems/14/0/0.pbf')).status).toBe(204);
  });

  it('rejects bad filters and coordinates', async () => {
    const bad = await getJson(fx.app, '/tiles/problems/10/841/400.pbf?from=2026-03-02&to=2026-03-01');
    expect(bad.status).toBe(400);
    expect(bad.body.details).toEqual([{ path: 'query.from', message: 'from must not be after to' }]);
    expect((await getJson(fx.app, '/tiles/problems/21/0/0.pbf')).status).toBe(400);
  });

  it('decides overdue by the clock it was given', () => {
    // The fixture's NOW sits between p07's report and deadline: it is assigned but not overdue.
    const p07 = WRITTEN.find((w) => w.properties.id === 'p07')!.properties;
    expect(Date.parse(p07.deadline)).toBeGreaterThan(NOW);
  });

  it('counts every problem once at every zoom, in points, clusters and dense clusters', async () => {
    // A point limit of 2 makes every fixture tile from z14 on "dense", so the fine grid is exercised too.
    const dense = createProblemTiles(createLiveIndex(fx.store), { pointLimit: 2 });
    for (const [name, tiles] of [
      ['served', null],
      ['dense', dense],
    ] as const) {
      for (let z = 0; z <= 20; z++) {
        // Only a tile holding a problem can hold a feature inside its own extent (a cluster sits inside its cell).
        const keys = new Set(WRITTEN.map((w) => tileOf(w.geometry.coordinates[0], w.geometry.coordinates[1], z)).map((t) => `${t.x}/${t.y}`));
        let counted = 0;
        const ids = new Set<string>();
        for (const [x, y] of [...keys].map((k) => k.split('/').map(Number))) {
          const bytes = tiles ? await tiles.getTile(z, x, y, {}, NOW) : await (await fx.app.request(`/tiles/problems/${z}/${x}/${y}.pbf`)).arrayBuffer();
          if (!bytes || bytes.byteLength === 0) continue;
          for (const f of (await decodeTile(new Response(new Uint8Array(bytes)))).problems ?? []) {
            const [{ x: px, y: py }] = f.geometry[0];
            // Features in the buffer belong to the neighbour tile, which counts them.
            if (px < 0 || py < 0 || px >= 4096 || py >= 4096) continue;
            counted += Number(f.properties.count ?? 1);
            if (typeof f.properties.ids === 'string') for (const id of f.properties.ids.split(',')) ids.add(id);
            if (typeof f.properties.id === 'string') ids.add(f.properties.id);
          }
        }
        expect(counted, `${name} z${z}`).toBe(WRITTEN.length);
        // Dense clusters list their problems' ids: at z14+ every problem is named once, as a point or in a list.
        if (name === 'dense' && z >= 14) expect(ids.size, `ids at z${z}`).toBe(WRITTEN.length);
      }
    }
  });
});
