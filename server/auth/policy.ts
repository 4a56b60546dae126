/**
 * Who may call which route. Every request passes through `authorize` (middleware.ts), which looks the
 * matched route up here. The rules are the endpoint declarations' `access` and `bodyLimit`
 * (server/contract/api.ts), the same declarations the routes register from, so a route cannot be
 * reachable under a rule other than the one it is documented with. A route without a rule is refused
 * for everyone (and the permission-matrix test, which walks the app's route list, fails).
 *
 * Keys are `METHOD path` exactly as Hono registers the route (`GET /api/problems/:id`).
 */
import { API } from '../contract/api';
import type { Endpoint } from '../contract/endpoint';
import type { Role } from '../contract/roles';

export interface RouteRule {
  /** Who may call it: 'public' (no sign-in: the login itself, the page shell) or the roles allowed. */
  roles: 'public' | readonly Role[];
  /** Largest request body in bytes (default DEFAULT_BODY_LIMIT). */
  bodyLimit?: number;
}

/** 1 MiB: enough for any JSON body we take (a 500-point matrix request is about 20 KB). */
export const DEFAULT_BODY_LIMIT = 1024 * 1024;

/** The page shell (routes/client: the built client for every other GET): no city data, and not part of the API. */
export const PAGE_SHELL_ROUTE = 'GET /*';

export const ROUTE_RULES: Readonly<Record<string, RouteRule>> = {
  [PAGE_SHELL_ROUTE]: { roles: 'public' },
  ...Object.fromEntries(
    Object.entries(API as Readonly<Record<string, Endpoint>>).map(([key, e]) => [
      key,
      { roles: e.access, ...(e.bodyLimit === undefined ? {} : { bodyLimit: e.bodyLimit }) },
    ]),
  ),
};

/** The rule for a matched route, or null when the table has none (the request is then refused). */
export function ruleFor(method: string, path: string): RouteRule | null {
  return ROUTE_RULES[`${method} ${path}`] ?? null;
}
