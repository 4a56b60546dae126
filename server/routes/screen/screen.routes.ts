import { Hono } from 'hono';
import { ErrorBody } from '../../contract/common';
import { AssessmentInput, AssessmentSetting, ScreenQuery, ScreenSummary } from '../../contract/screen';
import { errorResponses, type RouteDoc } from '../../services/openapi/openapi';
import { screenSummary } from '../../services/screen/screen';
import { clearAssessment, getAssessment, setAssessment } from '../../services/screen/assessment';
import type { RouteDeps } from '../deps';
import { validate } from '../validate';

export const SCREEN_DOCS: RouteDoc[] = [
  {
    method: 'get',
    path: '/api/screen/summary',
    tag: 'screen',
    summary: 'The big screen (大屏) in one call: KPIs, categories, a 12-week trend, 红黑榜 ends, latest reports, the assessment countdown',
    description: '`from`/`to` set the period of the categories, the latest reports and the 红黑榜; the KPI tiles keep their own definitions (this week, now, last 30 days).',
    query: ScreenQuery,
    responses: { 200: { description: 'Figures as of now', schema: ScreenSummary }, ...errorResponses(ErrorBody, 400, 404) },
  },
  {
    method: 'get',
    path: '/api/screen/assessment',
    tag: 'screen',
    summary: 'The assessment window (测评) the screen counts down to, or null',
    responses: { 200: { description: 'The window as set', schema: AssessmentSetting }, ...errorResponses(ErrorBody, 401, 403) },
  },
  {
    method: 'put',
    path: '/api/screen/assessment',
    tag: 'screen',
    summary: 'Set the assessment window (admin)',
    body: AssessmentInput,
    responses: { 200: { description: 'The window as stored', schema: AssessmentSetting }, ...errorResponses(ErrorBody, 400, 401, 403) },
  },
  {
    method: 'delete',
    path: '/api/screen/assessment',
    tag: 'screen',
    summary: 'Remove the assessment window (admin): the countdown disappears',
    responses: { 204: { description: 'Removed (or there was none)' }, ...errorResponses(ErrorBody, 401, 403) },
  },
];

/** `GET /api/screen/summary` and the assessment window (`/api/screen/assessment`). */
export function screenRoutes(deps: RouteDeps) {
  return new Hono()
    .get('/summary', validate('query', ScreenQuery), (c) => {
      c.header('Cache-Control', 'no-cache');
      return c.json(screenSummary(deps.store, deps.catalog, c.req.valid('query'), deps.now()), 200);
    })
    .get('/assessment', (c) => {
      c.header('Cache-Control', 'no-cache');
      return c.json(getAssessment(deps.store), 200);
    })
    .put('/assessment', validate('json', AssessmentInput), (c) => c.json(setAssessment(deps.store, c.req.valid('json'), deps.now()), 200))
    .delete('/assessment', (c) => {
      clearAssessment(deps.store);
      return c.body(null, 204);
    });
}
