/** Single problems and the totals of a filtered set. */
import type { Api } from '../../../server/contract/api';
import type { QueryOf } from '../../../server/contract/endpoint';
import { call, callRaw } from './http';
import { countProblemsInTile } from './problem-count';
import type { ProblemCount } from './types';

/** The problem filters as the API takes them (from, to, category, status, subdistrict, unit). */
export type ProblemFilterQuery = QueryOf<Api['GET /tiles/problems/:z/:x/:y']>;

/** GET /api/problems/:id with names resolved (category, unit, subdistrict, linked place). */
export function getProblem(id: string, signal: AbortSignal) {
  return call('GET /api/problems/:id', { params: { id }, signal });
}

/**
 * Totals of the problems matching `filters`, summed from the zoom-0 problem tile (see
 * problem-count.ts): the API has no count endpoint, and z0 holds the whole city as clusters.
 */
export async function getProblemCount(filters: ProblemFilterQuery, signal: AbortSignal): Promise<ProblemCount> {
  const res = await callRaw('GET /tiles/problems/:z/:x/:y', { params: { z: '0', x: '0', y: '0.pbf' }, query: filters, signal }, 'application/x-protobuf');
  return countProblemsInTile(res.status === 204 ? new ArrayBuffer(0) : await res.arrayBuffer());
}
