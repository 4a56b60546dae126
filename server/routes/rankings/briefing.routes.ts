import { weeklyBriefing } from '../../services/documents/documents';
import { DAY_MS } from '../../contract/city-time';
import type { RouteDeps } from '../deps';
import { declareRoutes } from '../define';

/** `GET /api/briefings/weekly`. */
export function briefingRoutes(deps: RouteDeps) {
  return declareRoutes().route('GET /api/briefings/weekly', (c) => {
    const q = c.req.valid('query');
    const now = deps.now();
    return c.html(weeklyBriefing(deps.store, deps.catalog, q.subdistrict, q.week ?? now - 7 * DAY_MS, now));
  }).app;
}
