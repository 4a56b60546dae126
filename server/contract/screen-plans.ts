import { z } from 'zod';
import { errorResponses, LngLatSchema } from './common';
import { LineStringGeometry } from './geojson';
import { endpoints } from './endpoint';
import { ANALYSTS } from './roles';

/**
 * `GET /api/screen/routes-today`: today's planned inspection routes for the big screen's trips
 * animation. Only what the wall draws (a route and its stop times per team), so a screen token, which may
 * not read whole plans, gets no names of stops or people beyond the team's.
 */
export const ScreenPlanStop = z.object({
  lngLat: LngLatSchema.meta({ description: 'where the team arrives' }),
  /** Back streets: the end where the team leaves (the street is walked during the stop). */
  leaveLngLat: LngLatSchema.meta({ description: 'where the team leaves: the other end of a walked back street, else lngLat' }),
  arrival: z.string().meta({ description: 'ISO time, +08:00' }),
  departure: z.string().meta({ description: 'ISO time, +08:00' }),
});
export type ScreenPlanStop = z.infer<typeof ScreenPlanStop>;

export const ScreenPlanTeam = z.object({
  planId: z.string(),
  team: z
    .number()
    .int()
    .meta({ description: 'the team’s index in its plan (its walked track: GET /api/plans/:id/tracks, its position: the team.position event)' }),
  name: z.string(),
  color: z.string().meta({ description: 'the team colour of the planner page' }),
  startAt: z.string(),
  endAt: z.string(),
  geometry: LineStringGeometry.meta({ description: 'the route along the streets, from the team start' }),
  stops: z.array(ScreenPlanStop),
});
export type ScreenPlanTeam = z.infer<typeof ScreenPlanTeam>;

export const ScreenPlans = z
  .object({
    date: z.string().meta({ description: 'today in the city, YYYY-MM-DD' }),
    teams: z.array(ScreenPlanTeam).meta({ description: 'every team with stops in every plan saved for today; empty when none' }),
  })
  .meta({ id: 'ScreenPlans' });
export type ScreenPlans = z.infer<typeof ScreenPlans>;

/** Today's routes as lines and times only, for the screen's trips animation (the plans stay the planners'). */
export const SCREEN_PLANS_API = endpoints({
  'GET /api/screen/routes-today': {
    tag: 'screen',
    summary: 'Today’s planned inspection routes for the big screen: per team its colour, route line and stop times',
    description:
      'Every team with stops from every plan saved for today (city date). The big screen animates them along the streets; a screen token may read this, not the plans themselves.',
    access: ANALYSTS,
    responses: { 200: { description: 'Today’s routes (teams empty when nothing is planned)', schema: ScreenPlans }, ...errorResponses(401, 403) },
  },
});
