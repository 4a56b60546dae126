import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { describe, expect, it } from 'vitest';
import { encodeMvt } from '../../../server/geo/mvt';

const decode = (buf: Uint8Array) => new VectorTile(new PbfReader(buf));

describe('encodeMvt', () => {
  it('encodes points, lines and polygons that @mapbox/vector-tile reads back', () => {
    const buf = encodeMvt([
      {
        name: 'things',
        features: [
          {
            type: 1,
            id: 7,
            geometry: [
              [10, 20],
              [30, 40],
            ],
            tags: { name: '东关农贸市场', count: 3, share: 0.5, neg: -2, ok: true, none: null },
          },
          {
            type: 2,
            geometry: [
              [
                [0, 0],
                [100, 0],
                [100, 100],
              ],
            ],
            tags: { class: 'primary' },
          },
          // A closed ring: the closing point becomes ClosePath.
          {
            type: 3,
            geometry: [
              [
                [0, 0],
                [50, 0],
                [50, 50],
                [0, 50],
                [0, 0],
              ],
            ],
            tags: {},
          },
        ],
      },
      { name: 'empty', features: [] },
    ]);
    const tile = decode(buf);
    expect(Object.keys(tile.layers)).toEqual(['things']);
    const layer = tile.layers.things;
    expect(layer.version).toBe(2);
    expect(layer.extent).toBe(4096);
    expect(layer.length).toBe(3);

    const point = layer.feature(0);
    expect(point.type).toBe(1);
    expect(point.id).toBe(7);
    expect(point.properties).toEqual({ name: '东关农贸市场', count: 3, share: 0.5, neg: -2, ok: true });
    expect(point.loadGeometry().map((ring) => ring.map((p) => [p.x, p.y]))).toEqual([[[10, 20]], [[30, 40]]]);

    const line = layer.feature(1);
    expect(line.type).toBe(2);
    expect(line.id).toBeUndefined();
    expect(line.loadGeometry().map((ring) => ring.map((p) => [p.x, p.y]))).toEqual([
      [
        [0, 0],
        [100, 0],
        [100, 100],
      ],
    ]);

    const polygon = layer.feature(2);
    expect(polygon.type).toBe(3);
    expect(polygon.loadGeometry().map((ring) => ring.map((p) => [p.x, p.y]))).toEqual([
      [
        [0, 0],
        [50, 0],
        [50, 50],
        [0, 50],
        [0, 0],
      ],
    ]);
    expect(polygon.toGeoJSON(0, 0, 0).geometry.type).toBe('Polygon');
  });

  it('shares keys and values between features and keeps 1 apart from "1"', () => {
    const tile = decode(
      encodeMvt([
        {
          name: 'l',
          extent: 512,
          features: [
            { type: 1, geometry: [[1, 1]], tags: { v: 1 } },
            { type: 1, geometry: [[2, 2]], tags: { v: '1' } },
          ],
        },
      ]),
    );
    expect(tile.layers.l.extent).toBe(512);
    expect(tile.layers.l.feature(0).properties.v).toBe(1);
    expect(tile.layers.l.feature(1).properties.v).toBe('1');
  });

  it('gives an empty buffer for no features', () => {
    expect(encodeMvt([{ name: 'x', features: [] }]).length).toBe(0);
  });
});
