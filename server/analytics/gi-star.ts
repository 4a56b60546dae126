import { twoSidedP } from './normal';

/**
 * Getis-Ord Gi* (Ord & Getis 1995) with binary weights: w_ij = 1 when j is a neighbour of i, the feature
 * itself included (that is the "star"), else 0. With n features, values x, X̄ = Σx / n and
 * S = √(Σx² / n − X̄²) (the population standard deviation), for feature i with W_i = Σ_j w_ij:
 *
 *            Σ_j w_ij x_j − X̄ · W_i
 *   Gi* = ───────────────────────────────────────     (binary weights: Σ_j w_ij² = W_i)
 *          S · √( (n · W_i − W_i²) / (n − 1) )
 *
 * Gi* is a z-score; p is two-sided from the standard normal. When every value is equal (S = 0), or a
 * feature neighbours every feature (the denominator is 0), there is nothing to find: z = 0, p = 1.
 */

/** Global moments of a set of values, the part of Gi* shared by every feature. */
export interface GiMoments {
  n: number;
  mean: number;
  /** Population standard deviation. */
  s: number;
}

/** n, mean and population standard deviation of `values`. */
export function giMoments(values: ArrayLike<number>): GiMoments {
  const n = values.length;
  let sum = 0;
  let sumSq = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    sum += v;
    sumSq += v * v;
  }
  const mean = n > 0 ? sum / n : 0;
  const variance = n > 0 ? sumSq / n - mean * mean : 0;
  return { n, mean, s: variance > 0 ? Math.sqrt(variance) : 0 };
}

/**
 * Gi* z-score of one feature from its neighbourhood sum Σ_j w_ij x_j and weight W_i (the number of
 * neighbours, itself included), given the global moments.
 */
export function giStarZ(localSum: number, weight: number, m: GiMoments): number {
  if (m.s === 0 || m.n < 2) return 0;
  const denomSq = (m.n * weight - weight * weight) / (m.n - 1);
  if (denomSq <= 0) return 0;
  return (localSum - m.mean * weight) / (m.s * Math.sqrt(denomSq));
}

/**
 * Gi* z and two-sided p for every feature. Neighbours are given in CSR form: the neighbours of feature i
 * are `targets[offsets[i] … offsets[i + 1] − 1]` and must include i itself.
 *
 * @example
 * // three features in a row, each the neighbour of the next
 * giStar([1, 5, 9], Uint32Array.of(0, 2, 5, 7), Uint32Array.of(0, 1, 0, 1, 2, 1, 2))
 */
export function giStar(values: ArrayLike<number>, offsets: Uint32Array, targets: Uint32Array): { z: Float64Array; p: Float64Array } {
  const n = values.length;
  if (offsets.length !== n + 1) {
    throw new RangeError(`giStar: offsets must have values.length + 1 = ${n + 1} entries (got ${offsets.length}); build them with csrFromLists().`);
  }
  const m = giMoments(values);
  const z = new Float64Array(n);
  const p = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let sum = 0;
    const end = offsets[i + 1];
    for (let k = offsets[i]; k < end; k++) sum += values[targets[k]];
    z[i] = giStarZ(sum, end - offsets[i], m);
    p[i] = twoSidedP(z[i]);
  }
  return { z, p };
}

/** Packs neighbour lists into CSR arrays (`offsets` has one more entry than `lists`). */
export function csrFromLists(lists: readonly (readonly number[])[]): { offsets: Uint32Array; targets: Uint32Array } {
  const offsets = new Uint32Array(lists.length + 1);
  for (let i = 0; i < lists.length; i++) offsets[i + 1] = offsets[i] + lists[i].length;
  const targets = new Uint32Array(offsets[lists.length]);
  for (let i = 0; i < lists.length; i++) targets.set(lists[i], offsets[i]);
  return { offsets, targets };
}
