import type { Context } from 'hono';
import { districtScope, districtSubdistrictsOf, principalOf } from '../../auth/middleware';
import {
  assertMayChangePlan,
  createPlan,
  deletePlan,
  editPlan,
  loadPlan,
  mayChangePlan,
  optimisePlan,
  planWithin,
  stopsOutside,
  type PlanCaller,
} from '../../services/plans/plans';
import { bilingual, ForbiddenError, NotFoundError } from '../../errors';
import type { Plan } from '../../contract/plans';
import { planGeoJson, planGpx, planSheet } from '../../services/plans/export';
import { catalogOf } from '../../services/assessment/catalog';
import type { RouteDeps } from '../deps';
import { declareRoutes } from '../define';

/** The caller as the plan owner rule sees it (an account's id, or none). */
function caller(c: Context): PlanCaller {
  const p = principalOf(c);
  return p?.kind === 'user' ? { userId: p.userId, role: p.role } : { userId: null, role: p?.role ?? ('api' as const) };
}

/** A plan as the caller may see it: another district's plan does not exist for a district account. */
export async function visiblePlan(c: Context, store: RouteDeps['store'], id: string): Promise<Plan> {
  const plan = await loadPlan(store, id);
  const scope = await districtSubdistrictsOf(c, store);
  if (scope && !planWithin(plan, scope)) throw new NotFoundError(`There is no plan "${id}" among your district's plans.`);
  return plan;
}

/**
 * `/api/plans`: plan, list, read, export, edit, re-optimise, delete (changes by the plan's author, a leader or an
 * administrator). Planning runs in the pool and stops when the client goes away (the request's signal).
 */
export function plansRoutes(deps: RouteDeps) {
  /** A district account's subdistricts (null: the caller plans the whole city). */
  const scopeOf = async (c: Context): Promise<Set<string> | null> => districtSubdistrictsOf(c, deps.store);
  const visible = async (c: Context, id: string): Promise<Plan> => visiblePlan(c, deps.store, id);
  const mayChange = async (c: Context, id: string) => {
    await visible(c, id);
    await assertMayChangePlan(deps.store, id, caller(c));
  };
  return declareRoutes()
    .route('POST /api/plans', async (c) => {
      const body = c.req.valid('json');
      const district = districtScope(c);
      if (district) {
        // A district office plans its own district: the pools are narrowed to it, a stop named outside it refused.
        const outside = await stopsOutside(deps.store, body.stops.ids ?? [], (await scopeOf(c))!, deps.now());
        if (outside.length)
          throw new ForbiddenError(
            bilingual(
              `这些点位不在本账号所属区县内，不能列入路线：${outside.slice(0, 10).join('、')}`,
              `These stops lie outside your account's district and cannot be planned: ${outside.slice(0, 10).join(', ')}`,
            ),
          );
      }
      const req = district ? { ...body, stops: { ...body.stops, districts: [district] } } : body;
      return c.json({ ...(await createPlan(deps, req, caller(c).userId, c.req.raw.signal)), mayChange: true }, 201);
    })
    .route('GET /api/plans', async (c) => {
      c.header('Cache-Control', 'no-cache');
      const who = caller(c);
      const scope = await scopeOf(c);
      const plans = (await deps.store.listPlans(c.req.valid('query').date))
        .filter(({ plan }) => !scope || planWithin(plan, scope))
        .map(({ owner, plan: _plan, ...s }) => ({ ...s, mayChange: mayChangePlan(owner, who) }));
      return c.json({ plans });
    })
    .route('GET /api/plans/:id/sheet', async (c) => {
      c.header('Cache-Control', 'no-cache');
      return c.json(planSheet(await visible(c, c.req.valid('param').id), await catalogOf(deps.store, deps.catalog)));
    })
    .route('GET /api/plans/:id', async (c) => {
      const { id } = c.req.valid('param');
      c.header('Cache-Control', 'no-cache');
      // One route for the plan and its exports: the suffix picks the format.
      const ext = /\.(gpx|geojson)$/.exec(id);
      if (!ext) {
        const owner = await deps.store.planOwner(id);
        return c.json({ ...(await visible(c, id)), mayChange: owner !== undefined && mayChangePlan(owner, caller(c)) });
      }
      const plan = await visible(c, id.slice(0, -ext[0].length));
      const file = `${plan.date}-${plan.id}.${ext[1]}`;
      c.header('Content-Disposition', `attachment; filename="${file}"`);
      if (ext[1] === 'gpx') return c.body(planGpx(plan), 200, { 'Content-Type': 'application/gpx+xml; charset=utf-8' });
      return c.body(JSON.stringify(planGeoJson(plan)), 200, { 'Content-Type': 'application/geo+json; charset=utf-8' });
    })
    .route('PUT /api/plans/:id', async (c) => {
      await mayChange(c, c.req.valid('param').id);
      return c.json({ ...(await editPlan(deps, c.req.valid('param').id, c.req.valid('json'), c.req.raw.signal)), mayChange: true });
    })
    .route('POST /api/plans/:id/optimise', async (c) => {
      await mayChange(c, c.req.valid('param').id);
      return c.json({ ...(await optimisePlan(deps, c.req.valid('param').id, c.req.valid('json'), c.req.raw.signal)), mayChange: true });
    })
    .route('DELETE /api/plans/:id', async (c) => {
      await mayChange(c, c.req.valid('param').id);
      await deletePlan(deps.store, c.req.valid('param').id);
      return c.body(null, 204);
    }).app;
}
