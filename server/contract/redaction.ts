import { z } from 'zod';
import { IsoTime, errorResponses } from './common';
import { endpoints } from './endpoint';
import { MediaParams } from './media';
import { REDACTION_MIN_SIDE, REDACTION_REGIONS_MAX, REDACTION_STATUSES } from './media-rules';
import { PLANNERS } from './roles';

const Share = z.number().min(0).max(1);

/** One rectangle to cover (打码), in shares of the upright picture: what the editor draws. */
export const RedactionRegionSchema = z
  .object({
    x: Share.meta({ description: 'left edge, share of the width (0 = left)' }),
    y: Share.meta({ description: 'top edge, share of the height (0 = top)' }),
    w: z.number().min(REDACTION_MIN_SIDE).max(1).meta({ description: 'width, share of the picture’s width' }),
    h: z.number().min(REDACTION_MIN_SIDE).max(1).meta({ description: 'height, share of the picture’s height' }),
  })
  // A rectangle drawn to the very edge may round a hair past it: 0.001 of slack, then it is outside.
  .refine((r) => r.x + r.w <= 1.001 && r.y + r.h <= 1.001, { message: 'the rectangle goes past the picture’s edge (x + w and y + h must be at most 1)' })
  .meta({ id: 'RedactionRegion' });

/** `PUT /api/media/:hash/redaction` body. */
export const RedactionInput = z
  .object({
    status: z.enum(REDACTION_STATUSES).meta({
      description: 'blurred: cover `regions` with a mosaic (a copy; the original is kept); clear: checked, nothing to cover; excluded: never shown in public',
    }),
    regions: z.array(RedactionRegionSchema).max(REDACTION_REGIONS_MAX, `at most ${REDACTION_REGIONS_MAX} rectangles; a crowd is better excluded`).default([]),
  })
  .superRefine((b, ctx) => {
    if (b.status === 'blurred' && b.regions.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['regions'], message: 'draw at least one rectangle to blur, or mark the photo clear (nothing to cover)' });
    }
    if (b.status !== 'blurred' && b.regions.length > 0) {
      ctx.addIssue({ code: 'custom', path: ['regions'], message: `rectangles go with status blurred; ${b.status} takes none` });
    }
  })
  .meta({ id: 'RedactionInput' });
export type RedactionInput = z.output<typeof RedactionInput>;

/** A photo's or clip's check for public use, as stored. */
export const Redaction = z
  .object({
    hash: z.string().meta({ description: 'the original’s hash (kept untouched for the record)' }),
    status: z.enum(REDACTION_STATUSES),
    regions: z.array(RedactionRegionSchema),
    blurred: z
      .object({ hash: z.string(), url: z.string(), screenUrl: z.string(), thumbUrl: z.string() })
      .nullable()
      .meta({ description: 'blurred: the copy with the mosaic (no EXIF: no place or time in the file), shown in reels and briefings; else null' }),
    by: z.string().meta({ description: 'who checked it' }),
    at: IsoTime,
  })
  .meta({ id: 'Redaction' });
export type Redaction = z.infer<typeof Redaction>;

/** 曝光前打码: faces and number plates covered by hand before a photo is shown in public. */
export const REDACTION_API = endpoints({
  'GET /api/media/:hash/redaction': {
    tag: 'workflow',
    summary: 'A photo’s or clip’s check for public use (打码审核), or null when nobody checked it yet',
    access: PLANNERS,
    params: MediaParams,
    responses: { 200: { description: 'The check, or null', schema: Redaction.nullable() }, ...errorResponses(400, 404) },
  },
  'PUT /api/media/:hash/redaction': {
    tag: 'workflow',
    summary: 'Check a photo for public use: blur rectangles (a mosaic on a copy), mark it clear, or exclude it',
    description:
      'The original stays as it was, for the record; a blurred copy is made from it (again from the original at each change) and shown wherever the photo goes ' +
      'in public: the 暗访片 (GET /api/screen/reel), the big screen’s latest reports and the weekly 通报. The big-screen token then reads the copy only. ' +
      'A clip cannot be blurred (422): mark it clear or excluded.',
    access: PLANNERS,
    params: MediaParams,
    bodyLimit: 16 * 1024,
    body: RedactionInput,
    responses: { 200: { description: 'The check as stored', schema: Redaction }, ...errorResponses(400, 404, 422) },
  },
  'DELETE /api/media/:hash/redaction': {
    tag: 'workflow',
    summary: 'Undo a photo’s check: it is unchecked again (the original shown, flagged in the reel’s count of unchecked photos)',
    access: PLANNERS,
    params: MediaParams,
    responses: { 204: { description: 'Undone (or it was never checked)' }, ...errorResponses(400, 404) },
  },
});
