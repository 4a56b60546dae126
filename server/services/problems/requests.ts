import { reconcileCase } from '../consequences/consequences';
import type { Catalog } from '../../contract/catalog';
import { toCityIso } from '../../contract/city-time';
import type { DecisionBody, RequestAnswer, RequestBody, RequestList, RequestListRow } from '../../contract/requests';
import type { RequestKind, RequestStatus } from '../../contract/workflow';
import { bilingual, InputError, NotFoundError } from '../../errors';
import type { Store } from '../../store/index';
import type { WorkflowRow } from '../../store/workflow';
import { checkRequest, decide, requestableKinds } from '../../workflow/requests';
import { isOverdue } from '../../workflow/state-machine';
import { categoryDeadline, cityCalendar } from '../calendar/calendar';
import { type EventHub, logEvent } from './events';
import { ANONYMOUS_ACTOR, dateField, loadRow, materialize, problemHistory, requestOut, stateOf } from './workflow';

/** A request that cannot be made or decided now (the route's 409). */
export interface RequestRefused {
  refused: true;
  error: string;
  kinds: RequestKind[];
}

const KIND_ZH: Record<RequestKind, string> = { extension: '延期申请', appeal: '申诉', return: '退单' };

const openKinds = async (store: Store, id: string) => new Set((await store.problemRequests(id)).filter((r) => r.status === 'open').map((r) => r.kind));

/**
 * Files a request on case `id` (one transaction).
 * @returns the open request and the case's history, or a refusal saying why and what the case allows.
 * @throws NotFoundError for an unknown case, InputError for a request without what it needs.
 */
export async function askRequest(store: Store, hub: EventHub, id: string, body: RequestBody, nowMs: number): Promise<RequestAnswer | RequestRefused> {
  const out = await store.transaction(async (): Promise<number | RequestRefused> => {
    const row = await loadRow(store, id);
    const state = stateOf(row);
    if (row.mergedInto) return { refused: true, error: `Problem ${id} was merged into ${row.mergedInto}; ask on that one instead.`, kinds: [] };
    const untilMs = dateField(body.until, 'json.until') ?? null;
    const check = checkRequest(state, body.kind, await openKinds(store, id), untilMs, nowMs);
    if (!check.ok) {
      if (check.reason === 'conflict')
        return { refused: true, error: bilingual(`此问题现在不能提出${KIND_ZH[body.kind]}。`, `Problem ${id}: ${check.message}.`), kinds: check.kinds };
      throw new InputError(`Invalid json.${check.path}: ${check.message}`, [{ path: `json.${check.path}`, message: check.message }]);
    }
    const at = toCityIso(nowMs);
    return store.addRequest({
      problemId: id,
      kind: body.kind,
      reason: body.reason,
      untilMs,
      unitId: state.unitId,
      askedBy: body.actor ?? ANONYMOUS_ACTOR,
      askedAt: at,
      askedMs: nowMs,
    });
  });
  if (typeof out !== 'number') return out;
  hub.notify();
  return { request: await requestOut(store, (await store.getRequest(out))!), history: await problemHistory(store, id, nowMs) };
}

/**
 * Decides request `requestId` of case `id` (one transaction): an approval changes the case as the kind
 * says (server/workflow/requests.ts) and writes the step into its history; a refusal only closes it.
 * @throws NotFoundError for an unknown case or request, InputError for a decision without what it needs.
 */
