import { requestIsHttps } from '../../http/proxy';
import type { Basemap } from '../../services/basemap/basemap';
import { declareRoutes } from '../define';

/** `/api/basemap`: the online basemap setting (read by every map page, written by the administrator). */
export function basemapRoutes(deps: { basemap: Basemap; now(): number }) {
  return declareRoutes()
    .route('GET /api/basemap', async (c) => {
      c.header('Cache-Control', 'no-cache');
      return c.json(await deps.basemap.get(), 200);
    })
    .route('PUT /api/basemap', async (c) => c.json(await deps.basemap.set(c.req.valid('json'), deps.now(), requestIsHttps(c)), 200))
    .route('DELETE /api/basemap', async (c) => {
      await deps.basemap.clear();
      return c.body(null, 204);
    }).app;
}
