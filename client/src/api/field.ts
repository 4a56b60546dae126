/**
 * Network calls of the field page's queue and look-back card (like client.ts and workflow.ts, the only
 * code that talks to the server for them). Failures are ApiErrors with the server's sentence; a
 * look-back refused because the problem moved on comes back as its 409 body, not an error, so the
 * queue can show who moved it.
 */
import type { CheckBody, CheckRecord } from '../../../server/contract/checks';
import type { HistoryResponse } from '../../../server/contract/workflow';
import { ApiError, request, sessionFetch } from './client';

/** POST /api/checks: one stop's results, idempotent by `body.id` (201 new, 200 a retry). */
export async function postCheck(body: CheckBody): Promise<CheckRecord> {
  const res = await request('/api/checks', () =>
    sessionFetch('/api/checks', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  );
  return res.json() as Promise<CheckRecord>;
}

/** The 409 body of a transition the problem's status no longer allows. */
export interface TransitionConflictBody {
  error: string;
  status: string;
  allowed: string[];
  last: { at: string; actor: string; action: string; to: string } | null;
}

/**
 * POST /api/problems/:id/transitions with `expect` (the status the inspector saw). Resolves with the
 * history after the step, or `{ conflict }` when the server refused it because the problem moved on.
 */
export async function postExpectedTransition(
  id: string,
  body: { to: 'closed' | 'assigned'; expect: string; note: string },
): Promise<{ history: HistoryResponse } | { conflict: TransitionConflictBody }> {
  const path = `/api/problems/${encodeURIComponent(id)}/transitions`;
  let res: Response;
  try {
    res = await sessionFetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  } catch (err) {
    throw new ApiError(`${path}: the server could not be reached`, 0, { cause: err });
  }
  if (res.status === 409) return { conflict: (await res.json()) as TransitionConflictBody };
  if (!res.ok) {
    const text = await res.text();
    let message = `${path}: HTTP ${res.status}`;
    if (text.startsWith('{')) message = (JSON.parse(text) as { error?: string }).error ?? message;
    throw new ApiError(message, res.status);
  }
  return { history: (await res.json()) as HistoryResponse };
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
  const path = `/api/problems?status=rectified&limit=2000&bbox=${bbox.map((v) => v.toFixed(6)).join(',')}`;
  const res = await request('/api/problems', () => sessionFetch(path, { signal }));
  const fc = (await res.json()) as {
    features: { geometry: { coordinates: [number, number] }; properties: { id: string; category: string; description: string; rectifiedAt: string | null } }[];
  };
  return fc.features.map((f) => ({
    id: f.properties.id,
    category: f.properties.category,
    description: f.properties.description,
    lngLat: [f.geometry.coordinates[0], f.geometry.coordinates[1]],
    rectifiedAt: f.properties.rectifiedAt,
  }));
}
