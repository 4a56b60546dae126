/**
 * The only code in the client that calls `fetch()`. Every call takes an AbortSignal so a panel or a
 * filter change can cancel what it no longer needs. Failures become an ApiError whose message is the
 * server's own sentence (`{ error }`) when it sent one.
 */
import { filtersToQuery, type ProblemFilters } from '../lib/filters';
import { countProblemsInTile } from '../lib/problem-count';
import type { Meta, PlaceDetail, ProblemCount, ProblemDetail } from './types';

/** An API call that failed: `status` is the HTTP status, 0 when the server could not be reached. */
export class ApiError extends Error {
  readonly status: number;
  constructor(message: string, status: number, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ApiError';
    this.status = status;
  }
}

/** True for the error fetch throws when its signal aborts; callers ignore those. */
export function isAbortError(err: unknown): boolean {
  return (err instanceof Error || err instanceof DOMException) && err.name === 'AbortError';
}

async function request(path: string, signal: AbortSignal, accept = 'application/json'): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(path, { signal, headers: { accept } });
  } catch (err) {
    if (isAbortError(err)) throw err;
    throw new ApiError(`${path}: the server could not be reached`, 0, { cause: err });
  }
  if (!res.ok) {
    let message = `${path}: HTTP ${res.status}`;
    const body: unknown = await res.json().catch(() => null);
    if (body && typeof body === 'object' && 'error' in body && typeof body.error === 'string') message = body.error;
    throw new ApiError(message, res.status);
  }
  return res;
}

async function getJson<T>(path: string, signal: AbortSignal): Promise<T> {
  return (await (await request(path, signal)).json()) as T;
}

/** GET /api/meta: the city, its subdistricts, units and problem categories. */
export function getMeta(signal: AbortSignal): Promise<Meta> {
  return getJson<Meta>('/api/meta', signal);
}

/** GET /api/problems/:id with names resolved (category, unit, subdistrict, linked place). */
export function getProblem(id: string, signal: AbortSignal): Promise<ProblemDetail> {
  return getJson<ProblemDetail>(`/api/problems/${encodeURIComponent(id)}`, signal);
}

/** GET /api/places/:id: a market, community or back street with its problem counts. */
export function getPlace(id: string, signal: AbortSignal): Promise<PlaceDetail> {
  return getJson<PlaceDetail>(`/api/places/${encodeURIComponent(id)}`, signal);
}

/**
 * Totals of the problems matching `filters`, summed from the zoom-0 problem tile (see
 * lib/problem-count.ts); the API has no count endpoint.
 */
export async function getProblemCount(filters: ProblemFilters, signal: AbortSignal): Promise<ProblemCount> {
  const query = filtersToQuery(filters);
  const res = await request(`/tiles/problems/0/0/0.pbf${query ? `?${query}` : ''}`, signal, 'application/x-protobuf');
  return countProblemsInTile(res.status === 204 ? new ArrayBuffer(0) : await res.arrayBuffer());
}
