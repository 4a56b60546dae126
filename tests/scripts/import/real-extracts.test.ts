import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { area, bboxPolygon, booleanPointInPolygon, featureCollection, intersect, pointToLineDistance, union } from '@turf/turf';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../server/app';
import { loadCatalog } from '../../../server/services/assessment/catalog';
import { openStore } from '../../../server/store/index';
import { importCity } from '../../../scripts/import/import-city';
import { OsmStore } from '../../../scripts/import/osm-store';
import { readOsmPbf } from '../../../scripts/import/read-osm-pbf';
import { readOsmXml } from '../../../scripts/import/read-osm-xml';
import { as, signIn } from '../../api/fixture';
import { metres, OSM_EXTRACTS, tempDir } from './helpers';

/*
 * The real extracts in tests/fixtures/osm-extracts (README.md there gives the raw counts). Raw counts are
 * checked exactly against the README's definitions; the derived layer counts follow from them by the rules
 * (map-tags.ts), as the comment of each row explains.
 */
const CATALOG = new URL('../../../data/catalog', import.meta.url).pathname;

interface Case {
  file: string;
  /** README columns: highway ways, marketplaces, residential areas, neighbourhoods (place=neighbourhood|quarter nodes). */
  raw: { highwayWays: number; marketplaces: number; residentialAreas: number; neighbourhoods: number };
  /** Measured layer counts; `why` explains them from the raw counts and the skip report. */
  layers: Record<string, number>;
  /** Measured points.geojson counts by point type (map-tags.ts pointTypeOf and the road rules of build-layers.ts). */
  points: Record<string, number>;
  /** districts.geojson: `name kind code` of each district, in file order; empty when the file has none (one-district city). */
  districts: string[];
  why: string;
}

const CASES: Case[] = [
  {
    file: 'nanjing-xinjiekou-2021.osm',
    raw: { highwayWays: 384, marketplaces: 2, residentialAreas: 11, neighbourhoods: 1 },
    layers: { markets: 2, communities: 11, backStreets: 70, subdistricts: 1, units: 1, water: 5, roads: 785 },
    points: {
      'bus-stop': 37,
      'commercial-street': 1,
      'culture-venue': 7,
      hospital: 4,
      junction: 21,
      'main-road': 55,
      'park-square': 5,
      'public-toilet': 10,
      'school-area': 18,
      'service-window': 24,
    },
    districts: ['玄武区 district ', '鼓楼区 district ', '秦淮区 district '],
    why: 'communities = 11 residential areas (neighbourhood 五老村 lies inside one); back streets = named lanes (living_street or 巷/里/弄/胡同/街 names; 19 unnamed living streets skipped); roads = 383 line ways (one pedestrian area) split at junctions, loops halved',
  },
  {
    file: 'beijing-haidian-xueqing-2026.osm',
    raw: { highwayWays: 302, marketplaces: 2, residentialAreas: 12, neighbourhoods: 3 },
    layers: { markets: 2, communities: 13, backStreets: 0, subdistricts: 1, units: 1, water: 1, roads: 711 },
    points: {
      'bus-stop': 13,
      'construction-site': 1,
      'culture-venue': 4,
      hospital: 2,
      junction: 5,
      'main-road': 23,
      'park-square': 1,
      'public-toilet': 2,
      'school-area': 5,
      'service-window': 4,
    },
    districts: [],
    why: 'markets = 2 unnamed marketplace nodes (placeholder names); communities = 11 residential areas (the 12th is a node, no area) + 3 neighbourhoods − 1 inside a compound; the one incomplete relation is a 居委会 boundary; no named lane: the 16 alleys and 12 living streets are unnamed',
  },
  {
    file: 'jiangxi-guixi-2024.osm',
    raw: { highwayWays: 176, marketplaces: 0, residentialAreas: 0, neighbourhoods: 16 },
    layers: { markets: 0, communities: 16, backStreets: 4, subdistricts: 3, units: 3, water: 10, roads: 472 },
    points: { junction: 9, 'main-road': 55, 'school-area': 4, 'service-window': 2, 'urban-village': 4 },
    districts: ['弋阳县 county 361126', '贵溪市 county 360681'],
    why: 'communities = the 16 place=quarter 社区 nodes as circles; subdistricts = the 3 街道 place nodes (花园/雄石/东门) partitioned by nearest centre, because the one complete 街道 boundary covers under half the city',
  },
  {
    file: 'shanghai-huangpu-osmnx-drive.osm',
    raw: { highwayWays: 796, marketplaces: 0, residentialAreas: 0, neighbourhoods: 0 },
    layers: { markets: 0, communities: 0, backStreets: 25, subdistricts: 1, units: 1, water: 0, roads: 1278 },
    points: { junction: 33, 'main-road': 75 },
    districts: [],
    why: 'roads: 796 graph-edge ways split at shared nodes, the 268 A→B→A ways into A→B and B→A; back streets = named residential lanes (巷/里/弄/街) and named living streets',
  },
  {
    file: 'monaco-2019.osm.pbf',
    raw: { highwayWays: 1899, marketplaces: 1, residentialAreas: 5, neighbourhoods: 0 },
    layers: { markets: 1, communities: 5, backStreets: 5, subdistricts: 9, units: 9, water: 13, roads: 3245 },
    points: {
      'bus-stop': 68,
      'commercial-street': 30,
      'construction-site': 6,
      'culture-venue': 6,
      hospital: 6,
      junction: 55,
      'main-road': 92,
      'park-square': 14,
      'public-toilet': 26,
      'school-area': 8,
      'service-window': 17,
    },
    districts: [],
    why: 'back streets = the 5 named of the 10 service=alley ways (no Chinese lane names); subdistricts = the place=suburb quartiers by nearest centre',
  },
];

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function rawCounts(path: string): Promise<Case['raw']> {
  const store = new OsmStore();
  if (path.endsWith('.pbf')) readOsmPbf(path, store);
  else await readOsmXml(path, store);
  const all = [...store.taggedNodes, ...store.taggedWays, ...store.relations];
  return {
    highwayWays: store.taggedWays.filter((w) => w.tags.highway).length,
    marketplaces: all.filter((e) => e.tags.amenity === 'marketplace').length,
    // The README's count includes a node: Beijing's 12 are 10 ways, 1 relation and node 2943228133
    // (landuse=residential on a point, which makes no area and so no community).
    residentialAreas: all.filter((e) => e.tags.landuse === 'residential').length,
    neighbourhoods: store.taggedNodes.filter((n) => n.tags.place === 'neighbourhood' || n.tags.place === 'quarter').length,
  };
}

