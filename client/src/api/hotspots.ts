/**
 * The hotspot resources, for every page that reads them (the hotspot page, the big screen): the binary
 * problem points (decoded), the H3 cells, one cell's weeks and the recurring sites. The one module that
 * fetches them.
 */
import type { HotspotCellHistory, HotspotCollection, RecurringCollection } from '../../../server/contract/hotspots';
import { filtersToParams, type ProblemFilters } from '../lib/filters';
import { decodePoints, type ProblemPoints } from '../map/deck/points-bin';
import { call, callRaw } from './http';

/** GET /api/hotspots/points.bin, decoded: every problem as typed-array columns. */
export async function getProblemPoints(signal: AbortSignal): Promise<ProblemPoints> {
  const res = await callRaw('GET /api/hotspots/points.bin', { signal }, 'application/octet-stream');
  return decodePoints(await res.arrayBuffer());
}

/** GET /api/hotspots: the cells at H3 resolution `res` (the server's default when omitted) under `filters`. */
export function getHotspots(filters: ProblemFilters, res: number | undefined, signal: AbortSignal): Promise<HotspotCollection> {
  return call('GET /api/hotspots', { query: { ...filtersToParams(filters), res: res === undefined ? undefined : String(res) }, signal });
}

/** GET /api/hotspots/cells/:cell: one cell's weekly history under the same filters and resolution. */
export function getHotspotCell(cell: string, filters: ProblemFilters, res: number, signal: AbortSignal): Promise<HotspotCellHistory> {
  return call('GET /api/hotspots/cells/:cell', { params: { cell }, query: { ...filtersToParams(filters), res: String(res) }, signal });
}

/** GET /api/recurring: the most recurring sites under `filters`, at most `limit`. */
export function getRecurring(filters: ProblemFilters, limit: number, signal: AbortSignal): Promise<RecurringCollection> {
  return call('GET /api/recurring', { query: { ...filtersToParams(filters), limit: String(limit) }, signal });
}
