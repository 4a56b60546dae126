import { Hono } from 'hono';
import { actorOf } from '../../auth/middleware';
import { CheckBody, CheckList, CheckQuery, CheckRecord } from '../../contract/checks';
import { ErrorBody } from '../../contract/common';
import { listChecks, recordCheck } from '../../services/assessment/checks';
import { errorResponses, type RouteDoc } from '../../services/openapi/openapi';
import { ANONYMOUS_ACTOR } from '../../services/problems/workflow';
import type { RouteDeps } from '../deps';
import { validate } from '../validate';

export const CHECKS_DOCS: RouteDoc[] = [
  {
    method: 'post',
    path: '/api/checks',
    tag: 'workflow',
    summary: 'Store one stop’s check results (pass / fail / n.a. per item), idempotent by the client UUID',
    description:
      'The field page queues a stop’s results on the phone and sends them when it has signal. `id` is the client’s UUID: ' +
      'the same record sent again gets 200 with the stored record; the same id with a different body is 409. ' +
      'The inspector is the signed-in person. `problemIds` may name reports still in the phone’s queue by their ' +
      'Idempotency-Key; reading resolves them to problem ids once they have arrived.',
    body: CheckBody,
    responses: {
      201: { description: 'Stored', schema: CheckRecord },
      200: { description: 'Already stored (a retry of the same record)', schema: CheckRecord },
      409: { description: 'The id was used for another record', schema: ErrorBody },
      ...errorResponses(ErrorBody, 400),
    },
  },
  {
    method: 'get',
    path: '/api/checks',
    tag: 'workflow',
    summary: 'Stored check results by plan, point or day (city time), newest first (at most 2,000)',
    query: CheckQuery,
    responses: { 200: { description: 'The check results', schema: CheckList }, ...errorResponses(ErrorBody, 400) },
  },
];

/** `/api/checks`: the field page's check results. */
export function checksRoutes(deps: RouteDeps) {
  return new Hono()
    .post('/', validate('json', CheckBody), (c) => {
      const out = recordCheck(deps.store, deps.catalog, c.req.valid('json'), actorOf(c, undefined) ?? ANONYMOUS_ACTOR, deps.now());
      return c.json(out.record, out.created ? 201 : 200);
    })
    .get('/', validate('query', CheckQuery), (c) => {
      c.header('Cache-Control', 'no-cache');
      return c.json({ checks: listChecks(deps.store, c.req.valid('query')) }, 200);
    });
}
