import { describe, expect, it } from 'vitest';
import { formatCityTime, formatCount } from '../../../client/src/lib/format';
import { geometryBBox, geometryCenter } from '../../../client/src/lib/geometry';

describe('formatCityTime', () => {
  it('shows the city wall clock (UTC+8) whatever the offset', () => {
    expect(formatCityTime('2026-03-04T09:15:00+08:00')).toBe('2026-03-04 09:15');
    expect(formatCityTime('2026-03-04T01:15:00Z')).toBe('2026-03-04 09:15');
    expect(formatCityTime('2026-12-31T20:05:00Z')).toBe('2027-01-01 04:05');
  });

  it('gives null for missing or broken input', () => {
    expect(formatCityTime(null)).toBeNull();
    expect(formatCityTime('yesterday')).toBeNull();
  });
});

describe('formatCount', () => {
  it('groups thousands', () => {
    expect(formatCount(1234567, 'en')).toBe('1,234,567');
    expect(formatCount(20311, 'zh')).toBe('20,311');
  });
});

describe('geometry', () => {
  it('finds the bbox and centre of points, lines and polygons', () => {
    expect(geometryCenter({ type: 'Point', coordinates: [115.9, 36.4] })).toEqual([115.9, 36.4]);
    expect(
      geometryBBox({
        type: 'LineString',
        coordinates: [
          [1, 2],
          [3, 0],
          [2, 5],
        ],
      }),
    ).toEqual([1, 0, 3, 5]);
    expect(
      geometryCenter({
        type: 'Polygon',
        coordinates: [
          [
            [0, 0],
            [4, 0],
            [4, 2],
            [0, 2],
            [0, 0],
          ],
        ],
      }),
    ).toEqual([2, 1]);
  });

  it('gives null for an empty geometry', () => {
    expect(geometryBBox({ type: 'MultiPoint', coordinates: [] })).toBeNull();
  });
});
