import { Hono } from 'hono';
import { buildOpenApi, type RouteDoc } from '../../services/openapi/openapi';

export const OPENAPI_DOCS: RouteDoc[] = [
  {
    method: 'get',
    path: '/api/openapi.json',
    tag: 'meta',
    summary: 'This OpenAPI 3.1 document',
    responses: { 200: { description: 'OpenAPI 3.1 document' } },
  },
];

/** `GET /api/openapi.json`: built once from the route docs. */
export function openapiRoutes(docs: readonly RouteDoc[]) {
  const doc = buildOpenApi(
    {
      title: 'Xuncha 巡查 API',
      version: '0.1.0',
      description:
        'The map API of a civilized-city campaign (创建文明城市): city layers as GeoJSON, problems with filters ' +
        'and paging, basemap and problem vector tiles. Errors are `{ error, details }`.',
    },
    [...docs, ...OPENAPI_DOCS],
  );
  return new Hono().get('/', (c) => c.json(doc));
}
