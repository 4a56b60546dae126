import { describe, expect, it } from 'vitest';
import { distanceM } from '../../../server/contract/geo';
import { degreesAround, duplicateCandidates, type NearbyProblem, recurrenceOf } from '../../../server/workflow/nearby';

const DAY = 86_400_000;
const NOW = Date.parse('2026-03-20T12:00:00+08:00');
const AT: [number, number] = [115.984, 36.448];
/** `m` metres north of AT. */
const north = (m: number): [number, number] => [AT[0], AT[1] + m / 111_195];

function p(id: string, over: Partial<NearbyProblem> & { at?: [number, number] }): NearbyProblem {
  const at = over.at ?? AT;
  return { id, category: 'occupy-road', status: 'assigned', closedMs: null, lng: at[0], lat: at[1], ...over };
}

describe('distance', () => {
  it('measures metres on the sphere', () => {
    expect(distanceM(AT, north(30))).toBeCloseTo(30, 0);
    expect(distanceM(AT, AT)).toBe(0);
    const { dLng, dLat } = degreesAround(AT[1], 50);
    expect(distanceM(AT, [AT[0] + dLng, AT[1]])).toBeGreaterThanOrEqual(49.9);
    expect(distanceM(AT, [AT[0], AT[1] + dLat])).toBeGreaterThanOrEqual(49.9);
  });
});

describe('duplicates', () => {
  it('offers open problems of the same category within 30 m, nearest first', () => {
    const near = [
      p('far', { at: north(31) }),
      p('b', { at: north(20) }),
      p('a', { at: north(5) }),
      p('closed', { status: 'closed', closedMs: NOW - DAY }),
      p('other-category', { category: 'small-ads' }),
      p('rectified', { status: 'rectified', at: north(29) }),
    ];
    expect(duplicateCandidates(near, { category: 'occupy-road', at: AT }).map((d) => d.id)).toEqual(['a', 'b', 'rectified']);
    expect(duplicateCandidates(near, { category: 'occupy-road', at: AT }, 10).map((d) => d.id)).toEqual(['a']);
  });
});

describe('recurrence', () => {
  const report = { category: 'occupy-road', at: AT, nowMs: NOW };
  it('links the most recently closed problem of the category within 30 m and 90 days', () => {
    const near = [
      p('old', { status: 'closed', closedMs: NOW - 91 * DAY }),
      p('p1', { status: 'closed', closedMs: NOW - 40 * DAY }),
      p('p2', { status: 'closed', closedMs: NOW - 10 * DAY, at: north(25) }),
      p('too-far', { status: 'closed', closedMs: NOW - DAY, at: north(35) }),
      p('open', { status: 'assigned' }),
      p('other', { status: 'closed', closedMs: NOW - DAY, category: 'small-ads' }),
    ];
    expect(recurrenceOf(near, report)).toBe('p2');
    expect(
      recurrenceOf(
        near.filter((n) => n.id !== 'p2'),
        report,
      ),
    ).toBe('p1');
    expect(recurrenceOf([near[0]], report)).toBeNull();
    // The window edge: exactly 90 days still counts.
    expect(recurrenceOf([p('edge', { status: 'closed', closedMs: NOW - 90 * DAY })], report)).toBe('edge');
  });
});

describe('geometry', async () => {
  const { distanceToGeometryM, pointInGeometry } = await import('../../../server/geo/geometry');
  type Ring = [number, number][];
  const outer: Ring = [
    [0, 0],
    [0.01, 0],
    [0.01, 0.01],
    [0, 0.01],
    [0, 0],
  ];
  const hole: Ring = [
    [0.004, 0.004],
    [0.006, 0.004],
    [0.006, 0.006],
    [0.004, 0.006],
    [0.004, 0.004],
  ];
  const square = { type: 'Polygon' as const, coordinates: [outer] };
  const holed = { type: 'Polygon' as const, coordinates: [outer, hole] };
  it('finds points in polygons, outside holes, in multipolygons', () => {
    expect(pointInGeometry([0.005, 0.005], square)).toBe(true);
    expect(pointInGeometry([0.005, 0.005], holed)).toBe(false);
    expect(pointInGeometry([0.002, 0.005], holed)).toBe(true);
    expect(pointInGeometry([0.011, 0.005], square)).toBe(false);
    expect(
      pointInGeometry([0.028, 0.005], {
        type: 'MultiPolygon',
        coordinates: [
          [outer],
          [
            [
              [0.02, 0],
              [0.03, 0],
              [0.03, 0.01],
              [0.02, 0],
            ] as Ring,
          ],
        ],
      }),
    ).toBe(true);
  });
  it('measures metres to points, lines and polygon edges', () => {
    const at: [number, number] = [115.98, 36.45];
    const m = 1 / 110_574; // one metre of latitude
    expect(distanceToGeometryM(at, { type: 'Point', coordinates: [115.98, 36.45 + 40 * m] })).toBeCloseTo(40, 1);
    expect(
      distanceToGeometryM(at, {
        type: 'LineString',
        coordinates: [
          [115.97, 36.45 + 20 * m],
          [115.99, 36.45 + 20 * m],
        ],
      }),
    ).toBeCloseTo(20, 1);
    expect(distanceToGeometryM([0.005, 0.005], square)).toBe(0);
    expect(distanceToGeometryM([0.005, 0.01 + 10 * m], square)).toBeCloseTo(10, 0);
  });
});
