import { layerCollection } from '../../services/city/layers';
import type { RouteDeps } from '../deps';
import { declareRoutes } from '../define';

/** `GET /api/layers/:layer?bbox=w,s,e,n`. */
export function layersRoutes(deps: RouteDeps) {
  return declareRoutes().route('GET /api/layers/:layer', async (c) => {
    const { layer } = c.req.valid('param');
    const { bbox } = c.req.valid('query');
    c.header('Cache-Control', 'no-cache');
    return c.json(await layerCollection(deps.store, layer, bbox));
  }).app;
}
