import { z } from 'zod';
import { errorResponses } from './common';
import { endpoints } from './endpoint';
import { ProblemParams, ProblemStatus } from './problems';
import { PEOPLE, PLANNERS } from './roles';
import { HistoryResponse, ProblemRequest, REQUEST_KINDS, REQUEST_STATUSES } from './workflow';

/**
 * Requests on a case that wait for the 创文办's decision: 延期 (a unit asks for more time), 申诉 (it
 * appeals a mark: a late rectification or a failed look-back) and 退单 (it returns a case that is not
 * its own; approving it is 改派, the case goes to another unit). The rules are in
 * server/workflow/requests.ts; these are the shapes.
 */

export { REQUEST_KINDS, REQUEST_STATUSES, ProblemRequest, type RequestKind, type RequestStatus } from './workflow';

const DateText = z.string().min(1).meta({ description: 'a date (the end of that day, city time) or an ISO time', example: '2026-10-20' });

/** `POST /api/problems/:id/requests` body. */
export const RequestBody = z
  .strictObject({
    kind: z.enum(REQUEST_KINDS).meta({ description: 'extension (延期), appeal (申诉) or return (退单)' }),
    reason: z.string().trim().min(1, 'say why: the reason is part of the record').max(1000),
    until: DateText.optional().meta({ description: 'extension: the new deadline asked for, after the current one' }),
    actor: z.string().min(1).max(100).optional(),
  })
  .meta({ id: 'RequestBody' });
export type RequestBody = z.output<typeof RequestBody>;

export const RequestParams = ProblemParams.extend({
  requestId: z
    .string()
    .regex(/^\d{1,15}$/, 'a request id is a number')
    .transform(Number),
});

/** `POST /api/problems/:id/requests/:requestId/decision` body. */
export const DecisionBody = z
  .strictObject({
    approve: z.boolean(),
    note: z.string().trim().max(1000).default('').meta({ description: 'why; required to refuse' }),
    unit: z.string().min(1).optional().meta({ description: 'return approved (改派): the unit the case goes to' }),
    deadline: DateText.optional().meta({ description: 'return approved: its deadline there (default: the category’s 处置时限 from now)' }),
    actor: z.string().min(1).max(100).optional(),
  })
  .meta({ id: 'DecisionBody' });
export type DecisionBody = z.output<typeof DecisionBody>;

/** A request with what the 创文办 needs to decide it without opening the case. */
export const RequestListRow = ProblemRequest.extend({
  problem: z.object({
    category: z.string(),
    categoryName: z.object({ zh: z.string(), en: z.string() }),
    description: z.string(),
    status: ProblemStatus,
    deadline: z.string().nullable(),
    overdue: z.boolean(),
    strikes: z.number().int(),
    location: z.string(),
  }),
});
export type RequestListRow = z.infer<typeof RequestListRow>;

export const RequestListQuery = z.object({
  status: z.enum(REQUEST_STATUSES).default('open'),
  kind: z.enum(REQUEST_KINDS).optional(),
});

/** A held (挂账) case whose review date has come: the 创文办 resumes it, or holds it on with a new plan. */
export const ReviewDue = z
  .object({
    problemId: z.string(),
    review: z.string().meta({ description: 'the review date it was held until' }),
    plan: z.string().nullable().meta({ description: 'the plan it was held with' }),
    unitId: z.string().nullable(),
    unitName: z.string().nullable(),
    categoryName: z.object({ zh: z.string(), en: z.string() }),
    description: z.string(),
    location: z.string(),
  })
  .meta({ id: 'ReviewDue' });
export type ReviewDue = z.infer<typeof ReviewDue>;

export const RequestList = z
  .object({
    counts: z.object({ extension: z.number().int(), appeal: z.number().int(), return: z.number().int() }).meta({ description: 'by kind, in this status' }),
    requests: z.array(RequestListRow).meta({ description: 'oldest first, at most 500' }),
    reviews: z
      .array(ReviewDue)
      .meta({ description: 'with status=open: the held (挂账) cases whose review date has come, the earliest first (at most 500); otherwise empty' }),
  })
  .meta({ id: 'RequestList' });
export type RequestList = z.infer<typeof RequestList>;

export const RequestAnswer = z.object({ request: ProblemRequest, history: HistoryResponse }).meta({ id: 'RequestAnswer' });
export type RequestAnswer = z.infer<typeof RequestAnswer>;

/** A request that cannot be made or decided now (409): why, and what the case allows. */
const RequestConflict = z.object({ error: z.string(), kinds: z.array(z.enum(REQUEST_KINDS)) }).meta({ id: 'RequestConflict' });

export const REQUESTS_API = endpoints({
  'POST /api/problems/:id/requests': {
    tag: 'workflow',
    summary: 'Ask the 创文办 for a decision on a case: 延期 (extension), 申诉 (appeal) or 退单 (return)',
    description:
      'extension and return on an assigned case, appeal on a case with a mark (a late rectification or a failed look-back); one open request of a kind per case. A unit account asks for its own cases.',
    access: PEOPLE,
    bodyLimit: 16 * 1024,
    params: ProblemParams,
    body: RequestBody,
    responses: {
      201: { description: 'The request, open', schema: RequestAnswer },
      409: { description: 'The case does not allow this request now (or one is open); `kinds` lists what it allows', schema: RequestConflict },
      ...errorResponses(400, 404),
    },
  },
  'POST /api/problems/:id/requests/:requestId/decision': {
    tag: 'workflow',
    summary: 'Approve or refuse a request (the 创文办): an approved extension moves the deadline, an appeal lifts a mark, a return reassigns (改派)',
    access: PLANNERS,
    bodyLimit: 16 * 1024,
    params: RequestParams,
    body: DecisionBody,
    responses: {
      200: { description: 'The request decided and the case’s history', schema: RequestAnswer },
      409: { description: 'The request is decided already or has lapsed', schema: RequestConflict },
      ...errorResponses(400, 404),
    },
  },
  'GET /api/requests': {
    tag: 'workflow',
    summary: 'Requests waiting for a decision (or decided), with counts by kind, for the ledger page',
    description: 'A unit account sees its own unit’s requests.',
    access: PEOPLE,
    query: RequestListQuery,
    responses: { 200: { description: 'Oldest first', schema: RequestList }, ...errorResponses(400) },
  },
});
