import { reconcileCase } from '../consequences/consequences';
import { bilingual, InputError, NotFoundError } from '../../errors';
import { FINISHED_STATUSES } from '../../contract/problem-status';
import type { Catalog } from '../../contract/catalog';
import type { ProblemStatus } from '../../contract/problems';
import type { BulkAssignBody, HistoryEntry, HistoryResponse, PhotoRef, ProblemRequest, TransitionBody } from '../../contract/workflow';
import type { RequestRecord } from '../../store/requests';
import { requestableKinds } from '../../workflow/requests';
import type { ProblemMediaRow } from '../../store/media';
import { mediaRefOf, mediaUrls } from '../media/media';
import type { Store } from '../../store/index';
import type { WorkflowRow } from '../../store/workflow';
import { deriveHistory } from '../../workflow/history';
import { distanceM } from '../../contract/geo';
import { allowedTargets, escalation, importedStrikes, isOverdue, transition, type WorkflowState } from '../../workflow/state-machine';
import { cityYear, parseDeadline, toCityIso } from '../../contract/city-time';
import { type EventHub, logEvent } from './events';
import { categoryDeadline, cityCalendar } from '../calendar/calendar';
import type { WorkCalendar } from '../../contract/work-calendar';

/** Who a step is attributed to when the caller does not say. */
export const ANONYMOUS_ACTOR = '未署名';
/** A photo taken farther than this from the problem is flagged (evidence integrity). */
export const FAR_PHOTO_M = 200;

const iso = (ms: number | null) => (ms === null ? null : toCityIso(ms));
const msOf = (t: string | null) => (t === null ? null : Date.parse(t));

/** The workflow state of a stored problem (imported rows get their strikes from their timestamps). */
export function stateOf(row: WorkflowRow): WorkflowState {
  const p = row.props;
  const base = {
    status: p.status,
    unitId: p.unitId,
    assignedMs: msOf(p.assignedAt),
    deadlineMs: msOf(p.deadline),
    rectifiedMs: msOf(p.rectifiedAt),
    closedMs: msOf(p.closedAt),
    noticeNo: p.noticeNo,
  };
  return { ...base, strikes: row.strikes ?? importedStrikes(base), reviewMs: row.reviewMs, rejectReason: row.rejectReason };
}

/** API shape of a stored request. */
export async function requestOut(store: Store, r: RequestRecord): Promise<ProblemRequest> {
  return {
    id: r.id,
    problemId: r.problemId,
    kind: r.kind,
    reason: r.reason,
    until: iso(r.untilMs),
    unitId: r.unitId,
    unitName: await store.unitName(r.unitId),
    askedBy: r.askedBy,
    askedAt: r.askedAt,
    status: r.status,
    decidedBy: r.decidedBy,
    decidedAt: r.decidedAt,
    note: r.note,
  };
}

/** API shape of a stored photo or clip. */
export function photoRef(m: ProblemMediaRow): PhotoRef {
  return {
    ...mediaRefOf(m),
    role: m.role,
    distanceM: m.distanceM === null ? null : Math.round(m.distanceM),
    far: m.far,
    historySeq: m.historySeq,
    ...(m.redaction && {
      redaction: {
        status: m.redaction.status,
        screenUrl: m.redaction.blurredHash ? mediaUrls(m.redaction.blurredHash).screenUrl : null,
        thumbUrl: m.redaction.blurredHash ? mediaUrls(m.redaction.blurredHash).thumbUrl : null,
      },
    }),
  };
}

/**
 * A date field of a body (`2026-03-31`: the end of that day, or an ISO time) in epoch ms; undefined when not given.
 * @throws InputError naming `path` when it is neither.
 */
export function dateField(text: string | undefined, path: string): number | undefined {
  if (text === undefined) return undefined;
  const ms = parseDeadline(text);
  if (ms === null) {
    throw new InputError(`Invalid ${path}: must be a date like 2026-03-31 or an ISO time (got "${text}")`, [
      { path, message: 'a date like 2026-03-31 or an ISO time like 2026-03-31T18:00:00+08:00' },
    ]);
  }
  return ms;
}

