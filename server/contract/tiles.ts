import { z } from 'zod';
import { errorResponses } from './common';
import { endpoints } from './endpoint';
import { ProblemTileQuery } from './problems';
import { READERS } from './roles';
import { BASE_MAX_ZOOM, PROBLEMS_MAX_ZOOM } from './tile-levels';

export * from './tile-levels';

const Int = (name: string) => z.string().regex(/^\d+$/, `${name} must be a whole number`).transform(Number);

/** `{z}/{x}/{y}.pbf` path parameters for a tile pyramid that stops at `maxZoom`. */
export function tileParams(maxZoom: number) {
  return z
    .object({
      z: Int('z').meta({ description: `zoom 0–${maxZoom}` }),
      x: Int('x'),
      y: z
        .string()
        .regex(/^\d+\.pbf$/, 'y must be a whole number followed by .pbf, as in 12/3380/1558.pbf')
        .transform((s) => Number(s.slice(0, -4)))
        .meta({ description: 'tile row followed by .pbf' }),
    })
    .superRefine((t, ctx) => {
      if (t.z > maxZoom) {
        ctx.addIssue({ code: 'custom', path: ['z'], message: `z must be at most ${maxZoom} (the map overzooms above it)` });
        return;
      }
      const n = 2 ** t.z;
      if (t.x >= n) ctx.addIssue({ code: 'custom', path: ['x'], message: `x must be below ${n} at zoom ${t.z}` });
      if (t.y >= n) ctx.addIssue({ code: 'custom', path: ['y'], message: `y must be below ${n} at zoom ${t.z}` });
    });
}
export type TileParams = { z: number; x: number; y: number };

export const BaseTileParams = tileParams(BASE_MAX_ZOOM);
export const ProblemTileParams = tileParams(PROBLEMS_MAX_ZOOM);

/** Mapbox Vector Tile, the content type of both tile pyramids. */
export const MVT_CONTENT_TYPE = 'application/x-protobuf';

/** The basemap and problem vector tiles. */
export const TILES_API = endpoints({
  'GET /tiles/base/:z/:x/:y': {
    tag: 'tiles',
    openapiPath: '/tiles/base/{z}/{x}/{y}.pbf',
    summary: 'Basemap vector tile (MVT, extent 4096)',
    description:
      'Layers: water (name, kind), water-labels (points: id, name, kind), subdistricts (id, name), subdistrict-labels (points: id, name), roads (id, name, ' +
      'class, oneway), communities (id, name), community-labels (points: id, name), back-streets (id, name), ' +
      'markets (points: id, name). Minor roads start at z13, paths at z14; communities at z12, their labels at z14. ' +
      `z 0–${BASE_MAX_ZOOM}; the map overzooms above.`,
    access: READERS,
    params: BaseTileParams,
    responses: {
      200: { description: 'Mapbox Vector Tile', contentType: MVT_CONTENT_TYPE },
      204: { description: 'Empty tile' },
      ...errorResponses(400),
    },
  },
  'GET /tiles/problems/:z/:x/:y': {
    tag: 'tiles',
    openapiPath: '/tiles/problems/{z}/{x}/{y}.pbf',
    summary: 'Problems as a vector tile (MVT, extent 4096, layer "problems"), with the /api/problems filters',
    description:
      'Below z14: one point per non-empty grid cell (8 × 8 cells per tile) with count, open (not closed) and ' +
      'overdue; a cell with a single problem is sent as that problem. From z14: one point per problem with ' +
      'id, category, status and overdue (0|1).',
    access: READERS,
    params: ProblemTileParams,
    query: ProblemTileQuery,
    responses: {
      200: { description: 'Mapbox Vector Tile', contentType: MVT_CONTENT_TYPE },
      204: { description: 'No problems in this tile' },
      ...errorResponses(400),
    },
  },
});
