import { toProblemFilter } from '../../contract/problems';
import { MVT_CONTENT_TYPE } from '../../contract/tiles';
import type { RouteDeps } from '../deps';
import { unitScope } from '../../auth/middleware';
import { declareRoutes } from '../define';

// Private: tiles are for signed-in callers, so no shared cache may keep them.
/** Basemap tiles change only when a city is imported. */
const BASE_CACHE = 'private, max-age=3600';
/** Problem tiles change with new reports and with the clock (overdue), and differ per unit account. */
const PROBLEMS_CACHE = 'private, max-age=60';

/** `GET /tiles/base/{z}/{x}/{y}.pbf` and `GET /tiles/problems/{z}/{x}/{y}.pbf`. */
export function tilesRoutes(deps: RouteDeps) {
  return declareRoutes()
    .route('GET /tiles/base/:z/:x/:y', (c) => {
      const { z, x, y } = c.req.valid('param');
      const tile = deps.baseTiles.getTile(z, x, y);
      c.header('Cache-Control', BASE_CACHE);
      if (!tile) return c.body(null, 204);
      return c.body(tile as Uint8Array<ArrayBuffer>, 200, { 'Content-Type': MVT_CONTENT_TYPE });
    })
    .route('GET /tiles/problems/:z/:x/:y', (c) => {
      const { z, x, y } = c.req.valid('param');
      const filter = toProblemFilter(c.req.valid('query'));
      const unit = unitScope(c);
      const tile = deps.problemTiles.getTile(z, x, y, unit ? { ...filter, units: [unit] } : filter, deps.now());
      c.header('Cache-Control', PROBLEMS_CACHE);
      if (!tile) return c.body(null, 204);
      return c.body(tile as Uint8Array<ArrayBuffer>, 200, { 'Content-Type': MVT_CONTENT_TYPE });
    }).app;
}
