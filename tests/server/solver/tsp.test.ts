import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { solveTsp, tourLength } from '../../../server/solver/tsp';
import { createRng } from '../../../server/solver/random';
import { att, ceil2d, euc2d, geo, geoRadians, parseTsplib } from '../../../scripts/bench/tsplib-format';

const TSPLIB = fileURLToPath(new URL('../../fixtures/tsplib/', import.meta.url));

function randomMatrix(seed: number, n: number, asym: boolean): Int32Array {
  const rng = createRng(seed);
  const x = Array.from({ length: n }, () => rng.next() * 1000);
  const y = Array.from({ length: n }, () => rng.next() * 1000);
  const m = new Int32Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      m[i * n + j] = i === j ? 0 : Math.round(Math.hypot(x[i] - x[j], y[i] - y[j]) * (asym ? 1 + rng.next() : 1));
    }
  if (!asym) for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) m[i * n + j] = m[j * n + i];
  return m;
}

function bruteForceTsp(n: number, m: Int32Array): number {
  let best = Infinity;
  const perm = Array.from({ length: n - 1 }, (_, i) => i + 1);
  const rec = (k: number): void => {
    if (k === perm.length) {
      best = Math.min(best, tourLength(n, m, [0, ...perm]));
      return;
    }
    for (let i = k; i < perm.length; i++) {
      [perm[k], perm[i]] = [perm[i], perm[k]];
      rec(k + 1);
      [perm[k], perm[i]] = [perm[i], perm[k]];
    }
  };
  rec(0);
  return best;
}

const opts = (seed: number, maxKicks: number) => ({ rng: createRng(seed), now: () => 0, deadline: 1, maxKicks });

describe('TSP path', () => {
  it('finds the brute-force optimum on small symmetric and asymmetric instances', () => {
    for (let seed = 1; seed <= 10; seed++) {
      const n = 6 + (seed % 6); // 6–8 are enumerated, 9–11 searched
      const m = randomMatrix(seed, n, seed % 2 === 0);
      const res = solveTsp(n, m, opts(seed, 300));
      expect(res.length).toBe(tourLength(n, m, res.tour));
      expect(res.length).toBe(bruteForceTsp(n, m));
    }
  });

  it('returns a permutation whose reported length is exact on larger asymmetric instances', () => {
    for (const seed of [3, 4]) {
      const n = 80;
      const m = randomMatrix(seed, n, true);
      const res = solveTsp(n, m, opts(seed, 500));
      expect(new Set(res.tour).size).toBe(n);
      expect(res.length).toBe(tourLength(n, m, res.tour));
      // Better than the nearest-neighbour start it improved from.
      const nn = solveTsp(n, m, opts(seed, 0));
      expect(res.length).toBeLessThanOrEqual(nn.length);
    }
  });

  it('is deterministic for a seed', () => {
    const m = randomMatrix(9, 60, false);
    expect(Array.from(solveTsp(60, m, opts(5, 300)).tour)).toEqual(Array.from(solveTsp(60, m, opts(5, 300)).tour));
  });
});

describe('TSPLIB distances', () => {
  it('round as the TSPLIB95 document says', () => {
    expect(euc2d(3, 4)).toBe(5);
    expect(euc2d(1, 1)).toBe(1); // 1.414 → 1
    expect(euc2d(1.5, 1.5)).toBe(2); // 2.121 → 2
    expect(euc2d(0.5, 0)).toBe(1); // half rounds up
    expect(ceil2d(1, 1)).toBe(2);
    expect(att(10, 0)).toBe(4); // sqrt(10) = 3.16 → nint 3 < r → 4
    expect(att(30, 40)).toBe(16); // sqrt(250) = 15.8 → 16
    expect(att(0, 20)).toBe(7); // sqrt(40) = 6.32 → 7
    // GEO: DDD.MM, so 16.30 is 16°30' = 16.5°.
    expect(geoRadians(16.3)).toBeCloseTo((3.141592 * 16.5) / 180, 9);
    expect(geo(geoRadians(0), geoRadians(0), geoRadians(0), geoRadians(1))).toBe(112); // 111.3 km + 1, truncated
  });

  it('parses every explicit matrix layout into the same symmetric matrix', () => {
    // 3 nodes: d(1,2)=1, d(1,3)=2, d(2,3)=3.
    const head = 'NAME: t\nTYPE: TSP\nDIMENSION: 3\nEDGE_WEIGHT_TYPE: EXPLICIT\n';
    const layouts: Record<string, string> = {
      FULL_MATRIX: '0 1 2\n1 0 3\n2 3 0',
      UPPER_ROW: '1 2\n3',
      LOWER_ROW: '1\n2 3',
      UPPER_DIAG_ROW: '0 1 2\n0 3\n0',
      LOWER_DIAG_ROW: '0\n1 0\n2 3 0',
    };
    for (const [fmt, body] of Object.entries(layouts)) {
      const inst = parseTsplib(`${head}EDGE_WEIGHT_FORMAT: ${fmt}\nEDGE_WEIGHT_SECTION\n${body}\nEOF\n`);
      expect(Array.from(inst.matrix), fmt).toEqual([0, 1, 2, 1, 0, 3, 2, 3, 0]);
    }
  });

  it('keeps an ATSP FULL_MATRIX asymmetric and solves it exactly', () => {
    const text =
      'NAME: a4\nTYPE: ATSP\nDIMENSION: 4\nEDGE_WEIGHT_TYPE: EXPLICIT\nEDGE_WEIGHT_FORMAT: FULL_MATRIX\nEDGE_WEIGHT_SECTION\n' +
      '0 1 9 9\n9 0 1 9\n9 9 0 1\n1 9 9 0\nEOF\n';
    const inst = parseTsplib(text);
    expect(inst.matrix[1]).toBe(1);
    expect(inst.matrix[4]).toBe(9);
    // The only cheap cycle is 1→2→3→4→1 (length 4); its reverse costs 36.
    expect(solveTsp(4, inst.matrix, opts(1, 50)).length).toBe(4);
  });

  // Small instances of each distance type and layout, solved to their published optimum: a wrong
  // rounding or layout would give a different number (for some, a tour shorter than the optimum).
  const known: [string, number][] = [
    ['burma14', 3323],
    ['ulysses16', 6859],
    ['gr17', 2085],
    ['gr21', 2707],
    ['fri26', 937],
    ['bayg29', 1610],
    ['bays29', 2020],
    ['att48', 10628],
    ['eil51', 426],
    ['berlin52', 7542],
    ['si175', 21407],
  ];
  for (const [name, opt] of known) {
    it(`${name} reaches its proven optimum ${opt}`, () => {
      const inst = parseTsplib(readFileSync(`${TSPLIB}${name}.tsp`, 'utf8'));
      let best = Infinity;
      for (let seed = 1; seed <= 3 && best > opt; seed++) best = Math.min(best, solveTsp(inst.dimension, inst.matrix, opts(seed, 10000)).length);
      expect(best).toBe(opt);
    });
  }
});
