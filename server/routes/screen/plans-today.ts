import { Hono } from 'hono';
import { ScreenRoutes, type ScreenRouteTeam } from '../../contract/screen-plans';
import { loadPlan } from '../../services/plans/plans';
import type { RouteDoc } from '../../services/openapi/openapi';
import { cityDate } from '../../contract/city-time';
import type { RouteDeps } from '../deps';

export const SCREEN_ROUTES_DOCS: RouteDoc[] = [
  {
    method: 'get',
    path: '/api/screen/routes-today',
    tag: 'screen',
    summary: 'Today’s planned inspection routes for the big screen: per team its colour, route line and stop times',
    description:
      'Every team with stops from every plan saved for today (city date). The big screen animates them along the streets; a screen token may read this, not the plans themselves.',
    responses: { 200: { description: 'Today’s routes (teams empty when nothing is planned)', schema: ScreenRoutes } },
  },
];

/** `GET /api/screen/routes-today`. */
export function screenRoutesTodayRoutes(deps: RouteDeps) {
  return new Hono().get('/', (c) => {
    c.header('Cache-Control', 'no-cache');
    const date = cityDate(deps.now());
    const teams: ScreenRouteTeam[] = [];
    for (const summary of deps.store.listPlans(date)) {
      const plan = loadPlan(deps.store, summary.id);
      for (const team of plan.teams) {
        if (!team.geometry || team.stops.length === 0) continue;
        teams.push({
          planId: plan.id,
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
    return c.json({ date, teams } satisfies ScreenRoutes, 200);
  });
}
