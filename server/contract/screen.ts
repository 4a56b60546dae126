import { z } from 'zod';
import { errorResponses } from './common';
import { endpoints } from './endpoint';
import { ADMINS, ANALYSTS } from './roles';

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
/** Longest period the screen takes: ten years of city days, the same bound as the screen URL's `period`. */
export const SCREEN_PERIOD_MAX_DAYS = 3660;
/** A countdown further ahead than this is not shown (an assessment year, not the next decade). */
export const ASSESSMENT_AHEAD_DAYS = 400;
/** Longest assessment window: a campaign's assessment runs weeks, not years. */
export const ASSESSMENT_MAX_DAYS = 366;

/** A calendar date `YYYY-MM-DD` that exists (city day). */
export const CityDay = z
  .string()
  .refine((s) => DATE_RE.test(s) && new Date(`${s}T00:00:00Z`).toISOString().slice(0, 10) === s, {
    message: 'must be a date like 2026-03-20 (YYYY-MM-DD, a day that exists)',
  })
  .meta({ example: '2026-03-20' });

/** Whole days from `a` to `b` (both YYYY-MM-DD). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

/**
 * `GET /api/screen/summary` query: `district` pins the figures to one district or subdistrict; `from`/`to` (city days,
 * both inclusive, given together) set the period of the categories, the latest reports and the 红黑榜.
 */
export const ScreenQuery = z
  .object({
    district: z
      .string()
      .min(1)
      .meta({ description: 'a district id (dt01) or a subdistrict id (sd01, as the links from before districts); default: the whole city' })
      .optional(),
    from: CityDay.meta({ description: 'first day of the period, YYYY-MM-DD (city time); default: 30 days back from now' }).optional(),
    to: CityDay.meta({ description: 'last day of the period, inclusive, YYYY-MM-DD (city time); default: now' }).optional(),
  })
  .superRefine((q, ctx) => {
    if ((q.from === undefined) !== (q.to === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: [q.from === undefined ? 'from' : 'to'],
        message: 'from and to go together: give both days (e.g. from=2026-02-01&to=2026-02-28) or neither for the last 30 days',
      });
    } else if (q.from !== undefined && q.to !== undefined && DATE_RE.test(q.from) && DATE_RE.test(q.to)) {
      const span = daysBetween(q.from, q.to);
      if (span < 0) ctx.addIssue({ code: 'custom', path: ['to'], message: `must not be before from (${q.from}); swap the two days` });
      else if (span + 1 > SCREEN_PERIOD_MAX_DAYS)
        ctx.addIssue({ code: 'custom', path: ['to'], message: `the period is ${span + 1} days; the screen takes at most ${SCREEN_PERIOD_MAX_DAYS}` });
    }
  });

/** The assessment window (测评) the administrator sets; the screen counts down to it. */
export const AssessmentInput = z
  .object({
    name: z
      .string()
      .trim()
      .min(1, 'give the assessment a name, e.g. 2027年全国文明城市测评')
      .max(60, 'keep the name under 60 characters: it goes into the screen header')
      .meta({ example: '2027年全国文明城市测评' }),
    start: CityDay.meta({ description: 'first day of the assessment window, YYYY-MM-DD (city time)' }),
    end: CityDay.meta({ description: 'last day of the window, inclusive, YYYY-MM-DD (city time)' }),
  })
  .superRefine((a, ctx) => {
    if (!DATE_RE.test(a.start) || !DATE_RE.test(a.end)) return;
    const span = daysBetween(a.start, a.end);
    if (span < 0) ctx.addIssue({ code: 'custom', path: ['end'], message: `must not be before start (${a.start})` });
    else if (span + 1 > ASSESSMENT_MAX_DAYS)
      ctx.addIssue({ code: 'custom', path: ['end'], message: `the window is ${span + 1} days; an assessment window is at most ${ASSESSMENT_MAX_DAYS}` });
  });
export type AssessmentInput = z.infer<typeof AssessmentInput>;

/** `GET /api/screen/assessment`: the window as set, or null when none is. */
export const AssessmentSetting = z
  .object({
    name: z.string(),
    start: z.string(),
    end: z.string(),
    updatedAt: z.string().meta({ description: 'when the administrator last set it (ISO time)' }),
  })
  .nullable();
export type AssessmentSetting = z.infer<typeof AssessmentSetting>;

/** What the screen header shows: days to go before the window, the day within it; null otherwise. */
export const AssessmentCountdown = z
  .object({
    name: z.string(),
    start: z.string(),
    end: z.string(),
    phase: z.enum(['ahead', 'during']).meta({ description: 'ahead: the window starts in `days` days (at most 400); during: today is day `days` of it' }),
    days: z.number().int().min(1),
  })
  .nullable()
  .meta({ description: 'null when no window is set, it is over, or it starts more than 400 days from now' });
