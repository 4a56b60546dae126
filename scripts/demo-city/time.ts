/**
 * City wall-clock time (+08:00) as integer seconds. A "local second" counts seconds as if the city's
 * wall clock were UTC, so day, weekday and hour arithmetic needs no time-zone library.
 */
import { CITY_OFFSET, cityDate, isCalendarDate } from '../../server/contract/city-time';

export const DAY_S = 86_400;
export const HOUR_S = 3_600;

/** `YYYY-MM-DD` → local seconds at 00:00 of that day. Throws for anything else. */
export function parseLocalDate(date: string): number {
  if (!isCalendarDate(date)) throw new Error(`end must be a calendar date like 2026-11-25 (got "${date}")`);
  return Date.parse(`${date}T00:00:00Z`) / 1000;
}

/** Today's date in the city (UTC+8), `YYYY-MM-DD`. */
export function todayInCity(nowMs: number): string {
  return cityDate(nowMs);
}

/**
 * The default last day of a generated history: yesterday in the city. The history fills whole working
 * days up to the end date, so ending today would put reports later than now.
 */
export function defaultEnd(nowMs: number): string {
  return todayInCity(nowMs - DAY_S * 1000);
}

/** Local seconds → `2026-03-04T09:15:00+08:00`. */
export function formatLocal(t: number): string {
  return new Date(t * 1000).toISOString().slice(0, 19) + CITY_OFFSET;
}

/** Local seconds → `YYYY-MM-DD`. */
export function formatDate(t: number): string {
  return new Date(t * 1000).toISOString().slice(0, 10);
}

/** Day of the week of local seconds: 0 = Sunday … 6 = Saturday. */
export function weekday(t: number): number {
  return (Math.floor(t / DAY_S) + 4) % 7;
}

/** Month (1–12), day of month and year of local seconds. */
export function calendar(t: number): { year: number; month: number; day: number } {
  const d = new Date(t * 1000);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** Hour of day (fractional) of local seconds. */
export function hourOfDay(t: number): number {
  return (t - Math.floor(t / DAY_S) * DAY_S) / HOUR_S;
}
