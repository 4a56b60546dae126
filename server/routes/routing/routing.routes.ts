import type { RouteDeps } from '../deps';
import { declareRoutes } from '../define';

/**
 * `GET /api/route` (one shortest path: milliseconds) and `POST /api/matrix` (up to 500 × 500), both in
 * the pool: the road graph then lives in the workers only, and the event loop never loads it (1.3 s).
 */
export function routingRoutes(deps: RouteDeps) {
  return declareRoutes()
    .route('GET /api/route', async (c) => {
      c.header('Cache-Control', 'no-cache');
      const q = c.req.valid('query');
      return c.json(await deps.pool.run('route', { ...q, from: q.from as [number, number], to: q.to as [number, number] }, { signal: c.req.raw.signal }));
    })
    .route('POST /api/matrix', async (c) => {
      const body = c.req.valid('json');
      // The worker wrote the MatrixResponse as JSON (services/routing/routing.ts types it).
      const json = await deps.pool.run('matrix', { ...body, points: body.points as [number, number][] }, { signal: c.req.raw.signal });
      return c.body(json, 200, { 'Content-Type': 'application/json' });
    }).app;
}
