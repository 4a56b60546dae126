/**
 * Snapping: any [lng, lat] to the nearest point of a segment a profile may use, through a KD index
 * (mourner/kdbush) of points sampled along every segment, never a scan.
 *
 *   segment geometry  o------x------x------o      x = samples every ≤ SAMPLE_SPACING_M,
 *                                                  so any point of a piece is ≤ half a spacing from one
 * A radius search for samples within r + half a spacing finds every piece whose true distance is ≤ r;
 * the closest of those is the answer when it is ≤ r, else the radius grows up to the limit.
 */
import KDBush from 'kdbush';
import { SnapError } from './errors';
import { metresPerDegree } from './measure';
import type { ProfileGraph, RoadGraph } from './road-graph';

/** Distance between index samples along a segment, metres. */
const SAMPLE_SPACING_M = 20;
/** Default snapping limit, metres. */
export const DEFAULT_SNAP_LIMIT_M = 500;
/** Radii tried before the limit, metres (most points lie next to a street). */
const SEARCH_RADII_M = [40, 150];

/** The spatial index of one graph (profile-independent; the profile filters at query time). */
export interface SnapIndex {
  graph: RoadGraph;
  kd: KDBush;
  /** Geometry point index (into graph.geom) of the piece each sample lies on. */
  samplePiece: Uint32Array;
  /** Segment of each sample. */
  sampleSegment: Uint32Array;
  /** Local equirectangular frame: x = lng × mx, y = lat × my (metres). */
  mx: number;
  my: number;
}

/** A point placed on the graph. `fraction` runs from the segment's from-node (0) to its to-node (1). */
export interface SnappedPoint {
  /** The point as given. */
  input: [number, number];
  /** Nearest point on the segment. */
  lngLat: [number, number];
  segment: number;
  fraction: number;
  /** Distance from the input to the snapped point, metres. */
  distanceM: number;
  /** Road id (`r…`) of the segment. */
  roadId: string;
}

export interface SnapOptions {
  /** Largest allowed snap distance in metres (default 500). */
  maxDistanceM?: number;
  /**
   * `largest` (default) snaps only to segments in the profile's largest strongly connected component,
   * so every two snapped points are mutually reachable; `any` allows isolated pieces too.
   */
  component?: 'largest' | 'any';
  /** Position of the point in the caller's list, named in the error. */
  pointIndex?: number | null;
}

/** Builds the snapping index of a graph (O(total road length / 20 m)). */
export function buildSnapIndex(graph: RoadGraph): SnapIndex {
  const { geom, geomOffsets } = graph;
  let lat0 = 0;
  for (let i = 1; i < geom.length; i += 2) lat0 += geom[i];
  lat0 = geom.length ? lat0 / (geom.length / 2) : 0;
  const { mx, my } = metresPerDegree(lat0);
  // Two passes (count, then fill typed arrays): at the cache load of a large city this index is most
  // of the time, and growing plain arrays sample by sample was most of the index.
  const pieceCount = geom.length / 2 - 1;
  const samplesOf = new Uint32Array(Math.max(0, pieceCount));
  let total = 0;
  for (let s = 0; s < graph.segmentCount; s++) {
    for (let p = geomOffsets[s]; p < geomOffsets[s + 1] - 1; p++) {
      const n = Math.max(1, Math.ceil(Math.hypot((geom[2 * p + 2] - geom[2 * p]) * mx, (geom[2 * p + 3] - geom[2 * p + 1]) * my) / SAMPLE_SPACING_M));
      samplesOf[p] = n;
      total += n;
    }
  }
  const samplePiece = new Uint32Array(total);
  const sampleSegment = new Uint32Array(total);
  const kd = new KDBush(Math.max(1, total));
  let i = 0;
  for (let s = 0; s < graph.segmentCount; s++) {
    for (let p = geomOffsets[s]; p < geomOffsets[s + 1] - 1; p++) {
      const x0 = geom[2 * p] * mx;
      const y0 = geom[2 * p + 1] * my;
      const dx = geom[2 * p + 2] * mx - x0;
      const dy = geom[2 * p + 3] * my - y0;
      const n = samplesOf[p];
      for (let k = 0; k < n; k++, i++) {
        const t = (k + 0.5) / n;
        kd.add(x0 + dx * t, y0 + dy * t);
        samplePiece[i] = p;
        sampleSegment[i] = s;
      }
    }
  }
  if (total === 0) kd.add(Infinity, Infinity);
  kd.finish();
  return { graph, kd, samplePiece, sampleSegment, mx, my };
}

function usable(view: ProfileGraph, s: number, anyComponent: boolean): boolean {
  if (view.segAllowed[s] === 0) return false;
  if (anyComponent) return true;
  const g = view.graph;
  return view.mainComponent[g.segFrom[s]] === 1 && view.mainComponent[g.segTo[s]] === 1;
}

/**
 * Snaps a point onto the nearest segment the profile may use.
 * @throws SnapError when no such segment lies within `maxDistanceM` (default 500 m).
 * @example snapPoint(index, views.walk, [115.98, 36.45]).distanceM // 12.3
 */