export async function decideRequest(
  store: Store,
  catalog: Catalog,
  hub: EventHub,
  id: string,
  requestId: number,
  body: DecisionBody,
  nowMs: number,
): Promise<RequestAnswer | RequestRefused> {
  const cal = await cityCalendar(store, catalog);
  const out = await store.transaction(async (): Promise<true | RequestRefused> => {
    const row = await loadRow(store, id);
    const request = await store.getRequest(requestId);
    if (!request || request.problemId !== id)
      throw new NotFoundError(`Problem ${id} has no request ${requestId}; its requests are in GET /api/problems/${id}/history.`);
    if (request.status !== 'open') {
      return {
        refused: true,
        error: bilingual(`该${KIND_ZH[request.kind]}已处理（${request.status}）。`, `Request ${requestId} is ${request.status} already.`),
        kinds: [],
      };
    }
    const state = stateOf(row);
    const actor = body.actor ?? ANONYMOUS_ACTOR;
    const at = toCityIso(nowMs);
    if (body.unit !== undefined && !(await store.unitExists(body.unit))) {
      throw new InputError(`Invalid json.unit: there is no unit "${body.unit}"; the units are listed in GET /api/meta`, [
        { path: 'json.unit', message: 'unknown unit id' },
      ]);
    }
    const explicit = dateField(body.deadline, 'json.deadline');
    const deadlineMs = body.approve && request.kind === 'return' ? (explicit ?? categoryDeadline(cal, catalog, row.props.category, nowMs)) : explicit;
    // The case may have moved since the request was made (the state machine lapses most of those).
    if (body.approve && !requestableKinds(state, new Set()).includes(request.kind)) {
      return {
        refused: true,
        error: bilingual(
          `问题状态已变化，不能批准该${KIND_ZH[request.kind]}；请驳回。`,
          `Problem ${id} is ${state.status} now: request ${requestId} can only be refused.`,
        ),
        kinds: [],
      };
    }
    const d = decide(state, request.kind, { approve: body.approve, note: body.note, nowMs, untilMs: request.untilMs, unitId: body.unit, deadlineMs });
    if (!d.ok) throw new InputError(`Invalid json.${d.path}: ${d.message}`, [{ path: `json.${d.path}`, message: d.message }]);
    if (!d.approved) {
      await store.decideRequest(requestId, { status: 'refused', by: actor, at, note: body.note, seq: null });
      return true;
    }
    await materialize(store, row);
    const next = d.next;
    await store.writeWorkflowState(id, next, (ms) => (ms === null ? null : toCityIso(ms)));
    await reconcileCase(store, id, next, false, nowMs);
    const seq = await store.appendHistory({
      problemId: id,
      at,
      atMs: nowMs,
      action: d.action,
      from: state.status,
      to: next.status,
      actor,
      note: body.note || request.reason,
      unitId: next.status === 'assigned' ? next.unitId : null,
      deadline: next.status === 'assigned' && next.deadlineMs !== null ? toCityIso(next.deadlineMs) : null,
      data: { requestId, kind: request.kind, reason: request.reason, strikes: next.strikes },
      derived: false,
    });
    await store.decideRequest(requestId, { status: 'approved', by: actor, at, note: body.note, seq });
    // A case handed to another unit starts afresh there: what the first unit asked about it is over.
    if (d.action === 'reassign') await store.lapseRequests(id, ['extension', 'return'], at, 'reassigned to another unit');
    await logEvent(store, 'problem.transition', at, {
      id,
      action: d.action,
      from: state.status,
      to: next.status,
      at,
      unitId: next.unitId,
      deadline: next.deadlineMs === null ? null : toCityIso(next.deadlineMs),
    });
    return true;
  });
  if (out !== true) return out;
  hub.notify();
  return { request: await requestOut(store, (await store.getRequest(requestId))!), history: await problemHistory(store, id, nowMs) };
}

/** The requests in `status` (a unit account: its own unit's), with what deciding them needs. */
export async function requestList(
  store: Store,
  catalog: Catalog,
  q: { status: RequestStatus; kind?: RequestKind },
  unit: string | null,
  nowMs: number,
  district: string | null = null,
): Promise<RequestList> {
  // A district account's office sees its district's cases only.
  const subdistricts = district ? await store.districtSubdistricts([district]) : null;
  const { rows, counts } = await store.listRequests({ ...q, unit, subdistricts });
  const requests: RequestListRow[] = [];
  const categoryName = (id: string) => {
    const category = catalog.categories.find((c) => c.id === id);
    return { zh: category?.zh ?? id, en: category?.en ?? id };
  };
  const locationOf = async (row: WorkflowRow) =>
    (row.props.placeId ? (await store.getPlace(row.props.placeId))?.name : null) ?? `${row.lng.toFixed(5)}, ${row.lat.toFixed(5)}`;
  for (const r of rows) {
    const row = await store.workflowRow(r.problemId);
    if (!row) continue;
    const state = stateOf(row);
    requests.push({
      ...(await requestOut(store, r)),
      problem: {
        category: row.props.category,
        categoryName: categoryName(row.props.category),
        description: row.props.description,
        status: state.status,
        deadline: row.props.deadline,
        overdue: isOverdue(state, nowMs),
        strikes: state.strikes,
        location: await locationOf(row),
      },
    });
  }
  // What else waits for the office: held cases whose review date has come.
  const reviews = [];
  for (const h of q.status === 'open' ? await store.heldReviewsDue(nowMs, unit, subdistricts) : []) {
    const row = await store.workflowRow(h.problemId);
    if (!row) continue;
    reviews.push({
      problemId: h.problemId,
      review: toCityIso(h.reviewMs),
      plan: h.plan,
      unitId: h.unitId,
      unitName: await store.unitName(h.unitId),
      categoryName: categoryName(row.props.category),
      description: row.props.description,
      location: await locationOf(row),
    });
  }
  return { counts, requests, reviews };
}
