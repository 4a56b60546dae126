import { twoSidedP } from './normal';

/**
 * Mann-Kendall trend test on a series x_1 … x_n (in time order):
 * - S = Σ_{i<j} sign(x_j − x_i): positive when later values tend to be larger.
 * - Var(S) = [ n(n−1)(2n+5) − Σ_g t_g(t_g−1)(2t_g+5) ] / 18, where t_g is the size of each group of tied
 *   values (the tie correction).
 * - z = (S − 1)/√Var(S) if S > 0, (S + 1)/√Var(S) if S < 0, 0 if S = 0 (the continuity correction).
 * - p two-sided from the standard normal.
 * A series with Var(S) = 0 (fewer than two values, or all tied) has z = 0 and p = 1.
 */
export interface MannKendall {
  s: number;
  varS: number;
  z: number;
  p: number;
}

/** Mann-Kendall S, tie-corrected variance, continuity-corrected z and two-sided p of `x`. */
export function mannKendall(x: ArrayLike<number>): MannKendall {
  const n = x.length;
  let s = 0;
  for (let i = 0; i < n - 1; i++) {
    const xi = x[i];
    for (let j = i + 1; j < n; j++) {
      const d = x[j] - xi;
      if (d > 0) s++;
      else if (d < 0) s--;
    }
  }
  // Tie groups: runs of equal values in a sorted copy.
  const sorted = Float64Array.from(x).sort();
  let ties = 0;
  let run = 1;
  for (let i = 1; i <= n; i++) {
    if (i < n && sorted[i] === sorted[i - 1]) {
      run++;
    } else {
      if (run > 1) ties += run * (run - 1) * (2 * run + 5);
      run = 1;
    }
  }
  const varS = (n * (n - 1) * (2 * n + 5) - ties) / 18;
  if (varS <= 0) return { s, varS: Math.max(0, varS), z: 0, p: 1 };
  const z = s > 0 ? (s - 1) / Math.sqrt(varS) : s < 0 ? (s + 1) / Math.sqrt(varS) : 0;
  return { s, varS, z, p: twoSidedP(z) };
}