export function snapPoint(index: SnapIndex, view: ProfileGraph, lngLat: readonly [number, number], opts: SnapOptions = {}): SnappedPoint {
  const limit = opts.maxDistanceM ?? DEFAULT_SNAP_LIMIT_M;
  const anyComponent = opts.component === 'any';
  const { graph, kd, mx, my } = index;
  const geom = graph.geom;
  const qx = lngLat[0] * mx;
  const qy = lngLat[1] * my;
  const radii = SEARCH_RADII_M.filter((r) => r < limit).concat(limit);
  let bestD2 = Infinity;
  for (const r of radii) {
    const found = kd.within(qx, qy, r + SAMPLE_SPACING_M / 2);
    let bestPiece = -1;
    let bestT = 0;
    let bestSeg = -1;
    bestD2 = Infinity;
    for (const i of found) {
      const s = index.sampleSegment[i];
      if (!usable(view, s, anyComponent)) continue;
      const p = index.samplePiece[i];
      const x0 = geom[2 * p] * mx;
      const y0 = geom[2 * p + 1] * my;
      const dx = geom[2 * p + 2] * mx - x0;
      const dy = geom[2 * p + 3] * my - y0;
      const len2 = dx * dx + dy * dy;
      let t = len2 > 0 ? ((qx - x0) * dx + (qy - y0) * dy) / len2 : 0;
      t = t < 0 ? 0 : t > 1 ? 1 : t;
      const ex = x0 + dx * t - qx;
      const ey = y0 + dy * t - qy;
      const d2 = ex * ex + ey * ey;
      // Ties go to the lower segment id, so the answer does not depend on the index's order.
      if (d2 < bestD2 || (d2 === bestD2 && s < bestSeg)) {
        bestD2 = d2;
        bestPiece = p;
        bestT = t;
        bestSeg = s;
      }
    }
    if (bestSeg >= 0 && Math.sqrt(bestD2) <= r) return placeOnSegment(index, lngLat, bestSeg, bestPiece, bestT, Math.sqrt(bestD2));
  }
  throw new SnapError([lngLat[0], lngLat[1]], opts.pointIndex ?? null, view.profile, limit, Number.isFinite(bestD2) ? Math.sqrt(bestD2) : null);
}

function placeOnSegment(index: SnapIndex, input: readonly [number, number], s: number, piece: number, t: number, distanceM: number): SnappedPoint {
  const { graph, mx, my } = index;
  const geom = graph.geom;
  let before = 0;
  let total = 0;
  for (let p = graph.geomOffsets[s]; p < graph.geomOffsets[s + 1] - 1; p++) {
    const len = Math.hypot((geom[2 * p + 2] - geom[2 * p]) * mx, (geom[2 * p + 3] - geom[2 * p + 1]) * my);
    if (p < piece) before += len;
    if (p === piece) before += len * t;
    total += len;
  }
  const lng = geom[2 * piece] + (geom[2 * piece + 2] - geom[2 * piece]) * t;
  const lat = geom[2 * piece + 1] + (geom[2 * piece + 3] - geom[2 * piece + 1]) * t;
  return {
    input: [input[0], input[1]],
    lngLat: [lng, lat],
    segment: s,
    fraction: total > 0 ? before / total : 0,
    distanceM,
    roadId: graph.roadIds[graph.segRoad[s]],
  };
}

/**
 * The geometry of segment `s` between fractions `f0` and `f1` (reversed when f0 > f1), as
 * [lng, lat] pairs, using the same local frame as snapping so fractions match.
 */
export function segmentSlice(index: SnapIndex, s: number, f0: number, f1: number): [number, number][] {
  const { graph, mx, my } = index;
  const geom = graph.geom;
  const first = graph.geomOffsets[s];
  const last = graph.geomOffsets[s + 1] - 1;
  const cum: number[] = [0];
  for (let p = first; p < last; p++) {
    cum.push(cum[cum.length - 1] + Math.hypot((geom[2 * p + 2] - geom[2 * p]) * mx, (geom[2 * p + 3] - geom[2 * p + 1]) * my));
  }
  const total = cum[cum.length - 1];
  const at = (f: number): [number, number] => {
    const d = f * total;
    let k = 0;
    while (k < cum.length - 2 && cum[k + 1] < d) k++;
    const span = cum[k + 1] - cum[k];
    const t = span > 0 ? Math.min(1, Math.max(0, (d - cum[k]) / span)) : 0;
    const p = first + k;
    return [geom[2 * p] + (geom[2 * p + 2] - geom[2 * p]) * t, geom[2 * p + 1] + (geom[2 * p + 3] - geom[2 * p + 1]) * t];
  };
  const lo = Math.min(f0, f1);
  const hi = Math.max(f0, f1);
  const out: [number, number][] = [at(lo)];
  for (let k = 1; k < cum.length - 1; k++) {
    const f = total > 0 ? cum[k] / total : 0;
    if (f > lo && f < hi) out.push([geom[2 * (first + k)], geom[2 * (first + k) + 1]]);
  }
  out.push(at(hi));
  return f0 <= f1 ? out : out.reverse();
}
