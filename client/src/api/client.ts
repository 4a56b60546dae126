/**
 * The session under every request of the client: `sessionFetch()` adds the CSRF and screen tokens and
 * reports a lost session; `request()` turns failures into an ApiError whose message is the server's own
 * sentence (`{ error }`) when it sent one. Typed calls are built on it in api/http.ts; the resource
 * modules beside it (auth, meta, problems, …) are what pages import.
 */

/**
 * An API call that failed: `status` is the HTTP status, 0 when the server could not be reached;
 * `retryAfterS` the seconds the server asked to wait (Retry-After: a full queue's 503, a lock-out's 429).
 */
export class ApiError extends Error {
  readonly status: number;
  readonly retryAfterS: number | null;
  constructor(message: string, status: number, options?: { cause?: unknown; retryAfterS?: number | null }) {
    super(message, options);
    this.name = 'ApiError';
    this.status = status;
    this.retryAfterS = options?.retryAfterS ?? null;
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
export async function send<R extends Response>(what: string, call: () => Promise<R>): Promise<R> {
  try {
    return await call();
  } catch (err) {
    if (isAbortError(err)) throw err;
    throw new ApiError(`${what}: the server could not be reached`, 0, { cause: err });
  }
}

/** The ApiError for a refused response: the server's own sentence (`{ error }`) when it sent one, else the status line. */
export async function failure(what: string, res: Response): Promise<ApiError> {
  let message = `${what}: HTTP ${res.status}`;
  const body: unknown = await res.json().catch((err: unknown) => {
    // A non-JSON error page (a proxy's, say): keep the status line as the message.
    if (err instanceof SyntaxError) return null;
    throw err;
  });
  if (body && typeof body === 'object' && 'error' in body && typeof body.error === 'string') message = body.error;
  // Seconds only: the server never sends the HTTP-date form.
  const retryAfter = /^\d+$/.test(res.headers.get('retry-after') ?? '') ? Number(res.headers.get('retry-after')) : null;
  return new ApiError(message, res.status, { retryAfterS: retryAfter });
}

/** Sends a request and returns the response when it is OK, else the ApiError with the server's sentence. */
export async function request(what: string, call: () => Promise<Response>): Promise<Response> {
  const res = await send(what, call);
  if (!res.ok) throw await failure(what, res);
  return res;
}
