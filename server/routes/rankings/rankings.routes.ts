import { rankings } from '../../services/rankings/rankings';
import type { RouteDeps } from '../deps';
import { declareRoutes } from '../define';

/** `GET /api/rankings`. */
export function rankingsRoutes(deps: RouteDeps) {
  return declareRoutes().route('GET /api/rankings', (c) => {
    c.header('Cache-Control', 'no-cache');
    return c.json(rankings(deps.store, c.req.valid('query'), deps.now()), 200);
  }).app;
}
