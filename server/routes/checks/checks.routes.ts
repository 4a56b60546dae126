import { actorOf } from '../../auth/middleware';
import { listChecks, recordCheck } from '../../services/assessment/checks';
import { ANONYMOUS_ACTOR } from '../../services/problems/workflow';
import { finishMockIfComplete } from '../../services/assessment/mocks';
import type { WorkflowDeps } from '../../services/problems/deps';
import type { RouteDeps } from '../deps';
import { declareRoutes } from '../define';

/** `/api/checks`: the field page's check results; the last one of a mock's plan finishes the mock. */
export function checksRoutes(deps: RouteDeps, workflow: WorkflowDeps) {
  return declareRoutes()
    .route('POST /api/checks', async (c) => {
      const out = await recordCheck(deps.store, deps.catalog, c.req.valid('json'), actorOf(c, undefined) ?? ANONYMOUS_ACTOR, deps.now());
      // A replay too: when finishing failed the first time, the phone's retry finishes the mock.
      if (out.record.planId) await finishMockIfComplete({ ...deps, workflow }, out.record.planId);
      return c.json(out.record, out.created ? 201 : 200);
    })
    .route('GET /api/checks', async (c) => {
      c.header('Cache-Control', 'no-cache');
      return c.json({ checks: await listChecks(deps.store, c.req.valid('query')) }, 200);
    }).app;
}
