/**
 * Typed calls over the contract's endpoint table: `call('GET /api/problems/:id', { params: { id } })`
 * takes what the endpoint declares and resolves to the type of its success response. The table is
 * imported as a type only, so no schema code enters the bundle; the server validates every request and
 * its tests check every response against the same schemas.
 */
import type { Api, ApiKey } from '../../../server/contract/api';
import type { BodyOf, ParamsOf, QueryOf, ResponseOf } from '../../../server/contract/endpoint';
import { request, sessionFetch } from './client';

type Field<Name extends string, T> = [T] extends [never] ? { [K in Name]?: never } : { [K in Name]: T };

/** What a call of endpoint `K` takes: its path params, query and body as the contract declares them. */
export type CallInput<K extends ApiKey> = Field<'params', ParamsOf<Api[K]>> &
  Partial<Field<'query', QueryOf<Api[K]>>> &
  Field<'body', BodyOf<Api[K]>> & { signal?: AbortSignal };

/** The success body of endpoint `K` (void for 204 and non-JSON answers). */
export type CallResult<K extends ApiKey> = ResponseOf<Api[K]>;

type QueryValue = string | number | boolean | null | undefined | readonly (string | number)[];

/** `GET /api/problems/:id` + `{ id: 'p1' }` → method and URL path (`/api/problems/p1`). */
export function resolve(key: string, params?: Record<string, string | number>, query?: Record<string, QueryValue>): { method: string; path: string } {
  const space = key.indexOf(' ');
  const method = key.slice(0, space);
  let path = key.slice(space + 1).replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, (_, name: string) => {
    const value = params?.[name];
    if (value === undefined) throw new Error(`${key}: the path parameter "${name}" is missing`);
    return encodeURIComponent(String(value));
  });
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null) continue;
    // Lists go comma-separated, as the contract's list parameters read them.
    search.set(name, Array.isArray(value) ? value.join(',') : String(value));
  }
  const qs = search.toString();
  if (qs) path += `?${qs}`;
  return { method, path };
}

/**
 * Calls endpoint `key` within the session (CSRF token, screen token, 401 handling: api/client.ts) and
 * returns its parsed JSON body; an ApiError with the server's sentence when it answers with an error.
 */
export async function call<K extends ApiKey>(key: K, input: CallInput<K>): Promise<CallResult<K>> {
  const res = await callRaw(key, input, 'application/json');
  if (res.status === 204 || !(res.headers.get('content-type') ?? '').includes('json')) return undefined as CallResult<K>;
  // NOTE: the one place a response body takes its type: the contract's schema for this endpoint, which the
  // server's handler is typed against and its API tests check.
  return (await res.json()) as CallResult<K>;
}

/**
 * Calls endpoint `key` like `call()` but hands back the OK response for the caller to read: binary
 * columns, vector tiles, files. Failures are the same ApiErrors.
 */
export async function callRaw<K extends ApiKey>(key: K, input: CallInput<K>, accept = '*/*'): Promise<Response> {
  const { params, query, body, signal } = input as {
    params?: Record<string, string | number>;
    query?: Record<string, QueryValue>;
    body?: unknown;
    signal?: AbortSignal;
  };
  const { method, path } = resolve(key, params, query);
  const headers: Record<string, string> = { accept };
  if (body !== undefined) headers['content-type'] = 'application/json';
  return request(`${method} ${path.split('?')[0]}`, () =>
    sessionFetch(path, { method, signal, headers, body: body === undefined ? undefined : JSON.stringify(body) }),
  );
}
