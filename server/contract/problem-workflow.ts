import { QueuedTransitionBody, TransitionConflictWithLast } from './checks';
import { errorResponses } from './common';
import { endpoints } from './endpoint';
import { ProblemParams } from './problems';
import { PEOPLE, PLANNERS } from './roles';
import { BulkAssignBody, BulkAssignResponse, HistoryResponse, MergeBody, TransitionConflict } from './workflow';

/**
 * The workflow on a problem: history, transitions, merge, the rectification notice, bulk assignment.
 * Who may make which transition (a unit only rectifies its own) is checked by the transition itself;
 * `access` says who may call at all.
 */
export const PROBLEM_WORKFLOW_API = endpoints({
  'GET /api/problems/:id/history': {
    tag: 'workflow',
    summary: 'A problem’s history (who, when, from, to, note, photos), escalation and allowed next statuses',
    description:
      'History is append-only. An imported problem never changed here has its history derived from its timestamps ' +
      '(`derived: true`, `seq: null`); its first change writes those steps to the store ahead of the new one.',
    access: PEOPLE,
    params: ProblemParams,
    responses: { 200: { description: 'The history', schema: HistoryResponse }, ...errorResponses(404) },
  },
  'POST /api/problems/:id/transitions': {
    tag: 'workflow',
    summary: 'Move a problem along the workflow: assign, rectify, look-back pass (closed) or fail (assigned again)',
    description:
      'reported → assigned → rectified → closed, and rectified → assigned when the look-back fails (a strike: ' +
      'one strike = 督办单, two = 约谈). Anything else is 409 with the allowed statuses. With `expect` (the status the caller saw, e.g. a look-back queued offline) the step is refused when the problem has moved on.',
    access: PEOPLE,
    bodyLimit: 64 * 1024,
    params: ProblemParams,
    body: QueuedTransitionBody,
    responses: {
      200: { description: 'The history after the step (or, with `expect`, a resent step that is already the last one)', schema: HistoryResponse },
      409: {
        description: 'The state machine does not allow this step now, or the problem is no longer in the `expect`ed status; `last` says who moved it and when',
        schema: TransitionConflictWithLast,
      },
      ...errorResponses(400, 404),
    },
  },
  'POST /api/problems/:id/merge': {
    tag: 'workflow',
    summary: 'Merge this open problem (a duplicate) into another open one of the same category; photos and history are kept',
    access: PLANNERS,
    bodyLimit: 64 * 1024,
    params: ProblemParams,
    body: MergeBody,
    responses: { 200: { description: 'The history of the problem merged into', schema: HistoryResponse }, ...errorResponses(400, 404) },
  },
  'GET /api/problems/:id/notice': {
    tag: 'workflow',
    summary: 'Printable A4 整改通知单 (督办单 / 约谈 when escalated) as HTML',
    access: PEOPLE,
    params: ProblemParams,
    responses: { 200: { description: 'HTML page to print', contentType: 'text/html' }, ...errorResponses(404, 409) },
  },
  'POST /api/problems/assign': {
    tag: 'workflow',
    summary: 'Assign many reported problems at once, all or none (one transaction)',
    access: PLANNERS,
    bodyLimit: 1024 * 1024,
    body: BulkAssignBody,
    responses: {
      200: { description: 'The ids assigned', schema: BulkAssignResponse },
      409: { description: 'One problem cannot be assigned; nothing was', schema: TransitionConflict },
      ...errorResponses(400, 404),
    },
  },
});
