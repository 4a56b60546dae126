import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { benjaminiHochberg } from '../../../server/analytics/fdr';
import { csrFromLists, giStar } from '../../../server/analytics/gi-star';
import { mannKendall } from '../../../server/analytics/mann-kendall';

/**
 * tests/fixtures/analytics/hotspot-reference.json, computed from the published formulas. Its "about" states the
 * conventions: Gi* with binary weights within distanceM (the cell itself included), S the population
 * standard deviation, p two-sided normal; BH at alpha 0.05; Mann-Kendall with tie correction and
 * continuity correction, p two-sided.
 */
const REF = fileURLToPath(new URL('../../fixtures/analytics/hotspot-reference.json', import.meta.url));

interface Reference {
  about: string;
  giStar: { distanceM: number; cells: { x: number; y: number; value: number }[]; z: number[]; p: number[]; fdrSignificant: boolean[] };
  mannKendall: Record<string, { values: number[]; S: number; varS: number; z: number; p: number }>;
}

describe('hotspot-reference.json', () => {
  const ref: Reference = JSON.parse(readFileSync(REF, 'utf8'));

  it('Gi* z and p on the grid, within 1e-9', () => {
    const { cells, distanceM } = ref.giStar;
    const lists = cells.map((a) => cells.flatMap((b, j) => (Math.hypot(a.x - b.x, a.y - b.y) <= distanceM ? [j] : [])));
    const { offsets, targets } = csrFromLists(lists);
    const { z, p } = giStar(
      cells.map((c) => c.value),
      offsets,
      targets,
    );
    expect(z.length).toBe(ref.giStar.z.length);
    for (let i = 0; i < z.length; i++) {
      expect(Math.abs(z[i] - ref.giStar.z[i]), `z of cell ${i}`).toBeLessThan(1e-9);
      expect(Math.abs(p[i] - ref.giStar.p[i]), `p of cell ${i}`).toBeLessThan(1e-9);
    }
  });

  it('Benjamini-Hochberg significance at 0.05 on the reference p-values', () => {
    const sig = benjaminiHochberg(ref.giStar.p, 0.05);
    expect(Array.from(sig, (s) => s === 1)).toEqual(ref.giStar.fdrSignificant);
    expect(ref.giStar.fdrSignificant.some(Boolean)).toBe(true);
  });

  it('Mann-Kendall S, variance, z and p on the four series, within 1e-9', () => {
    expect(Object.keys(ref.mannKendall).length).toBe(4);
    for (const [name, r] of Object.entries(ref.mannKendall)) {
      const mk = mannKendall(r.values);
      expect(mk.s, `${name} S`).toBe(r.S);
      expect(Math.abs(mk.varS - r.varS), `${name} varS`).toBeLessThan(1e-9);
      expect(Math.abs(mk.z - r.z), `${name} z`).toBeLessThan(1e-9);
      expect(Math.abs(mk.p - r.p), `${name} p`).toBeLessThan(1e-9);
    }
  });
});
