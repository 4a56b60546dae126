/**
 * Phantom nodes: a snapped point sits inside a segment, so a search starts from (or ends at) both
 * ends of that segment, each with the cost of the part of the segment in between, in each direction
 * the profile allows (one-way respected). Both the contraction-hierarchy queries and plain Dijkstra
 * use these same seeds, so they optimise over exactly the same paths.
 *
 *   from ●────────x─────● to       source at fraction t: → to   costs (1 − t) × segment  (if forward allowed)
 *                 t                                      → from costs t × segment        (if backward allowed)
 *
 * A point at fraction 0 or 1 is the junction itself: one seed, at cost 0, both ways.
 */
import { packCost } from './cost';
import type { SnappedPoint } from './nearest-edge';
import { ALLOW_BACKWARD, ALLOW_FORWARD, type ProfileGraph } from './road-graph';

/** Cost of travelling `fraction` of segment `s` (each part rounded on its own, so exact and integral). */
export function partialCost(view: ProfileGraph, s: number, fraction: number): number {
  return packCost(Math.round(fraction * view.segDurationDs[s]), Math.round(fraction * view.graph.segLengthDm[s]));
}

/**
 * Search seeds of points, two per point: node -1 = no seed.
 * `srcNode[2i + k]` is reached from point i at `srcCost[2i + k]`; point i is reached from
 * `dstNode[2i + k]` at an extra `dstCost[2i + k]`.
 */
export interface Seeds {
  srcNode: Int32Array;
  srcCost: Float64Array;
  dstNode: Int32Array;
  dstCost: Float64Array;
}

/** Seeds of each snapped point for a profile. */
export function pointSeeds(view: ProfileGraph, points: readonly SnappedPoint[]): Seeds {
  const n = points.length;
  const seeds: Seeds = {
    srcNode: new Int32Array(2 * n).fill(-1),
    srcCost: new Float64Array(2 * n),
    dstNode: new Int32Array(2 * n).fill(-1),
    dstCost: new Float64Array(2 * n),
  };
  const g = view.graph;
  for (let i = 0; i < n; i++) {
    const { segment: s, fraction: t } = points[i];
    // A point at a segment's end is at that junction: it leaves and arrives by every street there,
    // not only along its own segment (which may be one-way the other way).
    if (t === 0 || t === 1) {
      const node = t === 0 ? g.segFrom[s] : g.segTo[s];
      seeds.srcNode[2 * i] = node;
      seeds.dstNode[2 * i] = node;
      continue;
    }
    const allowed = view.segAllowed[s];
    if (allowed & ALLOW_FORWARD) {
      seeds.srcNode[2 * i] = g.segTo[s];
      seeds.srcCost[2 * i] = partialCost(view, s, 1 - t);
      seeds.dstNode[2 * i] = g.segFrom[s];
      seeds.dstCost[2 * i] = partialCost(view, s, t);
    }
    if (allowed & ALLOW_BACKWARD) {
      seeds.srcNode[2 * i + 1] = g.segFrom[s];
      seeds.srcCost[2 * i + 1] = partialCost(view, s, t);
      seeds.dstNode[2 * i + 1] = g.segTo[s];
      seeds.dstCost[2 * i + 1] = partialCost(view, s, 1 - t);
    }
  }
  return seeds;
}

/**
 * Where on its segment a point's search seed `k` sits (0 = the segment's from end, 1 = its to end):
 * the end it leaves by as a source, the end it is reached from as a destination. A point at a
 * junction is its own seed.
 */
export function seedFraction(p: SnappedPoint, k: number, as: 'source' | 'destination'): number {
  if (p.fraction === 0 || p.fraction === 1) return p.fraction;
  return (as === 'source') === (k === 0) ? 1 : 0;
}

/**
 * Cost of going from `a` to `b` without leaving their common segment (Infinity when they lie on
 * different segments or the direction is not allowed).
 */
export function directCost(view: ProfileGraph, a: SnappedPoint, b: SnappedPoint): number {
  if (a.segment !== b.segment) return Infinity;
  const allowed = view.segAllowed[a.segment];
  let best = Infinity;
  if (allowed & ALLOW_FORWARD && a.fraction <= b.fraction) best = partialCost(view, a.segment, b.fraction - a.fraction);
  if (allowed & ALLOW_BACKWARD && a.fraction >= b.fraction) best = Math.min(best, partialCost(view, a.segment, a.fraction - b.fraction));
  return best;
}
