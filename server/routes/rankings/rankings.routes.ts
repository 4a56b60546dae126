import { Hono } from 'hono';
import { ErrorBody } from '../../contract/common';
import { RANKING_FORMULA, RankingQuery, RankingResponse } from '../../contract/rankings';
import { errorResponses, type RouteDoc } from '../../services/openapi/openapi';
import { rankings } from '../../services/rankings/rankings';
import type { RouteDeps } from '../deps';
import { validate } from '../validate';

export const RANKINGS_DOCS: RouteDoc[] = [
  {
    method: 'get',
    path: '/api/rankings',
    tag: 'rankings',
    summary: '红黑榜: subdistricts or units ranked by a composite score over a period',
    description: `Figures per group for problems reported in [from, to] (default: the last 30 days). ${RANKING_FORMULA}`,
    query: RankingQuery,
    responses: { 200: { description: 'Best first', schema: RankingResponse }, ...errorResponses(ErrorBody, 400) },
  },
];

/** `GET /api/rankings`. */
export function rankingsRoutes(deps: RouteDeps) {
  return new Hono().get('/', validate('query', RankingQuery), (c) => {
    c.header('Cache-Control', 'no-cache');
    return c.json(rankings(deps.store, c.req.valid('query'), deps.now()), 200);
  });
}
