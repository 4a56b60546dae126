/**
 * One declaration per route: its method and path (the key, `GET /api/problems/:id`, as Hono registers
 * it), who may call it, what it takes and what it answers. The server registers its handlers, its
 * access rules and its OpenAPI document from these declarations; the client types its calls from them
 * (type-only imports, so no zod code enters the bundle). Pure: no I/O, no node:*, no DOM.
 */
import type { z } from 'zod';
import type { Role } from './roles';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** `METHOD /path`, with Hono's `:param` placeholders: `GET /api/problems/:id`. */
export type EndpointKey = `${Method} /${string}`;

/** The resources endpoints are grouped by (OpenAPI tags), with what each holds. */
export const TAGS = {
  assessment: '测评迎检: the assessment catalog, 得分率 and where points are lost',
  auth: 'Sign-in, accounts, API keys, screen tokens and the audit log',
  city: 'The city: metadata the client reads before the first map',
  hotspots: 'Hotspot statistics, the GPU point columns and recurring sites: city-wide analysis',
  layers: 'The city layers (roads, water, subdistricts, places, units) as GeoJSON',
  ledger: '问题台账: the problem ledger and its Excel / CSV exports',
  meta: 'This API’s own description',
  open311: 'Open311 GeoReport v2 for the 12345/12319 hotlines, in JSON and XML',
  places: 'Markets, communities and back streets',
  plans: 'Inspection route plans: plan, save, edit, re-optimise, export',
  problems: 'Problems: filtered pages and single problems',
  rankings: '红黑榜 and the weekly 通报',
  routing: 'Routes and travel-time matrices along the streets',
  screen: 'The big screen (大屏): its summary, the assessment countdown, today’s routes',
  system: 'The server itself: HTTPS and phone access, backups',
  tiles: 'Vector tiles (MVT): the basemap and the problems',
  workflow: 'The problem workflow: reporting, photos, transitions, merges, notices, events, field checks',
} as const;
export type Tag = keyof typeof TAGS;

/** One response of an endpoint: a JSON body described by `schema`, or a body of another `contentType`. */
export interface ResponseSpec {
  description: string;
  schema?: z.ZodType;
  /** Default `application/json` when `schema` is given. */
  contentType?: string;
}

export interface Endpoint {
  /** OpenAPI tag: the resource the route belongs to. */
  tag: Tag;
  /**
   * The path as the OpenAPI document writes it, when it says more than Hono's pattern: a tile's
   * `/tiles/base/{z}/{x}/{y}.pbf`, where Hono's `:y` takes the suffix. Default: the key's path with
   * `{param}` for `:param`.
   */
  openapiPath?: string;
  summary: string;
  description?: string;
  /** Who may call it: `public` (no sign-in: the sign-in itself, the page shell) or the roles allowed. */
  access: 'public' | readonly Role[];
  /** Largest request body in bytes (default: the server's DEFAULT_BODY_LIMIT). */
  bodyLimit?: number;
  params?: z.ZodType;
  query?: z.ZodType;
  /** JSON body, unless `bodyContentType` says otherwise (e.g. multipart/form-data). */
  body?: z.ZodType;
  bodyContentType?: string;
  responses: Partial<Record<number, ResponseSpec>>;
}

/** Declares a table of endpoints, checked against the Endpoint shape but keeping each entry's own types. */
export function endpoints<const T extends Record<EndpointKey, Endpoint>>(table: T): T {
  return table;
}

type Input<S> = S extends z.ZodType ? z.input<S> : never;

/** Path parameters a caller passes, or never when the endpoint has none. */
export type ParamsOf<E extends Endpoint> = E extends { params: infer S } ? Input<S> : never;
/** Query a caller passes (as `z.input`: optional fields stay optional), or never. */
export type QueryOf<E extends Endpoint> = E extends { query: infer S } ? Input<S> : never;
/** JSON body a caller sends, or never. */
export type BodyOf<E extends Endpoint> = E extends { body: infer S } ? Input<S> : never;

type SuccessSchema<R> = R extends { 200: { schema: infer S } }
  ? S
  : R extends { 201: { schema: infer S } }
    ? S
    : R extends { 202: { schema: infer S } }
      ? S
      : undefined;

/** The parsed body of the endpoint's success response (200, 201 or 202 JSON), or void (204, or not JSON). */
export type ResponseOf<E extends Endpoint> = SuccessSchema<E['responses']> extends infer S ? (S extends z.ZodType ? z.output<S> : void) : void;

/** The parsed JSON body endpoint `E` declares for `status` (a 409's conflict body, say), or never. */
export type ResponseAt<E extends Endpoint, S extends number> = E['responses'] extends { [K in S]: { schema: infer Sch } }
  ? Sch extends z.ZodType
    ? z.output<Sch>
    : never
  : never;

/** The statuses other than 2xx for which endpoint `E` declares a JSON body of its own. */
export type DeclaredErrorStatus<E extends Endpoint> = {
  [S in keyof E['responses'] & number]: E['responses'][S] extends { schema: z.ZodType } ? S : never;
}[keyof E['responses'] & number];
