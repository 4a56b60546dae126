import { cityDate } from '../../contract/city-time';
import { assessmentOn } from '../../services/assessment/catalog';
import type { RouteDeps } from '../deps';
import { declareRoutes } from '../define';

/** `/api/assessment/*`: the catalog, the scores, readiness and the losses (scored in the pool). */
export function assessmentRoutes(deps: RouteDeps) {
  return declareRoutes()
    .route('GET /api/assessment/catalog', (c) => {
      c.header('Cache-Control', 'no-cache');
      const day = c.req.valid('query').date ?? cityDate(deps.now());
      const versions = deps.catalog.assessment.map((v) => ({ version: v.version, name: v.name, effectiveFrom: v.effectiveFrom }));
      return c.json({ inForce: assessmentOn(deps.catalog, day), versions }, 200);
    })
    .route('GET /api/assessment/scores', async (c) => {
      c.header('Cache-Control', 'no-cache');
      return c.json(await deps.pool.run('assessment.scores', { q: c.req.valid('query'), nowMs: deps.now() }, { signal: c.req.raw.signal }), 200);
    })
    .route('GET /api/assessment/readiness', async (c) => {
      c.header('Cache-Control', 'no-cache');
      return c.json(await deps.pool.run('assessment.readiness', { q: c.req.valid('query'), nowMs: deps.now() }, { signal: c.req.raw.signal }), 200);
    })
    .route('GET /api/assessment/losses', async (c) => {
      c.header('Cache-Control', 'no-cache');
      return c.json(await deps.pool.run('assessment.losses', { q: c.req.valid('query'), nowMs: deps.now() }, { signal: c.req.raw.signal }), 200);
    }).app;
}
