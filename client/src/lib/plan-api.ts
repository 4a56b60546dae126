/** Calls of the route planner's API (/api/plans), through the client's session-aware callJson. */
import { callJson } from '../api/client';
import type { Plan, PlanEdit, PlanRequest, PlanSummary } from '../../../server/contract/plans';
import type { CheckItem } from '../../../server/contract/catalog';

export type { Plan, PlanEdit, PlanRequest, PlanSummary };
export type PlanSheet = { plan: Plan; checkItems: Record<string, CheckItem[]> };

/** POST /api/plans: plan and save. */
export const createPlan = (req: PlanRequest, signal?: AbortSignal) => callJson<Plan>('POST', '/api/plans', req, signal);
/** GET /api/plans/:id. */
export const fetchPlan = (id: string, signal?: AbortSignal) => callJson<Plan>('GET', `/api/plans/${encodeURIComponent(id)}`, undefined, signal);
/** GET /api/plans?date=: saved plans of a day. */
export const listPlans = (date: string, signal?: AbortSignal) =>
  callJson<{ plans: PlanSummary[] }>('GET', `/api/plans?date=${encodeURIComponent(date)}`, undefined, signal).then((r) => r.plans);
/** PUT /api/plans/:id: save an edited plan, re-timed as given. */
export const savePlanEdit = (id: string, edit: PlanEdit, signal?: AbortSignal) => callJson<Plan>('PUT', `/api/plans/${encodeURIComponent(id)}`, edit, signal);
/** POST /api/plans/:id/optimise: re-optimise around the locked stops. */
export const optimisePlan = (id: string, signal?: AbortSignal) => callJson<Plan>('POST', `/api/plans/${encodeURIComponent(id)}/optimise`, {}, signal);
/** DELETE /api/plans/:id. */
export const removePlan = (id: string) => callJson<void>('DELETE', `/api/plans/${encodeURIComponent(id)}`, undefined);
/** GET /api/plans/:id/sheet: the plan and the check items for the task sheet. */
export const fetchPlanSheet = (id: string, signal?: AbortSignal) => callJson<PlanSheet>('GET', `/api/plans/${encodeURIComponent(id)}/sheet`, undefined, signal);
/** Download links of the exports. */
export const planExportUrl = (id: string, format: 'gpx' | 'geojson') => `/api/plans/${encodeURIComponent(id)}.${format}`;
