import { placeDetail } from '../../services/city/places';
import type { RouteDeps } from '../deps';
import { declareRoutes } from '../define';

/** `GET /api/places/:id`. */
export function placesRoutes(deps: RouteDeps) {
  return declareRoutes().route('GET /api/places/:id', (c) => {
    c.header('Cache-Control', 'no-cache');
    return c.json(placeDetail(deps.store, c.req.valid('param').id, deps.now()));
  }).app;
}
