/** Index of a location in a cost matrix (row/column), not a job or team index. */
export type NodeId = number;
/** An integer cost: seconds for durations, metres (or a scaled unit) for distances. */
export type Cost = number;

/**
 * Square matrices of integer costs, row-major: `durations[from * size + to]`.
 * Integers keep gains exact and comparisons stable (vroom `typedefs.h`); callers with real-valued
 * costs scale them first (see `scaleCosts`).
 */
export interface CostMatrix {
  size: number;
  durations: Int32Array;
  distances: Int32Array;
}

/** A matrix whose durations and distances are the same numbers (TSPLIB, Solomon, orienteering). */
export function singleCostMatrix(size: number, costs: Int32Array): CostMatrix {
  if (costs.length !== size * size) {
    throw new Error(`cost matrix has ${costs.length} cells but size ${size} needs ${size * size}: pass a full square matrix`);
  }
  return { size, durations: costs, distances: costs };
}

/** True when `m[i][j] === m[j][i]` for every pair, so tour reversals cost nothing inside a segment. */
export function isSymmetric(size: number, m: Int32Array): boolean {
  for (let i = 0; i < size; i++) {
    for (let j = i + 1; j < size; j++) {
      if (m[i * size + j] !== m[j * size + i]) return false;
    }
  }
  return true;
}

/**
 * Scale real-valued costs to integers. `ceil` keeps a schedule that fits in scaled units feasible in
 * real units (used for travel times checked against windows and budgets).
 */
export function scaleCosts(values: Float64Array, factor: number, mode: 'round' | 'ceil'): Int32Array {
  const out = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i] * factor;
    const r = mode === 'ceil' ? Math.ceil(v - 1e-9) : Math.round(v);
    if (r > 2147483647) throw new Error(`cost ${values[i]} × ${factor} overflows Int32: use a smaller scale factor`);
    out[i] = r;
  }
  return out;
}
