import { area, bboxPolygon, booleanPointInPolygon, featureCollection, intersect, union } from '@turf/turf';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { districtKind, districtRule, divisionCode } from '../../../scripts/import/map-tags';
import { fixtureLayers } from './helpers';

type District = Feature<Polygon | MultiPolygon, Record<string, unknown>>;
const named = (list: District[], name: string) => list.find((d) => d.properties.name === name)!;

/** Districts tile the bbox: no two share area, and together they are the bbox. */
function expectTiling(districts: District[], bbox: number[]) {
  for (let i = 0; i < districts.length; i++)
    for (let j = i + 1; j < districts.length; j++) {
      const shared = intersect(featureCollection([districts[i], districts[j]]));
      expect(shared ? area(shared) : 0, `${districts[i].properties.name} ∩ ${districts[j].properties.name}`).toBeLessThan(1);
    }
  const whole = districts.length > 1 ? union(featureCollection(districts))! : districts[0];
  const box = area(bboxPolygon(bbox as [number, number, number, number]));
  expect(Math.abs(area(whole) - box) / box).toBeLessThan(1e-6);
}

describe('district tag rules (map-tags.ts)', () => {
  it('reads the kind from the name and the code from the tags there are', () => {
    expect(
      ['玄武区', '贵溪市', '弋阳县', '科尔沁右翼前旗', '聊城经济技术开发区', '浦东新区', '苏州工业园区', '东湖高新区', 'Alpes-Maritimes'].map(districtKind),
    ).toEqual(['district', 'county', 'county', 'county', 'zone', 'zone', 'zone', 'zone', null]);
    expect(divisionCode({ ref: '320102', 'ref:cn': '320102000000' })).toBe('320102000000');
    expect(divisionCode({ ref: '320102' })).toBe('320102');
    expect(divisionCode({ division_code: '360681', ref: 'GX' })).toBe('360681');
    expect(divisionCode({ name: '玄武区' })).toBe('');
  });

  it('tiles with level 6, cuts out zones mapped as other boundaries, and names what it does not use', () => {
    const b = { boundary: 'administrative' };
    expect(districtRule({ ...b, admin_level: '6', name: '玄武区' })).toEqual({ use: 'tile', kind: 'district' });
    expect(districtRule({ ...b, admin_level: '6', name: '西咸新区' })).toEqual({ use: 'tile', kind: 'zone' });
    expect(districtRule({ ...b, name: '城东经济技术开发区' })).toEqual({ use: 'carve', kind: 'zone' });
    expect(districtRule({ ...b, admin_level: '7', name: '高新区' })).toEqual({ use: 'carve', kind: 'zone' });
    expect(districtRule({ boundary: 'special_economic_zone', name: '漕河泾新兴技术开发区' })).toEqual({ use: 'carve', kind: 'zone' });
    expect(districtRule({ boundary: 'special_economic_zone', name: '深圳经济特区' })).toHaveProperty('skip');
    expect(districtRule({ ...b, admin_level: '7', name: '西片' })).toHaveProperty('skip');
    expect(districtRule({ landuse: 'industrial', name: '城西工业园区' })).toHaveProperty('skip');
    expect(districtRule({ ...b, admin_level: '6', name: 'Alpes-Maritimes' })).toHaveProperty('skip');
    // Not districts at all: the prefecture city, the 街道, an unnamed boundary way.
    expect(districtRule({ ...b, admin_level: '5', name: '南京市' })).toBeNull();
    expect(districtRule({ ...b, admin_level: '8', name: '新街口街道' })).toBeNull();
    expect(districtRule({ ...b, admin_level: '6' })).toBeNull();
  });
});

