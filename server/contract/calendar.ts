import { z } from 'zod';
import { errorResponses } from './common';
import { endpoints } from './endpoint';
import { ADMINS, PEOPLE } from './roles';
import { calendarProblems, DEFAULT_WORK_HOURS, type CalendarProblem, type CalendarYear } from './work-calendar';

/** The working-day calendar of a year (工作日历): the schemas of `GET/PUT /api/calendar/:year`. */

export const CALENDAR_YEAR_MIN = 2000;
export const CALENDAR_YEAR_MAX = 2100;

export const CalendarParams = z.object({
  year: z
    .string()
    .regex(/^\d{4}$/, 'the year is four digits, e.g. 2026')
    .transform(Number)
    .pipe(z.number().int().min(CALENDAR_YEAR_MIN).max(CALENDAR_YEAR_MAX, `the year must be between ${CALENDAR_YEAR_MIN} and ${CALENDAR_YEAR_MAX}`)),
});

const Day = z.strictObject({
  date: z.string().meta({ description: 'YYYY-MM-DD', example: '2026-10-01' }),
  name: z.string().max(40).default('').meta({ description: 'what the day is: 国庆节, 国庆节调休 …' }),
});

const HHMM = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time is HH:MM, e.g. 08:30');

/** The fields of a year's calendar, without the year (the path's). */
const CalendarFields = {
  holidays: z.array(Day).max(366).meta({ description: 'statutory days off; weekends inside a holiday may be listed or not' }),
  workdays: z.array(Day).max(366).meta({ description: 'weekend days worked in exchange (调休上班)' }),
  workHours: z
    .array(z.tuple([HHMM, HHMM]))
    .min(1)
    .max(6)
    .default(DEFAULT_WORK_HOURS)
    .meta({ description: 'working hours of a working day, city time, in order; default 08:30–12:00 and 14:00–17:30' }),
  source: z.string().max(300).default('').meta({ description: 'where the dates come from (the 国务院办公厅 notice)' }),
};

/** `PUT /api/calendar/:year` body; checked whole against the year by `calendarProblems` in the service. */
export const CalendarBody = z.strictObject(CalendarFields).meta({ id: 'CalendarBody' });
export type CalendarBody = z.output<typeof CalendarBody>;

/** Checks a year's calendar as the route and the catalog loader do. */
export function checkCalendar(year: number, body: CalendarBody): { year: CalendarYear; problems: CalendarProblem[] } {
  const y: CalendarYear = { year, ...body };
  return { year: y, problems: calendarProblems(y) };
}

export const CalendarYearOut = z
  .object({
    year: z.number().int(),
    ...CalendarFields,
    origin: z
      .enum(['edited', 'shipped', 'none'])
      .meta({ description: 'edited: set by the administrator; shipped: the file in data/catalog/calendar; none: no calendar, weekends off only' }),
    updatedAt: z.string().nullable(),
    workingDays: z.number().int().meta({ description: 'working days in the year under this calendar' }),
  })
  .meta({ id: 'CalendarYear' });
export type CalendarYearOut = z.infer<typeof CalendarYearOut>;

/** The file a year's catalog calendar is in, checked by the catalog loader. */
export const CalendarFile = z.strictObject({ year: z.number().int().min(CALENDAR_YEAR_MIN).max(CALENDAR_YEAR_MAX), ...CalendarFields });

export const CALENDAR_API = endpoints({
  'GET /api/calendar/:year': {
    tag: 'workflow',
    summary: 'A year’s working-day calendar: holidays, 调休 working days, working hours (deadlines in 工作日/工作时 count through it)',
    access: PEOPLE,
    params: CalendarParams,
    responses: { 200: { description: 'The calendar in force for the year', schema: CalendarYearOut }, ...errorResponses(400) },
  },
  'PUT /api/calendar/:year': {
    tag: 'workflow',
    summary: 'Set a year’s working-day calendar (admin); deadlines set from then on count through it',
    description:
      'Replaces the year’s calendar whole. A day listed both as holiday and as working day, a date outside the year or a 调休 day that is a weekday is 400 naming it. Deadlines already set keep their time.',
    access: ADMINS,
    bodyLimit: 64 * 1024,
    params: CalendarParams,
    body: CalendarBody,
    responses: { 200: { description: 'The calendar as stored', schema: CalendarYearOut }, ...errorResponses(400, 401, 403) },
  },
  'DELETE /api/calendar/:year': {
    tag: 'workflow',
    summary: 'Drop the administrator’s calendar of a year, back to the shipped one (or weekends only) (admin)',
    access: ADMINS,
    params: CalendarParams,
    responses: { 200: { description: 'The calendar in force now', schema: CalendarYearOut }, ...errorResponses(400, 401, 403) },
  },
});
