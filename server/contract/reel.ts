import { z } from 'zod';
import { errorResponses, IsoTime } from './common';
import { endpoints } from './endpoint';
import { MEDIA_KINDS } from './media-rules';
import { ProblemStatus, ProblemTileQuery } from './problems';
import { ANALYSTS } from './roles';

/** Problems a reel shows by default, and at most: a meeting's reel runs minutes, not hours. */
export const REEL_LIMIT_DEFAULT = 120;
export const REEL_LIMIT_MAX = 300;

/** `GET /api/screen/reel` query: the ledger's filters (period, district, subdistrict, unit, category, status, grid), a limit, reviewed only. */
export const ReelQuery = ProblemTileQuery.safeExtend({
  limit: z
    .string()
    .regex(/^\d+$/, 'limit must be a whole number')
    .transform(Number)
    .pipe(
      z
        .number()
        .int()
        .min(1, 'limit must be at least 1')
        .max(REEL_LIMIT_MAX, `a reel shows at most ${REEL_LIMIT_MAX} problems; narrow the period or the place`),
    )
    .optional()
    .meta({ description: `problems in the reel, default ${REEL_LIMIT_DEFAULT}, at most ${REEL_LIMIT_MAX} (the earliest first)` }),
  reviewed: z
    .enum(['0', '1'])
    .optional()
    .meta({ description: '1: only photos and clips checked for public use (blurred or clear); default 0: unchecked ones too, counted in `unreviewed`' }),
});
export type ReelQuery = z.output<typeof ReelQuery>;

/** A reel's photo or clip as checked for public use: blurred, clear, or nobody checked it yet. */
export const REEL_REVIEWS = ['blurred', 'clear', 'unchecked'] as const;

/** One photo or clip as the reel shows it: a blurred photo by its blurred copy. */
export const ReelMedia = z.object({
  kind: z.enum(MEDIA_KINDS),
  src: z.string().meta({ description: 'a photo: its screen copy (the blurred one where blurred); a clip: the clip (range requests)' }),
  thumbUrl: z.string(),
  posterUrl: z.string().nullable().meta({ description: 'a clip’s poster frame; null for a photo' }),
  width: z.number().int(),
  height: z.number().int(),
  durationMs: z.number().int().nullable().meta({ description: 'a clip’s length; null for a photo' }),
  review: z.enum(REEL_REVIEWS).meta({ description: 'its check for public use; excluded media are never in a reel' }),
});
export type ReelMedia = z.infer<typeof ReelMedia>;

/** One problem of the reel. */
export const ReelSlide = z.object({
  id: z.string(),
  category: z.string(),
  categoryName: z.object({ zh: z.string(), en: z.string() }),
  color: z.string().meta({ description: 'the category’s colour (#rrggbb)' }),
  description: z.string(),
  location: z.string().meta({ description: 'the place name (and address), else the coordinates' }),
  lngLat: z.tuple([z.number(), z.number()]),
  districtName: z.string().nullable(),
  subdistrictName: z.string().nullable(),
  unitName: z.string().nullable(),
  reportedAt: IsoTime,
  status: ProblemStatus,
  overdue: z.boolean(),
  rectifiedAt: z.string().nullable(),
  openDays: z.number().int().meta({ description: 'whole days open: reported until rectified, or until now when not yet rectified (0 = the same day)' }),
  before: z.array(ReelMedia).meta({ description: 'the report’s photos and clips (at least one)' }),
  after: z.array(ReelMedia).meta({ description: 'the rectification’s photos and clips, where rectified (may be empty)' }),
});
export type ReelSlide = z.infer<typeof ReelSlide>;

/** The 暗访片: the period's problems with photos, the earliest first. */
export const Reel = z
  .object({
    now: IsoTime,
    scope: z.string().meta({ description: 'what the reel covers, as its title card says it: the place and the period (Chinese)' }),
    matched: z.number().int().meta({ description: 'problems matching the filters' }),
    withMedia: z.number().int().meta({ description: 'of them, with a report photo or clip that may be shown' }),
    slides: z.array(ReelSlide).meta({ description: 'the first `limit` of those, by report time (the earliest first)' }),
    unreviewed: z.number().int().meta({ description: 'photos and clips in the slides nobody has checked for public use (打码审核) yet' }),
    excluded: z
      .number()
      .int()
      .meta({ description: 'photos and clips of the slides’ problems left out because they were excluded, or unchecked with reviewed=1' }),
  })
  .meta({ id: 'Reel' });
export type Reel = z.infer<typeof Reel>;

/** The evidence reel (暗访片) the leaders' meeting opens with. */
export const REEL_API = endpoints({
  'GET /api/screen/reel': {
    tag: 'screen',
    summary: '暗访片: the problems of a period, place or unit with their photos and clips, in report order, for a full-screen reel',
    description:
      'Problems with at least one report photo or clip, the earliest first; each with the place, category, how long it has been (or was) open and, ' +
      'where rectified, the after photos. A photo checked and blurred (PUT /api/media/:hash/redaction) is shown by its blurred copy; an excluded one never.',
    access: ANALYSTS,
    query: ReelQuery,
    responses: { 200: { description: 'The reel', schema: Reel }, ...errorResponses(400, 404) },
  },
});
