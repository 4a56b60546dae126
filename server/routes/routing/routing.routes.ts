import { matrixResponse, routeFeature } from '../../services/routing/routing';
import type { RouteDeps } from '../deps';
import { declareRoutes } from '../define';

/** `GET /api/route`, `POST /api/matrix`. */
export function routingRoutes(deps: RouteDeps) {
  return declareRoutes()
    .route('GET /api/route', (c) => {
      c.header('Cache-Control', 'no-cache');
      return c.json(routeFeature(deps.roads.get(), c.req.valid('query')));
    })
    .route('POST /api/matrix', (c) => {
      const body = c.req.valid('json');
      return c.json(matrixResponse(deps.roads.get(), { ...body, points: body.points as [number, number][] }));
    }).app;
}
