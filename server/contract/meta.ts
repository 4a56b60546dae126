import { z } from 'zod';
import { Category } from './catalog';
import { CityInfo } from './city';
import { errorResponses } from './common';
import { endpoints } from './endpoint';
import { DistrictKind } from './layers';
import { PROBLEM_STATUSES } from './problems';
import { READERS } from './roles';

/** Feature counts per layer, as `/api/meta` and the importer report them. */
export const LayerCounts = z.object({
  roads: z.number().int(),
  water: z.number().int(),
  districts: z.number().int().meta({ description: '区/县/开发区; a city imported without them is one district' }),
  subdistricts: z.number().int(),
  units: z.number().int(),
  markets: z.number().int(),
  communities: z.number().int(),
  backStreets: z.number().int(),
  points: z.number().int().meta({ description: 'inspection points of the other types (bus stops, toilets, main road segments …)' }),
  problems: z.number().int(),
});
export type LayerCounts = z.infer<typeof LayerCounts>;

/** What the upload forms check before sending (the server checks again) and whether the page makes clips' poster frames. */
export const MediaLimits = z
  .object({
    photo: z.object({ maxMb: z.number().meta({ description: 'MAX_PHOTO_MB' }) }),
    video: z.object({
      maxMb: z.number().meta({ description: 'MAX_VIDEO_MB: the largest clip' }),
      maxSeconds: z.number().meta({ description: 'MAX_VIDEO_SECONDS: the longest clip' }),
      serverPoster: z
        .boolean()
        .meta({ description: 'the server has ffmpeg and takes clips’ poster frames itself; false: the page sends one (`<clip name>.poster.jpg`)' }),
    }),
  })
  .meta({ id: 'MediaLimits' });
export type MediaLimits = z.infer<typeof MediaLimits>;

/** `GET /api/meta` response: everything the client needs before it draws the first map. */
export const Meta = z
  .object({
    city: CityInfo,
    counts: LayerCounts,
    categories: z.array(Category),
    pointTypes: z
      .array(z.object({ id: z.string(), zh: z.string(), en: z.string() }))
      .meta({ description: 'the assessment catalog’s point types (every version’s, the newest name): how a place of each kind is called' }),
    statuses: z.array(z.enum(PROBLEM_STATUSES)),
    districts: z
      .array(z.object({ id: z.string(), name: z.string(), code: z.string(), kind: DistrictKind }))
      .meta({ description: '区/县/开发区, by code; their subdistricts name them (`districtId`)' }),
    subdistricts: z.array(z.object({ id: z.string(), name: z.string(), code: z.string(), districtId: z.string().nullable() })),
    units: z.array(z.object({ id: z.string(), name: z.string(), type: z.string(), subdistrictId: z.string().nullable(), districtId: z.string().nullable() })),
    grids: z
      .array(z.object({ id: z.string(), name: z.string(), subdistrictId: z.string().nullable() }))
      .meta({ description: '网格, for the filters (their outlines: GET /api/grids)' }),
    problemTimeRange: z
      .object({ from: z.string(), to: z.string() })
      .nullable()
      .meta({ description: 'earliest and latest reportedAt; null when there are no problems' }),
    media: MediaLimits,
  })
  .meta({ id: 'Meta' });
export type Meta = z.infer<typeof Meta>;

/** The city's metadata, and this API's own description. */
export const META_API = endpoints({
  'GET /api/meta': {
    tag: 'city',
    summary: 'The city, layer counts, categories, statuses, districts, subdistricts, units, grids and the time range of problems',
    access: READERS,
    responses: { 200: { description: 'City metadata', schema: Meta }, ...errorResponses(401, 403, 503) },
  },
  // The API description carries no city data.
  'GET /api/openapi.json': {
    tag: 'meta',
    summary: 'This OpenAPI 3.1 document',
    access: 'public',
    responses: { 200: { description: 'OpenAPI 3.1 document', contentType: 'application/json' } },
  },
});
