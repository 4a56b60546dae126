import { z } from 'zod';
import { errorResponses, LngLatSchema } from './common';
import { Geometry } from './geojson';
import { PlaceOrPointKind } from './layers';
import { endpoints } from './endpoint';
import { READERS } from './roles';

/** Counts of a place's problems: all time, not closed, and assigned past the deadline. */
export const ProblemCounts = z.object({
  total: z.number().int(),
  open: z.number().int().meta({ description: 'not closed (reported, assigned or rectified)' }),
  overdue: z.number().int(),
});
export type ProblemCounts = z.infer<typeof ProblemCounts>;

/** `GET /api/places/:id` response: a market, community or back street with names resolved. */
export const PlaceDetail = z
  .object({
    type: z.literal('Feature'),
    id: z.string(),
    geometry: Geometry,
    properties: z.object({
      id: z.string(),
      name: z.string(),
      kind: PlaceOrPointKind,
      subdistrictId: z.string().nullable(),
      unitId: z.string().nullable(),
      address: z.string().nullable().optional().meta({ description: 'markets only' }),
      entrance: LngLatSchema.nullable().optional().meta({ description: 'communities only' }),
      lengthM: z.number().nullable().optional().meta({ description: 'back streets and lines of the other point types, metres' }),
      subdistrictName: z.string().nullable(),
      unitName: z.string().nullable(),
      problemCounts: ProblemCounts,
    }),
  })
  .meta({ id: 'PlaceDetail' });
export type PlaceDetail = z.infer<typeof PlaceDetail>;

export const PlaceParams = z.object({ id: z.string().min(1).meta({ description: 'place id: mk…, cm… or bs…' }) });

/** Markets, communities and back streets. */
export const PLACES_API = endpoints({
  'GET /api/places/:id': {
    tag: 'places',
    summary: 'One market, community or back street with names and problem counts',
    access: READERS,
    params: PlaceParams,
    responses: { 200: { description: 'The place', schema: PlaceDetail }, ...errorResponses(404) },
  },
});
