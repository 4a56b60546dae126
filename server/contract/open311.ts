import { z } from 'zod';

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
const List = z.string().transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean));

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
