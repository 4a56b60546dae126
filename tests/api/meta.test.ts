import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app';
import { Meta } from '../../server/contract/meta';
import { loadCatalog } from '../../server/services/assessment/catalog';
import { openStore } from '../../server/store/index';
import { as, FIXTURE_DIR, fixtureApp, getJson, signIn } from './fixture';

const fx = await fixtureApp();
afterAll(async () => fx.close());

describe('GET /api/meta', () => {
  it('describes the city, its counts, catalog, subdistricts, units and time range', async () => {
    const { status, headers, body } = await getJson(fx.app, '/api/meta');
    expect(status).toBe(200);
    expect(headers.get('content-type')).toMatch(/^application\/json/);
    expect(Meta.parse(body)).toEqual(body);
    expect(body).toEqual({
      city: {
        name: '示例区',
        nameEn: 'Sample District',
        center: [115.98, 36.45],
        bbox: [115.97, 36.44, 115.99, 36.46],
        source: 'hand-written test fixture',
        attribution: 'Xuncha tests (MIT)',
      },
      counts: { roads: 6, water: 1, districts: 1, subdistricts: 2, units: 3, markets: 1, communities: 1, backStreets: 1, points: 0, problems: 20 },
      grids: [],
      categories: fx.catalog.categories,
      pointTypes: [
        { id: 'market', zh: '农贸市场', en: 'Market' },
        { id: 'community', zh: '社区/小区', en: 'Community' },
        { id: 'back-street', zh: '背街小巷', en: 'Back street' },
      ],
      statuses: ['reported', 'assigned', 'rectified', 'closed', 'held', 'rejected'],
      // No districts.geojson: one district, named after the city, coded with its subdistricts' prefix.
      districts: [{ id: 'dt01', name: '示例区', code: '371502', kind: 'district' }],
      subdistricts: [
        { id: 'sd01', name: '西城街道', code: '371502001', districtId: 'dt01' },
        { id: 'sd02', name: '东城街道', code: '371502002', districtId: 'dt01' },
      ],
      units: [
        { id: 'u01', name: '西城街道城管中队', type: 'urban-management', subdistrictId: 'sd01', districtId: 'dt01' },
        { id: 'u02', name: '东关市场服务中心', type: 'market-management', subdistrictId: 'sd02', districtId: 'dt01' },
        // District-wide: the district its office lies in.
        { id: 'u03', name: '区环卫处', type: 'sanitation', subdistrictId: null, districtId: 'dt01' },
      ],
      problemTimeRange: { from: '2026-01-05T09:00:00+08:00', to: '2026-03-20T09:00:00+08:00' },
      // The upload limits (defaults); whether the server takes poster frames depends on ffmpeg being installed.
      media: { photo: { maxMb: 15 }, video: { maxMb: 50, maxSeconds: 60, serverPoster: expect.any(Boolean) } },
    });
  });

  it('answers 503 with what to do when no city is loaded', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xuncha-empty-'));
    const store = openStore(join(dir, 'xuncha.db'));
    try {
      const app = as(await createApp({ store, catalog: loadCatalog(join(FIXTURE_DIR, 'catalog')) }), await signIn(store, 'admin'));
      const { status, body } = await getJson(app, '/api/meta');
      expect(status).toBe(503);
      expect(body.error).toMatch(/No city is loaded.*npm start/);
      // The rest of the API answers with empty results rather than failing.
      expect((await getJson(app, '/api/problems')).body).toEqual({ type: 'FeatureCollection', features: [], nextCursor: null });
      expect((await getJson(app, '/api/layers/roads')).body).toEqual({ type: 'FeatureCollection', features: [] });
      expect((await app.request('/tiles/base/0/0/0.pbf')).status).toBe(204);
      expect((await app.request('/tiles/problems/0/0/0.pbf')).status).toBe(204);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
