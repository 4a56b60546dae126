import { Hono } from 'hono';
import { ErrorBody } from '../../contract/common';
import { ProblemTileQuery, toProblemFilter } from '../../contract/problems';
import { BASE_MAX_ZOOM, BaseTileParams, ProblemTileParams } from '../../contract/tiles';
import { errorResponses, type RouteDoc } from '../../services/openapi/openapi';
import type { RouteDeps } from '../deps';
import { unitScope } from '../../auth/middleware';
import { validate } from '../validate';

const MVT = 'application/x-protobuf';
// Private: tiles are for signed-in callers, so no shared cache may keep them.
/** Basemap tiles change only when a city is imported. */
const BASE_CACHE = 'private, max-age=3600';
/** Problem tiles change with new reports and with the clock (overdue), and differ per unit account. */
const PROBLEMS_CACHE = 'private, max-age=60';

export const TILES_DOCS: RouteDoc[] = [
  {
    method: 'get',
    path: '/tiles/base/{z}/{x}/{y}.pbf',
    tag: 'tiles',
    summary: 'Basemap vector tile (MVT, extent 4096)',
    description:
      'Layers: water (name, kind), water-labels (points: id, name, kind), subdistricts (id, name), subdistrict-labels (points: id, name), roads (id, name, ' +
      'class, oneway), communities (id, name), community-labels (points: id, name), back-streets (id, name), ' +
      'markets (points: id, name). Minor roads start at z13, paths at z14; communities at z12, their labels at z14. ' +
      `z 0–${BASE_MAX_ZOOM}; the map overzooms above.`,
    params: BaseTileParams,
    responses: {
      200: { description: 'Mapbox Vector Tile', contentType: MVT },
      204: { description: 'Empty tile' },
      ...errorResponses(ErrorBody, 400),
    },
  },
  {
    method: 'get',
    path: '/tiles/problems/{z}/{x}/{y}.pbf',
    tag: 'tiles',
    summary: 'Problems as a vector tile (MVT, extent 4096, layer "problems"), with the /api/problems filters',
    description:
      'Below z14: one point per non-empty grid cell (8 × 8 cells per tile) with count, open (not closed) and ' +
      'overdue; a cell with a single problem is sent as that problem. From z14: one point per problem with ' +
      'id, category, status and overdue (0|1).',
    params: ProblemTileParams,
    query: ProblemTileQuery,
    responses: {
      200: { description: 'Mapbox Vector Tile', contentType: MVT },
      204: { description: 'No problems in this tile' },
      ...errorResponses(ErrorBody, 400),
    },
  },
];

/** `GET /tiles/base/{z}/{x}/{y}.pbf` and `GET /tiles/problems/{z}/{x}/{y}.pbf`. */
export function tilesRoutes(deps: RouteDeps) {
  return new Hono()
    .get('/base/:z/:x/:y', validate('param', BaseTileParams), (c) => {
      const { z, x, y } = c.req.valid('param');
      const tile = deps.baseTiles.getTile(z, x, y);
      c.header('Cache-Control', BASE_CACHE);
      if (!tile) return c.body(null, 204);
      return c.body(tile as Uint8Array<ArrayBuffer>, 200, { 'Content-Type': MVT });
    })
    .get('/problems/:z/:x/:y', validate('param', ProblemTileParams), validate('query', ProblemTileQuery), (c) => {
      const { z, x, y } = c.req.valid('param');
      const filter = toProblemFilter(c.req.valid('query'));
      const unit = unitScope(c);
      const tile = deps.problemTiles.getTile(z, x, y, unit ? { ...filter, units: [unit] } : filter, deps.now());
      c.header('Cache-Control', PROBLEMS_CACHE);
      if (!tile) return c.body(null, 204);
      return c.body(tile as Uint8Array<ArrayBuffer>, 200, { 'Content-Type': MVT });
    });
}
