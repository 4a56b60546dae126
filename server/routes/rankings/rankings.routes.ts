import { deleteRankingFormula, getRankingFormulas, getRankingWeights, putRankingFormula, setRankingWeights } from '../../services/rankings/rankings';
import type { RouteDeps } from '../deps';
import { districtScope } from '../../auth/middleware';
import { declareRoutes } from '../define';

/** `GET /api/rankings` (ranked in the pool) and the weights the administrator sets. */
export function rankingsRoutes(deps: RouteDeps) {
  return declareRoutes()
    .route('GET /api/rankings', async (c) => {
      c.header('Cache-Control', 'no-cache');
      // A district office ranks within its district, whatever it asks.
      const district = districtScope(c);
      const q = district ? { ...c.req.valid('query'), district } : c.req.valid('query');
      return c.json(await deps.pool.run('rankings', { q, nowMs: deps.now() }, { signal: c.req.raw.signal }), 200);
    })
    .route('GET /api/rankings/weights', async (c) => {
      c.header('Cache-Control', 'no-cache');
      return c.json(await getRankingWeights(deps.store), 200);
    })
    .route('GET /api/rankings/formula', async (c) => {
      c.header('Cache-Control', 'no-cache');
      return c.json(await getRankingFormulas(deps.store, deps.now()), 200);
    })
    .route('PUT /api/rankings/formula', async (c) => c.json(await putRankingFormula(deps.store, c.req.valid('json'), deps.now()), 200))
    .route('DELETE /api/rankings/formula/:validFrom', async (c) =>
      c.json(await deleteRankingFormula(deps.store, c.req.valid('param').validFrom, deps.now()), 200),
    )
    .route('PUT /api/rankings/weights', async (c) => c.json(await setRankingWeights(deps.store, c.req.valid('json'), deps.now()), 200)).app;
}
