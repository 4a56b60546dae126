import { describe, expect, it } from 'vitest';
import { HOTSPOT_CLASSES } from '../../../server/analytics/emerging';
import { csrFromLists, giStar } from '../../../server/analytics/gi-star';
import { analyseCube } from '../../../server/analytics/space-time-cube';

/** A W × H square grid; neighbours are the 3 × 3 block around each cell (itself included). */
function grid(w: number, h: number) {
  const lists: number[][] = [];
  for (let r = 0; r < h; r++) {
    for (let c = 0; c < w; c++) {
      const list: number[] = [];
      for (let dr = -1; dr <= 1; dr++)
        for (let dc = -1; dc <= 1; dc++) {
          const rr = r + dr;
          const cc = c + dc;
          if (rr >= 0 && rr < h && cc >= 0 && cc < w) list.push(rr * w + cc);
        }
      lists.push(list);
    }
  }
  return { lists, ...csrFromLists(lists) };
}

describe('analyseCube', () => {
  it('weekly z equals Gi* over the bins with space-time neighbours built by hand', () => {
    const C = 6;
    const T = 5;
    const g = grid(3, 2);
    const counts = Float64Array.from({ length: C * T }, (_, i) => (i * 7919) % 11);
    const res = analyseCube({ cells: C, weeks: T, counts, offsets: g.offsets, targets: g.targets }, { timeWindow: 1 });
    const binLists = [];
    for (let c = 0; c < C; c++) {
      for (let t = 0; t < T; t++) {
        binLists.push(g.lists[c].flatMap((cc) => (t > 0 ? [cc * T + t - 1, cc * T + t] : [cc * T + t])));
      }
    }
    const ref = csrFromLists(binLists);
    const expected = giStar(counts, ref.offsets, ref.targets).z;
    for (let i = 0; i < C * T; i++) expect(res.binZ[i]).toBeCloseTo(expected[i], 5); // binZ is float32
    expect(Array.from(res.total)).toEqual(Array.from({ length: C }, (_, c) => counts.slice(c * T, c * T + T).reduce((a, b) => a + b)));
  });

  it('finds a planted cluster that is busy every week, and one that appears in the last weeks', () => {
    const W = 12;
    const T = 20;
    const g = grid(W, W);
    const C = W * W;
    const counts = new Float64Array(C * T);
    // background noise 0–2, deterministic
    for (let i = 0; i < C * T; i++) counts[i] = (i * 2654435761) % 3;
    const cell = (r: number, c: number) => r * W + c;
    for (let t = 0; t < T; t++) {
      for (const [r, c] of [
        [2, 2],
        [2, 3],
        [3, 2],
        [3, 3],
      ])
        counts[cell(r, c) * T + t] = 12;
      if (t >= T - 3)
        for (const [r, c] of [
          [9, 9],
          [9, 8],
          [8, 9],
          [8, 8],
        ])
          counts[cell(r, c) * T + t] = 25;
    }
    const res = analyseCube({ cells: C, weeks: T, counts, offsets: g.offsets, targets: g.targets });
    const cls = (r: number, c: number) => HOTSPOT_CLASSES[res.classCode[cell(r, c)]];
    expect(cls(2, 2)).toMatch(/^(persistent|intensifying|diminishing)-hot$/);
    expect(cls(9, 9)).toMatch(/^(new|consecutive)-hot$/);
    expect(cls(6, 0)).toBe('no-pattern');
    expect(res.significant[cell(2, 2)]).toBe(1);
    expect(res.z[cell(2, 2)]).toBeGreaterThan(3);
    expect(res.trendZ[cell(9, 9)]).toBeGreaterThan(0);
  });

  it('rejects a counts array that does not match cells × weeks', () => {
    const g = grid(2, 1);
    expect(() => analyseCube({ cells: 2, weeks: 3, counts: new Float64Array(5), offsets: g.offsets, targets: g.targets })).toThrow(/cells × weeks/);
  });
});
