import { DAY_MS } from '../../contract/city-time';
import type { RouteDeps } from '../deps';
import { districtScope } from '../../auth/middleware';
import { NotFoundError } from '../../errors';
import type { BriefingOf } from '../../services/documents/documents';
import { declareRoutes } from '../define';

/** `GET /api/briefings/weekly` (built in the pool: it ranks the week, scoring the points when the 红黑榜 weighs them in). */
export function briefingRoutes(deps: RouteDeps) {
  return declareRoutes().route('GET /api/briefings/weekly', async (c) => {
    const q = c.req.valid('query');
    const now = deps.now();
    const of: BriefingOf = q.district !== undefined ? { district: q.district } : { subdistrict: q.subdistrict! };
    // A district office writes its own district's 通报: another's does not exist for it.
    const mine = districtScope(c);
    if (mine && !('district' in of ? of.district === mine : (await deps.store.districtSubdistricts([mine])).includes(of.subdistrict))) {
      throw new NotFoundError(`There is no ${'district' in of ? `district "${of.district}"` : `subdistrict "${of.subdistrict}"`} in your account's district.`);
    }
    return c.html(await deps.pool.run('briefing.weekly', { of, weekOfMs: q.week ?? now - 7 * DAY_MS, nowMs: now }, { signal: c.req.raw.signal }));
  }).app;
}
