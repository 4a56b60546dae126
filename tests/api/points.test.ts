/**
 * The catalog's other point types through the whole app: the fixture city with a points.geojson (a bus
 * stop, a segment of 人民路, a park) under the shipped catalog — the layer, the counts, a plan that stops
 * at each by its shape (the segment walked end to end, the park entered at its entrance, dwell from the
 * catalog), the task sheet's items for a bus stop, readiness by type and a mock that draws them.
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app';
import { loadCatalog } from '../../server/services/assessment/catalog';
import { importLayers } from '../../server/store/import-layers';
import { openStore } from '../../server/store/index';
import { as, FIXTURE_DIR, getJson, NOW, signIn } from './fixture';

const CATALOG = fileURLToPath(new URL('../../data/catalog', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'xuncha-points-'));
const layers = join(dir, 'layers');
cpSync(FIXTURE_DIR, layers, { recursive: true });
rmSync(join(layers, 'catalog'), { recursive: true, force: true });
const feature = (geometry: unknown, properties: Record<string, unknown>) => JSON.stringify({ type: 'Feature', id: properties.id, geometry, properties });
writeFileSync(
  join(layers, 'points.geojson'),
  `{"type":"FeatureCollection","features":[\n${[
    feature(
      { type: 'Point', coordinates: [115.9805, 36.4502] },
      { id: 'pt-bus', name: '人民路建设大道站', kind: 'bus-stop', subdistrictId: 'sd02', unitId: 'u02', address: null, entrance: null, lengthM: null },
    ),
    feature(
      {
        type: 'LineString',
        coordinates: [
          [115.97, 36.45],
          [115.975, 36.45],
        ],
      },
      { id: 'pt-road', name: '人民路（第1段）', kind: 'main-road', subdistrictId: 'sd01', unitId: 'u01', address: null, entrance: null, lengthM: 447.9 },
    ),
    feature(
      {
        type: 'Polygon',
        coordinates: [
          [
            [115.982, 36.451],
            [115.984, 36.451],
            [115.984, 36.453],
            [115.982, 36.453],
            [115.982, 36.451],
          ],
        ],
      },
      { id: 'pt-park', name: '人民公园', kind: 'park-square', subdistrictId: 'sd02', unitId: 'u02', address: null, entrance: [115.982, 36.451], lengthM: null },
    ),
  ].join(',\n')}\n]}\n`,
);
const store = openStore(join(dir, 'xuncha.db'));
importLayers(store, layers);
const catalog = loadCatalog(CATALOG);
const app = as(await createApp({ store, catalog, now: () => NOW, clientDir: null }), await signIn(store, 'admin', 'u01', NOW));
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('points of the other catalog types', () => {
  it('are a layer of their own and counted apart', async () => {
    const layer = await getJson(app, '/api/layers/points');
    expect(layer.body.features.map((f: { id: string; properties: { kind: string } }) => [f.id, f.properties.kind])).toEqual([
      ['pt-bus', 'bus-stop'],
      ['pt-road', 'main-road'],
      ['pt-park', 'park-square'],
    ]);
    expect((await getJson(app, '/api/layers/markets')).body.features.map((f: { id: string }) => f.id)).toEqual(['mk01']);
    expect((await getJson(app, '/api/meta')).body.counts).toMatchObject({ markets: 1, communities: 1, backStreets: 1, points: 3 });
  });

  it('are on the basemap tiles as the point a team walks to, with their type', async () => {
    const { decodeTile, tileOf } = await import('./fixture');
    const { x, y } = tileOf(115.9805, 36.4502, 14);
    const res = await app.request(`/tiles/base/14/${x}/${y}.pbf`);
    expect(res.status).toBe(200);
    const tile = await decodeTile(res);
    expect(tile.points.map((f) => f.properties).sort((a, b) => String(a.id).localeCompare(String(b.id)))).toEqual([
      { id: 'pt-bus', name: '人民路建设大道站', kind: 'bus-stop' },
      { id: 'pt-park', name: '人民公园', kind: 'park-square' },
      { id: 'pt-road', name: '人民路（第1段）', kind: 'main-road' },
    ]);
  });

  it('are planned by their shape, with the catalog’s dwell, and carry the catalog’s items to the field page', async () => {
    const res = await app.request('/api/plans', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        date: '2026-03-21',
        teams: [{ name: '一组', start: [115.98, 36.45], budgetS: 4 * 3600 }],
        stops: { kinds: ['bus-stop', 'main-road', 'park-square'] },
      }),
    });
    const plan = (await res.json()) as any;
    expect(res.status, JSON.stringify(plan)).toBe(201);
    const stops = new Map<string, any>([...plan.teams[0].stops, ...plan.dropped].map((s: { id: string }) => [s.id, s]));
    expect([...stops.keys()].sort()).toEqual(['pt-bus', 'pt-park', 'pt-road']);
    // 公交站点: 8 minutes at the stop (the catalog's dwellMin).
    expect(stops.get('pt-bus')).toMatchObject({ kind: 'bus-stop', lngLat: [115.9805, 36.4502], dwellS: 480, line: null });
    // A main road segment is walked end to end at 4.5 km/h: 447.9 m in 358 s.
    expect(stops.get('pt-road')).toMatchObject({ kind: 'main-road', dwellS: 358, otherEnd: [115.975, 36.45] });
    // A park is entered at its entrance, 20 minutes.
    expect(stops.get('pt-park')).toMatchObject({ kind: 'park-square', lngLat: [115.982, 36.451], dwellS: 1200 });
    const sheet = await getJson(app, `/api/plans/${plan.id}/sheet`);
    expect(sheet.body.checkItems['bus-stop'].map((i: { id: string }) => i.id).length).toBeGreaterThan(0);
    expect(sheet.body.checkItems['main-road'].length).toBeGreaterThan(0);
  });

  it('are scored and drawn as their type', async () => {
    const ready = await getJson(app, '/api/assessment/readiness?by=type');
    expect(ready.body.rows.map((r: { key: string; total: number }) => [r.key, r.total]).sort()).toEqual([
      ['back-street', 1],
      ['bus-stop', 1],
      ['community', 1],
      ['main-road', 1],
      ['market', 1],
      ['park-square', 1],
    ]);
    const mock = await app.request('/api/assessment/mocks', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ date: '2026-03-21', teams: [{ name: '一组' }], quotas: { market: 0, community: 0, 'back-street': 0 }, seed: 3 }),
    });
    const body = (await mock.json()) as { points: { id: string; typeId: string }[]; quotas: { typeId: string; quota: number; available: number }[] };
    expect(mock.status, JSON.stringify(body)).toBe(201);
    expect(body.points.map((p) => p.id).sort()).toEqual(['pt-bus', 'pt-park', 'pt-road']);
    expect(body.quotas.find((q) => q.typeId === 'bus-stop')).toMatchObject({ quota: 1, available: 1 });
    expect(body.quotas.find((q) => q.typeId === 'hospital')).toMatchObject({ quota: 0, available: 0 });
  });
});
