/** The route planner's calls (/api/plans): plan, list, read, edit, re-optimise, delete, the task sheet. */
import type { Plan, PlanEdit, PlanRequest, PlanSheet, PlanSummary } from '../../../server/contract/plans';
import { call } from './http';

export type { Plan, PlanEdit, PlanRequest, PlanSheet, PlanSummary };

/** POST /api/plans: plan and save. */
export const createPlan = (req: PlanRequest, signal?: AbortSignal): Promise<Plan> => call('POST /api/plans', { body: req, signal });
/** GET /api/plans/:id. */
export const fetchPlan = (id: string, signal?: AbortSignal): Promise<Plan> => call('GET /api/plans/:id', { params: { id }, signal });
/** GET /api/plans?date=: saved plans of a day. */
export const listPlans = async (date: string, signal?: AbortSignal): Promise<PlanSummary[]> =>
  (await call('GET /api/plans', { query: { date }, signal })).plans;
/** PUT /api/plans/:id: save an edited plan, re-timed as given. */
export const savePlanEdit = (id: string, edit: PlanEdit, signal?: AbortSignal): Promise<Plan> =>
  call('PUT /api/plans/:id', { params: { id }, body: edit, signal });
/** POST /api/plans/:id/optimise: re-optimise around the locked stops. */
export const optimisePlan = (id: string, signal?: AbortSignal): Promise<Plan> => call('POST /api/plans/:id/optimise', { params: { id }, body: {}, signal });
/** DELETE /api/plans/:id. */
export const removePlan = (id: string): Promise<void> => call('DELETE /api/plans/:id', { params: { id } });
/** GET /api/plans/:id/sheet: the plan and the check items for the task sheet. */
export const fetchPlanSheet = (id: string, signal?: AbortSignal): Promise<PlanSheet> => call('GET /api/plans/:id/sheet', { params: { id }, signal });
/** Download links of the exports (the browser saves them). */
export const planExportUrl = (id: string, format: 'gpx' | 'geojson') => `/api/plans/${encodeURIComponent(id)}.${format}`;
