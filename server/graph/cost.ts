/**
 * One exact route cost per edge: duration first, distance to break ties.
 *
 *   cost = durationDs × 2^25 + distanceDm
 *
 * Durations are integer deciseconds and distances integer decimetres, so every sum is an integer
 * below 2^53 and exact in a double (paths up to 3,355 km and 310 days). Because the order is
 * lexicographic and total, the optimal cost of a pair is unique: contraction hierarchies and plain
 * Dijkstra must agree on it to the decimetre, and the distance reported is the distance of the
 * fastest route (the shortest of the fastest when several tie).
 */

/** 2^25: the distance part of a cost, in decimetres, stays below this. */
export const DIST_SCALE = 33_554_432;

/** Cost of `durationDs` deciseconds and `distanceDm` decimetres. */
export function packCost(durationDs: number, distanceDm: number): number {
  return durationDs * DIST_SCALE + distanceDm;
}

/** Duration part of a cost, deciseconds. */
export function costDurationDs(cost: number): number {
  return Math.floor(cost / DIST_SCALE);
}

/** Distance part of a cost, decimetres. */
export function costDistanceDm(cost: number): number {
  return cost - Math.floor(cost / DIST_SCALE) * DIST_SCALE;
}
