/**
 * Many-to-many travel times and distances between points anywhere on the map: each point is
 * snapped onto the graph (phantom node on its segment), then contraction-hierarchy bucket queries
 * give every pair at once. `method: 'dijkstra'` runs one plain Dijkstra per source instead: same
 * answers, for tests and the benchmark baseline.
 */
import { costDistanceDm, costDurationDs } from './cost';
import { directCost, pointSeeds } from './phantom';
import { type SnapOptions, type SnappedPoint, snapPoint } from './nearest-edge';
import type { Profile } from './profiles';
import type { RoutingEngine } from './routing-engine';

export interface MatrixOptions {
  /** Snapping limit in metres (default 500). */
  maxDistanceM?: number;
  /** Snap only to the profile's largest strongly connected component (default) or to any piece. */
  component?: SnapOptions['component'];
  /** `ch` (default) or `dijkstra` (plain Dijkstra per source, the reference). */
  method?: 'ch' | 'dijkstra';
}

/** Row-major n × n results: cell i × n + j is from point i to point j. */
export interface MatrixResult {
  size: number;
  /** Whole seconds (rounded), -1 where unreachable. */
  durationsS: Int32Array;
  /** Metres (decimetre precision), NaN where unreachable. */
  distancesM: Float64Array;
  /** Exact packed costs (cost.ts), Infinity where unreachable. */
  costs: Float64Array;
  snapped: SnappedPoint[];
  /** Every unreachable pair [from, to]. */
  unreachable: [number, number][];
}

/**
 * Travel-time and distance matrix between `points` ([lng, lat]) for a profile.
 * @throws SnapError naming the first point farther than the snapping limit from a usable road.
 * @example const m = matrix(engine, 'walk', [[115.98, 36.45], [115.99, 36.46]]); m.durationsS[1] // s from 0 to 1
 */
export function matrix(engine: RoutingEngine, profile: Profile, points: readonly (readonly [number, number])[], opts: MatrixOptions = {}): MatrixResult {
  const view = engine.view(profile);
  const snapped = points.map((p, i) => snapPoint(engine.snapIndex, view, p, { maxDistanceM: opts.maxDistanceM, component: opts.component, pointIndex: i }));
  const n = snapped.length;
  const seeds = pointSeeds(view, snapped);
  const costs = new Float64Array(n * n);
  if (opts.method === 'dijkstra') {
    const search = engine.dijkstra(profile);
    for (let i = 0; i < n; i++) {
      search.run(seeds.srcNode.subarray(2 * i, 2 * i + 2), seeds.srcCost.subarray(2 * i, 2 * i + 2), seeds.dstNode);
      for (let j = 0; j < n; j++) {
        let best = Infinity;
        for (let k = 2 * j; k < 2 * j + 2; k++) {
          const v = seeds.dstNode[k];
          if (v >= 0 && search.dist[v] + seeds.dstCost[k] < best) best = search.dist[v] + seeds.dstCost[k];
        }
        costs[i * n + j] = best;
      }
    }
  } else {
    engine.chQuery(profile).manyToMany(seeds.srcNode, seeds.srcCost, n, seeds.dstNode, seeds.dstCost, n, costs);
  }
  // Two points on one segment may be joined along it without reaching either end.
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (snapped[i].segment !== snapped[j].segment) continue;
      const d = directCost(view, snapped[i], snapped[j]);
      if (d < costs[i * n + j]) costs[i * n + j] = d;
    }
  }
  const durationsS = new Int32Array(n * n);
  const distancesM = new Float64Array(n * n);
  const unreachable: [number, number][] = [];
  for (let c = 0; c < n * n; c++) {
    const cost = costs[c];
    if (cost === Infinity) {
      durationsS[c] = -1;
      distancesM[c] = NaN;
      unreachable.push([Math.floor(c / n), c % n]);
    } else {
      durationsS[c] = Math.round(costDurationDs(cost) / 10);
      distancesM[c] = costDistanceDm(cost) / 10;
    }
  }
  return { size: n, durationsS, distancesM, costs, snapped, unreachable };
}
