/**
 * Benjamini-Hochberg false-discovery-rate control: sort the m p-values ascending, p_(1) ≤ … ≤ p_(m);
 * find the largest k with p_(k) ≤ (k / m) · alpha; every test whose p-value is ≤ p_(k) is significant.
 * Testing hundreds of cells at 0.05 each would otherwise call about 5 % of pure noise "hot".
 *
 * Returns 1 for significant, 0 otherwise, in the input order. NaN p-values are never significant (they
 * still count in m, so they cannot make the others look more significant).
 */
export function benjaminiHochberg(p: ArrayLike<number>, alpha = 0.05): Uint8Array {
  const m = p.length;
  const out = new Uint8Array(m);
  // Only p ≤ alpha can pass (the step-up line never exceeds alpha), so only those need sorting;
  // the rest still count in m. With a million cell-weeks this sorts thousands, not a million.
  let c = 0;
  for (let i = 0; i < m; i++) if (p[i] <= alpha) c++;
  const candidates = new Float64Array(c);
  c = 0;
  for (let i = 0; i < m; i++) if (p[i] <= alpha) candidates[c++] = p[i];
  candidates.sort();
  let cutoff = -1;
  for (let k = c; k >= 1; k--) {
    if (candidates[k - 1] <= (k / m) * alpha) {
      cutoff = candidates[k - 1];
      break;
    }
  }
  if (cutoff < 0) return out;
  for (let i = 0; i < m; i++) if (p[i] <= cutoff) out[i] = 1;
  return out;
}
