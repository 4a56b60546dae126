import { z } from 'zod';

/** Highest zoom the basemap tiles are cut at; the map overzooms above it. */
export const BASE_MAX_ZOOM = 14;
/** Highest zoom problem tiles are served at (single points from z 14 on). */
export const PROBLEMS_MAX_ZOOM = 20;
/** Zoom from which problem tiles carry single problems instead of grid clusters. */
export const PROBLEMS_POINT_ZOOM = 14;

const Int = (name: string) =>
  z.string().regex(/^\d+$/, `${name} must be a whole number`).transform(Number);

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

/** Layer names of the basemap tiles, in drawing order (tiles list them so; client styles use these). */
export const BASE_TILE_LAYERS = [
  'water',
  'water-labels',
  'subdistricts',
  'subdistrict-labels',
  'roads',
  'communities',
  'community-labels',
  'back-streets',
  'markets',
] as const;
export type BaseTileLayer = (typeof BASE_TILE_LAYERS)[number];

/** Layer name of the problem tiles. */
export const PROBLEM_TILE_LAYER = 'problems';

/** MVT extent of every tile we serve. */
export const TILE_EXTENT = 4096;