describe('real OSM extracts (tests/fixtures/osm-extracts)', () => {
  for (const c of CASES) {
    it(`${c.file}: README counts, layers, loads through importLayers and serves /api/meta`, async () => {
      const path = join(OSM_EXTRACTS, c.file);
      expect(await rawCounts(path)).toEqual(c.raw);

      const dataDir = tempDir();
      dirs.push(dataDir);
      const summary = await importCity({ file: path, dataDir, name: c.file.split('-')[0] });
      expect(summary.counts, c.why).toMatchObject(c.layers);
      const districtsFile = join(dataDir, 'layers', 'districts.geojson');
      const districts = existsSync(districtsFile) ? JSON.parse(readFileSync(districtsFile, 'utf8')).features : [];
      expect(districts.map((d: any) => `${d.properties.name} ${d.properties.kind} ${d.properties.code}`)).toEqual(c.districts);
      expect(summary.counts.districts).toBe(c.districts.length);
      if (c.districts.length === 0) expect(summary.skipped.map((x) => x.reason).join('\n')).toMatch(/no districts\.geojson, the city is one district/);
      const points = JSON.parse(readFileSync(join(dataDir, 'layers', 'points.geojson'), 'utf8')).features as {
        properties: { kind: string; name: string; unitId: string | null };
      }[];
      const byKind: Record<string, number> = {};
      for (const p of points) byKind[p.properties.kind] = (byKind[p.properties.kind] ?? 0) + 1;
      expect(byKind).toEqual(c.points);
      expect(summary.counts.points).toBe(points.length);
      // A point is found by its name: unnamed ones are named by their kind and the nearest street.
      for (const p of points) expect(p.properties.name.length, JSON.stringify(p.properties)).toBeGreaterThan(1);
      expect(summary.city.attribution).toBe('© OpenStreetMap contributors');
      expect(summary.city.source).toBe('osm');

      const store = openStore(join(dataDir, 'xuncha.db'));
      try {
        const app = as(
          await createApp({
            store,
            catalog: loadCatalog(CATALOG),
            clientDir: null,
            logError: (e) => {
              throw e;
            },
          }),
          await signIn(store, 'leader'),
        );
        const res = await app.request('/api/meta');
        expect(res.status).toBe(200);
        const meta = (await res.json()) as { city: { attribution: string; bbox: number[] }; counts: Record<string, number>; units: unknown[] };
        expect(meta.city.attribution).toBe('© OpenStreetMap contributors');
        expect(meta.counts).toMatchObject(c.layers);
        expect(meta.units).toHaveLength(c.layers.units);
      } finally {
        await store.close();
      }
      // No road piece runs from a point back to itself (a graph cannot use such an edge).
      const roads = JSON.parse(readFileSync(join(dataDir, 'layers', 'roads.geojson'), 'utf8')).features;
      for (const r of roads) expect(String(r.geometry.coordinates[0]), r.properties.id).not.toBe(String(r.geometry.coordinates.at(-1)));
      // Every place has a subdistrict and a unit (the 街道办事处 of its subdistrict).
      for (const f of ['markets', 'communities', 'back-streets', 'points']) {
        const features = JSON.parse(readFileSync(join(dataDir, 'layers', `${f}.geojson`), 'utf8')).features;
        for (const p of features) expect(p.properties.unitId, `${f} ${p.properties.id}`).toMatch(/^u/);
      }
    });
  }

  it('nanjing-xinjiekou-2021.geojson (osmium export) gives the same layers as the .osm it came from', async () => {
    const dataDir = tempDir();
    dirs.push(dataDir);
    const summary = await importCity({ file: join(OSM_EXTRACTS, 'nanjing-xinjiekou-2021.geojson'), dataDir, name: '南京' });
    expect(summary.city.source).toBe('geojson');
    expect(summary.counts).toMatchObject(CASES[0].layers);
    // osmium exports no relation it could not close, and the district ways without the relations naming them
    // (only 玄武区's label node is in it): no districts, unlike the .osm.
    expect(summary.counts.districts).toBe(0);
    const names = JSON.parse(readFileSync(join(dataDir, 'layers', 'markets.geojson'), 'utf8')).features.map((f: any) => f.properties.name);
    expect(names.sort()).toEqual(['科巷菜市场', '香铺营集贸市场']);
  });

  it("names the city after the extract's one place=city node when --name is not given", async () => {
    const dataDir = tempDir();
    dirs.push(dataDir);
    const summary = await importCity({ file: join(OSM_EXTRACTS, 'jiangxi-guixi-2024.osm'), dataDir });
    expect(summary.city).toMatchObject({ name: '贵溪市', nameEn: 'Guixi' });
  });

  it('--name gives the Chinese name only: the English name still comes from the extract, unless --name-en is given', async () => {
    const dataDir = tempDir();
    dirs.push(dataDir);
    const file = join(OSM_EXTRACTS, 'jiangxi-guixi-2024.osm');
    expect((await importCity({ file, dataDir, name: '贵溪' })).city).toMatchObject({ name: '贵溪', nameEn: 'Guixi' });
    expect((await importCity({ file, dataDir, name: '贵溪', nameEn: 'Guixi City' })).city).toMatchObject({ name: '贵溪', nameEn: 'Guixi City' });
  });

  it('--bbox cuts the Nanjing core out of the extract', async () => {
    const dataDir = tempDir();
    dirs.push(dataDir);
    const bbox: [number, number, number, number] = [118.77, 32.04, 118.78, 32.05];
    const summary = await importCity({ file: join(OSM_EXTRACTS, 'nanjing-xinjiekou-2021.osm'), dataDir, bbox });
    expect(summary.city.bbox).toEqual(bbox);
    expect(summary.counts.roads).toBeGreaterThan(50);
    expect(summary.counts.roads).toBeLessThan(784);
    const roads = JSON.parse(readFileSync(join(dataDir, 'layers', 'roads.geojson'), 'utf8')).features;
    for (const r of roads)
      for (const [x, y] of r.geometry.coordinates) {
        expect(x).toBeGreaterThanOrEqual(bbox[0] - 1e-9);
        expect(y).toBeLessThanOrEqual(bbox[3] + 1e-9);
      }
  });
});

