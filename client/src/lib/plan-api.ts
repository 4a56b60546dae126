/**
 * Calls of the route planner's API (/api/plans). NOTE: kept next to the planner's helpers so the
 * planner branch merges without touching api/client.ts; it reuses that module's ApiError and
 * abort handling, and belongs in client/src/api/ once merged.
 */
import { ApiError, isAbortError } from '../api/client';
import type { Plan, PlanEdit, PlanRequest, PlanSummary } from '../../../server/schemas/plans';
import type { CheckItem } from '../../../server/schemas/catalog';

export type { Plan, PlanEdit, PlanRequest, PlanSummary };
export type PlanSheet = { plan: Plan; checkItems: Record<string, CheckItem[]> };

async function call<T>(method: string, path: string, body: unknown, signal?: AbortSignal): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      signal,
      headers: body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (err) {
    if (isAbortError(err)) throw err;
    throw new ApiError(`${path}: the server could not be reached`, 0, { cause: err });
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch (err) {
    // A non-JSON answer (a proxy's error page): keep the status line as the message.
    if (!(err instanceof SyntaxError)) throw err;
  }
  if (!res.ok) {
    const message = json && typeof json === 'object' && 'error' in json && typeof json.error === 'string' ? json.error : `${path}: HTTP ${res.status}`;
    throw new ApiError(message, res.status);
  }
  return json as T;
}

/** POST /api/plans: plan and save. */
export const createPlan = (req: PlanRequest, signal?: AbortSignal) => call<Plan>('POST', '/api/plans', req, signal);
/** GET /api/plans/:id. */
export const fetchPlan = (id: string, signal?: AbortSignal) => call<Plan>('GET', `/api/plans/${encodeURIComponent(id)}`, undefined, signal);
/** GET /api/plans?date=: saved plans of a day. */
export const listPlans = (date: string, signal?: AbortSignal) =>
  call<{ plans: PlanSummary[] }>('GET', `/api/plans?date=${encodeURIComponent(date)}`, undefined, signal).then((r) => r.plans);
/** PUT /api/plans/:id: save an edited plan, re-timed as given. */
export const savePlanEdit = (id: string, edit: PlanEdit, signal?: AbortSignal) => call<Plan>('PUT', `/api/plans/${encodeURIComponent(id)}`, edit, signal);
/** POST /api/plans/:id/optimise: re-optimise around the locked stops. */
export const optimisePlan = (id: string, signal?: AbortSignal) => call<Plan>('POST', `/api/plans/${encodeURIComponent(id)}/optimise`, {}, signal);
/** DELETE /api/plans/:id. */
export const removePlan = (id: string) => call<void>('DELETE', `/api/plans/${encodeURIComponent(id)}`, undefined);
/** GET /api/plans/:id/sheet: the plan and the check items for the task sheet. */
export const fetchPlanSheet = (id: string, signal?: AbortSignal) => call<PlanSheet>('GET', `/api/plans/${encodeURIComponent(id)}/sheet`, undefined, signal);
/** Download links of the exports. */
export const planExportUrl = (id: string, format: 'gpx' | 'geojson') => `/api/plans/${encodeURIComponent(id)}.${format}`;
