import { Hono } from 'hono';
import { ErrorBody } from '../../contract/common';
import { MatrixBody, MatrixResponse, RouteFeature, RouteQuery } from '../../contract/routing';
import { errorResponses, type RouteDoc } from '../../services/openapi/openapi';
import { matrixResponse, routeFeature } from '../../services/routing/routing';
import type { RouteDeps } from '../deps';
import { validate } from '../validate';

export const ROUTING_DOCS: RouteDoc[] = [
  {
    method: 'get',
    path: '/api/route',
    tag: 'routing',
    summary: 'The fastest route between two points along the streets',
    description:
      'Both points snap to the nearest road the profile may use (the snap distance is returned). 422 when a point is farther than the limit from every usable road, or the two points are on pieces of the network that do not connect.',
    query: RouteQuery,
    responses: { 200: { description: 'The route as a GeoJSON LineString', schema: RouteFeature }, ...errorResponses(ErrorBody, 400, 422, 503) },
  },
  {
    method: 'post',
    path: '/api/matrix',
    tag: 'routing',
    summary: 'Travel times and distances between every pair of up to 500 points',
    description: 'Contraction hierarchies with bucket many-to-many; equal to a plain Dijkstra. Unreachable pairs are null and listed.',
    body: MatrixBody,
    responses: { 200: { description: 'The matrices, row = from, column = to', schema: MatrixResponse }, ...errorResponses(ErrorBody, 400, 422, 503) },
  },
];

/** `GET /api/route`, `POST /api/matrix`. */
export function routingRoutes(deps: RouteDeps) {
  return new Hono()
    .get('/route', validate('query', RouteQuery), (c) => {
      c.header('Cache-Control', 'no-cache');
      return c.json(routeFeature(deps.roads.get(), c.req.valid('query')));
    })
    .post('/matrix', validate('json', MatrixBody), (c) => {
      const body = c.req.valid('json');
      return c.json(matrixResponse(deps.roads.get(), { ...body, points: body.points as [number, number][] }));
    });
}
