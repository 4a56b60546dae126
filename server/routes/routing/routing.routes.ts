import { routeFeature } from '../../services/routing/routing';
import type { RouteDeps } from '../deps';
import { declareRoutes } from '../define';

/** `GET /api/route` (one shortest path: milliseconds, on the event loop), `POST /api/matrix` (up to 500 × 500: in the pool). */
export function routingRoutes(deps: RouteDeps) {
  return declareRoutes()
    .route('GET /api/route', (c) => {
      c.header('Cache-Control', 'no-cache');
      return c.json(routeFeature(deps.roads.get(), c.req.valid('query')));
    })
    .route('POST /api/matrix', async (c) => {
      const body = c.req.valid('json');
      // The worker wrote the MatrixResponse as JSON (services/routing/routing.ts types it).
      const json = await deps.pool.run('matrix', { ...body, points: body.points as [number, number][] }, { signal: c.req.raw.signal });
      return c.body(json, 200, { 'Content-Type': 'application/json' });
    }).app;
}
