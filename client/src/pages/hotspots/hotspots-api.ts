/**
 * The hotspot page's reads: the binary problem points, the H3 hotspot cells, one cell's weekly history
 * and the recurring sites. Same conventions as client/src/api/client.ts (AbortSignal, ApiError with the
 * server's sentence); it lives here only because this branch may not edit client/src/api/ — the
 * integrator moves it there.
 */
import { ApiError, isAbortError } from '../../api/client';
import type { HotspotCellHistory, HotspotCollection, RecurringCollection } from '../../../../server/schemas/hotspots';
import { decodePoints, type ProblemPoints } from '../../map/deck/points-bin';

async function get(path: string, signal: AbortSignal): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(path, { signal });
  } catch (err) {
    if (isAbortError(err)) throw err;
    throw new ApiError(`${path.split('?')[0]}: the server could not be reached`, 0, { cause: err });
  }
  if (res.ok) return res;
  let message = `${path.split('?')[0]}: HTTP ${res.status}`;
  const body: unknown = await res.json().catch((err: unknown) => {
    if (err instanceof SyntaxError) return null;
    throw err;
  });
  if (body && typeof body === 'object' && 'error' in body && typeof body.error === 'string') message = body.error;
  throw new ApiError(message, res.status);
}

/** GET /api/hotspots/points.bin, decoded (every problem as typed-array columns). */
export async function getProblemPoints(signal: AbortSignal): Promise<ProblemPoints> {
  const res = await get('/api/hotspots/points.bin', signal);
  return decodePoints(await res.arrayBuffer());
}

/** GET /api/hotspots?<query> (query without `?`). */
export async function getHotspots(query: string, signal: AbortSignal): Promise<HotspotCollection> {
  return (await get(`/api/hotspots?${query}`, signal)).json() as Promise<HotspotCollection>;
}

/** GET /api/hotspots/cells/:cell?<query>. */
export async function getHotspotCell(cell: string, query: string, signal: AbortSignal): Promise<HotspotCellHistory> {
  return (await get(`/api/hotspots/cells/${encodeURIComponent(cell)}?${query}`, signal)).json() as Promise<HotspotCellHistory>;
}

/** GET /api/recurring?<query>. */
export async function getRecurring(query: string, signal: AbortSignal): Promise<RecurringCollection> {
  return (await get(`/api/recurring?${query}`, signal)).json() as Promise<RecurringCollection>;
}
