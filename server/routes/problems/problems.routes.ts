import { Hono, type Context, type TypedResponse } from 'hono';
import { actorOf, unitScope } from '../../auth/middleware';
import { ForbiddenError } from '../../errors';
import { NotFoundError } from '../../errors';
import { ErrorBody } from '../../contract/common';
import { ProblemCollection, ProblemDetail, ProblemParams, ProblemQuery } from '../../contract/problems';
import { IntakeMultipart, IntakeResponse, NearbyQuery, NearbyResponse } from '../../contract/intake';
import { BulkAssignBody, BulkAssignResponse, HistoryResponse, MergeBody, TransitionConflict } from '../../contract/workflow';
import { errorResponses, type RouteDoc } from '../../services/openapi/openapi';
import { listProblemsJson, problemDetail } from '../../services/problems/problems';
import { ANONYMOUS_ACTOR, applyTransition, bulkAssign, mergeProblems, problemHistory } from '../../services/problems/workflow';
import { QueuedTransitionBody, TransitionConflictWithLast } from '../../contract/checks';
import { previewReport } from '../../services/problems/intake';
import { rectificationNotice } from '../../services/documents/documents';
import { photoBodyLimit } from '../upload';
import type { WorkflowDeps } from '../../services/problems/deps';
import { createProblem } from './intake';
import type { RouteDeps } from '../deps';
import { validate } from '../validate';

export const PROBLEMS_DOCS: RouteDoc[] = [
  {
    method: 'get',
    path: '/api/problems',
    tag: 'problems',
    summary: 'Problems matching the filters, newest first, one page at a time',
    description:
      'Ordered by reportedAt desc, id desc. Pass nextCursor back as cursor for the next page; the pages ' +
      'together hold every matching problem exactly once.',
    query: ProblemQuery,
    responses: {
      200: { description: 'A page of problems (GeoJSON FeatureCollection plus nextCursor)', schema: ProblemCollection },
      ...errorResponses(ErrorBody, 400),
    },
  },
  {
    method: 'get',
    path: '/api/problems/{id}',
    tag: 'problems',
    summary: 'One problem with category, subdistrict, unit and place names',
    params: ProblemParams,
    responses: { 200: { description: 'The problem', schema: ProblemDetail }, ...errorResponses(ErrorBody, 404) },
  },
  {
    method: 'post',
    path: '/api/problems',
    tag: 'workflow',
    summary: 'Report a problem (multipart: fields and photos); or add the report to an open problem (mergeInto)',
    description:
      'The server sets the time, the subdistrict (point in polygon) and the responsible unit, links the nearest market, ' +
      'community or back street within 50 m, and a recurrence (same category, closed within 90 days, within 30 m). ' +
      'An `Idempotency-Key` header (UUID) makes a retry return the first response instead of a second problem. ' +
      'Photos: JPEG/PNG/WebP by content, at most MAX_PHOTO_MB each (default 15); a refused photo stores nothing.',
    body: IntakeMultipart,
    bodyContentType: 'multipart/form-data',
    responses: {
      201: { description: 'The new problem, with duplicate suggestions', schema: IntakeResponse },
      200: { description: 'Merged into `mergeInto` (or a replay of an Idempotency-Key whose first answer was a merge)', schema: IntakeResponse },
      ...errorResponses(ErrorBody, 400, 404, 413, 415, 422),
    },
  },
  {
    method: 'get',
    path: '/api/problems/nearby',
    tag: 'workflow',
    summary: 'Before reporting: open duplicates, the recurrence, subdistrict, unit and place a report here would get',
    query: NearbyQuery,
    responses: { 200: { description: 'What intake would link', schema: NearbyResponse }, ...errorResponses(ErrorBody, 400) },
  },
  {
    method: 'get',
    path: '/api/problems/{id}/history',
    tag: 'workflow',
    summary: 'A problem’s history (who, when, from, to, note, photos), escalation and allowed next statuses',
    description:
      'History is append-only. An imported problem never changed here has its history derived from its timestamps ' +
      '(`derived: true`, `seq: null`); its first change writes those steps to the store ahead of the new one.',
    params: ProblemParams,
    responses: { 200: { description: 'The history', schema: HistoryResponse }, ...errorResponses(ErrorBody, 404) },
  },
  {
    method: 'post',
    path: '/api/problems/{id}/transitions',
    tag: 'workflow',
    summary: 'Move a problem along the workflow: assign, rectify, look-back pass (closed) or fail (assigned again)',
    description:
      'reported → assigned → rectified → closed, and rectified → assigned when the look-back fails (a strike: ' +
      'one strike = 督办单, two = 约谈). Anything else is 409 with the allowed statuses. With `expect` (the status the caller saw, e.g. a look-back queued offline) the step is refused when the problem has moved on.',
    params: ProblemParams,
    body: QueuedTransitionBody,
    responses: {
      200: { description: 'The history after the step (or, with `expect`, a resent step that is already the last one)', schema: HistoryResponse },
      409: { description: 'The state machine does not allow this step now, or the problem is no longer in the `expect`ed status; `last` says who moved it and when', schema: TransitionConflictWithLast },
      ...errorResponses(ErrorBody, 400, 404),
    },
  },
  {
    method: 'post',
    path: '/api/problems/{id}/merge',
    tag: 'workflow',
    summary: 'Merge this open problem (a duplicate) into another open one of the same category; photos and history are kept',
    params: ProblemParams,
    body: MergeBody,
    responses: { 200: { description: 'The history of the problem merged into', schema: HistoryResponse }, ...errorResponses(ErrorBody, 400, 404) },
  },
  {
    method: 'get',
    path: '/api/problems/{id}/notice',
    tag: 'workflow',
    summary: 'Printable A4 整改通知单 (督办单 / 约谈 when escalated) as HTML',
    params: ProblemParams,
    responses: { 200: { description: 'HTML page to print', contentType: 'text/html' }, ...errorResponses(ErrorBody, 404, 409) },
  },
  {
    method: 'post',
    path: '/api/problems/assign',
    tag: 'workflow',
    summary: 'Assign many reported problems at once, all or none (one transaction)',
    body: BulkAssignBody,
    responses: {
      200: { description: 'The ids assigned', schema: BulkAssignResponse },
      409: { description: 'One problem cannot be assigned; nothing was', schema: TransitionConflict },
      ...errorResponses(ErrorBody, 400, 404),
    },
  },
];

