import { z } from 'zod';

/** `GET /api/screen/summary` query: `district` pins the figures to one subdistrict. */
export const ScreenQuery = z.object({
  district: z.string().min(1).meta({ description: 'subdistrict id, e.g. sd01; default: the whole city' }).optional(),
});

const Rate = z.number().min(0).max(1).nullable();

export const ScreenRankRow = z.object({
  id: z.string(),
  name: z.string(),
  rank: z.number().int(),
  score: z.number(),
  found: z.number().int(),
  move: z.number().int().meta({ description: 'places gained since the previous 30 days (rank then − rank now); negative = fell' }),
});

/** Everything the big screen shows besides the map, in one call. */
export const ScreenSummary = z.object({
  now: z.string().meta({ description: 'server time (+08:00) the figures are computed at' }),
  district: z.object({ id: z.string(), name: z.string() }).nullable(),
  kpi: z.object({
    thisWeek: z.number().int().meta({ description: 'problems reported since Monday 00:00 city time' }),
    lastWeek: z.number().int().meta({ description: 'problems reported in the previous Monday–Sunday, up to the same weekday and time' }),
    open: z.number().int().meta({ description: 'reported or assigned (not yet rectified)' }),
    overdue: z.number().int(),
    onTimeRate: Rate.meta({ description: 'rectified by the deadline ÷ problems that fell due, last 30 days' }),
    recurrenceRate: Rate.meta({ description: 'recurrences ÷ problems found, last 30 days' }),
    lookBacksDue: z.number().int().meta({ description: 'rectified problems waiting for their look-back (复查)' }),
  }),
  categories: z.array(z.object({ id: z.string(), zh: z.string(), en: z.string(), color: z.string(), count: z.number().int() })).meta({ description: 'problems of the last 30 days per category, most first' }),
  trend: z.array(z.object({ weekStart: z.string(), count: z.number().int() })).meta({ description: '12 weeks (Monday dates), oldest first; the last is the current week so far' }),
  rankings: z.object({
    subdistricts: z.object({ top: z.array(ScreenRankRow), bottom: z.array(ScreenRankRow) }),
    units: z.object({ top: z.array(ScreenRankRow), bottom: z.array(ScreenRankRow) }),
  }),
  latest: z.array(
    z.object({ id: z.string(), category: z.string(), reportedAt: z.string(), lngLat: z.tuple([z.number(), z.number()]), subdistrictName: z.string().nullable(), description: z.string(),
      thumbUrl: z.string().nullable().meta({ description: 'the first report photo (GET /media/:hash/thumb), null without one' }) }),
  ),
});
export type ScreenSummary = z.infer<typeof ScreenSummary>;
