import { describe, expect, it } from 'vitest';
import type { HotspotCollection } from '../../../../../server/contract/hotspots';
import type { Meta } from '../../../../../client/src/api/types';
import { bboxOf, homeBox, hotCells, type Shape } from '../../../../../client/src/pages/screen/map/screen-data';
import type { ScreenPin } from '../../../../../client/src/pages/screen/screen-url';

type CellProps = HotspotCollection['features'][number]['properties'];

function cell(h3: string, props: Partial<CellProps>): HotspotCollection['features'][number] {
  const base: CellProps = {
    h3,
    count: 5,
    z: 0,
    p: 1,
    significant: false,
    class: 'no-pattern',
    hotWeeks: 0,
    coldWeeks: 0,
    trendZ: 0,
    trendP: 1,
    center: [116, 36],
  } as CellProps;
  return {
    type: 'Feature',
    id: h3,
    geometry: {
      type: 'Polygon',
      coordinates: [
        [
          [116, 36],
          [116.01, 36],
          [116.01, 36.01],
          [116, 36],
        ],
      ],
    },
    properties: { ...base, ...props },
  };
}

describe('big screen map data', () => {
  it('boxes a geometry by its coordinates, however deeply nested', () => {
    expect(bboxOf({ type: 'Point', coordinates: [116, 36] })).toEqual([116, 36, 116, 36]);
    expect(
      bboxOf({
        type: 'MultiPolygon',
        coordinates: [
          [
            [
              [116, 36],
              [116.2, 36.1],
              [116.1, 35.9],
            ],
          ],
          [
            [
              [115.9, 36.3],
              [116, 36],
            ],
          ],
        ],
      }),
    ).toEqual([115.9, 35.9, 116.2, 36.3]);
  });

  it('keeps the hot cells, and lists the legend classes present in order of concern', () => {
    const fc = {
      type: 'FeatureCollection',
      res: 9,
      weeks: null,
      features: [
        cell('a', { class: 'new-hot' }),
        cell('b', { class: 'no-pattern', significant: true, z: 3 }),
        cell('c', { class: 'no-pattern', significant: false, z: 3 }),
        cell('d', { class: 'persistent-hot', count: 0 }),
        cell('e', { class: 'intensifying-hot' }),
        cell('f', { class: 'persistent-cold' }),
      ],
    } as unknown as HotspotCollection;
    const out = hotCells(fc, null, null, { categories: [], subdistricts: [] } as unknown as Meta);
    expect(out.hot.features.map((f) => f.properties.h3)).toEqual(['a', 'b', 'e']);
    expect(out.classes).toEqual(['intensifying-hot', 'new-hot', 'cluster']);
    expect(out.tourCells.map((c) => c.h3).sort()).toEqual(['a', 'b', 'e']);
  });
});

describe('the box the screen map opens on', () => {
  const city: [number, number, number, number] = [115, 35, 117, 37];
  const subdistricts = new Map<string, Shape>([
    ['sd01', { name: '古楼街道', bbox: [115.9, 36.4, 116.0, 36.5] }],
    ['sd02', { name: '新区街道', bbox: [116.1, 36.3, 116.3, 36.45] }],
  ]);
  const districts = new Map<string, Shape>([['dt02', { name: '经济技术开发区', bbox: [116.05, 36.25, 116.35, 36.5] }]]);
  const dt02: ScreenPin = { level: 'district', id: 'dt02', name: '经济技术开发区', subdistricts: ['sd02'] };
  const dt01: ScreenPin = { level: 'district', id: 'dt01', name: '东昌区', subdistricts: ['sd01', 'sd02'] };
  const sd01: ScreenPin = { level: 'subdistrict', id: 'sd01', name: '古楼街道', subdistricts: ['sd01'] };

  it('frames a district by its own shape, and a subdistrict by its own', () => {
    expect(homeBox(dt02, subdistricts, districts, city)).toEqual([116.05, 36.25, 116.35, 36.5]);
    expect(homeBox(sd01, subdistricts, null, city)).toEqual([115.9, 36.4, 116.0, 36.5]);
    expect(homeBox(null, undefined, undefined, city)).toBe(city);
  });

  it("falls back to the district's subdistricts together, then to the city", () => {
    // A one-district city has no districts layer: dt01 is framed by its subdistricts.
    expect(homeBox(dt01, subdistricts, new Map(), city)).toEqual([115.9, 36.3, 116.3, 36.5]);
    expect(homeBox(dt01, subdistricts, null, city)).toEqual([115.9, 36.3, 116.3, 36.5]);
    expect(homeBox(dt01, null, null, city)).toBe(city);
  });

  it('waits (undefined) while the shapes it needs are loading, so the map opens in the right place', () => {
    expect(homeBox(dt02, undefined, districts, city)).toBeUndefined();
    expect(homeBox(dt02, subdistricts, undefined, city)).toBeUndefined();
    expect(homeBox(sd01, undefined, null, city)).toBeUndefined();
  });
});
