/**
 * The only code in the client that calls the network: a typed Hono client over the server's
 * `AppType` for the JSON routes, and `fetch()` for the one binary read (the count tile). Every call
 * takes an AbortSignal so a panel or a filter change can cancel what it no longer needs. Failures
 * become an ApiError whose message is the server's own sentence (`{ error }`) when it sent one.
 */
import { hc } from 'hono/client';
import type { AppType } from '../../../server/app';
import { filtersToQuery, type ProblemFilters } from '../lib/filters';
import { countProblemsInTile } from '../lib/problem-count';
import type { LngLat, ProblemCount, Profile } from './types';

/** An API call that failed: `status` is the HTTP status, 0 when the server could not be reached. */
export class ApiError extends Error {
  readonly status: number;
  constructor(message: string, status: number, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ApiError';
    this.status = status;
  }
}

/** True for the error a fetch (or MapLibre) throws when its request was aborted; callers ignore those. */
export function isAbortError(err: unknown): boolean {
  return (err instanceof Error || err instanceof DOMException) && err.name === 'AbortError';
}

// Same origin: the server serves both the client and the API.
const api = hc<AppType>('/');

/** Sends a request, turning "could not connect" into an ApiError; aborts pass through untouched. */
async function send<R extends Response>(what: string, call: () => Promise<R>): Promise<R> {
  try {
    return await call();
  } catch (err) {
    if (isAbortError(err)) throw err;
    throw new ApiError(`${what}: the server could not be reached`, 0, { cause: err });
  }
}

async function failure(what: string, res: Response): Promise<ApiError> {
  let message = `${what}: HTTP ${res.status}`;
  const body: unknown = await res.json().catch((err: unknown) => {
    // A non-JSON error page (a proxy's, say): keep the status line as the message.
    if (err instanceof SyntaxError) return null;
    throw err;
  });
  if (body && typeof body === 'object' && 'error' in body && typeof body.error === 'string') message = body.error;
  return new ApiError(message, res.status);
}

/** GET /api/meta: the city, its subdistricts, units and problem categories. */
export async function getMeta(signal: AbortSignal) {
  const res = await send('/api/meta', () => api.api.meta.$get(undefined, { init: { signal } }));
  if (res.status !== 200) throw await failure('/api/meta', res);
  return res.json();
}

/** GET /api/problems/:id with names resolved (category, unit, subdistrict, linked place). */
export async function getProblem(id: string, signal: AbortSignal) {
  const what = `/api/problems/${id}`;
  const res = await send(what, () => api.api.problems[':id'].$get({ param: { id } }, { init: { signal } }));
  if (res.status !== 200) throw await failure(what, res);
  return res.json();
}

/** GET /api/places/:id: a market, community or back street with its problem counts. */
export async function getPlace(id: string, signal: AbortSignal) {
  const what = `/api/places/${id}`;
  const res = await send(what, () => api.api.places[':id'].$get({ param: { id } }, { init: { signal } }));
  if (res.status !== 200) throw await failure(what, res);
  return res.json();
}

/**
 * Totals of the problems matching `filters`, summed from the zoom-0 problem tile (see
 * lib/problem-count.ts): the API has no count endpoint, and z0 holds the whole city as clusters.
 */
export async function getProblemCount(filters: ProblemFilters, signal: AbortSignal): Promise<ProblemCount> {
  const query = filtersToQuery(filters);
  const path = `/tiles/problems/0/0/0.pbf${query ? `?${query}` : ''}`;
  const res = await send(path, () => fetch(path, { signal, headers: { accept: 'application/x-protobuf' } }));
  if (!res.ok) throw await failure(path, res);
  return countProblemsInTile(res.status === 204 ? new ArrayBuffer(0) : await res.arrayBuffer());
}

/** GET /api/route: the fastest route along the streets between two points for a profile. */
export async function getRoute(from: LngLat, to: LngLat, profile: Profile, signal: AbortSignal) {
  const what = '/api/route';
  const query = { from: from.join(','), to: to.join(','), profile };
  const res = await send(what, () => api.api.route.$get({ query }, { init: { signal } }));
  if (res.status !== 200) throw await failure(what, res);
  return res.json();
}
