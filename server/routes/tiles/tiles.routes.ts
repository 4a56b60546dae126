import { problemFilter } from '../../services/problems/filter';
import { MVT_CONTENT_TYPE } from '../../contract/tiles';
import { etagOf, setEtag } from '../../http/etag';
import { problemsVersion } from '../../services/problems/problems';
import type { RouteDeps } from '../deps';
import { scopedQuery, scopeKey } from '../../auth/middleware';
import { declareRoutes } from '../define';

// Private: tiles are for signed-in callers, so no shared cache may keep them.
/**
 * Basemap tiles change with an import and with every edit of the registry's points (the markets,
 * communities and back streets are drawn in them): revalidated on every use, a 304 while nothing changed.
 */
const BASE_CACHE = 'private, no-cache';
/**
 * Problem tiles change with new reports and with the clock (overdue), and differ per unit account:
 * revalidated on every use, which costs a 304 while nothing changed.
 */
const PROBLEMS_CACHE = 'private, no-cache';

/** `GET /tiles/base/{z}/{x}/{y}.pbf` and `GET /tiles/problems/{z}/{x}/{y}.pbf`. */
export function tilesRoutes(deps: RouteDeps) {
  return declareRoutes()
    .route('GET /tiles/base/:z/:x/:y', async (c) => {
      const { z, x, y } = c.req.valid('param');
      if (setEtag(c, etagOf('base', (await deps.store.cityStamp()) ?? 'none', String(await deps.store.placesRevision())), BASE_CACHE)) return c.body(null, 304);
      const tile = await deps.baseTiles.getTile(z, x, y);
      if (!tile) return c.body(null, 204);
      return c.body(tile as Uint8Array<ArrayBuffer>, 200, { 'Content-Type': MVT_CONTENT_TYPE });
    })
    .route('GET /tiles/problems/:z/:x/:y', async (c) => {
      const { z, x, y } = c.req.valid('param');
      const filter = await problemFilter(deps.store, scopedQuery(c, c.req.valid('query')));
      const now = deps.now();
      // The filters are in the URL the browser keys its copy on; the caller's scope and the grids' outlines are not.
      const scope = scopeKey(c);
      if (setEtag(c, etagOf('tiles', await problemsVersion(deps.store, now), filter.area ? `${scope}|${filter.area.key}` : scope), PROBLEMS_CACHE)) {
        return c.body(null, 304);
      }
      const tile = await deps.problemTiles.getTile(z, x, y, filter, now);
      if (!tile) return c.body(null, 204);
      return c.body(tile as Uint8Array<ArrayBuffer>, 200, { 'Content-Type': MVT_CONTENT_TYPE });
    }).app;
}
