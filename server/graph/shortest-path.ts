/**
 * Point-to-point routes with their geometry along the streets, including the partial first and
 * last segments from and to the snapped points. Uses the profile's contraction hierarchy
 * (bidirectional upward search, shortcuts unpacked to original arcs); `method: 'dijkstra'` gives the
 * same route by plain Dijkstra.
 */
import { unpackEdge } from './contraction';
import { costDistanceDm, costDurationDs } from './cost';
import { NoRouteError } from './errors';
import { directCost, pointSeeds, seedFraction } from './phantom';
import { type SnapOptions, type SnappedPoint, segmentSlice, snapPoint } from './nearest-edge';
import type { Profile } from './profiles';
import type { RoutingEngine } from './routing-engine';
import { bilingual } from '../errors';

export interface RouteOptions {
  /** Snapping limit in metres (default 500). */
  maxDistanceM?: number;
  component?: SnapOptions['component'];
  method?: 'ch' | 'dijkstra';
}

export interface RouteResult {
  /** Metres along the route (decimetre precision). */
  distanceM: number;
  /** Whole seconds (rounded). */
  durationS: number;
  /** Exact packed cost (cost.ts). */
  cost: number;
  /** The route as a LineString's coordinates, from the snapped start to the snapped end. */
  coordinates: [number, number][];
  /** Snapped start and end. */
  snapped: [SnappedPoint, SnappedPoint];
  /** Road ids along the route, consecutive duplicates removed. */
  roadIds: string[];
}

/**
 * Fastest route from `from` to `to` ([lng, lat]) for a profile.
 * @throws SnapError when a point is farther than the limit from a usable road (pointIndex 0 or 1);
 *   NoRouteError when no route joins them (only possible with `component: 'any'`).
 * @example shortestPath(engine, 'car', [115.97, 36.44], [115.99, 36.46]).durationS
 */
export function shortestPath(
  engine: RoutingEngine,
  profile: Profile,
  from: readonly [number, number],
  to: readonly [number, number],
  opts: RouteOptions = {},
): RouteResult {
  const view = engine.view(profile);
  const snapOpts = { maxDistanceM: opts.maxDistanceM, component: opts.component };
  const a = snapPoint(engine.snapIndex, view, from, { ...snapOpts, pointIndex: 0 });
  const b = snapPoint(engine.snapIndex, view, to, { ...snapOpts, pointIndex: 1 });
  const seeds = pointSeeds(view, [a, b]);
  let cost: number;
  let arcs: number[] = [];
  let srcSeed = -1;
  let dstSeed = -1;
  if (opts.method === 'dijkstra') {
    const search = engine.dijkstra(profile);
    search.run(seeds.srcNode.subarray(0, 2), seeds.srcCost.subarray(0, 2), seeds.dstNode.subarray(2, 4));
    cost = Infinity;
    for (let k = 0; k < 2; k++) {
      const v = seeds.dstNode[2 + k];
      if (v >= 0 && search.dist[v] + seeds.dstCost[2 + k] < cost) {
        cost = search.dist[v] + seeds.dstCost[2 + k];
        dstSeed = k;
      }
    }
    if (cost < Infinity) {
      const path = search.pathTo(seeds.dstNode[2 + dstSeed]);
      arcs = path.arcs;
      srcSeed = path.seed;
    }
  } else {
    const q = engine.chQuery(profile).pointToPoint(seeds.srcNode, seeds.srcCost, 0, seeds.dstNode, seeds.dstCost, 2);
    cost = q.cost;
    if (cost < Infinity) {
      const ch = engine.hierarchy(profile);
      for (const e of q.upEdges) unpackEdge(ch, e, arcs);
      for (const e of q.downEdges) unpackEdge(ch, e, arcs);
      srcSeed = q.srcSeed;
      dstSeed = q.dstSeed;
    }
  }
  const direct = directCost(view, a, b);
  const idx = engine.snapIndex;
  const g = engine.graph;
  let coordinates: [number, number][];
  let roadSegments: number[];
  if (direct <= cost && direct < Infinity) {
    cost = direct;
    coordinates = segmentSlice(idx, a.segment, a.fraction, b.fraction);
    roadSegments = [a.segment];
  } else if (cost === Infinity) {
    throw new NoRouteError(
      bilingual(
        `从 [${from.join(', ')}] 到 [${to.join(', ')}] 没有可${profile}通行的路线。`,
        `No ${profile} route joins [${from.join(', ')}] and [${to.join(', ')}]: they lie on separate pieces of the road network; move a point onto a connected street.`,
      ),
    );
  } else {
    const leave = seedFraction(a, srcSeed, 'source');
    coordinates = segmentSlice(idx, a.segment, a.fraction, leave);
    // A point snapped onto a segment's end adds nothing of that segment to the route.
    roadSegments = a.fraction === leave ? [] : [a.segment];
    for (const arc of arcs) {
      const code = view.arcSegment[arc];
      const s = code >>> 1;
      appendLine(coordinates, segmentSlice(idx, s, code & 1 ? 1 : 0, code & 1 ? 0 : 1));
      roadSegments.push(s);
    }
    const arrive = seedFraction(b, dstSeed, 'destination');
    appendLine(coordinates, segmentSlice(idx, b.segment, arrive, b.fraction));
    if (b.fraction !== arrive) roadSegments.push(b.segment);
  }
  const roadIds: string[] = [];
  for (const s of roadSegments) {
    const id = g.roadIds[g.segRoad[s]];
    if (roadIds[roadIds.length - 1] !== id) roadIds.push(id);
  }
  return {
    distanceM: costDistanceDm(cost) / 10,
    durationS: Math.round(costDurationDs(cost) / 10),
    cost,
    coordinates: dedupe(coordinates),
    snapped: [a, b],
    roadIds,
  };
}

function appendLine(into: [number, number][], line: [number, number][]): void {
  for (const p of line) into.push(p);
}

function dedupe(line: [number, number][]): [number, number][] {
  const out: [number, number][] = [];
  for (const p of line) {
    const last = out[out.length - 1];
    if (!last || last[0] !== p[0] || last[1] !== p[1]) out.push(p);
  }
  // A LineString needs two positions even when start and end coincide.
  if (out.length === 1) out.push([out[0][0], out[0][1]]);
  return out;
}
