import { Hono } from 'hono';
import { ErrorBody } from '../../contract/common';
import { Meta } from '../../contract/meta';
import { buildMeta } from '../../services/city/meta';
import { errorResponses, type RouteDoc } from '../../services/openapi/openapi';
import type { RouteDeps } from '../deps';

export const META_DOCS: RouteDoc[] = [
  {
    method: 'get',
    path: '/api/meta',
    tag: 'city',
    summary: 'The city, layer counts, categories, statuses, subdistricts, units and the time range of problems',
    responses: { 200: { description: 'City metadata', schema: Meta }, ...errorResponses(ErrorBody, 503) },
  },
];

/** `GET /api/meta`. */
export function metaRoutes(deps: RouteDeps) {
  return new Hono().get('/', (c) => {
    c.header('Cache-Control', 'no-cache');
    return c.json(buildMeta(deps.store, deps.catalog));
  });
}
