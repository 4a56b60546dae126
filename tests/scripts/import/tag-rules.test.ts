import { describe, expect, it } from 'vitest';
import { booleanPointInPolygon } from '@turf/turf';
import { fixtureLayers } from './helpers';

const byId = <T extends { properties: Record<string, unknown> }>(list: T[]) => Object.fromEntries(list.map((f) => [f.properties.id as string, f]));

describe('roads', () => {
  it('splits at shared nodes, maps oneway/maxspeed/bridge/tunnel/access and skips non-streets', async () => {
    const { layers, skipped } = await fixtureLayers('roads.osm');
    const roads = byId(layers.roads);
    // way 100 (1-2-3) and 101 (4-2-5) cross at node 2: two pieces each, meeting at the same coordinate.
    expect(roads['rw100'].geometry.coordinates).toEqual([
      [118.78, 32.04],
      [118.781, 32.04],
    ]);
    expect(roads['rw100-2'].geometry.coordinates).toEqual([
      [118.781, 32.04],
      [118.782, 32.04],
    ]);
    expect(roads['rw101'].geometry.coordinates.at(-1)).toEqual([118.781, 32.04]);
    expect(roads['rw100'].properties).toMatchObject({ name: '中山东路', class: 'primary', oneway: 1, maxspeedKmh: 50, bridge: true, tunnel: false });
    expect(roads['rw101'].properties).toMatchObject({ name: null, oneway: -1, maxspeedKmh: 48, tunnel: true, access: 'destination' });
    // A closed roundabout touching nothing is cut in two (a self-loop edge is useless to a graph).
    expect(roads['rw102'].properties).toMatchObject({ oneway: 1, maxspeedKmh: null });
    expect(roads['rw102-2'].geometry.coordinates[0]).toEqual(roads['rw102'].geometry.coordinates.at(-1));
    // A there-and-back way (OSMnx) becomes A→B and B→A, not a loop from A to A.
    expect(roads['rw103'].geometry.coordinates).toEqual([
      [118.78, 32.038],
      [118.7805, 32.038],
    ]);
    expect(roads['rw103-2'].geometry.coordinates).toEqual([
      [118.7805, 32.038],
      [118.78, 32.038],
    ]);
    expect(roads['rw103'].properties).toMatchObject({ oneway: 1, bridge: false });
    // A→X→B→X→A: cut at X twice, and the X→B→X piece halved: four edges, no loop.
    expect(['rw107', 'rw107-2', 'rw107-3', 'rw107-4'].map((id) => roads[id].geometry.coordinates.map(([x]) => x))).toEqual([
      [118.78, 118.7805],
      [118.7805, 118.781],
      [118.781, 118.7805],
      [118.7805, 118.78],
    ]);
    // way 106 has two nodes missing from the extract in the middle: it breaks there instead of jumping.
    expect(roads['rw106'].geometry.coordinates).toEqual([
      [118.78, 32.04],
      [118.782, 32.04],
    ]);
    expect(roads['rw106-2'].geometry.coordinates).toEqual([
      [118.781, 32.041],
      [118.781, 32.039],
    ]);
    expect(roads['rw104']).toBeUndefined();
    expect(roads['rw105']).toBeUndefined();
    const reasons = skipped.toJSON().map((s) => s.reason);
    expect(reasons).toContain('highway=construction is not a usable street');
    expect(reasons).toContain('highway area (area=yes): a square, not a street');
    expect(layers.roads).toHaveLength(14);
  });

  it('sets the city bbox from the roads (or --bbox) and cuts roads at --bbox', async () => {
    const { layers } = await fixtureLayers('roads.osm');
    expect(layers.city.bbox).toEqual([118.78, 32.036, 118.782, 32.0425]);
    expect(layers.city).toMatchObject({ source: 'osm', attribution: '© OpenStreetMap contributors', name: '测试城' });
    const cut = await fixtureLayers('roads.osm', [118.7795, 32.0395, 118.7815, 32.0405]);
    expect(cut.layers.city.bbox).toEqual([118.7795, 32.0395, 118.7815, 32.0405]);
    for (const r of cut.layers.roads) for (const [x] of r.geometry.coordinates) expect(x).toBeLessThanOrEqual(118.7815);
    expect(cut.layers.roads.map((r) => r.properties.id).sort()).toEqual(['rw100', 'rw100-2', 'rw101', 'rw101-2', 'rw106', 'rw106-2']);
  });
});

