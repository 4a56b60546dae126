import { DAY_MS } from '../../contract/city-time';
import type { RouteDeps } from '../deps';
import { declareRoutes } from '../define';

/** `GET /api/briefings/weekly` (built in the pool: it ranks the week, scoring the points when the 红黑榜 weighs them in). */
export function briefingRoutes(deps: RouteDeps) {
  return declareRoutes().route('GET /api/briefings/weekly', async (c) => {
    const q = c.req.valid('query');
    const now = deps.now();
    return c.html(
      await deps.pool.run('briefing.weekly', { subdistrict: q.subdistrict, weekOfMs: q.week ?? now - 7 * DAY_MS, nowMs: now }, { signal: c.req.raw.signal }),
    );
  }).app;
}
