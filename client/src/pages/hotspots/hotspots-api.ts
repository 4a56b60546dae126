/**
 * The hotspot page's reads: the binary problem points, the H3 hotspot cells, one cell's weekly history
 * and the recurring sites, through the client's session-aware getRaw.
 */
import { getRaw } from '../../api/client';
import type { HotspotCellHistory, HotspotCollection, RecurringCollection } from '../../../../server/contract/hotspots';
import { decodePoints, type ProblemPoints } from '../../map/deck/points-bin';

/** GET /api/hotspots/points.bin, decoded (every problem as typed-array columns). */
export async function getProblemPoints(signal: AbortSignal): Promise<ProblemPoints> {
  const res = await getRaw('/api/hotspots/points.bin', signal);
  return decodePoints(await res.arrayBuffer());
}

/** GET /api/hotspots?<query> (query without `?`). */
export async function getHotspots(query: string, signal: AbortSignal): Promise<HotspotCollection> {
  return (await getRaw(`/api/hotspots?${query}`, signal)).json() as Promise<HotspotCollection>;
}

/** GET /api/hotspots/cells/:cell?<query>. */
export async function getHotspotCell(cell: string, query: string, signal: AbortSignal): Promise<HotspotCellHistory> {
  return (await getRaw(`/api/hotspots/cells/${encodeURIComponent(cell)}?${query}`, signal)).json() as Promise<HotspotCellHistory>;
}

/** GET /api/recurring?<query>. */
export async function getRecurring(query: string, signal: AbortSignal): Promise<RecurringCollection> {
  return (await getRaw(`/api/recurring?${query}`, signal)).json() as Promise<RecurringCollection>;
}