/** The workflow row of problem `id`; @throws NotFoundError for an unknown one. */
export async function loadRow(store: Store, id: string): Promise<WorkflowRow> {
  const row = await store.workflowRow(id);
  if (!row) throw new NotFoundError(`There is no problem "${id}". Problem ids look like p000123; list them with GET /api/problems.`);
  return row;
}

/** A problem's history (stored, or derived for an untouched imported problem), escalation and photos. */
export async function problemHistory(store: Store, id: string, nowMs: number): Promise<HistoryResponse> {
  const row = await loadRow(store, id);
  const state = stateOf(row);
  const media = await store.problemMedia(id);
  const requests = await store.problemRequests(id);
  const photosOf = (seq: number | null) => media.filter((m) => m.historySeq === seq && seq !== null).map(photoRef);
  const unitName = async (u: string | null) => store.unitName(u);
  const history: HistoryEntry[] = row.hasHistory
    ? await Promise.all(
        (await store.storedHistory(id)).map(async (h) => ({
          seq: h.seq,
          at: h.at,
          action: h.action,
          from: h.from,
          to: h.to,
          actor: h.actor,
          note: h.note,
          unitId: h.unitId,
          unitName: await unitName(h.unitId),
          deadline: h.deadline,
          data: h.data,
          derived: h.derived,
          photos: photosOf(h.seq),
        })),
      )
    : await Promise.all(
        deriveHistory(row.props).map(async (s) => ({ ...s, seq: null, unitName: await unitName(s.unitId), data: null, derived: true, photos: [] })),
      );
  return {
    id,
    status: state.status,
    overdue: isOverdue(state, nowMs),
    escalation: escalation(state, nowMs),
    allowed: row.mergedInto ? [] : allowedTargets(state.status),
    mergedInto: row.mergedInto,
    requests: await Promise.all(requests.map(async (r) => requestOut(store, r))),
    requestable: row.mergedInto ? [] : requestableKinds(state, new Set(requests.filter((r) => r.status === 'open').map((r) => r.kind))),
    history,
    photos: media.map(photoRef),
  };
}

/** Writes the derived history of an imported problem before its first stored step. Inside a transaction. */
export async function materialize(store: Store, row: WorkflowRow): Promise<void> {
  if (row.hasHistory) return;
  for (const s of deriveHistory(row.props)) {
    await store.appendHistory({
      problemId: row.props.id,
      at: s.at,
      atMs: Date.parse(s.at),
      action: s.action,
      from: s.from,
      to: s.to,
      actor: s.actor,
      note: s.note,
      unitId: s.unitId,
      deadline: s.deadline,
      data: null,
      derived: true,
    });
  }
}

/** A refused transition: the problem's status and what it may become (409). */
export interface TransitionRefused {
  refused: true;
  error: string;
  status: ProblemStatus;
  allowed: ProblemStatus[];
}

/**
 * What the (synchronous) state machine is given as a new 整改通知单 number: drawn from the store's
 * counter afterwards, only when the transition used it (a first assignment), so none is wasted.
 */
const NEW_NOTICE = '\u0000new-notice-no';

/** Checks that each hash names a stored photo, and none is one of the problem's report photos (evidence of a change must be new). */
async function checkPhotos(store: Store, problemId: string, hashes: readonly string[], path: string): Promise<void> {
  for (const [i, h] of hashes.entries()) {
    if (!(await store.getMedia(h))) {
      throw new InputError(`Invalid ${path}.${i}: no photo ${h} is stored; upload it first with POST /api/media`, [
        { path: `${path}.${i}`, message: 'unknown photo hash; upload it with POST /api/media first' },
      ]);
    }
    if (await store.isBeforePhoto(problemId, h)) {
      throw new InputError(
        bilingual(
          `第 ${i + 1} 张照片是该问题上报时的照片，不能作为整改或复查照片。`,
          `Invalid ${path}.${i}: photo ${h} is one of the problem's report photos, not new evidence.`,
        ),
        [{ path: `${path}.${i}`, message: "one of the problem's report photos" }],
      );
    }
  }
}

