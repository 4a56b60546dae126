import { describe, expect, it } from 'vitest';
import { projectShapes, scoreColor } from '../../../../client/src/pages/ledger/choropleth';

describe('choropleth', () => {
  it('fits the shapes into the box, north up', () => {
    const shapes = [
      {
        id: 'a',
        name: 'A',
        geometry: {
          type: 'Polygon' as const,
          coordinates: [
            [
              [0, 0],
              [1, 0],
              [1, 1],
              [0, 1],
              [0, 0],
            ],
          ],
        },
      },
      {
        id: 'b',
        name: 'B',
        geometry: {
          type: 'MultiPolygon' as const,
          coordinates: [
            [
              [
                [1, 0],
                [2, 0],
                [2, 1],
                [1, 0],
              ],
            ],
          ],
        },
      },
    ];
    const out = projectShapes(shapes, 208, 108, 4);
    expect(out.map((s) => s.id)).toEqual(['a', 'b']);
    // Two degrees wide, one high (near the equator): 200 × 100 px inside the padding.
    expect(out[0].path.startsWith('M4.0,104.0L104.0,104.0L104.0,4.0L4.0,4.0')).toBe(true);
    expect(out[0].label[0]).toBeCloseTo(54, 1);
    expect(out[0].label[1]).toBeCloseTo(54, 5);
    expect(out[1].path.endsWith('Z')).toBe(true);
    expect(projectShapes([], 100, 100)).toEqual([]);
  });

  it('colours from black (lowest) to red (highest)', () => {
    expect(scoreColor(50, 50, 90)).toBe('#222222');
    expect(scoreColor(90, 50, 90)).toBe('#c8102e');
    expect(scoreColor(70, 70, 70)).toBe('#c8102e');
  });
});
