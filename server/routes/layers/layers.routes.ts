import { Hono } from 'hono';
import { ErrorBody } from '../../contract/common';
import { LayerCollection, LayerParams, LayerQuery } from '../../contract/layers';
import { layerCollection } from '../../services/city/layers';
import { errorResponses, type RouteDoc } from '../../services/openapi/openapi';
import type { RouteDeps } from '../deps';
import { validate } from '../validate';

export const LAYERS_DOCS: RouteDoc[] = [
  {
    method: 'get',
    path: '/api/layers/{layer}',
    tag: 'layers',
    summary: 'One layer of the city as a GeoJSON FeatureCollection, optionally limited to a bbox',
    params: LayerParams,
    query: LayerQuery,
    responses: {
      200: { description: 'RFC 7946 FeatureCollection', schema: LayerCollection },
      ...errorResponses(ErrorBody, 400),
    },
  },
];

/** `GET /api/layers/:layer?bbox=w,s,e,n`. */
export function layersRoutes(deps: RouteDeps) {
  return new Hono().get('/:layer', validate('param', LayerParams), validate('query', LayerQuery), (c) => {
    const { layer } = c.req.valid('param');
    const { bbox } = c.req.valid('query');
    c.header('Cache-Control', 'no-cache');
    return c.json(layerCollection(deps.store, layer, bbox));
  });
}