/** A refused step's 409 body: the refusal and the last step (who moved it, when), for the field page's conflict notice. */
function conflictBody(error: string, h: HistoryResponse) {
  const last = h.history.at(-1);
  return { error, status: h.status, allowed: h.allowed, last: last ? { at: last.at, actor: last.actor, action: last.action, to: last.to } : null };
}

/** `GET /api/problems`, `GET /api/problems/:id` and the workflow routes under them. */
export function problemsRoutes(deps: RouteDeps, wf: WorkflowDeps) {
  // Another unit's problem does not exist for a unit account (not even as a 403 that confirms it).
  const ownProblem = (c: Context, id: string): void => {
    const unit = unitScope(c);
    if (unit && deps.store.getProblem(id, deps.now())?.properties.unitId !== unit) {
      throw new NotFoundError(`There is no problem "${id}" among your unit's problems.`);
    }
  };
  return new Hono()
    .get('/', validate('query', ProblemQuery), (c) => {
      const query = c.req.valid('query');
      const unit = unitScope(c);
      const json = listProblemsJson(deps.store, unit ? { ...query, unit: [unit] } : query, deps.now());
      // NOTE: the body is JSON text made by the store; the cast gives hc<AppType> the type c.json would.
      return c.body(json, 200, {
        'Content-Type': 'application/json; charset=UTF-8',
        'Cache-Control': 'no-cache',
      }) as unknown as TypedResponse<ProblemCollection, 200, 'json'>;
    })
    // Before '/:id', which would take "nearby" for an id.
    .get('/nearby', validate('query', NearbyQuery), (c) => c.json(previewReport(deps.store, deps.catalog, c.req.valid('query'), deps.now(), wf.duplicateRadiusM), 200))
    .post('/', photoBodyLimit(wf.maxPhotoBytes), (c) => createProblem(c, deps, wf))
    .get('/:id', validate('param', ProblemParams), (c) => {
      c.header('Cache-Control', 'no-cache');
      ownProblem(c, c.req.valid('param').id);
      return c.json(problemDetail(deps.store, deps.catalog, c.req.valid('param').id, deps.now()));
    })
    .get('/:id/history', validate('param', ProblemParams), (c) => {
      c.header('Cache-Control', 'no-cache');
      ownProblem(c, c.req.valid('param').id);
      return c.json(problemHistory(deps.store, c.req.valid('param').id, deps.now()));
    })
    .post('/:id/transitions', validate('param', ProblemParams), validate('json', QueuedTransitionBody), (c) => {
      const { expect, ...body } = c.req.valid('json');
      const id = c.req.valid('param').id;
      ownProblem(c, id);
      // A responsible unit reports its own rectification; assigning and looking back are the office's.
      if (unitScope(c) && body.to !== 'rectified') {
        throw new ForbiddenError('责任单位只能提交整改结果。 / A responsible unit may only report its rectification (to: rectified).');
      }
      const actor = actorOf(c, body.actor);
      // Check and step run in this one synchronous handler: nothing can move the problem in between.
      if (expect !== undefined) {
        const before = problemHistory(deps.store, id, deps.now());
        if (before.status !== expect) {
          const last = before.history.at(-1) ?? null;
          // A queued step whose answer was lost is sent again: it is the last step already, by the same person.
          if (last && !last.derived && last.from === expect && last.to === body.to && last.actor === (actor ?? ANONYMOUS_ACTOR)) return c.json(before, 200);
          return c.json(conflictBody(`问题已不是「${expect}」状态（现为「${before.status}」）。 / Problem ${id} is ${before.status} now, not ${expect} as expected: someone moved it meanwhile; reload it before acting.`, before), 409);
        }
      }
      const out = applyTransition(deps.store, deps.catalog, wf.hub, id, { ...body, actor }, deps.now());
      if ('refused' in out) return c.json(conflictBody(out.error, problemHistory(deps.store, id, deps.now())), 409);
      return c.json(out, 200);
    })
    .post('/:id/merge', validate('param', ProblemParams), validate('json', MergeBody), (c) => {
      const body = c.req.valid('json');
      return c.json(mergeProblems(deps.store, wf.hub, c.req.valid('param').id, { ...body, actor: actorOf(c, body.actor) }, deps.now()), 200);
    })
    .get('/:id/notice', validate('param', ProblemParams), (c) => {
      ownProblem(c, c.req.valid('param').id);
      return c.html(rectificationNotice(deps.store, deps.catalog, c.req.valid('param').id, deps.now()));
    })
    .post('/assign', validate('json', BulkAssignBody), (c) => {
      const body = c.req.valid('json');
      const out = bulkAssign(deps.store, deps.catalog, wf.hub, { ...body, actor: actorOf(c, body.actor) }, deps.now());
      if ('refused' in out) return c.json({ error: out.error, status: out.status, allowed: out.allowed, id: out.id }, 409);
      return c.json(out, 200);
    });
}
