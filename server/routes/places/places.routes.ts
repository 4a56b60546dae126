import { Hono } from 'hono';
import { ErrorBody } from '../../contract/common';
import { PlaceDetail, PlaceParams } from '../../contract/places';
import { errorResponses, type RouteDoc } from '../../services/openapi/openapi';
import { placeDetail } from '../../services/city/places';
import type { RouteDeps } from '../deps';
import { validate } from '../validate';

export const PLACES_DOCS: RouteDoc[] = [
  {
    method: 'get',
    path: '/api/places/{id}',
    tag: 'places',
    summary: 'One market, community or back street with names and problem counts',
    params: PlaceParams,
    responses: { 200: { description: 'The place', schema: PlaceDetail }, ...errorResponses(ErrorBody, 404) },
  },
];

/** `GET /api/places/:id`. */
export function placesRoutes(deps: RouteDeps) {
  return new Hono().get('/:id', validate('param', PlaceParams), (c) => {
    c.header('Cache-Control', 'no-cache');
    return c.json(placeDetail(deps.store, c.req.valid('param').id, deps.now()));
  });
}
