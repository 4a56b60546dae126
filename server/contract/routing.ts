import { z } from 'zod';
import { PROFILES } from './profiles';
import { errorResponses, LngLatSchema } from './common';
import { LineStringGeometry } from './geojson';
import { endpoints } from './endpoint';
import { PLANNERS } from './roles';

/** Most points one matrix request may have (500 × 500 = 250,000 pairs). */
export const MATRIX_MAX_POINTS = 500;
/** Largest snapping limit a caller may ask for, metres. */
export const SNAP_LIMIT_MAX_M = 5000;

export const ProfileSchema = z.enum(PROFILES).meta({
  description:
    'walk: 4.5 km/h, both ways on every street, footways and steps; ebike: 12 km/h, no motorways or steps; car: speeds per road class or maxspeed, one-way respected',
});

const LNG_LAT_RE = /^\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*$/;

/** Query parameter `lng,lat` → `[lng, lat]`. */
function lngLatParam(description: string, example: string) {
  return z
    .string()
    .transform((text, ctx): [number, number] => {
      const m = LNG_LAT_RE.exec(text);
      const lng = m ? Number(m[1]) : NaN;
      const lat = m ? Number(m[2]) : NaN;
      if (!m || Math.abs(lng) > 180 || Math.abs(lat) > 90) {
        ctx.addIssue({ code: 'custom', message: `must be "longitude,latitude" in WGS84 degrees, like 115.98,36.45 (got "${text}")` });
        return z.NEVER;
      }
      return [lng, lat];
    })
    .meta({ description, example });
}

const SnapLimit = z.coerce
  .number()
  .positive()
  .max(SNAP_LIMIT_MAX_M)
  .meta({ description: `Largest distance in metres a point may be from a usable road (default 500, at most ${SNAP_LIMIT_MAX_M})` });

export const RouteQuery = z.object({
  from: lngLatParam('Start "longitude,latitude"', '115.975,36.448'),
  to: lngLatParam('End "longitude,latitude"', '115.99,36.455'),
  profile: ProfileSchema.default('walk'),
  maxSnapM: SnapLimit.optional(),
});

export const SnappedPointSchema = z
  .object({
    input: LngLatSchema,
    lngLat: LngLatSchema.meta({ description: 'the nearest point on a usable road' }),
    distanceM: z.number().meta({ description: 'metres from the input to the road' }),
    roadId: z.string(),
  })
  .meta({ id: 'SnappedPoint' });

export const RouteFeature = z
  .object({
    type: z.literal('Feature'),
    geometry: LineStringGeometry,
    properties: z.object({
      profile: ProfileSchema,
      distanceM: z.number().meta({ description: 'along the streets, metres' }),
      durationS: z.number().meta({ description: 'travel time, seconds' }),
      snapped: z.tuple([SnappedPointSchema, SnappedPointSchema]),
      roadIds: z.array(z.string()).meta({ description: 'roads the route follows, in order' }),
    }),
  })
  .meta({ id: 'RouteFeature' });
export type RouteFeature = z.infer<typeof RouteFeature>;

export const MatrixBody = z.object({
  profile: ProfileSchema.default('walk'),
  points: z.array(LngLatSchema).min(1, 'give at least one point').max(MATRIX_MAX_POINTS, `at most ${MATRIX_MAX_POINTS} points per request; split the request`),
  maxSnapM: SnapLimit.optional(),
});

export const MatrixResponse = z
  .object({
    profile: ProfileSchema,
    durationsS: z.array(z.array(z.number().nullable())).meta({ description: 'row i, column j: seconds from point i to point j; null when unreachable' }),
    distancesM: z.array(z.array(z.number().nullable())).meta({ description: 'metres, same layout' }),
    snapped: z.array(SnappedPointSchema),
    unreachable: z.array(z.tuple([z.number().int(), z.number().int()])).meta({ description: '[from, to] index pairs with no route' }),
  })
  .meta({ id: 'MatrixResponse' });
export type MatrixResponse = z.infer<typeof MatrixResponse>;

/** Routes and travel-time matrices along the streets. */
export const ROUTING_API = endpoints({
  'GET /api/route': {
    tag: 'routing',
    summary: 'The fastest route between two points along the streets',
    description:
      'Both points snap to the nearest road the profile may use (the snap distance is returned). 422 when a point is farther than the limit from every usable road, or the two points are on pieces of the network that do not connect.',
    access: PLANNERS,
    query: RouteQuery,
    responses: { 200: { description: 'The route as a GeoJSON LineString', schema: RouteFeature }, ...errorResponses(400, 422, 503) },
  },
  'POST /api/matrix': {
    tag: 'routing',
    summary: 'Travel times and distances between every pair of up to 500 points',
    description: 'Contraction hierarchies with bucket many-to-many; equal to a plain Dijkstra. Unreachable pairs are null and listed.',
    access: PLANNERS,
    bodyLimit: 64 * 1024,
    body: MatrixBody,
    responses: { 200: { description: 'The matrices, row = from, column = to', schema: MatrixResponse }, ...errorResponses(400, 422, 503) },
  },
});
