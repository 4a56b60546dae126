import { z } from 'zod';
import { ProblemDetail, PROBLEM_SOURCES } from './problems';
import { PhotoRef } from './workflow';
import { errorResponses } from './common';
import { endpoints } from './endpoint';
import { MEDIA_LIMIT_RESPONSES, MEDIA_PARTS, NOT_MEDIA_415, PHOTO_UPLOAD_BODY_LIMIT } from './media';
import { PLANNERS } from './roles';

/**
 * `POST /api/problems` multipart form (without the files, which come as `photos`). Text fields arrive
 * as strings, so numbers are coerced here.
 */
export const IntakeForm = z
  .object({
    category: z.string().min(1, 'category is required (a category id from GET /api/meta)'),
    lng: z.coerce.number({ error: 'lng must be a longitude in degrees' }).min(-180).max(180),
    lat: z.coerce.number({ error: 'lat must be a latitude in degrees' }).min(-90).max(90),
    description: z.string().trim().min(1, 'describe what you saw').max(2000),
    reporter: z.string().trim().min(1, 'reporter is required (a name or team)').max(100),
    source: z.enum(PROBLEM_SOURCES).default('inspection'),
    placeId: z.string().min(1).optional().meta({ description: 'linked market/community/back street; default: the nearest within 50 m' }),
    mergeInto: z.string().min(1).optional().meta({ description: 'add this report (photos, note) to an open problem instead of creating one' }),
  })
  .meta({ id: 'IntakeForm' });
export type IntakeForm = z.output<typeof IntakeForm>;

/** The documented multipart body: the form fields plus `photos` (photos and clips). */
export const IntakeMultipart = IntakeForm.safeExtend({
  photos: z
    .array(z.string().meta({ format: 'binary' }))
    .min(1)
    .meta({ description: MEDIA_PARTS }),
}).meta({ id: 'IntakeMultipart' });

/** A nearby open problem of the same category. */
export const DuplicateRef = z.object({ id: z.string(), distanceM: z.number(), status: z.string(), reportedAt: z.string() });

/** `POST /api/problems` response. */
export const IntakeResponse = z
  .object({
    problem: ProblemDetail,
    mergedInto: z.string().nullable().meta({ description: 'set when the report was merged into this existing problem' }),
    duplicates: z.array(DuplicateRef).meta({ description: 'open problems of the same category within 30 m (offer a merge)' }),
    photos: z.array(PhotoRef),
  })
  .meta({ id: 'IntakeResponse' });
export type IntakeResponse = z.infer<typeof IntakeResponse>;

/** `GET /api/problems/nearby` query: what a report here would be linked to, before sending it. */
export const NearbyQuery = z.object({
  category: z.string().min(1),
  lng: z.coerce.number().min(-180).max(180),
  lat: z.coerce.number().min(-90).max(90),
});

/** `GET /api/problems/nearby` response. */
export const NearbyResponse = z
  .object({
    duplicates: z.array(DuplicateRef),
    recurrenceOf: z.string().nullable(),
    subdistrictId: z.string().nullable(),
    unitId: z.string().nullable(),
    place: z.object({ id: z.string(), kind: z.string(), name: z.string(), distanceM: z.number() }).nullable(),
  })
  .meta({ id: 'NearbyResponse' });
export type NearbyResponse = z.infer<typeof NearbyResponse>;

/** Reporting a problem, and what a report at a point would be linked to. */
export const INTAKE_API = endpoints({
  'POST /api/problems': {
    tag: 'workflow',
    summary: 'Report a problem (multipart: fields and photos); or add the report to an open problem (mergeInto)',
    description:
      'The server sets the time, the subdistrict (point in polygon) and the responsible unit, links the nearest market, ' +
      'community or back street within 50 m, and a recurrence (same category, closed within 90 days, within 30 m). ' +
      'An `Idempotency-Key` header (UUID) makes a retry return the first response instead of a second problem. ' +
      'Photos: JPEG/PNG/WebP by content, at most MAX_PHOTO_MB each (default 15). Clips: MP4/WebM by content, at most MAX_VIDEO_MB (default 50) ' +
      'and MAX_VIDEO_SECONDS (default 60) each, attached like photos. A refused photo or clip stores nothing.',
    access: PLANNERS,
    bodyLimit: PHOTO_UPLOAD_BODY_LIMIT,
    body: IntakeMultipart,
    bodyContentType: 'multipart/form-data',
    responses: {
      201: { description: 'The new problem, with duplicate suggestions', schema: IntakeResponse },
      200: { description: 'Merged into `mergeInto` (or a replay of an Idempotency-Key whose first answer was a merge)', schema: IntakeResponse },
      ...errorResponses(400, 404),
      ...MEDIA_LIMIT_RESPONSES,
      415: NOT_MEDIA_415,
    },
  },
  'GET /api/problems/nearby': {
    tag: 'workflow',
    summary: 'Before reporting: open duplicates, the recurrence, subdistrict, unit and place a report here would get',
    access: PLANNERS,
    query: NearbyQuery,
    responses: { 200: { description: 'What intake would link', schema: NearbyResponse }, ...errorResponses(400) },
  },
});
