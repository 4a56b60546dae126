/**
 * The only code in the client that calls the network (with api/ledger.ts): a typed Hono client over
 * the server's `AppType` for the JSON routes, and `sessionFetch()` for the rest. Every call
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

/**
 * The session as the page knows it: the CSRF token the server gave at sign-in (sent on every write;
 * the session itself is an HttpOnly cookie the page never sees), and who to tell when the server
 * says the session is gone (401) so the shell can show the sign-in page.
 */
const LOGIN = '/api/auth/login';
const ME = '/api/auth/me';

let csrfToken: string | null = null;

const SCREEN_TOKEN_KEY = 'xuncha.screenToken';
/**
 * A wall PC opens the app with `?screen_token=xs_…` (a read-only token the administrator issued)
 * instead of signing in; kept for the tab's life, since navigation drops the query string.
 */
const screenToken: string | null = (() => {
  const fromUrl = new URLSearchParams(window.location.search).get('screen_token');
  try {
    if (fromUrl) window.sessionStorage.setItem(SCREEN_TOKEN_KEY, fromUrl);
    return fromUrl ?? window.sessionStorage.getItem(SCREEN_TOKEN_KEY);
  } catch (err) {
    // Storage disabled by browser policy: the token lives in this page's URL only.
    if (err instanceof DOMException) return fromUrl;
    throw err;
  }
})();

/**
 * `url` with the screen token added, for requests that cannot carry a header (map tiles, the event
 * stream); unchanged without one, or for another origin.
 */
export function withScreenToken(url: string): string {
  if (!screenToken) return url;
  const u = new URL(url, window.location.href);
  if (u.origin !== window.location.origin) return url;
  u.searchParams.set('screen_token', screenToken);
  // A relative URL stays relative; MapLibre hands absolute ones.
  return /^https?:/.test(url) ? u.toString() : `${u.pathname}${u.search}`;
}
const unauthorizedListeners = new Set<() => void>();

/** Remembers the CSRF token of the current session (null after sign-out). */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Calls `listener` whenever a request is refused for want of a session; returns the unsubscribe. */
export function onUnauthorized(listener: () => void): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

// Same origin: the server serves both the client and the API.
export const api = hc<AppType>('/', { fetch: sessionFetch });

/**
 * `fetch` within the session: writes carry the CSRF token, and a 401 (the session ended) tells the
 * shell to show the sign-in page. Every call of the client goes through here.
 */
export async function sessionFetch(input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> {
  const method = (init.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
  const headers = new Headers(init.headers);
  if (csrfToken && method !== 'GET' && method !== 'HEAD') headers.set('x-csrf-token', csrfToken);
  if (screenToken) headers.set('x-screen-token', screenToken);
  const res = await fetch(input, { ...init, headers });
  const path = new URL(input instanceof Request ? input.url : String(input), window.location.href).pathname;
  if (res.status === 401 && path !== LOGIN && path !== ME) for (const l of unauthorizedListeners) l();
  return res;
}

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

/** Sends a request and returns the response when it is OK, else the ApiError with the server's sentence. */
export async function request(what: string, call: () => Promise<Response>): Promise<Response> {
  const res = await send(what, call);
  if (!res.ok) throw await failure(what, res);
  return res;
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
  const res = await send(path, () => sessionFetch(path, { signal, headers: { accept: 'application/x-protobuf' } }));
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


/** GET /api/auth/me: who is signed in; an ApiError with status 401 when nobody is. */
export async function getMe(signal: AbortSignal) {
  const res = await send(ME, () => api.api.auth.me.$get(undefined, { init: { signal } }));
  if (res.status !== 200) throw await failure(ME, res);
  const me = await res.json();
  setCsrfToken(me.csrfToken);
  return me;
}

/** POST /api/auth/login; on success the session cookie is set and the CSRF token remembered. */
export async function login(username: string, password: string) {
  const res = await send(LOGIN, () => api.api.auth.login.$post({ json: { username, password } }));
  if (res.status !== 200) throw await failure(LOGIN, res);
  const me = await res.json();
  setCsrfToken(me.csrfToken);
  return me;
}

/** POST /api/auth/logout. */
export async function logout(): Promise<void> {
  const what = '/api/auth/logout';
  const res = await send(what, () => api.api.auth.logout.$post());
  setCsrfToken(null);
  if (res.status !== 204) throw await failure(what, res);
}

/** POST /api/auth/password: change my password. */
export async function changePassword(current: string, next: string): Promise<void> {
  const what = '/api/auth/password';
  const res = await send(what, () => api.api.auth.password.$post({ json: { current, next } }));
  if (res.status !== 204) throw await failure(what, res);
}

/**
 * A JSON call with `fetch` for routes the typed client does not cover well (long or generated paths):
 * the same CSRF header, 401 handling and error sentences as the typed calls. 204 → undefined.
 */
export async function callJson<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await send(path, () => sessionFetch(path, { method, signal, headers, body: body === undefined ? undefined : JSON.stringify(body) }));
  if (!res.ok) throw await failure(path, res);
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

/** A GET whose body the caller reads itself (binary columns): same 401 handling and error sentences. */
export async function getRaw(path: string, signal: AbortSignal): Promise<Response> {
  return request(path.split('?')[0], () => sessionFetch(path, { signal }));
}
