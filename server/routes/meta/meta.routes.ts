import { buildMeta } from '../../services/city/meta';
import type { RouteDeps } from '../deps';
import { districtScope } from '../../auth/middleware';
import { declareRoutes } from '../define';

/** `GET /api/meta`. */
export function metaRoutes(deps: RouteDeps) {
  return declareRoutes().route('GET /api/meta', (c) => {
    c.header('Cache-Control', 'no-cache');
    return c.json(buildMeta(deps.store, deps.catalog, districtScope(c)));
  }).app;
}
