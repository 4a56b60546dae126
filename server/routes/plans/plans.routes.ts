import { Hono } from 'hono';
import { ErrorBody } from '../../contract/common';
import { OptimiseBody, Plan, PlanEdit, PlanList, PlanListQuery, PlanParams, PlanRequest, PlanSheet } from '../../contract/plans';
import { errorResponses, type RouteDoc } from '../../services/openapi/openapi';
import { createPlan, deletePlan, editPlan, loadPlan, optimisePlan } from '../../services/plans/plans';
import { planGeoJson, planGpx, planSheet } from '../../services/plans/export';
import type { RouteDeps } from '../deps';
import { validate } from '../validate';

export const PLANS_DOCS: RouteDoc[] = [
  {
    method: 'post',
    path: '/api/plans',
    tag: 'plans',
    summary: 'Plan the inspection routes for a day and save the plan',
    description:
      'Selects the stops (ids, kinds, subdistricts, a drawn polygon, open problems, recurring hotspots, a seeded 暗访 sample), builds one travel-time matrix, solves the multi-team routing problem and returns per team the ordered stops with times, the route along the streets and totals, and the dropped stops with reasons (zh + en). Stops that cannot be served (budgets, windows, off the network) are dropped, not refused. 400 for bad fields or unknown ids, 422 for a selection that picks nothing or more than 500 stops or a team point off the road network.',
    body: PlanRequest,
    responses: { 201: { description: 'The saved plan', schema: Plan }, ...errorResponses(ErrorBody, 400, 422, 503) },
  },
  {
    method: 'get',
    path: '/api/plans',
    tag: 'plans',
    summary: 'Saved plans, newest first; with date, only that day',
    query: PlanListQuery,
    responses: { 200: { description: 'Plan summaries', schema: PlanList }, ...errorResponses(ErrorBody, 400) },
  },
  {
    method: 'get',
    path: '/api/plans/{id}',
    tag: 'plans',
    summary: 'One saved plan, or its export',
    description:
      'With a suffix the same path exports the plan: `{id}.gpx` → GPX 1.1 (application/gpx+xml: a track per team along its route, a waypoint per stop) for phone navigation apps; `{id}.geojson` → a GeoJSON FeatureCollection (application/geo+json: routes, numbered stops, dropped stops).',
    params: PlanParams,
    responses: { 200: { description: 'The plan', schema: Plan }, ...errorResponses(ErrorBody, 404) },
  },
  {
    method: 'get',
    path: '/api/plans/{id}/sheet',
    tag: 'plans',
    summary: 'The task sheet (巡查任务单) data: the plan and the check items per stop kind',
    params: PlanParams,
    responses: { 200: { description: 'Plan and check items', schema: PlanSheet }, ...errorResponses(ErrorBody, 404) },
  },
  {
    method: 'put',
    path: '/api/plans/{id}',
    tag: 'plans',
    summary: 'Save an edited plan, re-timed as given (violations shown, not refused)',
    description:
      'Teams (their start, end, shift and budget may change) with their stops in the order wanted and lock flags. The routes are re-timed without re-optimising: stops late for their window, missing skills and teams over budget are reported. Stops left out of every team are dropped as "removed". 400 for a stop the plan does not hold or one given twice.',
    params: PlanParams,
    body: PlanEdit,
    responses: { 200: { description: 'The re-timed plan', schema: Plan }, ...errorResponses(ErrorBody, 400, 404, 422, 503) },
  },
  {
    method: 'post',
    path: '/api/plans/{id}/optimise',
    tag: 'plans',
    summary: 'Re-optimise a saved plan around its locked stops',
    description: 'Locked stops stay with their team in their order; the rest (dropped stops included) are planned again from the current routes.',
    params: PlanParams,
    body: OptimiseBody,
    responses: { 200: { description: 'The re-optimised plan', schema: Plan }, ...errorResponses(ErrorBody, 400, 404, 422, 503) },
  },
  {
    method: 'delete',
    path: '/api/plans/{id}',
    tag: 'plans',
    summary: 'Delete a saved plan',
    params: PlanParams,
    responses: { 204: { description: 'Deleted' }, ...errorResponses(ErrorBody, 404) },
  },
];

/** `/api/plans`: plan, list, read, export, edit, re-optimise, delete. */
export function plansRoutes(deps: RouteDeps) {
  return new Hono()
    .post('/', validate('json', PlanRequest), (c) => c.json(createPlan(deps, c.req.valid('json')), 201))
    .get('/', validate('query', PlanListQuery), (c) => {
      c.header('Cache-Control', 'no-cache');
      return c.json({ plans: deps.store.listPlans(c.req.valid('query').date) });
    })
    .get('/:id/sheet', validate('param', PlanParams), (c) => {
      c.header('Cache-Control', 'no-cache');
      return c.json(planSheet(loadPlan(deps.store, c.req.valid('param').id), deps.catalog));
    })
    .get('/:id', validate('param', PlanParams), (c) => {
      const { id } = c.req.valid('param');
      c.header('Cache-Control', 'no-cache');
      // One route for the plan and its exports: the suffix picks the format.
      const ext = /\.(gpx|geojson)$/.exec(id);
      if (!ext) return c.json(loadPlan(deps.store, id));
      const plan = loadPlan(deps.store, id.slice(0, -ext[0].length));
      const file = `${plan.date}-${plan.id}.${ext[1]}`;
      c.header('Content-Disposition', `attachment; filename="${file}"`);
      if (ext[1] === 'gpx') return c.body(planGpx(plan), 200, { 'Content-Type': 'application/gpx+xml; charset=utf-8' });
      return c.body(JSON.stringify(planGeoJson(plan)), 200, { 'Content-Type': 'application/geo+json; charset=utf-8' });
    })
    .put('/:id', validate('param', PlanParams), validate('json', PlanEdit), (c) => c.json(editPlan(deps, c.req.valid('param').id, c.req.valid('json'))))
    .post('/:id/optimise', validate('param', PlanParams), validate('json', OptimiseBody), (c) =>
      c.json(optimisePlan(deps, c.req.valid('param').id, c.req.valid('json'))),
    )
    .delete('/:id', validate('param', PlanParams), (c) => {
      deletePlan(deps.store, c.req.valid('param').id);
      return c.body(null, 204);
    });
}
