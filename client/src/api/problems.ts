/** Single problems and the totals of a filtered set. */
import { filtersToQuery, type ProblemFilters } from '../lib/filters';
import { countProblemsInTile } from '../lib/problem-count';
import { call, callRaw } from './http';
import type { ProblemCount } from './types';

/** GET /api/problems/:id with names resolved (category, unit, subdistrict, linked place). */
export function getProblem(id: string, signal: AbortSignal) {
  return call('GET /api/problems/:id', { params: { id }, signal });
}

/**
 * Totals of the problems matching `filters`, summed from the zoom-0 problem tile (see
 * lib/problem-count.ts): the API has no count endpoint, and z0 holds the whole city as clusters.
 */
export async function getProblemCount(filters: ProblemFilters, signal: AbortSignal): Promise<ProblemCount> {
  const query = Object.fromEntries(new URLSearchParams(filtersToQuery(filters)));
  const res = await callRaw('GET /tiles/problems/:z/:x/:y', { params: { z: '0', x: '0', y: '0.pbf' }, query, signal }, 'application/x-protobuf');
  return countProblemsInTile(res.status === 204 ? new ArrayBuffer(0) : await res.arrayBuffer());
}
