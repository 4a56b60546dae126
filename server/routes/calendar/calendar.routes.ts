import { calendarYear, deleteCalendarYear, putCalendarYear } from '../../services/calendar/calendar';
import type { RouteDeps } from '../deps';
import { declareRoutes } from '../define';

/** `GET/PUT/DELETE /api/calendar/:year`: the working-day calendar deadlines count through. */
export function calendarRoutes(deps: RouteDeps) {
  return declareRoutes()
    .route('GET /api/calendar/:year', async (c) => {
      c.header('Cache-Control', 'no-cache');
      return c.json(await calendarYear(deps.store, deps.catalog, c.req.valid('param').year), 200);
    })
    .route('PUT /api/calendar/:year', async (c) =>
      c.json(await putCalendarYear(deps.store, deps.catalog, c.req.valid('param').year, c.req.valid('json'), deps.now()), 200),
    )
    .route('DELETE /api/calendar/:year', async (c) => c.json(await deleteCalendarYear(deps.store, deps.catalog, c.req.valid('param').year, deps.now()), 200))
    .app;
}
