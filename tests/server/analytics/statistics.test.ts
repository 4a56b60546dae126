import { describe, expect, it } from 'vitest';
import { classifyCell } from '../../../server/analytics/emerging';
import { benjaminiHochberg } from '../../../server/analytics/fdr';
import { csrFromLists, giStar } from '../../../server/analytics/gi-star';
import { mannKendall } from '../../../server/analytics/mann-kendall';
import { erfc, twoSidedP } from '../../../server/analytics/normal';

describe('Gi*', () => {
  it('matches a hand computation on three features in a row', () => {
    // mean 5, S = √(107/3 − 25) = √(32/3); feature 0: (6 − 2·5) / (S · √((3·2 − 4)/2)) = −4/S = −√1.5
    const { offsets, targets } = csrFromLists([
      [0, 1],
      [0, 1, 2],
      [1, 2],
    ]);
    const { z, p } = giStar([1, 5, 9], offsets, targets);
    expect(z[0]).toBeCloseTo(-Math.sqrt(1.5), 12);
    expect(z[1]).toBe(0); // neighbours everything: nothing to compare with
    expect(z[2]).toBeCloseTo(Math.sqrt(1.5), 12);
    expect(p[0]).toBeCloseTo(twoSidedP(Math.sqrt(1.5)), 15);
    expect(p[1]).toBe(1);
  });

  it('finds nothing when every value is equal', () => {
    const { offsets, targets } = csrFromLists([[0, 1], [0, 1], [2]]);
    expect(Array.from(giStar([3, 3, 3], offsets, targets).z)).toEqual([0, 0, 0]);
  });

  it('says how to build the neighbour arrays when they do not fit', () => {
    expect(() => giStar([1, 2], Uint32Array.of(0, 1), Uint32Array.of(0))).toThrow(/csrFromLists/);
  });
});

describe('normal tails', () => {
  it('agrees with known values of erfc and the two-sided p', () => {
    expect(erfc(0)).toBe(1);
    expect(Math.abs(erfc(1) - 0.15729920705028513)).toBeLessThan(1e-15);
    expect(Math.abs(erfc(3) - 2.209049699858544e-5)).toBeLessThan(1e-18);
    expect(Math.abs(twoSidedP(1.959963984540054) - 0.05)).toBeLessThan(1e-15);
    expect(erfc(-1)).toBeCloseTo(2 - 0.15729920705028513, 15);
  });
});

describe('Benjamini-Hochberg', () => {
  it('keeps only the ranks under the step-up line', () => {
    // m = 4, alpha 0.05: thresholds 0.0125, 0.025, 0.0375, 0.05 → only 0.01 passes
    expect(Array.from(benjaminiHochberg([0.01, 0.04, 0.03, 0.5]))).toEqual([1, 0, 0, 0]);
    // the largest passing rank carries every smaller p with it
    expect(Array.from(benjaminiHochberg([0.04, 0.02, 0.01, 0.03]))).toEqual([1, 1, 1, 1]);
    expect(Array.from(benjaminiHochberg([0.2, 0.3]))).toEqual([0, 0]);
    expect(Array.from(benjaminiHochberg([NaN, 0.001]))).toEqual([0, 1]);
  });
});

describe('Mann-Kendall', () => {
  it('matches a hand computation', () => {
    // S = 3, Var = 3·2·11/18, z = (3 − 1)/√Var
    const mk = mannKendall([1, 2, 3]);
    expect(mk.s).toBe(3);
    expect(mk.varS).toBeCloseTo(66 / 18, 12);
    expect(mk.z).toBeCloseTo(2 / Math.sqrt(66 / 18), 12);
  });

  it('corrects the variance for ties and gives no trend for a constant series', () => {
    // [1, 1, 2]: S = 2, ties one group of 2: (3·2·11 − 2·1·9)/18 = 48/18
    expect(mannKendall([1, 1, 2])).toMatchObject({ s: 2, varS: 48 / 18 });
    expect(mannKendall([4, 4, 4, 4])).toEqual({ s: 0, varS: 0, z: 0, p: 1 });
    expect(mannKendall([3, 2, 1]).z).toBeLessThan(0);
  });
});

describe('emerging hot-spot classes', () => {
  const z = (n: number, f: (t: number) => number) => Array.from({ length: n }, (_, t) => f(t));
  const s = (text: string) => [...text].map((ch) => (ch === 'H' ? 1 : ch === 'C' ? -1 : 0));
  it.each([
    ['.........H', 'new-hot'],
    ['.......HHH', 'consecutive-hot'],
    ['..H....HHH', 'sporadic-hot'],
    ['H..H...H.H', 'sporadic-hot'],
    ['C..H.....H', 'oscillating-hot'],
    ['HHHHHHHHH.', 'historical-hot'],
    ['..HH......', 'no-pattern'],
    ['..........', 'no-pattern'],
    ['.........C', 'new-cold'],
    ['........CC', 'consecutive-cold'],
    ['H.......CC', 'consecutive-cold'], // a hot past does not stop a cold run from being consecutive
    ['H...C...CC', 'oscillating-cold'],
    ['CCCCCCCCC.', 'historical-cold'],
  ])('%s → %s', (states, expected) => {
    expect(
      classifyCell(
        s(states),
        z(states.length, () => 3),
      ),
    ).toBe(expected);
  });

  it('tells intensifying, persistent and diminishing apart by the trend of z', () => {
    const allHot = s('HHHHHHHHHHHH');
    expect(
      classifyCell(
        allHot,
        z(12, (t) => 2 + t),
      ),
    ).toBe('intensifying-hot');
    expect(
      classifyCell(
        allHot,
        z(12, (t) => 20 - t),
      ),
    ).toBe('diminishing-hot');
    expect(
      classifyCell(
        allHot,
        z(12, (t) => 3 + (t % 2)),
      ),
    ).toBe('persistent-hot');
    // one quiet week in twelve is still ≥ 90 %? no: 11/12 = 0.917 → still mostly hot
    expect(
      classifyCell(
        s('HHH.HHHHHHHH'),
        z(12, () => 3),
      ),
    ).toBe('persistent-hot');
    expect(
      classifyCell(
        s('CCCCCCCCCCCC'),
        z(12, (t) => -2 - t),
      ),
    ).toBe('intensifying-cold');
  });
});
