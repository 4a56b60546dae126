import { actorOf, districtScope, unitScope } from '../../auth/middleware';
import { askRequest, decideRequest, requestList } from '../../services/problems/requests';
import type { WorkflowDeps } from '../../services/problems/deps';
import type { RouteDeps } from '../deps';
import { declareRoutes } from '../define';
import { ownProblemGuard } from './own-problem';

/** 延期, 申诉 and 退单: a unit asks, the 创文办 decides (`GET /api/requests` lists what waits). */
export function requestsRoutes(deps: RouteDeps, wf: WorkflowDeps) {
  const ownProblem = ownProblemGuard(deps);
  return declareRoutes()
    .route('POST /api/problems/:id/requests', async (c) => {
      const id = c.req.valid('param').id;
      await ownProblem(c, id);
      const body = c.req.valid('json');
      const out = await askRequest(deps.store, wf.hub, id, { ...body, actor: actorOf(c, body.actor) }, deps.now());
      if ('refused' in out) return c.json({ error: out.error, kinds: out.kinds }, 409);
      return c.json(out, 201);
    })
    .route('POST /api/problems/:id/requests/:requestId/decision', async (c) => {
      const { id, requestId } = c.req.valid('param');
      // Another district's case does not exist for a district office.
      await ownProblem(c, id);
      const body = c.req.valid('json');
      const out = await decideRequest(deps.store, deps.catalog, wf.hub, id, requestId, { ...body, actor: actorOf(c, body.actor) }, deps.now());
      if ('refused' in out) return c.json({ error: out.error, kinds: out.kinds }, 409);
      return c.json(out, 200);
    })
    .route('GET /api/requests', async (c) => {
      c.header('Cache-Control', 'no-cache');
      return c.json(await requestList(deps.store, deps.catalog, c.req.valid('query'), unitScope(c), deps.now(), districtScope(c)), 200);
    }).app;
}
