/**
 * Network calls of the field page's queue and look-back card, typed by the contract through
 * api/http.ts. Failures are ApiErrors with the server's sentence; a look-back refused because the
 * problem moved on comes back as its 409 body, not an error, so the queue can show who moved it.
 */
import type { CheckBody, CheckRecord, TransitionConflictWithLast } from '../../../server/contract/checks';
import type { HistoryResponse } from '../../../server/contract/workflow';
import { call, callOr } from './http';

/** POST /api/checks: one stop's results, idempotent by `body.id` (201 new, 200 a retry). */
export function postCheck(body: CheckBody): Promise<CheckRecord> {
  return call('POST /api/checks', { body });
}

/** The 409 body of a transition the problem's status no longer allows. */
export type TransitionConflictBody = import('zod').infer<typeof TransitionConflictWithLast>;

/**
 * POST /api/problems/:id/transitions with `expect` (the status the inspector saw). Resolves with the
 * history after the step, or `{ conflict }` when the server refused it because the problem moved on.
 */
export async function postExpectedTransition(
  id: string,
  body: { to: 'closed' | 'assigned'; expect: 'rectified'; note: string },
): Promise<{ history: HistoryResponse } | { conflict: TransitionConflictBody }> {
  const out = await callOr('POST /api/problems/:id/transitions', { params: { id }, body }, 409);
  return out.ok ? { history: out.body } : { conflict: out.body };
}

/** A rectified problem waiting for its look-back, as the field page's card needs it. */
export interface LookBackDue {
  id: string;
  category: string;
  description: string;
  lngLat: [number, number];
  rectifiedAt: string | null;
}

/** GET /api/problems?status=rectified&bbox=…: the look-backs due in an area (the plan's, or around me). */
export async function getLookBacksIn(bbox: readonly number[], signal: AbortSignal): Promise<LookBackDue[]> {
  const fc = await call('GET /api/problems', { query: { status: 'rectified', limit: '2000', bbox: bbox.map((v) => v.toFixed(6)).join(',') }, signal });
  return fc.features.map((f) => ({
    id: f.properties.id,
    category: f.properties.category,
    description: f.properties.description,
    lngLat: [f.geometry.coordinates[0], f.geometry.coordinates[1]],
    rectifiedAt: f.properties.rectifiedAt,
  }));
}