describe('places and water', () => {
  it('finds markets by amenity=marketplace and by 市场 names, not market offices', async () => {
    const { layers } = await fixtureLayers('places.osm');
    const names = layers.markets.map((m) => m.properties.name).sort();
    expect(names).toEqual(['大行宫农贸市场', '新货市场', '未命名市场（node 13）', '科巷菜市场', '香铺营集贸市场']);
    const area = layers.markets.find((m) => m.properties.name === '香铺营集贸市场')!;
    expect(area.properties.id).toBe('mkw20');
    const [x, y] = area.geometry.coordinates;
    expect(x).toBeGreaterThan(118.78);
    expect(x).toBeLessThan(118.7804);
    expect(y).toBeGreaterThan(32.042);
    expect(y).toBeLessThan(32.0424);
  });

  it('never takes a stop named after a market for one: a bus stop or platform is a 公交站点, a stop position nothing', async () => {
    const { layers } = await fixtureLayers('places.osm');
    expect(layers.markets.map((m) => m.properties.name)).not.toContain('大行宫市场');
    expect(layers.markets.map((m) => m.properties.name)).not.toContain('菜市场');
    const stops = layers.points.filter((p) => p.properties.kind === 'bus-stop');
    expect(stops.map((p) => [p.properties.name, p.geometry.coordinates]).sort()).toEqual([
      ['大行宫市场', [118.7812, 32.0402]],
      ['科巷菜市场站', [118.7802, 32.0402]],
    ]);
  });

  it('leaves out what a JOSM user deleted and had not uploaded, and says so; keeps what was edited', async () => {
    const places = await fixtureLayers('places.osm');
    expect(places.layers.markets.map((m) => m.properties.name)).not.toContain('旧货市场');
    const reason = 'marked deleted in the file (JOSM action="delete", not uploaded yet): left out';
    expect(places.skipped.toJSON().find((s) => s.reason === reason)).toEqual({ reason, count: 1, examples: ['node 18'] });
    // A deleted street is no street to route over.
    const roads = await fixtureLayers('roads.osm');
    expect(roads.layers.roads.map((r) => r.properties.name)).not.toContain('已拆巷');
    expect(roads.skipped.toJSON().find((s) => s.reason === reason)?.examples).toEqual(['way 108']);
  });

  it('finds communities: landuse=residential ways and multipolygons (holes kept), 家园 names, place nodes', async () => {
    const { layers, skipped } = await fixtureLayers('places.osm');
    const cm = byId(layers.communities);
    expect(Object.keys(cm).sort()).toEqual(['cmn54', 'cmr40', 'cmw30', 'cmw50']);
    expect(cm['cmr40'].geometry.type).toBe('Polygon');
    expect(cm['cmr40'].geometry.coordinates).toHaveLength(2); // outer + the inner way as a hole
    expect(cm['cmr40'].properties.name).toBe('未命名小区（relation 40）');
    expect(booleanPointInPolygon([118.7807, 32.0457], cm['cmr40'].geometry)).toBe(false);
    expect(booleanPointInPolygon([118.7802, 32.0452], cm['cmr40'].geometry)).toBe(true);
    expect(cm['cmw50'].properties.name).toBe('富润家园');
    // The entrance is the boundary vertex nearest a street vertex (估衣廊 runs along lat 32.040).
    expect(cm['cmw30'].properties.entrance).toEqual([118.78, 32.043]);
    expect(cm['cmn54'].properties).toMatchObject({ name: '花园社区', entrance: [118.79, 32.039] });
    expect(cm['cmn54'].geometry.type).toBe('Polygon');
    const reasons = Object.fromEntries(skipped.toJSON().map((s) => [s.reason, s.examples]));
    expect(reasons['place node inside a community area already mapped']).toEqual(['node 34']);
    expect(reasons['relation whose outer ring is incomplete (members missing from the extract)']).toEqual(['relation 41']);
  });

  it('maps natural=water and waterway=riverbank to water with a kind', async () => {
    const { layers } = await fixtureLayers('places.osm');
    expect(layers.water.map((w) => [w.properties.id, w.properties.name, w.properties.kind])).toEqual([
      ['ww60', '小池', 'pond'],
      ['ww61', null, 'river'],
    ]);
  });
});

describe('back streets', () => {
  it('keeps named living streets, alleys and 巷/里/弄/胡同/街 lanes; not 大街, 路, unnamed or main roads', async () => {
    const { layers, skipped } = await fixtureLayers('back-streets.osm');
    expect(layers.backStreets.map((b) => b.properties.name).sort()).toEqual(['仁寿里', '利济巷', '南捕厅胡同', '如意里', '小火瓦巷']);
    const lane = layers.backStreets.find((b) => b.properties.name === '仁寿里')!;
    expect(lane.properties.lengthM).toBeGreaterThan(90);
    expect(lane.properties.lengthM).toBeLessThan(96); // 0.001° of longitude at 32.04° N ≈ 94.3 m
    expect(skipped.toJSON().find((s) => s.reason.startsWith('unnamed back street'))?.examples).toEqual(['way 7']);
  });
});

