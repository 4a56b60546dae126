/**
 * The seeded PRNG of the whole repo (mulberry32): the solver, the 暗访 sampler, the demo city and the
 * benchmarks draw from it, and nothing calls Math.random, so a seed reproduces a plan, a sample or a city.
 */

/**
 * mulberry32: a tiny 32-bit generator, uniform in [0, 1), good enough for search and synthetic data and
 * fast in V8.
 * @example const rng = mulberry32(1); rng(); // 0.6270739405881613
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The solver's view of the stream. */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
}

/** Create the solver's deterministic generator from a 32-bit seed (mixed, so that seeds 0, 1, 2 … differ well). */
export function createRng(seed: number): Rng {
  const next = mulberry32((seed | 0) ^ 0x9e3779b9);
  return { next, int: (n: number) => Math.floor(next() * n) };
}
