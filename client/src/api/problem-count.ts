/**
 * Counts problems from a problem tile at zoom 0 (the body of the count call in problems.ts). Below zoom 14 the server sends grid clusters
 * `{ count, open, overdue }` (or a lone problem as a plain point), and the z0 tile covers the whole
 * city, so summing it gives the exact totals for a filter without downloading the problems.
 */
import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import type { ProblemCount } from './types';

const PROBLEM_LAYER = 'problems';
// "Open" means not finished, as in the API's problemCounts (a rectified problem awaits its look-back, a held one its review).
const OPEN_STATUSES = new Set(['reported', 'assigned', 'rectified', 'held']);

/**
 * Sums a problem MVT tile into totals. An empty buffer (HTTP 204) is zero problems.
 *
 * @example countProblemsInTile(await res.arrayBuffer()) // { total: 20311, open: 812, overdue: 140 }
 */
export function countProblemsInTile(buffer: ArrayBuffer): ProblemCount {
  const result: ProblemCount = { total: 0, open: 0, overdue: 0 };
  if (buffer.byteLength === 0) return result;
  const layer = new VectorTile(new PbfReader(new Uint8Array(buffer))).layers[PROBLEM_LAYER];
  if (!layer) return result;
  for (let i = 0; i < layer.length; i++) {
    const p = layer.feature(i).properties;
    if (typeof p.count === 'number') {
      result.total += p.count;
      result.open += Number(p.open ?? 0);
      result.overdue += Number(p.overdue ?? 0);
    } else {
      result.total += 1;
      if (OPEN_STATUSES.has(String(p.status))) result.open += 1;
      if (p.overdue === 1 || p.overdue === true) result.overdue += 1;
    }
  }
  return result;
}
