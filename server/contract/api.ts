/**
 * Every endpoint of the HTTP API, keyed `METHOD /path` as Hono registers it. Each resource declares its
 * endpoints beside its schemas (`PROBLEMS_API` in problems.ts …) with `endpoints()`; this table joins
 * them. The server registers routes, access rules and the OpenAPI document from it; the client's
 * `call()` (client/src/api/http.ts) is typed by it, type-only.
 */
import { AUTH_API } from './auth';
import { BASEMAP_API } from './basemap';
import { BRIEFINGS_API } from './briefings';
import { CALENDAR_API } from './calendar';
import { CONSEQUENCES_API } from './consequences';
import { CHECKS_API } from './checks';
import { endpoints } from './endpoint';
import { EVENTS_API } from './events';
import { HOTSPOTS_API } from './hotspots';
import { INTAKE_API } from './intake';
import { LAYERS_API } from './layers';
import { LEDGER_API } from './ledger';
import { MEDIA_API } from './media';
import { META_API } from './meta';
import { OPEN311_API } from './open311';
import { PLACES_API } from './places';
import { GRIDS_API } from './grids';
import { PLANS_API } from './plans';
import { PROBLEM_WORKFLOW_API } from './problem-workflow';
import { PROBLEMS_API } from './problems';
import { REDACTION_API } from './redaction';
import { REEL_API } from './reel';
import { RANKINGS_API } from './rankings';
import { REQUESTS_API } from './requests';
import { ASSESSMENT_API } from './assessment';
import { MOCKS_API } from './assessment-mocks';
import { ROUTING_API } from './routing';
import { SCREEN_PLANS_API } from './screen-plans';
import { SCREEN_API } from './screen';
import { SYSTEM_API } from './system';
import { TILES_API } from './tiles';
import { TRACKS_API } from './tracks';

export const API = endpoints({
  ...AUTH_API,
  ...META_API,
  ...LAYERS_API,
  ...PROBLEMS_API,
  ...INTAKE_API,
  ...PROBLEM_WORKFLOW_API,
  ...REQUESTS_API,
  ...PLACES_API,
  ...GRIDS_API,
  ...ROUTING_API,
  ...TILES_API,
  ...BASEMAP_API,
  ...PLANS_API,
  ...HOTSPOTS_API,
  ...MEDIA_API,
  ...REDACTION_API,
  ...EVENTS_API,
  ...LEDGER_API,
  ...RANKINGS_API,
  ...CALENDAR_API,
  ...CONSEQUENCES_API,
  ...ASSESSMENT_API,
  ...MOCKS_API,
  ...BRIEFINGS_API,
  ...OPEN311_API,
  ...SCREEN_API,
  ...SCREEN_PLANS_API,
  ...REEL_API,
  ...CHECKS_API,
  ...TRACKS_API,
  ...SYSTEM_API,
});

export type Api = typeof API;
export type ApiKey = keyof Api;
