import { districtScope } from '../../auth/middleware';
import { createScreenSummaries } from '../../services/screen/screen';
import { clearAssessment, getAssessment, setAssessment } from '../../services/screen/assessment';
import type { RouteDeps } from '../deps';
import { declareRoutes } from '../define';

/** `GET /api/screen/summary` and the assessment window (`/api/screen/assessment`). */
export function screenRoutes(deps: RouteDeps) {
  const summaries = createScreenSummaries(
    deps.store,
    async () => (await deps.problemIndex.current()).index.base,
    deps.catalog,
    (q, nowMs) => deps.pool.run('screen.tables', { q, nowMs }),
  );
  return declareRoutes()
    .route('GET /api/screen/summary', async (c) => {
      c.header('Cache-Control', 'no-cache');
      const q = c.req.valid('query');
      // A district office's screen is its district's: pinned to it, or to one of its subdistricts.
      const mine = districtScope(c);
      const inMine = mine !== null && (q.district === mine || (await deps.store.districtSubdistricts([mine])).includes(q.district ?? ''));
      return c.json(await summaries(mine && !inMine ? { ...q, district: mine } : q, deps.now()), 200);
    })
    .route('GET /api/screen/reel', async (c) => {
      c.header('Cache-Control', 'no-cache');
      // A district office's reel is its district's (or one of its subdistricts'), whatever district it asks for.
      const mine = districtScope(c);
      const asked = c.req.valid('query');
      const q = mine ? { ...asked, district: [mine] } : asked;
      return c.json(await deps.pool.run('screen.reel', { q, nowMs: deps.now() }, { signal: c.req.raw.signal }), 200);
    })
    .route('GET /api/screen/assessment', async (c) => {
      c.header('Cache-Control', 'no-cache');
      return c.json(await getAssessment(deps.store), 200);
    })
    .route('PUT /api/screen/assessment', async (c) => c.json(await setAssessment(deps.store, c.req.valid('json'), deps.now()), 200))
    .route('DELETE /api/screen/assessment', async (c) => {
      await clearAssessment(deps.store);
      return c.body(null, 204);
    }).app;
}
