import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app';
import { importLayers } from '../../server/store/import-layers';
import { openStore } from '../../server/store/index';
import { as, FIXTURE_DIR, fixtureApp, getJson, signIn } from './fixture';

const fx = await fixtureApp();
afterAll(async () => fx.close());

// The fixture's connected network is a cross: 人民路 (r01) along 36.45°N from 115.97 to 115.99°E and
// 建设大道 (r02) along 115.98°E from 36.44 to 36.46°N. Distances below are haversine, computed here.
const R = 6371008.8;
const rad = (d: number) => (d * Math.PI) / 180;
function haversine(a: [number, number], b: [number, number]): number {
  const dLat = rad(b[1] - a[1]);
  const dLng = rad(b[0] - a[0]);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a[1])) * Math.cos(rad(b[1])) * Math.sin(dLng / 2) ** 2;
  return 2 * R * Math.asin(Math.sqrt(h));
}
const CROSSING: [number, number] = [115.98, 36.45];
const A: [number, number] = [115.971, 36.4502]; // ~22 m north of r01
const B: [number, number] = [115.98, 36.459]; // on r02
const ALONG_A_B = haversine([115.971, 36.45], CROSSING) + haversine(CROSSING, B);

function postMatrix(body: unknown) {
  return fx.app.request('/api/matrix', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

describe('GET /api/route', () => {
  it('follows the streets through the crossing, walking at 4.5 km/h', async () => {
    const { status, body } = await getJson(fx.app, `/api/route?from=${A}&to=${B}&profile=walk`);
    expect(status).toBe(200);
    expect(body.type).toBe('Feature');
    expect(body.geometry.type).toBe('LineString');
    expect(body.geometry.coordinates).toEqual([[115.971, 36.45], CROSSING, B]);
    expect(body.properties.distanceM).toBeCloseTo(ALONG_A_B, 0);
    expect(body.properties.durationS).toBe(Math.round(ALONG_A_B / (4.5 / 3.6)));
    expect(body.properties.roadIds).toEqual(['r01', 'r02']);
    const [from, to] = body.properties.snapped;
    expect(from).toMatchObject({ input: A, lngLat: [115.971, 36.45], roadId: 'r01' });
    expect(from.distanceM).toBeCloseTo(haversine(A, [115.971, 36.45]), 0);
    expect(to).toMatchObject({ input: B, lngLat: B, distanceM: 0, roadId: 'r02' });
  });

  it('walks by default; a car averages three quarters of the posted limits (50 km/h on 人民路, 60 on 建设大道)', async () => {
    const walk = await getJson(fx.app, `/api/route?from=${A}&to=${B}`);
    expect(walk.body.properties.profile).toBe('walk');
    const car = await getJson(fx.app, `/api/route?from=${A}&to=${B}&profile=car`);
    expect(car.status).toBe(200);
    const expected = haversine([115.971, 36.45], CROSSING) / ((0.75 * 50) / 3.6) + haversine(CROSSING, B) / ((0.75 * 60) / 3.6);
    expect(Math.abs(car.body.properties.durationS - expected)).toBeLessThanOrEqual(1);
  });

  it('says which parameter is wrong', async () => {
    const { status, body } = await getJson(fx.app, `/api/route?from=abc&to=${B}&profile=bus`);
    expect(status).toBe(400);
    expect(body.details.map((d: { path: string }) => d.path)).toEqual(['query.from', 'query.profile']);
    expect(body.error).toMatch(/longitude,latitude/);
    const missing = await getJson(fx.app, `/api/route?from=${A}`);
    expect(missing.status).toBe(400);
    expect(missing.body.details[0].path).toBe('query.to');
    const outside = await getJson(fx.app, `/api/route?from=200,36&to=${B}`);
    expect(outside.status).toBe(400);
  });

  it('refuses a point far from every road with 422, naming it', async () => {
    const { status, body } = await getJson(fx.app, `/api/route?from=${A}&to=116.1,36.459`);
    expect(status).toBe(422);
    expect(body.error).toContain('[116.1, 36.459]');
    expect(body.error).toMatch(/500 m/);
    const wider = await getJson(fx.app, `/api/route?from=${A}&to=115.98,36.47&maxSnapM=2000`);
    expect(wider.status).toBe(200);
    expect(wider.body.properties.snapped[1].lngLat).toEqual([115.98, 36.46]);
  });
});

describe('POST /api/matrix', () => {
  it('gives every pair, rows = from, equal to the single routes', async () => {
    const C: [number, number] = [115.989, 36.4499];
    const res = await postMatrix({ profile: 'walk', points: [A, B, C] });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.profile).toBe('walk');
    expect(body.durationsS).toHaveLength(3);
    for (let i = 0; i < 3; i++) {
      expect(body.durationsS[i][i]).toBe(0);
      expect(body.distancesM[i][i]).toBe(0);
    }
    const single = await getJson(fx.app, `/api/route?from=${A}&to=${B}`);
    expect(body.durationsS[0][1]).toBe(single.body.properties.durationS);
    expect(body.distancesM[0][1]).toBeCloseTo(single.body.properties.distanceM, 0);
    expect(body.distancesM[0][2]).toBeCloseTo(haversine([115.971, 36.45], [115.989, 36.45]), 0);
    expect(body.snapped.map((s: { roadId: string }) => s.roadId)).toEqual(['r01', 'r02', 'r01']);
    expect(body.unreachable).toEqual([]);
  });

  it('limits the request to 500 points and at least one', async () => {
    const many = Array.from({ length: 501 }, () => A);
    const tooMany = await postMatrix({ points: many });
    expect(tooMany.status).toBe(400);
    expect((await tooMany.json()).error).toMatch(/at most 500 points/);
    const none = await postMatrix({ points: [] });
    expect(none.status).toBe(400);
    const badPoint = await postMatrix({ points: [A, [115.98, 'x']] });
    expect(badPoint.status).toBe(400);
    expect((await badPoint.json()).details[0].path).toMatch(/^json\.points\.1/);
    const notJson = await fx.app.request('/api/matrix', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{points:' });
    expect(notJson.status).toBe(400);
  });

  it('names the point that is too far from a road (422)', async () => {
    const res = await postMatrix({ points: [A, B, [116.2, 36.45]] });
    expect(res.status).toBe(422);
    expect((await res.json()).error).toContain('#2');
  });
});

describe('a new import', () => {
  it('is routed on without a restart: the engine follows the city stamp', async () => {
    const local = await fixtureApp();
    try {
      expect((await getJson(local.app, `/api/route?from=${A}&to=${B}`)).status).toBe(200);
      const layers = mkdtempSync(join(tmpdir(), 'xuncha-layers-'));
      cpSync(FIXTURE_DIR, layers, { recursive: true });
      const roads = JSON.parse(readFileSync(join(layers, 'roads.geojson'), 'utf8'));
      roads.features = roads.features.filter((f: { properties: { id: string } }) => f.properties.id !== 'r02');
      writeFileSync(join(layers, 'roads.geojson'), JSON.stringify(roads));
      importLayers(local.store, layers);
      rmSync(layers, { recursive: true, force: true });
      // Without 建设大道, B is 1 km from the nearest road.
      const after = await getJson(local.app, `/api/route?from=${A}&to=${B}`);
      expect(after.status).toBe(422);
    } finally {
      await local.close();
    }
  });
});

describe('without a city', () => {
  it('answers 503 until a city is imported', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xuncha-nocity-'));
    const store = openStore(join(dir, 'xuncha.db'));
    try {
      const app = as(await createApp({ store, catalog: fx.catalog }), await signIn(store, 'inspector'));
      const res = await app.request(`/api/route?from=${A}&to=${B}`);
      expect(res.status).toBe(503);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
