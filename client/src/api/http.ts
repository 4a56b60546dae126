/**
 * Typed calls over the contract's endpoint table: `call('GET /api/problems/:id', { params: { id } })`
 * takes what the endpoint declares and resolves to the type of its success response. The table is
 * imported as a type only, so no schema code enters the bundle; the server validates every request and
 * its tests check every response against the same schemas. Beside it: `callOr()` (a refusal the
 * contract gives a body, such as a 409 conflict, as a value), `callRaw()` (binary answers) and
 * `callForm()` (multipart bodies: photos, reports).
 */
import type { Api, ApiKey } from '../../../server/contract/api';
import type { BodyOf, DeclaredErrorStatus, ParamsOf, QueryOf, ResponseAt, ResponseOf } from '../../../server/contract/endpoint';
import { failure, request, send, sessionFetch } from './client';

type Field<Name extends string, T> = [T] extends [never] ? { [K in Name]?: never } : { [K in Name]: T };

/** The endpoints whose body is multipart (photos, reports): called with `callForm()`. */
export type FormKey = { [K in ApiKey]: Api[K] extends { bodyContentType: 'multipart/form-data' } ? K : never }[ApiKey];
/** The endpoints called with a JSON body or none: `call()`, `callOr()`, `callRaw()`. */
export type JsonKey = Exclude<ApiKey, FormKey>;

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
 * Reads a JSON body as type `T`. NOTE: the one place a response body takes its type: the contract's
 * schema for the endpoint and status it came from, which the server's handler is typed against and its
 * API tests check.
 */
async function readJson<T>(res: Response): Promise<T> {
  return (await res.json()) as T;
}

function isJson(res: Response): boolean {
  return res.status !== 204 && (res.headers.get('content-type') ?? '').includes('json');
}

/**
 * Calls endpoint `key` within the session (CSRF token, screen token, 401 handling: api/client.ts) and
 * returns its parsed JSON body; an ApiError with the server's sentence when it answers with an error.
 */
export async function call<K extends JsonKey>(key: K, input: CallInput<K>): Promise<CallResult<K>> {
  const res = await callRaw(key, input, 'application/json');
  return isJson(res) ? readJson<CallResult<K>>(res) : (undefined as CallResult<K>);
}

/** What `callOr()` resolves to: the success body, or the body the endpoint declares for the refusal `S`. */
export type CallOutcome<K extends ApiKey, S extends number> = { ok: true; body: CallResult<K> } | { ok: false; status: S; body: ResponseAt<Api[K], S> };

/**
 * Like `call()`, but a refusal with status `refusal` (one the contract gives a body of its own, such
 * as a transition's 409 conflict) comes back as a value for the caller to show; other failures are
 * ApiErrors as usual.
 *
 * @example
 * const out = await callOr('POST /api/problems/:id/transitions', { params: { id }, body }, 409);
 * if (!out.ok) showWhoMovedIt(out.body.last);
 */
export async function callOr<K extends JsonKey, S extends DeclaredErrorStatus<Api[K]>>(key: K, input: CallInput<K>, refusal: S): Promise<CallOutcome<K, S>> {
  const { what, path, init } = prepare(key, input, 'application/json');
  const res = await send(what, () => sessionFetch(path, init));
  if (res.status === refusal) return { ok: false, status: refusal, body: await readJson<ResponseAt<Api[K], S>>(res) };
  if (!res.ok) throw await failure(what, res);
  return { ok: true, body: isJson(res) ? await readJson<CallResult<K>>(res) : (undefined as CallResult<K>) };
}

/**
 * Calls endpoint `key` like `call()` but hands back the OK response for the caller to read: binary
 * columns, vector tiles, files. Failures are the same ApiErrors.
 */
export async function callRaw<K extends JsonKey>(key: K, input: CallInput<K>, accept = '*/*'): Promise<Response> {
  const { what, path, init } = prepare(key, input, accept);
  return request(what, () => sessionFetch(path, init));
}

function prepare(key: string, input: unknown, accept: string): { what: string; path: string; init: RequestInit } {
  const { params, query, body, signal } = input as {
    params?: Record<string, string | number>;
    query?: Record<string, QueryValue>;
    body?: unknown;
    signal?: AbortSignal;
  };
  const { method, path } = resolve(key, params, query);
  const headers: Record<string, string> = { accept };
  if (body !== undefined) headers['content-type'] = 'application/json';
  return { what: `${method} ${path.split('?')[0]}`, path, init: { method, signal, headers, body: body === undefined ? undefined : JSON.stringify(body) } };
}

/** A form field's value: text, or the files of a list field (`photos`). */
export type FormValue = string | number | readonly Blob[] | undefined;

/** What a `callForm()` of endpoint `K` takes: its fields (names as the contract declares them), extra headers. */
export type FormInput<K extends FormKey> = Field<'params', ParamsOf<Api[K]>> &
  Partial<Field<'query', QueryOf<Api[K]>>> & {
    fields: { [F in keyof BodyOf<Api[K]>]?: FormValue };
    /** E.g. `Idempotency-Key`. */
    headers?: Record<string, string>;
    signal?: AbortSignal;
  };

/**
 * Sends endpoint `key`'s multipart body (fields as text, file lists as repeated parts; undefined and
 * empty text left out) within the session, with the same error handling as `call()`.
 */
export async function callForm<K extends FormKey>(key: K, input: FormInput<K>): Promise<CallResult<K>> {
  const { params, query, fields, headers, signal } = input as FormInput<K> & {
    params?: Record<string, string | number>;
    query?: Record<string, QueryValue>;
  };
  const { method, path } = resolve(key, params, query);
  const form = new FormData();
  for (const [name, value] of Object.entries(fields as Record<string, FormValue>)) {
    if (value === undefined || value === '') continue;
    if (typeof value === 'object') for (const file of value) form.append(name, file);
    else form.set(name, String(value));
  }
  // No content-type: the browser writes the multipart boundary itself.
  const res = await request(`${method} ${path}`, () => sessionFetch(path, { method, signal, headers: { accept: 'application/json', ...headers }, body: form }));
  return isJson(res) ? readJson<CallResult<K>>(res) : (undefined as CallResult<K>);
}
