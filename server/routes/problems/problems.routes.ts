import { Hono } from 'hono';
import { ErrorBody } from '../../schemas/common';
import { ProblemCollection, ProblemDetail, ProblemParams, ProblemQuery } from '../../schemas/problems';
import { errorResponses, type RouteDoc } from '../../services/openapi';
import { listProblems, problemDetail } from '../../services/problems';
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
];

/** `GET /api/problems` and `GET /api/problems/:id`. */
export function problemsRoutes(deps: RouteDeps) {
  return new Hono()
    .get('/', validate('query', ProblemQuery), (c) => {
      c.header('Cache-Control', 'no-cache');
      return c.json(listProblems(deps.store, c.req.valid('query'), deps.now()));
    })
    .get('/:id', validate('param', ProblemParams), (c) => {
      c.header('Cache-Control', 'no-cache');
      return c.json(problemDetail(deps.store, deps.catalog, c.req.valid('param').id, deps.now()));
    });
}
