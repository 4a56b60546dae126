import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LAYER_FILES, LAYER_NAMES, LayerCollection } from '../../server/contract/layers';
import { FIXTURE_DIR, fixtureApp, getJson } from './fixture';

const fx = await fixtureApp();
afterAll(async () => fx.close());

// The fixture city has no points.geojson (its catalog has the three kinds only): that layer is empty.
const written = (layer: keyof typeof LAYER_FILES) => {
  const path = join(FIXTURE_DIR, LAYER_FILES[layer].file);
  return (existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')).features : []) as { properties: { id: string } }[];
};

// Derived at import: the fixture city has no districts.geojson, so it is one district, dt01, holding all.
const derived = (layer: keyof typeof LAYER_FILES) => (layer === 'subdistricts' || layer === 'units' ? { districtId: 'dt01' } : {});

describe('GET /api/layers/:layer', () => {
  it.each(LAYER_NAMES.filter((l) => l !== 'districts'))('returns %s as an RFC 7946 FeatureCollection equal to the imported file', async (layer) => {
    const { status, body } = await getJson(fx.app, `/api/layers/${layer}`);
    expect(status).toBe(200);
    expect(LayerCollection.parse(body)).toBeTruthy();
    expect(body.type).toBe('FeatureCollection');
    const expected = written(layer).map((f) => ({ ...f, id: f.properties.id, properties: { ...f.properties, ...derived(layer) } }));
    expect(body.features).toEqual(expected);
  });

  it('gives a city imported without districts one district over all of it, named after the city', async () => {
    const { status, body } = await getJson(fx.app, '/api/layers/districts');
    expect(status).toBe(200);
    expect(LayerCollection.parse(body)).toBeTruthy();
    const city = JSON.parse(readFileSync(join(FIXTURE_DIR, 'city.json'), 'utf8')) as { name: string; bbox: number[] };
    expect(body.features).toHaveLength(1);
    const [d] = body.features;
    expect(d.properties).toEqual({ id: 'dt01', name: city.name, code: expect.any(String), kind: 'district' });
    const [w, s, e, n] = city.bbox;
    const ring = d.geometry.coordinates[0] as number[][];
    expect(Math.min(...ring.map((p) => p[0]))).toBeLessThanOrEqual(w);
    expect(Math.max(...ring.map((p) => p[1]))).toBeGreaterThanOrEqual(n);
    expect(Math.max(...ring.map((p) => p[0]))).toBeGreaterThanOrEqual(e);
    expect(Math.min(...ring.map((p) => p[1]))).toBeLessThanOrEqual(s);
  });

  it('keeps only the features whose bbox meets the given bbox', async () => {
    const west = await getJson(fx.app, '/api/layers/roads?bbox=115.970,36.440,115.979,36.460');
    // r01 crosses the whole city, r03 lies in the west; r02 runs along 115.98, outside.
    expect(west.body.features.map((f: { id: string }) => f.id)).toEqual(['r01', 'r03']);
    const east = await getJson(fx.app, '/api/layers/markets?bbox=115.981,36.441,115.989,36.459');
    expect(east.body.features.map((f: { id: string }) => f.id)).toEqual(['mk01']);
    const none = await getJson(fx.app, '/api/layers/markets?bbox=100,20,101,21');
    expect(none.body).toEqual({ type: 'FeatureCollection', features: [] });
    const kindsStayApart = await getJson(fx.app, '/api/layers/communities?bbox=115.97,36.44,115.99,36.46');
    expect(kindsStayApart.body.features.map((f: { id: string }) => f.id)).toEqual(['cm01']);
  });

  it('rejects an unknown layer with the list of layers', async () => {
    const { status, body } = await getJson(fx.app, '/api/layers/parks');
    expect(status).toBe(400);
    expect(body).toEqual({
      error: 'Invalid param.layer: unknown layer "parks"; use one of water, districts, subdistricts, roads, communities, back-streets, points, markets, units',
      details: [
        {
          path: 'param.layer',
          message: 'unknown layer "parks"; use one of water, districts, subdistricts, roads, communities, back-streets, points, markets, units',
        },
      ],
    });
  });

  it('rejects a bad bbox', async () => {
    const { status, body } = await getJson(fx.app, '/api/layers/roads?bbox=116,36,115,37');
    expect(status).toBe(400);
    expect(body.details).toEqual([{ path: 'query.bbox', message: 'bbox west (116) must not be greater than east (115)' }]);
  });
});
