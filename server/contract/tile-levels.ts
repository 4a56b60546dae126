/**
 * The tile pyramids' zooms, layer names and extent as plain values (no zod), so the map's style can
 * use them without pulling the schemas into the page. The endpoints and parameter schemas are in tiles.ts.
 */

/** Highest zoom the basemap tiles are cut at; the map overzooms above it. */
export const BASE_MAX_ZOOM = 14;
/** Highest zoom problem tiles are served at (single points from z 14 on). */
export const PROBLEMS_MAX_ZOOM = 20;
/** Zoom from which problem tiles carry single problems instead of grid clusters. */
export const PROBLEMS_POINT_ZOOM = 14;

/** Layer names of the basemap tiles, in drawing order (tiles list them so; client styles use these). */
export const BASE_TILE_LAYERS = [
  'water',
  'water-labels',
  // Only in a city of several districts (a one-district city's district is its whole extent).
  'districts',
  'district-labels',
  'subdistricts',
  'subdistrict-labels',
  'roads',
  'communities',
  'community-labels',
  'back-streets',
  'points',
  'markets',
] as const;
export type BaseTileLayer = (typeof BASE_TILE_LAYERS)[number];

/** Layer name of the problem tiles. */
export const PROBLEM_TILE_LAYER = 'problems';

/** MVT extent of every tile we serve. */
export const TILE_EXTENT = 4096;
