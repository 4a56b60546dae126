import { Hono } from 'hono';
import { ErrorBody } from '../../schemas/common';
import { ScreenQuery, ScreenSummary } from '../../schemas/screen';
import { errorResponses, type RouteDoc } from '../../services/openapi';
import { screenSummary } from '../../services/screen';
import type { RouteDeps } from '../deps';
import { validate } from '../validate';

export const SCREEN_DOCS: RouteDoc[] = [
  {
    method: 'get',
    path: '/api/screen/summary',
    tag: 'screen',
    summary: 'The big screen (大屏) in one call: KPIs, categories, a 12-week trend, 红黑榜 ends, latest reports',
    query: ScreenQuery,
    responses: { 200: { description: 'Figures as of now', schema: ScreenSummary }, ...errorResponses(ErrorBody, 400, 404) },
  },
];

/** `GET /api/screen/summary`. */
export function screenRoutes(deps: RouteDeps) {
  return new Hono().get('/summary', validate('query', ScreenQuery), (c) => {
    c.header('Cache-Control', 'no-cache');
    return c.json(screenSummary(deps.store, deps.catalog, c.req.valid('query'), deps.now()), 200);
  });
}