export type AssessmentCountdown = z.infer<typeof AssessmentCountdown>;

const Rate = z.number().min(0).max(1).nullable();

export const ScreenRankRow = z.object({
  id: z.string(),
  name: z.string(),
  rank: z.number().int(),
  score: z.number(),
  found: z.number().int(),
  move: z.number().int().meta({ description: 'places gained since the previous period of the same length (rank then − rank now); negative = fell' }),
});

/** Everything the big screen shows besides the map, in one call. */
export const ScreenSummary = z.object({
  now: z.string().meta({ description: 'server time (+08:00) the figures are computed at' }),
  district: z.object({ id: z.string(), name: z.string(), level: z.enum(['district', 'subdistrict']) }).nullable(),
  period: z
    .object({ from: z.string(), to: z.string(), days: z.number().int(), rolling: z.boolean() })
    .meta({ description: 'the period of categories, latest and rankings: city days, both inclusive; rolling = the default last 30 days up to now' }),
  assessment: AssessmentCountdown,
  kpi: z.object({
    thisWeek: z.number().int().meta({ description: 'problems reported since Monday 00:00 city time' }),
    lastWeek: z.number().int().meta({ description: 'problems reported in the previous Monday–Sunday, up to the same weekday and time' }),
    open: z.number().int().meta({ description: 'reported or assigned (not yet rectified)' }),
    overdue: z.number().int(),
    onTimeRate: Rate.meta({ description: 'rectified by the deadline ÷ problems that fell due, last 30 days' }),
    recurrenceRate: Rate.meta({ description: 'recurrences ÷ problems found, last 30 days' }),
    lookBacksDue: z.number().int().meta({ description: 'rectified problems waiting for their look-back (复查)' }),
  }),
  categories: z
    .array(z.object({ id: z.string(), zh: z.string(), en: z.string(), color: z.string(), count: z.number().int() }))
    .meta({ description: 'problems of the period per category, most first' }),
  trend: z
    .array(z.object({ weekStart: z.string(), count: z.number().int() }))
    .meta({ description: '12 weeks (Monday dates), oldest first; the last is the current week so far' }),
  rankings: z.object({
    districts: z
      .object({ top: z.array(ScreenRankRow), bottom: z.array(ScreenRankRow) })
      .nullable()
      .meta({ description: 'the districts ranked, on the whole city’s screen of a city of several districts; else null' }),
    subdistricts: z.object({ top: z.array(ScreenRankRow), bottom: z.array(ScreenRankRow) }),
    units: z.object({ top: z.array(ScreenRankRow), bottom: z.array(ScreenRankRow) }),
  }),
  latest: z
    .array(
      z.object({
        id: z.string(),
        category: z.string(),
        reportedAt: z.string(),
        lngLat: z.tuple([z.number(), z.number()]),
        subdistrictName: z.string().nullable(),
        description: z.string(),
        thumbUrl: z.string().nullable().meta({ description: 'the first report photo (GET /media/:hash/thumb), null without one' }),
      }),
    )
    .meta({ description: 'the newest reports of the period, newest first (at most 12)' }),
});
export type ScreenSummary = z.infer<typeof ScreenSummary>;

/**
 * The big screen's city-wide figures (the analysts' rule: not a unit, which sees its own problems only)
 * and the assessment window it counts down to: read where the screen is read, set by the administrator.
 */
export const SCREEN_API = endpoints({
  'GET /api/screen/summary': {
    tag: 'screen',
    summary: 'The big screen (大屏) in one call: KPIs, categories, a 12-week trend, 红黑榜 ends, latest reports, the assessment countdown',
    description:
      '`from`/`to` set the period of the categories, the latest reports and the 红黑榜; the KPI tiles keep their own definitions (this week, now, last 30 days).',
    access: ANALYSTS,
    query: ScreenQuery,
    responses: { 200: { description: 'Figures as of now', schema: ScreenSummary }, ...errorResponses(400, 404) },
  },
  'GET /api/screen/assessment': {
    tag: 'screen',
    summary: 'The assessment window (测评) the screen counts down to, or null',
    access: ANALYSTS,
    responses: { 200: { description: 'The window as set', schema: AssessmentSetting }, ...errorResponses(401, 403) },
  },
  'PUT /api/screen/assessment': {
    tag: 'screen',
    summary: 'Set the assessment window (admin)',
    access: ADMINS,
    bodyLimit: 4096,
    body: AssessmentInput,
    responses: { 200: { description: 'The window as stored', schema: AssessmentSetting }, ...errorResponses(400, 401, 403) },
  },
  'DELETE /api/screen/assessment': {
    tag: 'screen',
    summary: 'Remove the assessment window (admin): the countdown disappears',
    access: ADMINS,
    responses: { 204: { description: 'Removed (or there was none)' }, ...errorResponses(401, 403) },
  },
});