/** One transition inside an open transaction; returns the new state or the refusal. */
async function applyOne(
  store: Store,
  catalog: Catalog,
  id: string,
  body: Pick<TransitionBody, 'to' | 'note' | 'deadline' | 'unit' | 'actor' | 'photos' | 'review' | 'reason'>,
  nowMs: number,
  cal: WorkCalendar,
  pathPrefix = 'json',
): Promise<{ state: WorkflowState; seq: number } | TransitionRefused> {
  const row = await loadRow(store, id);
  if (row.mergedInto) {
    return { refused: true, error: `Problem ${id} was merged into ${row.mergedInto}; work on that one instead.`, status: row.props.status, allowed: [] };
  }
  const state = stateOf(row);
  const deadlineMs = dateField(body.deadline, `${pathPrefix}.deadline`);
  const reviewMs = dateField(body.review, `${pathPrefix}.review`);
  if (body.unit !== undefined && !(await store.unitExists(body.unit))) {
    throw new InputError(`Invalid ${pathPrefix}.unit: there is no unit "${body.unit}"; the units are listed in GET /api/meta`, [
      { path: `${pathPrefix}.unit`, message: 'unknown unit id' },
    ]);
  }
  const out = transition(state, {
    to: body.to,
    nowMs,
    note: body.note ?? '',
    unitId: body.unit,
    deadlineMs,
    defaultDeadlineMs: categoryDeadline(cal, catalog, row.props.category, nowMs),
    newNoticeNo: () => NEW_NOTICE,
    reviewMs,
    reason: body.reason,
  });
  if (!out.ok) {
    if (out.reason === 'forbidden') return { refused: true, error: out.message, status: state.status, allowed: out.allowed };
    throw new InputError(`Invalid ${pathPrefix}.${out.path}: ${out.message}`, [{ path: `${pathPrefix}.${out.path}`, message: out.message }]);
  }
  const photos = body.photos ?? [];
  await checkPhotos(store, id, photos, `${pathPrefix}.photos`);
  await materialize(store, row);
  const at = toCityIso(nowMs);
  const next = out.next.noticeNo === NEW_NOTICE ? { ...out.next, noticeNo: await store.nextNoticeNo(cityYear(nowMs)) } : out.next;
  await store.writeWorkflowState(id, next, iso);
  await reconcileCase(store, id, next, false, nowMs);
  // Asked about an assignment that is over: more time for it, or to hand it back.
  if (next.status !== 'assigned') await store.lapseRequests(id, ['extension', 'return'], at, `the case became ${next.status}`);
  const seq = await store.appendHistory({
    problemId: id,
    at,
    atMs: nowMs,
    action: out.action,
    from: state.status,
    to: next.status,
    actor: body.actor ?? ANONYMOUS_ACTOR,
    note: (body.note ?? '').trim(),
    unitId: next.status === 'assigned' ? next.unitId : null,
    deadline: next.status === 'assigned' ? iso(next.deadlineMs) : null,
    data:
      out.action === 'fail' || out.action === 'rectify'
        ? { strikes: next.strikes }
        : out.action === 'hold'
          ? { review: iso(next.reviewMs), strikes: next.strikes }
          : out.action === 'reject'
            ? { reason: next.rejectReason }
            : null,
    derived: false,
  });
  for (const hash of photos) {
    const m = (await store.getMedia(hash))!;
    const d = m.gps ? distanceM(m.gps, [row.lng, row.lat]) : null;
    await store.linkMedia(id, hash, 'after', seq, d, d !== null && d > FAR_PHOTO_M, at);
  }
  await logEvent(store, 'problem.transition', at, {
    id,
    action: out.action,
    from: state.status,
    to: next.status,
    at,
    unitId: next.unitId,
    deadline: iso(next.deadlineMs),
  });
  return { state: next, seq };
}

/**
 * Moves problem `id` along the workflow (one transaction: problem row, history, photos, event).
 * @returns the history after the step, or a refusal listing the allowed statuses (the route's 409).
 * @throws NotFoundError for an unknown problem, InputError for a step without what it needs.
 */
export async function applyTransition(
  store: Store,
  catalog: Catalog,
  hub: EventHub,
  id: string,
  body: TransitionBody,
  nowMs: number,
): Promise<HistoryResponse | TransitionRefused> {
  const cal = await cityCalendar(store, catalog);
  const out = await store.transaction(async () => applyOne(store, catalog, id, body, nowMs, cal));
  if ('refused' in out) return out;
  hub.notify();
  return problemHistory(store, id, nowMs);
}

