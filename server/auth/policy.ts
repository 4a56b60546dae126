/**
 * The one table of who may call which route. Every request passes through `authorize`
 * (middleware.ts), which looks the matched route up here; a route missing from the table is refused
 * for everyone (and the permission-matrix test, which walks the app's route list, fails), so a new
 * route cannot forget its rule.
 *
 * Keys are `METHOD path` exactly as Hono registers the route (`GET /api/problems/:id`).
 */
import { ADMINS as ADMIN, ANALYSTS, PEOPLE, PLANNERS, READERS, type Role } from '../contract/roles';

export interface RouteRule {
  /** Who may call it: 'public' (no sign-in: the login itself, the page shell) or the roles allowed. */
  roles: 'public' | readonly Role[];
  /** Largest request body in bytes (default DEFAULT_BODY_LIMIT). */
  bodyLimit?: number;
}

/** 1 MiB: enough for any JSON body we take (a 500-point matrix request is about 20 KB). */
export const DEFAULT_BODY_LIMIT = 1024 * 1024;

/** Other city systems (API key) and the people who look at what they sent. */
const OPEN311 = ['admin', 'leader', 'inspector', 'api'] as const satisfies readonly Role[];

export const ROUTE_RULES: Readonly<Record<string, RouteRule>> = {
  // The page shell and the API description carry no city data.
  'GET /*': { roles: 'public' },
  'GET /api/openapi.json': { roles: 'public' },

  'POST /api/auth/login': { roles: 'public', bodyLimit: 4096 },
  'POST /api/auth/logout': { roles: 'public', bodyLimit: 0 },
  'GET /api/auth/me': { roles: 'public' },
  'POST /api/auth/password': { roles: PEOPLE, bodyLimit: 4096 },
  'GET /api/users': { roles: ADMIN },
  'POST /api/users': { roles: ADMIN, bodyLimit: 4096 },
  'PATCH /api/users/:id': { roles: ADMIN, bodyLimit: 4096 },
  'GET /api/api-keys': { roles: ADMIN },
  'POST /api/api-keys': { roles: ADMIN, bodyLimit: 4096 },
  'DELETE /api/api-keys/:id': { roles: ADMIN },
  'GET /api/screen-tokens': { roles: ADMIN },
  'POST /api/screen-tokens': { roles: ADMIN, bodyLimit: 4096 },
  'DELETE /api/screen-tokens/:id': { roles: ADMIN },
  'GET /api/audit': { roles: ADMIN },

  'GET /api/meta': { roles: READERS },
  'GET /api/layers/:layer': { roles: READERS },
  'GET /api/problems': { roles: READERS },
  'GET /api/problems/:id': { roles: READERS },
  'GET /api/places/:id': { roles: READERS },
  'GET /tiles/base/:z/:x/:y': { roles: READERS },
  'GET /tiles/problems/:z/:x/:y': { roles: READERS },

  'GET /api/route': { roles: PLANNERS },
  'POST /api/matrix': { roles: PLANNERS, bodyLimit: 64 * 1024 },

  'GET /api/hotspots': { roles: ANALYSTS },
  'GET /api/hotspots/points.bin': { roles: ANALYSTS },
  'GET /api/hotspots/cells/:cell': { roles: ANALYSTS },
  'GET /api/recurring': { roles: ANALYSTS },

  // The workflow. Who may make which transition (a unit only rectifies its own) is checked by the
  // transition itself; here: who may call at all.
  'GET /api/problems/nearby': { roles: PLANNERS },
  'POST /api/problems': { roles: PLANNERS, bodyLimit: 100 * 1024 * 1024 },
  'GET /api/problems/:id/history': { roles: PEOPLE },
  'POST /api/problems/:id/transitions': { roles: PEOPLE, bodyLimit: 64 * 1024 },
  'POST /api/problems/:id/merge': { roles: PLANNERS, bodyLimit: 64 * 1024 },
  'GET /api/problems/:id/notice': { roles: PEOPLE },
  'POST /api/problems/assign': { roles: PLANNERS, bodyLimit: 1024 * 1024 },
  'POST /api/media': { roles: PEOPLE, bodyLimit: 100 * 1024 * 1024 },
  'GET /media/:hash': { roles: READERS },
  'GET /media/:hash/screen': { roles: READERS },
  'GET /media/:hash/thumb': { roles: READERS },
  'GET /api/events': { roles: READERS },
  'GET /api/ledger': { roles: PEOPLE },
  'GET /api/ledger/export.xlsx': { roles: PEOPLE },
  'GET /api/ledger/export.csv': { roles: PEOPLE },
  'GET /api/rankings': { roles: READERS },
  'GET /api/briefings/weekly': { roles: PLANNERS },
  // The big screen's city-wide figures: the analysts' rule (not a unit, which sees its own problems only).
  'GET /api/screen/summary': { roles: ANALYSTS },
  // The assessment window the screen counts down to: read where the screen is read, set by the administrator.
  'GET /api/screen/assessment': { roles: ANALYSTS },
  'PUT /api/screen/assessment': { roles: ADMIN, bodyLimit: 4096 },
  'DELETE /api/screen/assessment': { roles: ADMIN },
  // Today's routes as lines and times only, for the screen's trips animation (the plans stay PLANNERS').
  'GET /api/screen/routes-today': { roles: ANALYSTS },

  // Open311 GeoReport v2 for the 12345/12319 hotlines: reading needs an API key (or a person); creating
  // checks the spec's api_key form field itself.
  'GET /open311/discovery.json': { roles: OPEN311 },
  'GET /open311/discovery.xml': { roles: OPEN311 },
  'GET /open311/v2/services.json': { roles: OPEN311 },
  'GET /open311/v2/services.xml': { roles: OPEN311 },
  'GET /open311/v2/services/:file': { roles: OPEN311 },
  'GET /open311/v2/requests.json': { roles: OPEN311 },
  'GET /open311/v2/requests.xml': { roles: OPEN311 },
  'GET /open311/v2/requests/:file': { roles: OPEN311 },
  'GET /open311/v2/tokens/:file': { roles: OPEN311 },
  'POST /open311/v2/requests.json': { roles: 'public', bodyLimit: 64 * 1024 },
  'POST /open311/v2/requests.xml': { roles: 'public', bodyLimit: 64 * 1024 },

  // Plans: a request names stops and teams (a drawn polygon at most 1,000 vertices); an edited plan
  // comes back whole, route geometry included.
  'POST /api/plans': { roles: PLANNERS, bodyLimit: 256 * 1024 },
  'GET /api/plans': { roles: PLANNERS },
  'GET /api/plans/:id': { roles: PLANNERS },
  'GET /api/plans/:id/sheet': { roles: PLANNERS },
  'PUT /api/plans/:id': { roles: PLANNERS, bodyLimit: 8 * 1024 * 1024 },
  'POST /api/plans/:id/optimise': { roles: PLANNERS, bodyLimit: 8 * 1024 * 1024 },
  'DELETE /api/plans/:id': { roles: PLANNERS },

  // Check results from the field page: written by who inspects (never a unit); a stop is a few KB.
  'POST /api/checks': { roles: PLANNERS, bodyLimit: 64 * 1024 },
  'GET /api/checks': { roles: PLANNERS },
};

/** The rule for a matched route, or null when the table has none (the request is then refused). */
export function ruleFor(method: string, path: string): RouteRule | null {
  return ROUTE_RULES[`${method} ${path}`] ?? null;
}