describe('subdistricts and units', () => {
  it('partitions the bbox between 街道 place nodes by nearest centre; one office each, at the mapped office', async () => {
    const { layers } = await fixtureLayers('subdistrict-seeds.osm');
    expect(layers.subdistricts.map((s) => s.properties.name)).toEqual(['雄石街道', '东门']);
    expect(layers.units.map((u) => [u.properties.name, u.properties.subdistrictId, u.properties.type])).toEqual([
      ['雄石街道办事处', 'sdn10', 'subdistrict-office'],
      ['东门街道办事处', 'sdn11', 'subdistrict-office'],
    ]);
    expect(layers.units[1].geometry.coordinates).toEqual([117.2151, 28.2901]);
    // 雄石's office is not mapped: it goes on the street nearest the subdistrict's middle, inside it, so a
    // plan can start there (建设路 runs along 28.28° N here).
    const [x, y] = layers.units[0].geometry.coordinates;
    expect(y).toBeCloseTo(28.28, 7);
    expect(booleanPointInPolygon([x, y], layers.subdistricts[0].geometry)).toBe(true);
    const market = Object.fromEntries(layers.markets.map((m) => [m.properties.name, m.properties]));
    expect(market['西市场']).toMatchObject({ subdistrictId: 'sdn10', unitId: 'un10' });
    expect(market['东市场']).toMatchObject({ subdistrictId: 'sdn11', unitId: 'un11' });
  });

  it('uses admin_level=8 boundary relations (ways joined, one reversed) with their ref as code', async () => {
    const { layers } = await fixtureLayers('subdistrict-boundary.osm');
    expect(layers.subdistricts).toHaveLength(1);
    expect(layers.subdistricts[0].properties).toEqual({ id: 'sdr5', name: '新街口街道', code: '320102001' });
    expect(layers.markets[0].properties).toMatchObject({ subdistrictId: 'sdr5', unitId: 'ur5' });
    expect(layers.units[0].properties.name).toBe('新街口街道办事处');
  });

  it('names a mapped office too far from any street in the report, where plans could not start', async () => {
    const { layers, skipped } = await fixtureLayers('far-office.osm');
    expect(layers.units[0].geometry.coordinates).toEqual([117.21, 28.295]);
    const far = skipped.toJSON().find((s) => s.reason.startsWith('office more than 500 m'));
    expect(far?.examples).toEqual(['城南街道办事处 (979 m)']);
  });

  it('falls back to one subdistrict named after the city', async () => {
    const { layers } = await fixtureLayers('back-streets.osm');
    expect(layers.subdistricts.map((s) => s.properties.name)).toEqual(['测试城']);
    expect(layers.units.map((u) => u.properties.name)).toEqual(['测试城街道办事处']);
    for (const b of layers.backStreets) expect(b.properties.unitId).toBe(layers.units[0].properties.id);
  });
});

describe('bad files', () => {
  it('names the line of malformed XML', async () => {
    await expect(fixtureLayers('broken.osm')).rejects.toThrow(/^broken\.osm:6:8: not well-formed OSM XML \(unexpected close tag\)/);
  });
});

describe('the other point types (pointTypeOf)', () => {
  it('maps each tag rule to its catalog point type, and leaves other things alone', async () => {
    const { pointTypeOf, isCommercialStreet } = await import('../../../scripts/import/map-tags');
    const cases: [Record<string, string>, string | null][] = [
      [{ highway: 'bus_stop', name: '人民路站' }, 'bus-stop'],
      [{ public_transport: 'platform', bus: 'yes' }, 'bus-stop'],
      [{ public_transport: 'platform', railway: 'platform', bus: 'yes' }, null],
      [{ public_transport: 'platform', train: 'yes' }, null],
      [{ amenity: 'toilets' }, 'public-toilet'],
      [{ leisure: 'park', name: '人民公园' }, 'park-square'],
      [{ place: 'square', name: '新街口广场' }, 'park-square'],
      [{ highway: 'pedestrian', area: 'yes' }, 'park-square'],
      [{ amenity: 'school' }, 'school-area'],
      [{ amenity: 'kindergarten' }, 'school-area'],
      [{ amenity: 'hospital' }, 'hospital'],
      [{ amenity: 'clinic' }, null],
      [{ landuse: 'construction' }, 'construction-site'],
      [{ highway: 'construction' }, null],
      [{ amenity: 'bank' }, 'service-window'],
      [{ amenity: 'townhall', name: '东门街道办事处' }, 'service-window'],
      [{ railway: 'station', name: '南京站' }, 'service-window'],
      [{ amenity: 'library' }, 'culture-venue'],
      [{ tourism: 'museum' }, 'culture-venue'],
      [{ place: 'village', name: '花园村' }, 'urban-village'],
      [{ place: 'neighbourhood', name: '五老村' }, null],
      [{ shop: 'supermarket' }, null],
    ];
    for (const [tags, type] of cases) expect(pointTypeOf(tags), JSON.stringify(tags)).toBe(type);
    expect(isCommercialStreet({ highway: 'pedestrian', name: '湖南路' })).toBe(true);
    expect(isCommercialStreet({ highway: 'residential', name: '夫子庙步行街' })).toBe(true);
    expect(isCommercialStreet({ highway: 'pedestrian' })).toBe(false);
    expect(isCommercialStreet({ highway: 'pedestrian', area: 'yes', name: '新街口广场' })).toBe(false);
  });
});
