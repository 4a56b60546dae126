import { describe, expect, it } from 'vitest';
import { findRecurringSites, projectLocal } from '../../../server/analytics/recurring';

const DAY = 86_400_000;

/** Problems as rows [xM, yM, category, reportedDay, closedDay | null], already in report order. */
function input(rows: [number, number, number, number, number | null][]) {
  return {
    x: Float64Array.from(rows, (r) => r[0]),
    y: Float64Array.from(rows, (r) => r[1]),
    category: Uint16Array.from(rows, (r) => r[2]),
    reportedMs: Float64Array.from(rows, (r) => r[3] * DAY),
    closedMs: Float64Array.from(rows, (r) => (r[4] === null ? NaN : r[4] * DAY)),
    order: Uint32Array.from(rows, (_, i) => i),
  };
}

describe('findRecurringSites', () => {
  it('counts a report as a recurrence only when the site was clean, with the time it took to come back', () => {
    const res = findRecurringSites(
      input([
        [0, 0, 0, 0, 10], // site A founded
        [5, 0, 0, 20, 30], // A again, 10 days after it was closed: recurrence
        [10, 0, 0, 25, null], // A while the previous one is still open: a repeat, not a recurrence
        [100, 0, 0, 40, 41], // 100 m away: site B
        [0, 3, 1, 50, null], // another category at A's spot: site C
        [29, 0, 0, 60, null], // A's seed is 29 m away, but the day-25 report is still open
        [200, 0, 0, 70, 71],
        [221, 21, 0, 90, null], // 29.7 m from the seed at 200: recurrence after 19 days
      ]),
      30,
    );
    expect(res.siteCount).toBe(4);
    expect(Array.from(res.siteOf)).toEqual([0, 0, 0, 1, 2, 0, 3, 3]);
    expect(Array.from(res.recurrence)).toEqual([0, 1, 0, 0, 0, 0, 0, 1]);
    expect(res.returnMs[1]).toBe(10 * DAY);
    expect(res.returnMs[7]).toBe(19 * DAY);
    expect(Array.from(res.siteReports)).toEqual([4, 1, 1, 2]);
    expect(Array.from(res.siteRecurrences)).toEqual([1, 0, 0, 1]);
    expect(Array.from(res.siteReturnMsSum)).toEqual([10 * DAY, 0, 0, 19 * DAY]);
  });

  it('joins the nearest site, never one beyond the radius, and only considers the given problems', () => {
    const data = input([
      [0, 0, 0, 0, 1],
      [50, 0, 0, 1, 2],
      [30, 0, 0, 5, null], // 30 m from the first, 20 m from the second: joins the second
      [31, 0, 0, 6, null], // left out by `order`
    ]);
    data.order = Uint32Array.of(0, 1, 2);
    const res = findRecurringSites(data, 30);
    expect(Array.from(res.siteOf)).toEqual([0, 1, 1, -1]);
    expect(res.recurrence[2]).toBe(1);
  });

  it('says how to fix a bad radius', () => {
    expect(() => findRecurringSites(input([]), 0)).toThrow(/positive number of metres/);
  });

  it('projects lng/lat to metres around an origin', () => {
    const { x, y } = projectLocal(Float64Array.of(116, 116.001), Float64Array.of(36, 36.001), [116, 36]);
    expect(x[0]).toBe(0);
    expect(x[1]).toBeCloseTo(90.06, 1);
    expect(y[1]).toBeCloseTo(110.57, 1);
  });
});
