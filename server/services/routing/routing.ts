/** Route and matrix answers in the API's shapes (the engine works in typed arrays). */
import { matrix, shortestPath, type Profile, type RoutingEngine, type SnappedPoint } from '../../graph/index';
import type { MatrixResponse, RouteFeature } from '../../contract/routing';

const round1 = (v: number) => Math.round(v * 10) / 10;
// 1e-7° (about 1 cm) is OSM's own precision; more digits are float noise from interpolation.
const round7 = (v: number) => Math.round(v * 1e7) / 1e7;
const position = (p: readonly number[]): [number, number] => [round7(p[0]), round7(p[1])];
const snappedOut = (s: SnappedPoint) => ({ input: s.input, lngLat: position(s.lngLat), distanceM: round1(s.distanceM), roadId: s.roadId });

/** The fastest route from `from` to `to` as a GeoJSON LineString Feature. */
export function routeFeature(engine: RoutingEngine, q: { from: [number, number]; to: [number, number]; profile: Profile; maxSnapM?: number }): RouteFeature {
  const r = shortestPath(engine, q.profile, q.from, q.to, { maxDistanceM: q.maxSnapM });
  // A route between two points on the same spot is a single position; GeoJSON needs two.
  const line = r.coordinates.map(position);
  const coordinates = line.length >= 2 ? line : [line[0], line[0]];
  return {
    type: 'Feature',
    geometry: { type: 'LineString', coordinates },
    properties: {
      profile: q.profile,
      distanceM: round1(r.distanceM),
      durationS: Math.round(r.durationS),
      snapped: [snappedOut(r.snapped[0]), snappedOut(r.snapped[1])],
      roadIds: r.roadIds,
    },
  };
}

/** Travel times and distances between every pair of points, rows = from, unreachable = null. */
export function matrixResponse(engine: RoutingEngine, q: { profile: Profile; points: [number, number][]; maxSnapM?: number }): MatrixResponse {
  const m = matrix(engine, q.profile, q.points, { maxDistanceM: q.maxSnapM });
  const n = m.size;
  const durationsS: (number | null)[][] = [];
  const distancesM: (number | null)[][] = [];
  for (let i = 0; i < n; i++) {
    const d: (number | null)[] = new Array(n);
    const l: (number | null)[] = new Array(n);
    for (let j = 0; j < n; j++) {
      const k = i * n + j;
      d[j] = m.durationsS[k] < 0 ? null : m.durationsS[k];
      l[j] = Number.isNaN(m.distancesM[k]) ? null : round1(m.distancesM[k]);
    }
    durationsS.push(d);
    distancesM.push(l);
  }
  return { profile: q.profile, durationsS, distancesM, snapped: m.snapped.map(snappedOut), unreachable: m.unreachable };
}
