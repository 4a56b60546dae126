/**
 * The problem workflow as one pure state machine: which status may follow which, what each step
 * changes, and the escalation that missed deadlines and failed look-backs earn. No I/O and no clock:
 * callers pass `nowMs`, the default deadline and a notice-number maker.
 *
 * ```
 *               ┌─reject─► rejected (不予立案: finished)
 *   reported ───┤
 *               └─assign─► assigned ──rectify──► rectified ──pass──► closed
 *                           ▲  │  ▲                  │
 *                    resume │  │hold                 │
 *                           │  ▼  └───────fail───────┘   (look-back failed: new deadline, +1 strike)
 *                           held (挂账) ──rectify──► rectified
 * ```
 *
 * Overdue is derived: assigned and `nowMs` past the deadline (a held case is never overdue; its review
 * date is when the 创文办 looks at it again). Escalation counts strikes: every missed deadline (an overdue
 * assignment, whether still open, or rectified or held late) and every failed look-back is one. One
 * strike → 督办单 (supervision notice), two or more → 约谈 (summons). The request steps beside it (延期,
 * 申诉, 退单) are in requests.ts.
 */
import type { ProblemStatus } from '../contract/problems';
import { PROBLEM_TRANSITIONS, transitionAction, type RejectReason, type WorkflowAction } from '../contract/problem-status';
import { isOverdue as isOverdueAt } from '../contract/problem-filter';

export type { WorkflowAction };

/** Every allowed transition (contract/problem-status.ts). Anything else is refused with the allowed ones listed. */
export const TRANSITIONS = PROBLEM_TRANSITIONS;

/** The workflow fields of one problem. Times are epoch ms. */
export interface WorkflowState {
  status: ProblemStatus;
  unitId: string | null;
  assignedMs: number | null;
  deadlineMs: number | null;
  rectifiedMs: number | null;
  closedMs: number | null;
  noticeNo: string | null;
  /** Strikes already earned (missed deadlines that are over, failed look-backs); see `escalation`. */
  strikes: number;
  /** Held (挂账): when the 创文办 reviews it; null otherwise. */
  reviewMs: number | null;
  /** Rejected at 立案: why; null otherwise. */
  rejectReason: RejectReason | null;
}

/** A requested transition with what the caller knows. */
export interface TransitionInput {
  to: ProblemStatus;
  nowMs: number;
  note: string;
  /** New responsible unit (assign, fail); default: the current one. */
  unitId?: string | null;
  /** Explicit deadline (assign, fail); default: `defaultDeadlineMs`. */
  deadlineMs?: number;
  /** When the category's 处置时限 started now runs out (counted through the working-day calendar by the caller). */
  defaultDeadlineMs: number;
  /** Makes the next 整改通知单 number; called only on a first assignment. */
  newNoticeNo: () => string;
  /** Hold (挂账): the review date. */
  reviewMs?: number;
  /** Reject (不予立案): why. */
  reason?: RejectReason;
}

export type TransitionOutcome =
  | { ok: true; action: WorkflowAction; next: WorkflowState }
  | { ok: false; reason: 'forbidden'; allowed: ProblemStatus[]; message: string }
  | { ok: false; reason: 'invalid'; path: string; message: string };

/** The statuses a problem in `status` may move to. */
export function allowedTargets(status: ProblemStatus): ProblemStatus[] {
  return TRANSITIONS.filter((t) => t.from === status).map((t) => t.to);
}

/** The action that moves `from` to `to`, or null when the state machine does not allow it. */
export function actionFor(from: ProblemStatus, to: ProblemStatus): WorkflowAction | null {
  return transitionAction(from, to);
}

/** True when assigned and past the deadline at `nowMs` (contract/problem-filter.ts `isOverdue`). */
export function isOverdue(s: Pick<WorkflowState, 'status' | 'deadlineMs'>, nowMs: number): boolean {
  return isOverdueAt(s.status, s.deadlineMs, nowMs);
}

/** Escalation at `nowMs`: 0 none, 1 督办单 (supervision notice), 2 约谈 (summons). */
export interface Escalation {
  strikes: number;
  level: 0 | 1 | 2;
  supervision: boolean;
  summons: boolean;
}

/** The escalation a problem has earned by `nowMs` (its stored strikes plus a running overdue). */
export function escalation(s: WorkflowState, nowMs: number): Escalation {
  const strikes = s.strikes + (isOverdue(s, nowMs) ? 1 : 0);
  const level = (strikes >= 2 ? 2 : strikes) as 0 | 1 | 2;
  return { strikes, level, supervision: level >= 1, summons: level >= 2 };
}

/**
 * Strikes of a problem that came in through an import, which has no history beyond its timestamps:
 * one if it was rectified after its deadline.
 */
export function importedStrikes(s: Pick<WorkflowState, 'deadlineMs' | 'rectifiedMs'>): number {
  return s.deadlineMs !== null && s.rectifiedMs !== null && s.rectifiedMs > s.deadlineMs ? 1 : 0;
}