describe('districts from fixtures (tests/fixtures/osm/district-*.osm)', () => {
  it('complete relations are clipped to the city bbox and tile it', async () => {
    const { layers } = await fixtureLayers('district-complete.osm');
    const d = layers.districts as District[];
    expect(d.map((f) => f.properties)).toEqual([
      { id: 'dtr1', name: '东城区', code: '320102000000', kind: 'district' },
      { id: 'dtr2', name: '西湖县', code: '320121', kind: 'county' },
    ]);
    expect(layers.city.bbox).toEqual([118.7, 32, 118.8, 32.1]);
    expectTiling(d, layers.city.bbox);
    expect(booleanPointInPolygon([118.77, 32.05], named(d, '东城区'))).toBe(true);
    expect(booleanPointInPolygon([118.72, 32.05], named(d, '西湖县'))).toBe(true);
  });

  it('a development zone mapped as a boundary without a level is cut out of its district; land use and level 7 are not used', async () => {
    const { layers, skipped } = await fixtureLayers('district-zone.osm');
    const d = layers.districts as District[];
    expect(d.map((f) => f.properties)).toEqual([
      { id: 'dtw30', name: '城关区', code: '620102', kind: 'district' },
      { id: 'dtw31', name: '城东经济技术开发区', code: '', kind: 'zone' },
    ]);
    expectTiling(d, layers.city.bbox);
    expect(booleanPointInPolygon([118.78, 32.07], named(d, '城东经济技术开发区'))).toBe(true);
    expect(booleanPointInPolygon([118.78, 32.07], named(d, '城关区'))).toBe(false);
    // The zone's part beyond the city (x > 118.80) is clipped off with it.
    expect(area(named(d, '城东经济技术开发区')) / 1e6).toBeCloseTo(area(bboxPolygon([118.76, 32.06, 118.8, 32.09])) / 1e6, 3);
    const reasons = Object.fromEntries(skipped.toJSON().map((s) => [s.reason, s.examples]));
    expect(Object.entries(reasons).find(([r]) => r.startsWith('landuse area named like a development zone'))?.[1]).toEqual(['way 32']);
    expect(Object.entries(reasons).find(([r]) => r.startsWith('admin_level=7 boundary'))?.[1]).toEqual(['way 33']);
  });

  it('a cut-out: sides from the shared way, the label node and the neighbours; the loose end carried on to the edge; the uncovered corner to its neighbour', async () => {
    const { layers, skipped } = await fixtureLayers('district-cutout.osm');
    const d = layers.districts as District[];
    expect(d.map((f) => f.properties)).toEqual([
      { id: 'dtr1', name: '甲区', code: '', kind: 'district' },
      { id: 'dtr2', name: '乙县', code: '', kind: 'county' },
    ]);
    expectTiling(d, layers.city.bbox);
    // Way 10 ends at 32.09; carried on north it splits the strip 32.09–32.10 too.
    expect(booleanPointInPolygon([118.74, 32.095], named(d, '乙县'))).toBe(true);
    expect(booleanPointInPolygon([118.755, 32.095], named(d, '甲区'))).toBe(true);
    // The north-east corner beyond way 11 is in no relation of the file: 甲区, its only neighbour, takes it.
    expect(booleanPointInPolygon([118.795, 32.095], named(d, '甲区'))).toBe(true);
    const given = skipped.toJSON().find((s) => s.reason.startsWith('part of the city inside no district boundary'));
    // The triangle 118.78–118.80 × 32.08–32.10: ½ × 1.88 km × 2.22 km.
    expect(given?.examples).toEqual(['甲区 +2.10 km²']);
  });

  it('a shared way with nothing saying which side is which gives no districts', async () => {
    const { layers, skipped } = await fixtureLayers('district-cutout-unlabelled.osm');
    expect(layers.districts).toEqual([]);
    const reasons = skipped.toJSON();
    expect(reasons.find((s) => s.reason.startsWith('district boundary whose side can not be told'))?.examples).toEqual(['relation 1', 'relation 2']);
    expect(reasons.some((s) => s.reason.endsWith('no districts.geojson, the city is one district'))).toBe(true);
  });

  it('an extract with only 街道 (admin_level 8) boundaries has no districts', async () => {
    const { layers, skipped } = await fixtureLayers('subdistrict-boundary.osm');
    expect(layers.districts).toEqual([]);
    expect(layers.subdistricts).toHaveLength(1);
    expect(skipped.toJSON().map((s) => s.reason)).toContain(
      'no usable district boundary (boundary=administrative + admin_level=6, named …区/县/市) in the extract: no districts.geojson, the city is one district',
    );
  });
});
