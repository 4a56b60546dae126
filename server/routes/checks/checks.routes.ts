import { actorOf } from '../../auth/middleware';
import { listChecks, recordCheck } from '../../services/assessment/checks';
import { ANONYMOUS_ACTOR } from '../../services/problems/workflow';
import type { RouteDeps } from '../deps';
import { declareRoutes } from '../define';

/** `/api/checks`: the field page's check results. */
export function checksRoutes(deps: RouteDeps) {
  return declareRoutes()
    .route('POST /api/checks', (c) => {
      const out = recordCheck(deps.store, deps.catalog, c.req.valid('json'), actorOf(c, undefined) ?? ANONYMOUS_ACTOR, deps.now());
      return c.json(out.record, out.created ? 201 : 200);
    })
    .route('GET /api/checks', (c) => {
      c.header('Cache-Control', 'no-cache');
      return c.json({ checks: listChecks(deps.store, c.req.valid('query')) }, 200);
    }).app;
}
