import { Hono, type TypedResponse } from 'hono';
import { unitScope } from '../../auth/middleware';
import { NotFoundError } from '../../errors';
import { ErrorBody } from '../../schemas/common';
import { ProblemCollection, ProblemDetail, ProblemParams, ProblemQuery } from '../../schemas/problems';
import { errorResponses, type RouteDoc } from '../../services/openapi';
import { listProblemsJson, problemDetail } from '../../services/problems';
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
      const query = c.req.valid('query');
      const unit = unitScope(c);
      const json = listProblemsJson(deps.store, unit ? { ...query, unit: [unit] } : query, deps.now());
      // NOTE: the body is JSON text made by the store; the cast gives hc<AppType> the type c.json would.
      return c.body(json, 200, {
        'Content-Type': 'application/json; charset=UTF-8',
        'Cache-Control': 'no-cache',
      }) as unknown as TypedResponse<ProblemCollection, 200, 'json'>;
    })
    .get('/:id', validate('param', ProblemParams), (c) => {
      c.header('Cache-Control', 'no-cache');
      const detail = problemDetail(deps.store, deps.catalog, c.req.valid('param').id, deps.now());
      const unit = unitScope(c);
      // Another unit's problem does not exist for a unit account (not even as a 403 that confirms it).
      if (unit && detail.properties.unitId !== unit) throw new NotFoundError(`There is no problem "${detail.properties.id}" among your unit's problems.`);
      return c.json(detail);
    });
}