/**
 * Applies a transition to `state`. Refuses (`forbidden`) what the state machine does not allow and
 * (`invalid`) a step without what it needs: a unit to assign to, a deadline after now, a note when
 * rectifying or failing a look-back; `unitId`/`deadlineMs` only where a deadline is set.
 */
export function transition(state: WorkflowState, input: TransitionInput): TransitionOutcome {
  const action = actionFor(state.status, input.to);
  if (!action) {
    const allowed = allowedTargets(state.status);
    return {
      ok: false,
      reason: 'forbidden',
      allowed,
      message: allowed.length
        ? `${/^[aeiou]/.test(state.status) ? 'An' : 'A'} ${state.status} problem cannot become ${input.to}; it can become: ${allowed.join(', ')}.`
        : state.status === 'rejected'
          ? 'A rejected report (不予立案) is finished and cannot change; if the problem is real after all, report it again.'
          : `A ${state.status} problem is finished and cannot change; a new report at the same spot reopens it as a recurrence.`,
    };
  }
  const note = input.note.trim();
  const { nowMs } = input;
  const setsDeadline = action === 'assign' || action === 'fail' || action === 'resume';
  if (action !== 'hold' && input.reviewMs !== undefined) {
    return { ok: false, reason: 'invalid', path: 'review', message: `review is set only when holding a case (to: held), not when it becomes ${input.to}` };
  }
  if (action !== 'reject' && input.reason !== undefined) {
    return {
      ok: false,
      reason: 'invalid',
      path: 'reason',
      message: `reason is given only when rejecting a report (to: rejected), not when it becomes ${input.to}`,
    };
  }
  if (!setsDeadline && input.deadlineMs !== undefined) {
    return {
      ok: false,
      reason: 'invalid',
      path: 'deadline',
      message: `deadline is set only when assigning (to: assigned), not when the problem becomes ${input.to}`,
    };
  }
  if (!setsDeadline && input.unitId !== undefined) {
    return { ok: false, reason: 'invalid', path: 'unit', message: `unit is set only when assigning (to: assigned), not when the problem becomes ${input.to}` };
  }
  switch (action) {
    case 'reject':
      if (!input.reason) {
        return {
          ok: false,
          reason: 'invalid',
          path: 'reason',
          message: 'say why the report is not filed: reason not-a-problem, duplicate or outside-campaign',
        };
      }
      return { ok: true, action, next: { ...state, status: 'rejected', closedMs: nowMs, rejectReason: input.reason } };
    case 'hold':
      if (note === '')
        return { ok: false, reason: 'invalid', path: 'note', message: 'holding a case (挂账) needs its plan: what is needed and when it will be done' };
      if (input.reviewMs === undefined)
        return { ok: false, reason: 'invalid', path: 'review', message: 'holding a case needs a review date (review: "2026-12-31")' };
      if (input.reviewMs <= nowMs) return { ok: false, reason: 'invalid', path: 'review', message: 'the review date must be later than now' };
      // Held late, the case keeps the strike its overdue period earned.
      return { ok: true, action, next: { ...state, status: 'held', reviewMs: input.reviewMs, strikes: state.strikes + (isOverdue(state, nowMs) ? 1 : 0) } };
    case 'assign':
    case 'resume':
    case 'fail': {
      if (action === 'fail' && note === '') {
        return { ok: false, reason: 'invalid', path: 'note', message: 'a failed look-back needs a note saying what is still wrong' };
      }
      const unitId = input.unitId ?? state.unitId;
      if (!unitId) return { ok: false, reason: 'invalid', path: 'unit', message: 'the problem has no responsible unit yet; give one (unit: "u…")' };
      const deadlineMs = input.deadlineMs ?? input.defaultDeadlineMs;
      if (deadlineMs <= nowMs) return { ok: false, reason: 'invalid', path: 'deadline', message: 'the deadline must be later than now' };
      return {
        ok: true,
        action,
        next: {
          status: 'assigned',
          unitId,
          assignedMs: nowMs,
          deadlineMs,
          rectifiedMs: null,
          closedMs: null,
          noticeNo: state.noticeNo ?? input.newNoticeNo(),
          strikes: state.strikes + (action === 'fail' ? 1 : 0),
          reviewMs: null,
          rejectReason: null,
        },
      };
    }
    case 'rectify':
      if (note === '') return { ok: false, reason: 'invalid', path: 'note', message: 'rectifying needs a note saying what was done (and after-photos)' };
      // A late rectification keeps the strike its overdue period earned.
      return {
        ok: true,
        action,
        next: { ...state, status: 'rectified', rectifiedMs: nowMs, reviewMs: null, strikes: state.strikes + (isOverdue(state, nowMs) ? 1 : 0) },
      };
    case 'pass':
      return { ok: true, action, next: { ...state, status: 'closed', closedMs: nowMs } };
  }
}
