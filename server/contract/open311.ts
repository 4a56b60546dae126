import { z } from 'zod';
import { errorResponses } from './common';
import { endpoints } from './endpoint';
import { OPEN311 } from './roles';

/**
 * Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2): request parameters and the shapes the
 * spec writes, field for field. Codes and ids are strings; statuses are `open`/`closed` with our own
 * status in `status_notes`.
 */

export const Open311Service = z.object({
  service_code: z.string(),
  service_name: z.string(),
  description: z.string(),
  metadata: z.boolean(),
  type: z.enum(['realtime', 'batch', 'blackbox']),
  keywords: z.string(),
  group: z.string(),
});
export type Open311Service = z.infer<typeof Open311Service>;

export const Open311Request = z.object({
  service_request_id: z.string(),
  status: z.enum(['open', 'closed']),
  status_notes: z.string(),
  service_name: z.string(),
  service_code: z.string(),
  description: z.string(),
  agency_responsible: z.string(),
  service_notice: z.string(),
  requested_datetime: z.string(),
  updated_datetime: z.string(),
  expected_datetime: z.string(),
  address: z.string(),
  address_id: z.string(),
  zipcode: z.string(),
  lat: z.number(),
  long: z.number(),
  media_url: z.string(),
});
export type Open311Request = z.infer<typeof Open311Request>;

const Iso = z.string().refine((s) => Number.isFinite(Date.parse(s)), 'must be a W3C (ISO 8601) time like 2026-03-01T00:00:00+08:00');
const List = z.string().transform((s) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean),
);

/** `GET requests` query (all optional). */
export const Open311RequestsQuery = z.object({
  service_request_id: List.optional(),
  service_code: List.optional(),
  start_date: Iso.optional(),
  end_date: Iso.optional(),
  status: List.pipe(z.array(z.enum(['open', 'closed'], { error: 'status must be open, closed or both (comma-separated)' }))).optional(),
  jurisdiction_id: z.string().optional(),
});
export type Open311RequestsQuery = z.output<typeof Open311RequestsQuery>;

/** `POST requests` body (form-encoded, as the spec sends it). */
export const Open311PostBody = z.object({
  api_key: z.string().optional(),
  jurisdiction_id: z.string().optional(),
  service_code: z.string().min(1, 'service_code is required (GET services lists them)'),
  lat: z.coerce.number({ error: 'lat must be a latitude' }).min(-90).max(90).optional(),
  long: z.coerce.number({ error: 'long must be a longitude' }).min(-180).max(180).optional(),
  address_string: z.string().optional(),
  address_id: z.string().optional(),
  email: z.string().optional(),
  device_id: z.string().optional(),
  account_id: z.string().optional(),
  first_name: z.string().optional(),
  last_name: z.string().optional(),
  phone: z.string().optional(),
  description: z.string().max(4000).optional(),
  media_url: z.string().optional(),
});
export type Open311PostBody = z.output<typeof Open311PostBody>;

/** The spec's error body: a list of `{ code, description }`. */
export const Open311Errors = z.array(z.object({ code: z.number().int(), description: z.string() })).meta({ id: 'Open311Errors' });
/** `<id>.json` or `<id>.xml` path parameter. */
export const Open311FileParam = z.object({ file: z.string().meta({ description: '`<id>.json` or `<id>.xml`' }) });

const TAG = 'open311';
// The gate's refusals (no key, or a role that may not) come in the API's own `{ error }` body.
const GATE_ERRORS = errorResponses(401, 403);
const discovery = { tag: TAG, summary: 'GeoReport v2 discovery', access: OPEN311, responses: { 200: { description: 'Discovery' }, ...GATE_ERRORS } } as const;
const services = {
  tag: TAG,
  summary: 'GeoReport v2 services: the problem categories',
  access: OPEN311,
  responses: { 200: { description: 'Services', schema: z.array(Open311Service) }, ...GATE_ERRORS },
} as const;
const requests = {
  tag: TAG,
  summary: 'GeoReport v2 service requests (problems): by ids, or service_code, start_date/end_date (default the last 90 days), status; at most 1,000',
  access: OPEN311,
  query: Open311RequestsQuery,
  responses: { 200: { description: 'Requests', schema: z.array(Open311Request) }, 400: { description: 'Bad parameters', schema: Open311Errors } },
} as const;
// Creating checks the spec's api_key form field itself, so the gate lets it through.
const create = {
  tag: TAG,
  summary: 'GeoReport v2 create a request (api_key required; lat/long required)',
  access: 'public',
  bodyLimit: 64 * 1024,
  body: Open311PostBody,
  bodyContentType: 'application/x-www-form-urlencoded',
  responses: {
    201: { description: 'service_request_id' },
    400: { description: 'Bad parameters', schema: Open311Errors },
    403: { description: 'Missing or wrong api_key', schema: Open311Errors },
  },
} as const;

/**
 * Open311 GeoReport v2 for the 12345/12319 hotlines, each in JSON and XML: reading needs an API key (or
 * a person).
 */
export const OPEN311_API = endpoints({
  'GET /open311/discovery.json': discovery,
  'GET /open311/discovery.xml': discovery,
  'GET /open311/v2/services.json': services,
  'GET /open311/v2/services.xml': services,
  'GET /open311/v2/services/:file': {
    tag: TAG,
    summary: 'GeoReport v2 service definition (`<service_code>.json|xml`); no extra attributes',
    access: OPEN311,
    params: Open311FileParam,
    responses: { 200: { description: 'Service definition' }, 404: { description: 'Unknown service', schema: Open311Errors } },
  },
  'GET /open311/v2/requests.json': requests,
  'GET /open311/v2/requests.xml': requests,
  'POST /open311/v2/requests.json': create,
  'POST /open311/v2/requests.xml': create,
  'GET /open311/v2/requests/:file': {
    tag: TAG,
    summary: 'GeoReport v2 one request (`<service_request_id>.json|xml`)',
    access: OPEN311,
    params: Open311FileParam,
    responses: { 200: { description: 'A one-element list', schema: z.array(Open311Request) }, 404: { description: 'Unknown request', schema: Open311Errors } },
  },
  'GET /open311/v2/tokens/:file': {
    tag: TAG,
    summary: 'GeoReport v2 token → service_request_id (`<token>.json|xml`; our tokens are the request ids)',
    access: OPEN311,
    params: Open311FileParam,
    responses: { 200: { description: 'A one-element list' }, 404: { description: 'Unknown token', schema: Open311Errors } },
  },
});
