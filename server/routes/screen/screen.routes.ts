import { createScreenSummaries } from '../../services/screen/screen';
import { clearAssessment, getAssessment, setAssessment } from '../../services/screen/assessment';
import type { RouteDeps } from '../deps';
import { declareRoutes } from '../define';

/** `GET /api/screen/summary` and the assessment window (`/api/screen/assessment`). */
export function screenRoutes(deps: RouteDeps) {
  const summaries = createScreenSummaries(
    deps.store,
    () => deps.problemIndex.current().index.base,
    deps.catalog,
    (q, nowMs) => deps.pool.run('screen.tables', { q, nowMs }),
  );
  return declareRoutes()
    .route('GET /api/screen/summary', async (c) => {
      c.header('Cache-Control', 'no-cache');
      return c.json(await summaries(c.req.valid('query'), deps.now()), 200);
    })
    .route('GET /api/screen/assessment', (c) => {
      c.header('Cache-Control', 'no-cache');
      return c.json(getAssessment(deps.store), 200);
    })
    .route('PUT /api/screen/assessment', (c) => c.json(setAssessment(deps.store, c.req.valid('json'), deps.now()), 200))
    .route('DELETE /api/screen/assessment', (c) => {
      clearAssessment(deps.store);
      return c.body(null, 204);
    }).app;
}
