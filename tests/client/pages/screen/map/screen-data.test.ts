import { describe, expect, it } from 'vitest';
import type { HotspotCollection } from '../../../../../server/contract/hotspots';
import type { Meta } from '../../../../../client/src/api/types';
import { bboxOf, hotCells } from '../../../../../client/src/pages/screen/map/screen-data';

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
