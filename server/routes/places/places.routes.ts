import { cityDate, toCityIso } from '../../contract/city-time';
import { XLSX_CONTENT_TYPE } from '../../contract/ledger';
import { registryTypeNames } from '../../services/city/registry-sheet';
import { placeDetail } from '../../services/city/places';
import type { RouteDeps } from '../deps';
import { declareRoutes } from '../define';

/** `GET /api/places/export.xlsx`, `GET /api/places/:id` and `GET /api/visits`. */
export function placesRoutes(deps: RouteDeps) {
  return (
    declareRoutes()
      // Before /:id, which would take "export.xlsx" for an id.
      .route('GET /api/places/export.xlsx', async (c) => {
        const query = c.req.valid('query');
        const nowMs = deps.now();
        registryTypeNames(deps.store, deps.catalog, query.kind, nowMs);
        const day = cityDate(nowMs);
        const name = encodeURIComponent(`点位信息表-${day}.xlsx`);
        return c.body(await deps.pool.run('places.registry.xlsx', { query, nowMs }, { signal: c.req.raw.signal }), 200, {
          'Content-Type': XLSX_CONTENT_TYPE,
          'Content-Disposition': `attachment; filename="registry-${day}.xlsx"; filename*=UTF-8''${name}`,
          'Cache-Control': 'no-cache',
        });
      })
      .route('GET /api/places/:id', (c) => {
        c.header('Cache-Control', 'no-cache');
        return c.json(placeDetail(deps.store, c.req.valid('param').id, deps.now()));
      })
      .route('GET /api/visits', (c) => {
        // At most 200 places by the (point_id, at_ms) index: well under a millisecond each.
        const q = c.req.valid('query');
        const found = deps.store.visitsAt(q.places, q.from, q.to);
        c.header('Cache-Control', 'no-cache');
        return c.json(
          {
            from: toCityIso(q.from),
            to: toCityIso(q.to),
            places: q.places.map((id) => {
              const v = found.get(id);
              return { id, visits: v?.visits ?? 0, lastVisitAt: v ? toCityIso(v.lastMs) : null };
            }),
          },
          200,
        );
      }).app
  );
}
