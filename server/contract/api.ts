/**
 * Every endpoint of the HTTP API, keyed `METHOD /path` as Hono registers it. Each resource declares its
 * endpoints beside its schemas (`PROBLEMS_API` in problems.ts …) with `endpoints()`; this table joins
 * them. The server registers routes, access rules and the OpenAPI document from it; the client's
 * `call()` (client/src/api/http.ts) is typed by it, type-only.
 */
import { endpoints } from './endpoint';

export const API = endpoints({});

export type Api = typeof API;
export type ApiKey = keyof Api;
