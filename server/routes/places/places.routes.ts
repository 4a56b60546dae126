import { toCityIso } from '../../contract/city-time';
import { placeDetail } from '../../services/city/places';
import type { RouteDeps } from '../deps';
import { declareRoutes } from '../define';

/** `GET /api/places/:id` and `GET /api/visits`. */
export function placesRoutes(deps: RouteDeps) {
  return declareRoutes()
    .route('GET /api/places/:id', (c) => {
      c.header('Cache-Control', 'no-cache');
      return c.json(placeDetail(deps.store, c.req.valid('param').id, deps.now()));
    })
    .route('GET /api/visits', (c) => {
      // At most 200 places by the (point_id, at_ms) index: well under a millisecond each.
      const q = c.req.valid('query');
      const found = deps.store.visitsAt(q.places, q.from, q.to);
      c.header('Cache-Control', 'no-cache');
      return c.json(
        {
          from: toCityIso(q.from),
          to: toCityIso(q.to),
          places: q.places.map((id) => {
            const v = found.get(id);
            return { id, visits: v?.visits ?? 0, lastVisitAt: v ? toCityIso(v.lastMs) : null };
          }),
        },
        200,
      );
    }).app;
}