/*
 * The districts of the real extracts, checked against the boundary ways in the file itself: which side of
 * a way a landmark lies on is read off the way's own coordinates here, not off the importer's output.
 */
describe('districts of the real extracts (build-districts.ts)', () => {
  type District = Feature<Polygon | MultiPolygon, { id: string; name: string; kind: string; code: string }>;
  const layer = (dataDir: string, name: string) => JSON.parse(readFileSync(join(dataDir, 'layers', `${name}.geojson`), 'utf8')).features;
  const inDistrict = (districts: District[], at: number[]) => districts.filter((d) => booleanPointInPolygon(at, d)).map((d) => d.properties.name);

  async function wayCoords(file: string, id: number): Promise<number[][]> {
    const store = new OsmStore();
    await readOsmXml(join(OSM_EXTRACTS, file), store);
    return store.wayCoords(store.wayRow(id)).coords;
  }
  /** Where a way crosses the given longitude (its latitude) or latitude (its longitude), by linear interpolation. */
  function crossingOf(coords: number[][], axis: 0 | 1, value: number): number {
    for (let i = 1; i < coords.length; i++) {
      const [a, b] = [coords[i - 1], coords[i]];
      if ((a[axis] - value) * (b[axis] - value) > 0) continue;
      const t = (value - a[axis]) / (b[axis] - a[axis]);
      return a[1 - axis] + t * (b[1 - axis] - a[1 - axis]);
    }
    throw new Error(`way does not cross ${value}`);
  }

  function expectTiling(districts: District[], bbox: number[], subdistricts: Feature<Polygon | MultiPolygon>[]) {
    for (let i = 0; i < districts.length; i++)
      for (let j = i + 1; j < districts.length; j++) {
        const shared = intersect(featureCollection([districts[i], districts[j]]));
        expect(shared ? area(shared) : 0, `${districts[i].properties.name} ∩ ${districts[j].properties.name} (m²)`).toBeLessThan(1);
      }
    const whole = union(featureCollection(districts))!;
    const box = area(bboxPolygon(bbox as [number, number, number, number]));
    expect(Math.abs(area(whole) - box) / box).toBeLessThan(1e-6);
    for (const sd of subdistricts) {
      const inside = intersect(featureCollection([sd, whole]));
      expect(inside ? area(inside) / area(sd) : 0, String(sd.properties?.name)).toBeGreaterThan(0.9999);
    }
  }

  it('nanjing-xinjiekou-2021.osm: 玄武区/鼓楼区/秦淮区 tile the city, meet at 新街口, and hold the places the boundary ways put in them', async () => {
    const file = 'nanjing-xinjiekou-2021.osm';
    const dataDir = tempDir();
    dirs.push(dataDir);
    const summary = await importCity({ file: join(OSM_EXTRACTS, file), dataDir, name: '南京' });
    const districts = layer(dataDir, 'districts') as District[];
    expect(districts.map((d) => d.properties)).toEqual([
      { id: 'dtr2138698', name: '玄武区', code: '', kind: 'district' },
      { id: 'dtr2139790', name: '鼓楼区', code: '', kind: 'district' },
      { id: 'dtr2140011', name: '秦淮区', code: '', kind: 'district' },
    ]);
    expectTiling(districts, summary.city.bbox, layer(dataDir, 'subdistricts'));
    // Measured (README table): of the 13.34 km² bbox, 玄武区 3.38, 鼓楼区 3.46, 秦淮区 6.51.
    expect(districts.map((d) => Math.round(area(d) / 1e4) / 100)).toEqual([3.38, 3.46, 6.51]);

    // The three meet at node 4061611479 (118.7789248, 32.0438822), the middle of 新街口转盘.
    const meet = [118.7789248, 32.0438822];
    const ring = layer(dataDir, 'roads')
      .filter((r: any) => r.properties.name === '新街口转盘')
      .flatMap((r: any) => r.geometry.coordinates);
    const centre = [ring.reduce((s: number, p: number[]) => s + p[0], 0) / ring.length, ring.reduce((s: number, p: number[]) => s + p[1], 0) / ring.length];
    expect(metres(centre, meet)).toBeLessThan(20);
    for (const d of districts) expect(pointToPolygonDistanceM(meet, d), d.properties.name).toBeLessThan(1);

    // Sides read off the ways: 403856533 runs north from 新街口 between 鼓楼区 (west) and 玄武区 (east),
    // 403860282 east-south-east between 玄武区 (north) and 秦淮区 (south), 403865258 + 779232514 west between
    // 鼓楼区 (north) and 秦淮区 (south).
    const north = await wayCoords(file, 403856533);
    const east = await wayCoords(file, 403860282);
    const west = [...(await wayCoords(file, 403865258)), ...(await wayCoords(file, 779232514))];
    const markets = Object.fromEntries(layer(dataDir, 'markets').map((m: any) => [m.properties.name, m.geometry.coordinates]));
    const xiangpuying = markets['香铺营集贸市场'];
    expect(xiangpuying[0]).toBeGreaterThan(crossingOf(north, 1, xiangpuying[1]));
    expect(xiangpuying[1]).toBeGreaterThan(crossingOf(east, 0, xiangpuying[0]));
    expect(inDistrict(districts, xiangpuying)).toEqual(['玄武区']);
    const kexiang = markets['科巷菜市场'];
    expect(kexiang[1]).toBeLessThan(crossingOf(east, 0, kexiang[0]));
    expect(inDistrict(districts, kexiang)).toEqual(['秦淮区']);
    const huaqiao = layer(dataDir, 'communities').find((c: any) => c.properties.name === '华侨路二十六号小区').properties.entrance;
    expect(huaqiao[0]).toBeLessThan(crossingOf(north, 1, 32.048));
    expect(huaqiao[1]).toBeGreaterThan(crossingOf(west, 0, huaqiao[0]));
    expect(inDistrict(districts, huaqiao)).toEqual(['鼓楼区']);
    // 玄武区's label node (node 244084413, place=city 玄武区) lies in 玄武区.
    expect(inDistrict(districts, [118.7927943, 32.0507806])).toEqual(['玄武区']);
    // Ways 403856533 and 403865258 end inside the city (their next members are not in the file): carried on to its edge.
    expect(north.at(-1)![1]).toBeLessThan(summary.city.bbox[3]);
    expect(west[0][0]).toBeGreaterThan(summary.city.bbox[0]);
  });

  it('jiangxi-guixi-2024.osm: 贵溪市 holds the city and its 街道; the county line cuts a 0.22 km² sliver of 弋阳县 off its east edge', async () => {
    const dataDir = tempDir();
    dirs.push(dataDir);
    const summary = await importCity({ file: join(OSM_EXTRACTS, 'jiangxi-guixi-2024.osm'), dataDir, name: '贵溪' });
    const districts = layer(dataDir, 'districts') as District[];
    expect(districts.map((d) => d.properties)).toEqual([
      { id: 'dtr3046787', name: '弋阳县', code: '361126', kind: 'county' },
      { id: 'dtr3245897', name: '贵溪市', code: '360681', kind: 'county' },
    ]);
    expectTiling(districts, summary.city.bbox, layer(dataDir, 'subdistricts'));
    expect(districts.map((d) => Math.round(area(d) / 1e4) / 100)).toEqual([0.22, 39.6]);
    // The two relations share their only two ways in the file (the 鹰潭/上饶 line, tagged admin_level=5);
    // 贵溪市's admin_centre, the place=city node 3004970420, says which side is which.
    expect(inDistrict(districts, [117.2401238, 28.2947694])).toEqual(['贵溪市']);
    for (const sd of layer(dataDir, 'subdistricts')) {
      const inside = intersect(featureCollection([sd, districts[1]]));
      expect(area(inside!) / area(sd), sd.properties.name).toBeGreaterThan(0.98);
    }
  });
});

/** Metres from a point to a polygon's boundary (to its nearest vertex or edge), planar near the point. */
function pointToPolygonDistanceM(p: number[], d: Feature<Polygon | MultiPolygon>): number {
  const rings = d.geometry.type === 'Polygon' ? d.geometry.coordinates : d.geometry.coordinates.flat();
  let best = Infinity;
  for (const ring of rings) best = Math.min(best, pointToLineDistance(p, { type: 'LineString', coordinates: ring }, { units: 'meters' }));
  return best;
}
