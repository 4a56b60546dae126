import type { Context } from 'hono';
import { principalOf } from '../../auth/middleware';
import { assertMayChangePlan, createPlan, deletePlan, editPlan, loadPlan, mayChangePlan, optimisePlan, type PlanCaller } from '../../services/plans/plans';
import { planGeoJson, planGpx, planSheet } from '../../services/plans/export';
import { catalogOf } from '../../services/assessment/catalog';
import type { RouteDeps } from '../deps';
import { declareRoutes } from '../define';

/** The caller as the plan owner rule sees it (an account's id, or none). */
function caller(c: Context): PlanCaller {
  const p = principalOf(c);
  return p?.kind === 'user' ? { userId: p.userId, role: p.role } : { userId: null, role: p?.role ?? ('api' as const) };
}

/**
 * `/api/plans`: plan, list, read, export, edit, re-optimise, delete (changes by the plan's author, a leader or an
 * administrator). Planning runs in the pool and stops when the client goes away (the request's signal).
 */
export function plansRoutes(deps: RouteDeps) {
  const mayChange = (c: Context, id: string) => assertMayChangePlan(deps.store, id, caller(c));
  return declareRoutes()
    .route('POST /api/plans', async (c) =>
      c.json({ ...(await createPlan(deps, c.req.valid('json'), caller(c).userId, c.req.raw.signal)), mayChange: true }, 201),
    )
    .route('GET /api/plans', (c) => {
      c.header('Cache-Control', 'no-cache');
      const who = caller(c);
      const plans = deps.store.listPlans(c.req.valid('query').date).map(({ owner, ...s }) => ({ ...s, mayChange: mayChangePlan(owner, who) }));
      return c.json({ plans });
    })
    .route('GET /api/plans/:id/sheet', (c) => {
      c.header('Cache-Control', 'no-cache');
      return c.json(planSheet(loadPlan(deps.store, c.req.valid('param').id), catalogOf(deps.store, deps.catalog)));
    })
    .route('GET /api/plans/:id', (c) => {
      const { id } = c.req.valid('param');
      c.header('Cache-Control', 'no-cache');
      // One route for the plan and its exports: the suffix picks the format.
      const ext = /\.(gpx|geojson)$/.exec(id);
      if (!ext) {
        const owner = deps.store.planOwner(id);
        return c.json({ ...loadPlan(deps.store, id), mayChange: owner !== undefined && mayChangePlan(owner, caller(c)) });
      }
      const plan = loadPlan(deps.store, id.slice(0, -ext[0].length));
      const file = `${plan.date}-${plan.id}.${ext[1]}`;
      c.header('Content-Disposition', `attachment; filename="${file}"`);
      if (ext[1] === 'gpx') return c.body(planGpx(plan), 200, { 'Content-Type': 'application/gpx+xml; charset=utf-8' });
      return c.body(JSON.stringify(planGeoJson(plan)), 200, { 'Content-Type': 'application/geo+json; charset=utf-8' });
    })
    .route('PUT /api/plans/:id', async (c) => {
      mayChange(c, c.req.valid('param').id);
      return c.json({ ...(await editPlan(deps, c.req.valid('param').id, c.req.valid('json'), c.req.raw.signal)), mayChange: true });
    })
    .route('POST /api/plans/:id/optimise', async (c) => {
      mayChange(c, c.req.valid('param').id);
      return c.json({ ...(await optimisePlan(deps, c.req.valid('param').id, c.req.valid('json'), c.req.raw.signal)), mayChange: true });
    })
    .route('DELETE /api/plans/:id', (c) => {
      mayChange(c, c.req.valid('param').id);
      deletePlan(deps.store, c.req.valid('param').id);
      return c.body(null, 204);
    }).app;
}
