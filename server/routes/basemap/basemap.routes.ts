import { requestIsHttps } from '../../http/proxy';
import type { Basemap } from '../../services/basemap/basemap';
import { declareRoutes } from '../define';

/** `/api/basemap`: the online basemap setting (read by every map page, written by the administrator). */
export function basemapRoutes(deps: { basemap: Basemap; now(): number }) {
  return declareRoutes()
    .route('GET /api/basemap', (c) => {
      c.header('Cache-Control', 'no-cache');
      return c.json(deps.basemap.get(), 200);
    })
    .route('PUT /api/basemap', (c) => c.json(deps.basemap.set(c.req.valid('json'), deps.now(), requestIsHttps(c)), 200))
    .route('DELETE /api/basemap', (c) => {
      deps.basemap.clear();
      return c.body(null, 204);
    }).app;
}
