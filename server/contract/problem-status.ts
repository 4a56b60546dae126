/** The problem's workflow states and origins as plain values (no zod), so a page can list them without the schemas. */
import { PLANNERS, type Role } from './roles';

/**
 * Where a problem is in the workflow; `overdue` is derived (assigned and past its deadline). `held` is
 * 挂账 (cannot be fixed soon: works, budget; held with a plan and a review date, never overdue), `rejected`
 * is 不予立案 (the 立案审核 found it no problem, a duplicate or outside the campaign: finished, not counted).
 * New statuses go at the end: the GPU columns and the analytics store them by index.
 */
export const PROBLEM_STATUSES = ['reported', 'assigned', 'rectified', 'closed', 'held', 'rejected'] as const;
type Status = (typeof PROBLEM_STATUSES)[number];

/** Statuses a problem is finished in (nothing more to do): closed after its look-back, or rejected at 立案. */
export const FINISHED_STATUSES: readonly Status[] = ['closed', 'rejected'];

/** What a transition does, by name (history records it). */
export type WorkflowAction = 'assign' | 'rectify' | 'pass' | 'fail' | 'reject' | 'hold' | 'resume';

/** The 创文办's people (PLANNERS) file, assign, hold and look back; a responsible unit reports its rectification. */
const OFFICE = PLANNERS;
const OFFICE_AND_UNIT = [...PLANNERS, 'unit'] as const satisfies readonly Role[];

/**
 * Every allowed transition and who may take it: the one policy table (server/workflow/state-machine.ts
 * applies the steps, the transitions route checks `by`, the detail panel offers a caller its own steps).
 * Assigning a reported problem is 立案 and 派遣 in one step; rejecting it is the other outcome of 立案审核.
 */
export const PROBLEM_TRANSITIONS: readonly { from: Status; to: Status; action: WorkflowAction; by: readonly Role[] }[] = [
  { from: 'reported', to: 'assigned', action: 'assign', by: OFFICE },
  { from: 'reported', to: 'rejected', action: 'reject', by: OFFICE },
  { from: 'assigned', to: 'rectified', action: 'rectify', by: OFFICE_AND_UNIT },
  { from: 'assigned', to: 'held', action: 'hold', by: OFFICE },
  { from: 'held', to: 'assigned', action: 'resume', by: OFFICE },
  { from: 'held', to: 'rectified', action: 'rectify', by: OFFICE_AND_UNIT },
  { from: 'rectified', to: 'closed', action: 'pass', by: OFFICE },
  { from: 'rectified', to: 'assigned', action: 'fail', by: OFFICE },
];

/** The action that moves `from` to `to`, or null when the state machine does not allow it. */
export function transitionAction(from: Status, to: Status): WorkflowAction | null {
  return PROBLEM_TRANSITIONS.find((t) => t.from === from && t.to === to)?.action ?? null;
}

/** True when `role` may take some step into `to` (from whichever status: the state machine says which). */
export function mayMoveTo(role: Role, to: Status): boolean {
  return PROBLEM_TRANSITIONS.some((t) => t.to === to && t.by.includes(role));
}

/** Why a report is not filed (不予立案). */
export const REJECT_REASONS = ['not-a-problem', 'duplicate', 'outside-campaign'] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

/** Statuses a filter accepts: the stored four plus the derived `overdue`. */
export const STATUS_FILTERS = [...PROBLEM_STATUSES, 'overdue'] as const;
export type StatusFilter = (typeof STATUS_FILTERS)[number];

/** Who reported a problem. */
export const PROBLEM_SOURCES = ['inspection', 'public', 'assessment', 'unannounced'] as const;
