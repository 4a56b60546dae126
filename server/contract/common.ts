import { z } from 'zod';
import { cityDate, cityMidnight, DAY_MS, parseCityIso } from './city-time';
import type { BBox } from './geo';

/**
 * Building blocks shared by the request and response schemas. Pure (no I/O, no node:*), so the client
 * may import them too.
 */

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const DATETIME_WITH_OFFSET_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** Error response body: `error` is one sentence saying what to fix, `details` one entry per field. */
export const ErrorBody = z
  .object({
    error: z.string(),
    details: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .meta({ id: 'Error', description: 'What went wrong and how to fix it.' });
export type ErrorBody = z.infer<typeof ErrorBody>;

/**
 * Parses `w,s,e,n` into a BBox. Longitudes are clamped to ±180 and latitudes to ±90 (a zoomed-out map
 * viewport may reach past them); anything else wrong is an error sentence.
 */
export function parseBBox(text: string): { bbox: BBox } | { error: string } {
  const parts = text.split(',');
  if (parts.length !== 4) {
    return { error: `bbox must be four numbers "west,south,east,north" (got ${parts.length} part${parts.length === 1 ? '' : 's'})` };
  }
  const nums = parts.map((p) => (p.trim() === '' ? NaN : Number(p)));
  if (nums.some((n) => !Number.isFinite(n))) {
    return { error: `bbox must be four numbers "west,south,east,north", e.g. 115.95,36.42,116.03,36.48 (got "${text}")` };
  }
  const [w, s, e, n] = nums;
  if (w > e) return { error: `bbox west (${w}) must not be greater than east (${e})` };
  if (s > n) return { error: `bbox south (${s}) must not be greater than north (${n})` };
  const clampLng = (v: number) => Math.max(-180, Math.min(180, v));
  const clampLat = (v: number) => Math.max(-90, Math.min(90, v));
  return { bbox: [clampLng(w), clampLat(s), clampLng(e), clampLat(n)] };
}

/** Query parameter `bbox=w,s,e,n` → BBox. */
export const BBoxParam = z
  .string()
  .transform((text, ctx): BBox => {
    const parsed = parseBBox(text);
    if ('error' in parsed) {
      ctx.addIssue({ code: 'custom', message: parsed.error });
      return z.NEVER;
    }
    return parsed.bbox;
  })
  .meta({
    description: 'Bounding box "west,south,east,north" in WGS84 degrees; longitudes clamp to ±180, latitudes to ±90.',
    example: '115.95,36.42,116.03,36.48',
  });

/**
 * A comma-separated list parameter (`a,b,c`; a repeated parameter works too) → unique non-empty strings.
 */
export function listParam(description: string, example: string) {
  return z
    .union([z.string(), z.array(z.string())])
    .transform((v) => {
      const items = (Array.isArray(v) ? v : [v])
        .flatMap((s) => s.split(','))
        .map((s) => s.trim())
        .filter(Boolean);
      return [...new Set(items)];
    })
    .meta({ description, example });
}

/**
 * Parses a date (`2026-03-04`, a day in the city's zone) or an ISO time (`2026-03-04T09:15:00+08:00`;
 * without an offset it is city time) into epoch milliseconds. `edge: 'end'` turns a plain date into the
 * end of that day, so `to=2026-03-04` includes the whole 4th. Returns null when the text is not a time.
 */
export function parseTimeBound(text: string, edge: 'start' | 'end'): number | null {
  if (DATE_RE.test(text)) {
    const ms = cityMidnight(text);
    if (!Number.isFinite(ms) || cityDate(ms) !== text) return null;
    return edge === 'end' ? ms + DAY_MS - 1 : ms;
  }
  return parseCityIso(text);
}

/** Query parameter holding a date or an ISO time → epoch ms (inclusive bound). */
export function timeParam(edge: 'start' | 'end', description: string, example: string) {
  return z
    .string()
    .transform((text, ctx): number => {
      const ms = parseTimeBound(text, edge);
      if (ms === null) {
        ctx.addIssue({
          code: 'custom',
          message: `must be a date like 2026-03-04 or an ISO time like 2026-03-04T09:15:00+08:00 (got "${text}")`,
        });
        return z.NEVER;
      }
      return ms;
    })
    .meta({ description, example });
}

/** `[lng, lat]` in WGS84 degrees. */
export const LngLatSchema = z
  .tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)])
  .meta({ description: '[longitude, latitude] in WGS84 degrees' });

/** `[west, south, east, north]` in WGS84 degrees. */
export const BBoxSchema = z.tuple([z.number(), z.number(), z.number(), z.number()]).meta({ description: '[west, south, east, north] in WGS84 degrees' });

/** An ISO 8601 time with offset, as stored (`2026-03-04T09:15:00+08:00`). */
export const IsoTime = z.string().refine((s) => DATETIME_WITH_OFFSET_RE.test(s) && Number.isFinite(Date.parse(s)), {
  message: 'must be an ISO 8601 time with offset, like 2026-03-04T09:15:00+08:00',
});

/** The same, or null. */
export const IsoTimeOrNull = IsoTime.nullable();

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'Bad input: `error` says what to fix, `details` lists each field',
  401: 'Not signed in: sign in (POST /api/auth/login) or send an API key or screen token',
  403: 'Signed in, but this role may not do this (or a write without its X-CSRF-Token header)',
  404: 'Not found',
  409: 'Conflict with the current state: `error` says what is allowed',
  413: 'Request body too large',
  415: 'A photo that is not JPEG, PNG or WebP',
  422: 'Well-formed but cannot be done (e.g. a point too far from any road): `error` says which and why',
  429: 'Too many failed sign-ins: wait the Retry-After seconds',
  503: 'No city is loaded yet',
};

type ErrorResponse = { description: string; schema: typeof ErrorBody };

/**
 * Error responses with the shared `{ error, details }` body, for an endpoint's `responses`.
 *
 * @example
 * responses: { 200: { description: 'The place', schema: PlaceDetail }, ...errorResponses(404) }
 */
export function errorResponses<const S extends readonly number[]>(...statuses: S): Record<S[number], ErrorResponse> {
  return Object.fromEntries(statuses.map((s) => [s, { description: ERROR_DESCRIPTIONS[s] ?? 'Error', schema: ErrorBody }])) as Record<S[number], ErrorResponse>;
}