/**
 * Assigns many reported problems in one transaction: all of them or, if one cannot be assigned, none
 * (the refusal names it).
 */
export async function bulkAssign(
  store: Store,
  catalog: Catalog,
  hub: EventHub,
  body: BulkAssignBody,
  nowMs: number,
): Promise<{ assigned: string[] } | (TransitionRefused & { id: string })> {
  const ids = [...new Set(body.ids)];
  let out: string[];
  const cal = await cityCalendar(store, catalog);
  try {
    out = await store.transaction(async () => {
      for (const [i, id] of ids.entries()) {
        const r = await applyOne(
          store,
          catalog,
          id,
          { to: 'assigned', note: body.note, deadline: body.deadline, unit: body.unit, actor: body.actor },
          nowMs,
          cal,
          `json.ids.${i}`,
        );
        if ('refused' in r) {
          // Throwing rolls the whole transaction back; the refusal travels in the error.
          throw new BulkRefusal({ ...r, id, error: `Problem ${id}: ${r.error} Nothing was assigned.` });
        }
      }
      return ids;
    });
  } catch (err) {
    if (err instanceof BulkRefusal) return err.refusal;
    throw err;
  }
  hub.notify();
  return { assigned: out };
}

/** Carries a refusal out of a rolled-back bulk transaction. */
export class BulkRefusal extends Error {
  readonly refusal: TransitionRefused & { id: string };
  constructor(refusal: TransitionRefused & { id: string }) {
    super(refusal.error);
    this.name = 'BulkRefusal';
    this.refusal = refusal;
  }
}

/**
 * Merges open problem `id` (a duplicate) into open problem `into`, in one transaction: the duplicate's
 * photos are added to `into`, both histories get a `merge` step, and the duplicate is closed as merged
 * (it no longer counts in rankings).
 * @throws NotFoundError for an unknown id; InputError when either is closed/merged, they are the same,
 *   or their categories differ.
 */
export async function mergeProblems(
  store: Store,
  hub: EventHub,
  id: string,
  body: { into: string; note: string; actor?: string },
  nowMs: number,
): Promise<HistoryResponse> {
  await store.transaction(async () => {
    const from = await loadRow(store, id);
    const into = await loadRow(store, body.into);
    const refuse = (message: string) => {
      throw new InputError(`Invalid json.into: ${message}`, [{ path: 'json.into', message }]);
    };
    if (id === body.into) refuse('a problem cannot be merged into itself');
    for (const r of [from, into]) {
      if (FINISHED_STATUSES.includes(r.props.status) || r.mergedInto) refuse(`problem ${r.props.id} is ${r.props.status}; only open problems are merged`);
    }
    if (from.props.category !== into.props.category)
      refuse(`problem ${id} is ${from.props.category} and ${body.into} is ${into.props.category}; only the same category is merged`);
    await materialize(store, from);
    await materialize(store, into);
    const at = toCityIso(nowMs);
    const actor = body.actor ?? ANONYMOUS_ACTOR;
    const note = body.note.trim();
    const seq = await store.appendHistory({
      problemId: body.into,
      at,
      atMs: nowMs,
      action: 'merge',
      from: into.props.status,
      to: into.props.status,
      actor,
      note: note || from.props.description,
      unitId: null,
      deadline: null,
      data: { mergedFrom: id },
      derived: false,
    });
    await store.copyMediaLinks(id, body.into, seq);
    const state = stateOf(from);
    const closed: WorkflowState = { ...state, status: 'closed', closedMs: nowMs };
    await store.writeWorkflowState(id, closed, iso, body.into);
    await reconcileCase(store, id, closed, true, nowMs);
    await store.lapseRequests(id, ['extension', 'appeal', 'return'], at, `merged into ${body.into}`);
    await store.appendHistory({
      problemId: id,
      at,
      atMs: nowMs,
      action: 'merge',
      from: from.props.status,
      to: 'closed',
      actor,
      note,
      unitId: null,
      deadline: null,
      data: { mergedInto: body.into },
      derived: false,
    });
    await logEvent(store, 'problem.merged', at, { id: body.into, mergedFrom: id, at });
  });
  hub.notify();
  return problemHistory(store, body.into, nowMs);
}
