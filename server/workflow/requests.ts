/**
 * Requests on a case and their decisions, as pure rules beside the state machine (state-machine.ts):
 *
 * - 延期 (extension): a unit with an assigned case asks for a later deadline with the reason; approved,
 *   the deadline moves to the date asked and the case is not overdue before it.
 * - 申诉 (appeal): a unit appeals a mark its case earned (a late rectification, a failed look-back);
 *   approved, one strike is lifted and the escalation falls with it. A running overdue is asked for as
 *   an extension instead.
 * - 退单 (return): a unit returns an assigned case that is not its own; approved, the 创文办 reassigns it
 *   (改派) to another unit with a new deadline, the strikes staying with the case.
 *
 * One open request of a kind per case. When the case leaves `assigned` (rectified, reassigned) its open
 * extension and return requests lapse: they asked about a situation that is over.
 */
import type { RequestKind } from '../contract/workflow';
import { isOverdue, type WorkflowState } from './state-machine';

/** What an approved request writes into the history, by kind. */
export const DECISION_ACTIONS = { extension: 'extend', appeal: 'appeal', return: 'reassign' } as const satisfies Record<RequestKind, string>;

/** The request kinds a case in `state` allows, leaving out those of which one is open. */
export function requestableKinds(state: WorkflowState, open: ReadonlySet<RequestKind>): RequestKind[] {
  const out: RequestKind[] = [];
  if (state.status === 'assigned' && !open.has('extension')) out.push('extension');
  if (state.strikes > 0 && !open.has('appeal')) out.push('appeal');
  if (state.status === 'assigned' && !open.has('return')) out.push('return');
  return out;
}

export type RequestCheck =
  { ok: true } | { ok: false; reason: 'conflict'; message: string; kinds: RequestKind[] } | { ok: false; reason: 'invalid'; path: string; message: string };

/** Whether a request of `kind` may be made now (`untilMs`: the extension's date, parsed). */
export function checkRequest(state: WorkflowState, kind: RequestKind, open: ReadonlySet<RequestKind>, untilMs: number | null, nowMs: number): RequestCheck {
  const kinds = requestableKinds(state, open);
  if (!kinds.includes(kind)) {
    const why = open.has(kind)
      ? `a ${kind} request of this case is open already; wait for the decision`
      : kind === 'appeal'
        ? isOverdue(state, nowMs)
          ? 'the case has no mark to appeal yet; to avoid the overdue one, ask for an extension'
          : 'the case has no mark to appeal (no late rectification, no failed look-back)'
        : `a ${state.status} case cannot be ${kind === 'extension' ? 'extended' : 'returned'}: only an assigned one`;
    return { ok: false, reason: 'conflict', message: why, kinds };
  }
  if (kind === 'extension') {
    if (untilMs === null)
      return { ok: false, reason: 'invalid', path: 'until', message: 'an extension needs the new deadline asked for (until: "2026-10-20")' };
    if (state.deadlineMs !== null && untilMs <= state.deadlineMs) {
      return { ok: false, reason: 'invalid', path: 'until', message: 'the new deadline must be after the current one' };
    }
    if (untilMs <= nowMs) return { ok: false, reason: 'invalid', path: 'until', message: 'the new deadline must be later than now' };
  } else if (untilMs !== null) {
    return {
      ok: false,
      reason: 'invalid',
      path: 'until',
      message: `until is given only with an extension, not with ${kind === 'appeal' ? 'an appeal' : 'a return'}`,
    };
  }
  return { ok: true };
}

/** What a decision needs from the caller beyond the approval. */
export interface DecisionInput {
  approve: boolean;
  note: string;
  nowMs: number;
  /** The extension's date asked for. */
  untilMs: number | null;
  /** Return approved: the unit it goes to, and its deadline there. */
  unitId?: string;
  deadlineMs?: number;
}

export type DecisionOutcome =
  | { ok: true; approved: false }
  | { ok: true; approved: true; action: (typeof DECISION_ACTIONS)[RequestKind]; next: WorkflowState }
  | { ok: false; path: string; message: string };

/** Applies the decision on an open request of `kind` to the case's `state` (the state machine's counterpart). */
export function decide(state: WorkflowState, kind: RequestKind, d: DecisionInput): DecisionOutcome {
  if (!d.approve) {
    if (d.note.trim() === '') return { ok: false, path: 'note', message: 'a refusal needs a note saying why' };
    if (d.unitId !== undefined || d.deadlineMs !== undefined) return { ok: false, path: 'unit', message: 'unit and deadline go with an approved return only' };
    return { ok: true, approved: false };
  }
  if (kind !== 'return' && (d.unitId !== undefined || d.deadlineMs !== undefined)) {
    return { ok: false, path: 'unit', message: 'unit and deadline go with an approved return (改派) only' };
  }
  switch (kind) {
    case 'extension':
      if (d.untilMs === null || d.untilMs <= d.nowMs) {
        return { ok: false, path: 'approve', message: 'the date asked for has passed; refuse this request and let the unit ask again' };
      }
      return { ok: true, approved: true, action: 'extend', next: { ...state, deadlineMs: d.untilMs } };
    case 'appeal':
      return { ok: true, approved: true, action: 'appeal', next: { ...state, strikes: Math.max(0, state.strikes - 1) } };
    case 'return': {
      if (!d.unitId) return { ok: false, path: 'unit', message: 'approving a return reassigns the case: give the unit it goes to (unit: "u…")' };
      if (d.unitId === state.unitId)
        return { ok: false, path: 'unit', message: 'the case is with this unit already: reassign it to another one, or refuse the return' };
      if (d.deadlineMs === undefined || d.deadlineMs <= d.nowMs) return { ok: false, path: 'deadline', message: 'the deadline must be later than now' };
      return { ok: true, approved: true, action: 'reassign', next: { ...state, unitId: d.unitId, assignedMs: d.nowMs, deadlineMs: d.deadlineMs } };
    }
  }
}
