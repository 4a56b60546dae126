import { Hono } from 'hono';
import { BriefingQuery } from '../../contract/briefings';
import { ErrorBody } from '../../contract/common';
import { weeklyBriefing } from '../../services/documents/documents';
import { errorResponses, type RouteDoc } from '../../services/openapi/openapi';
import { DAY_MS } from '../../contract/city-time';
import type { RouteDeps } from '../deps';
import { validate } from '../validate';

export const BRIEFING_DOCS: RouteDoc[] = [
  {
    method: 'get',
    path: '/api/briefings/weekly',
    tag: 'rankings',
    summary: 'Printable weekly 通报 of a subdistrict (HTML): counts, rates, rank, units’ red/black list, overdue list and recurrences with photos',
    query: BriefingQuery,
    responses: { 200: { description: 'HTML page to print', contentType: 'text/html' }, ...errorResponses(ErrorBody, 400, 404) },
  },
];

/** `GET /api/briefings/weekly`. */
export function briefingRoutes(deps: RouteDeps) {
  return new Hono().get('/weekly', validate('query', BriefingQuery), (c) => {
    const q = c.req.valid('query');
    const now = deps.now();
    return c.html(weeklyBriefing(deps.store, deps.catalog, q.subdistrict, q.week ?? now - 7 * DAY_MS, now));
  });
}
