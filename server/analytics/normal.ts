/**
 * Standard normal tail probabilities, accurate to about 1e-16 absolute (the reference fixture is matched
 * to 1e-9, and Benjamini-Hochberg ranks p-values, so a cheap 1e-7 approximation is not good enough).
 */

const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);
/** Below this the erf series (all terms positive, no cancellation) is used; above it the continued fraction. */
const SERIES_LIMIT = 2.5;

/**
 * erfc(x) = 1 − erf(x).
 * - |x| < 2.5: erf(x) = 2/√π · e^(−x²) · Σ 2ⁿ x^(2n+1) / (1·3·…·(2n+1)), a series of positive terms.
 * - x ≥ 2.5: erfc(x) = e^(−x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …)))), evaluated by modified Lentz.
 */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x < 0) return 2 - erfc(-x);
  if (x < SERIES_LIMIT) {
    let term = x;
    let sum = x;
    const twoX2 = 2 * x * x;
    for (let n = 1; n < 200; n++) {
      term *= twoX2 / (2 * n + 1);
      sum += term;
      if (term < sum * 1e-17) break;
    }
    return 1 - TWO_OVER_SQRT_PI * Math.exp(-x * x) * sum;
  }
  if (x > 27) return 0; // e^(−729) underflows a double.
  // Continued fraction K = x + a1/(x + a2/(x + …)), a_n = n/2, by modified Lentz.
  const TINY = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let n = 1; n < 500; n++) {
    const a = n / 2;
    d = x + a * d;
    d = d === 0 ? TINY : d;
    c = x + a / c;
    c = c === 0 ? TINY : c;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-x * x) / Math.sqrt(Math.PI) / f;
}

/** P(Z > z) for a standard normal Z. */
export function normalSf(z: number): number {
  return 0.5 * erfc(z / Math.SQRT2);
}

/** Two-sided p-value of a standard normal score: P(|Z| ≥ |z|). */
export function twoSidedP(z: number): number {
  return erfc(Math.abs(z) / Math.SQRT2);
}
