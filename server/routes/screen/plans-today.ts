import type { ScreenPlans, ScreenPlanTeam } from '../../contract/screen-plans';
import { cityDate } from '../../contract/city-time';
import { districtSubdistrictsOf } from '../../auth/middleware';
import { planWithin } from '../../services/plans/plans';
import type { RouteDeps } from '../deps';
import { declareRoutes } from '../define';

/** `GET /api/screen/routes-today`. */
export function plansTodayRoutes(deps: RouteDeps) {
  return declareRoutes().route('GET /api/screen/routes-today', async (c) => {
    c.header('Cache-Control', 'no-cache');
    const date = cityDate(deps.now());
    const teams: ScreenPlanTeam[] = [];
    // A district office's screen shows its district's plans.
    const mine = await districtSubdistrictsOf(c, deps.store);
    for (const { plan } of await deps.store.listPlans(date)) {
      if (mine && !planWithin(plan, mine)) continue;
      for (const team of plan.teams) {
        if (!team.geometry || team.stops.length === 0) continue;
        teams.push({
          planId: plan.id,
          team: team.index,
          name: team.name,
          color: team.color,
          startAt: team.startAt,
          endAt: team.endAt,
          geometry: team.geometry,
          stops: team.stops.map((s) => ({
            lngLat: s.reversed && s.otherEnd ? s.otherEnd : s.lngLat,
            leaveLngLat: s.otherEnd ? (s.reversed ? s.lngLat : s.otherEnd) : s.lngLat,
            arrival: s.arrival,
            departure: s.departure,
          })),
        });
      }
    }
    return c.json({ date, teams } satisfies ScreenPlans, 200);
  }).app;
}
