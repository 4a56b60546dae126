import { Hono, type TypedResponse } from 'hono';
import { ErrorBody } from '../../contract/common';
import {
  HotspotCellHistory,
  HotspotCellParams,
  HotspotCollection,
  HotspotQuery,
  RecurringCollection,
  RecurringQuery,
} from '../../contract/hotspots';
import type { Hotspots } from '../../services/hotspots/hotspots';
import { errorResponses, type RouteDoc } from '../../services/openapi/openapi';
import type { RouteDeps } from '../deps';
import { validate } from '../validate';

/** What the hotspot routes need: the usual deps and the hotspot service. */
export interface HotspotRouteDeps extends RouteDeps {
  hotspots: Hotspots;
}

const JSON_HEADERS = { 'Content-Type': 'application/json; charset=UTF-8', 'Cache-Control': 'no-cache' };

const FILTERS_NOTE =
  'Filters as /api/problems (from, to, category, status incl. overdue, subdistrict, unit). Answers are cached ' +
  'per query and recomputed when problems change.';

export const HOTSPOTS_DOCS: RouteDoc[] = [
  {
    method: 'get',
    path: '/api/hotspots',
    tag: 'hotspots',
    summary: 'H3 cells with problem counts, Getis-Ord Gi* z and p, and the emerging hot-spot class',
    description:
      'Cells with at least one matching problem at resolution res. z/p: Gi* of each cell’s count over the period ' +
      '(neighbours: the cell and its ring), significant after Benjamini-Hochberg at 0.05. class: emerging hot-spot ' +
      'class from weekly Gi* over 7-day periods counted back from the last day with data (space-time neighbours: ring × ' +
      'this and the previous period; BH over all cell-periods) and a Mann-Kendall trend on the weekly z-scores; the rules ' +
      'are in server/analytics/emerging.ts. ' +
      FILTERS_NOTE,
    query: HotspotQuery,
    responses: {
      200: { description: 'GeoJSON FeatureCollection of cell polygons', schema: HotspotCollection },
      ...errorResponses(ErrorBody, 400),
    },
  },
  {
    method: 'get',
    path: '/api/hotspots/cells/{cell}',
    tag: 'hotspots',
    summary: 'One cell’s weeks: count, Gi* z and state (hot, cold, none), under the same filters',
    params: HotspotCellParams,
    query: HotspotQuery,
    responses: {
      200: { description: 'The cell’s weekly history', schema: HotspotCellHistory },
      ...errorResponses(ErrorBody, 400, 404),
    },
  },
  {
    method: 'get',
    path: '/api/hotspots/points.bin',
    tag: 'hotspots',
    summary: 'Every problem as binary columns for the GPU (layout: server/routes/hotspots/points-bin.md)',
    description:
      'Magic "XCPB", version 1, a JSON dictionary, then float32 [lng, lat] pairs and uint16/uint8 columns: ' +
      'day, category, subdistrict, unit, lateDays, status (overdue = 4), recurrence. 20 bytes per problem.',
    responses: { 200: { description: 'points.bin version 1', contentType: 'application/octet-stream' } },
  },
  {
    method: 'get',
    path: '/api/recurring',
    tag: 'hotspots',
    summary: 'Recurring sites: same-category reports within radius metres that came back after being closed',
    description:
      'Sites are found by leader clustering in report order (a site is at most 2 × radius across). A recurrence is a ' +
      'report made when every earlier report of the site had been closed. Most recurrences first. ' +
      FILTERS_NOTE,
    query: RecurringQuery,
    responses: {
      200: { description: 'GeoJSON FeatureCollection of site points', schema: RecurringCollection },
      ...errorResponses(ErrorBody, 400),
    },
  },
];

/** `GET /api/hotspots`, `/api/hotspots/cells/:cell` and `/api/hotspots/points.bin`. */
export function hotspotsRoutes(deps: HotspotRouteDeps) {
  return new Hono()
    .get('/', validate('query', HotspotQuery), (c) => {
      const json = deps.hotspots.hotspotsJson(c.req.valid('query'), deps.now());
      // NOTE: the body is cached JSON bytes; the cast gives hc<AppType> the type c.json would.
      return c.body(json as Uint8Array<ArrayBuffer>, 200, JSON_HEADERS) as unknown as TypedResponse<HotspotCollection, 200, 'json'>;
    })
    .get('/points.bin', (c) => {
      const bytes = deps.hotspots.pointsBin(deps.now());
      return c.body(bytes as Uint8Array<ArrayBuffer>, 200, { 'Content-Type': 'application/octet-stream', 'Cache-Control': 'no-cache' });
    })
    .get('/cells/:cell', validate('param', HotspotCellParams), validate('query', HotspotQuery), (c) => {
      c.header('Cache-Control', 'no-cache');
      return c.json(deps.hotspots.cellHistory(c.req.valid('param').cell, c.req.valid('query'), deps.now()));
    });
}

/** `GET /api/recurring`. */
export function recurringRoutes(deps: HotspotRouteDeps) {
  return new Hono().get('/', validate('query', RecurringQuery), (c) => {
    const json = deps.hotspots.recurringJson(c.req.valid('query'), deps.now());
    return c.body(json as Uint8Array<ArrayBuffer>, 200, JSON_HEADERS) as unknown as TypedResponse<RecurringCollection, 200, 'json'>;
  });
}
