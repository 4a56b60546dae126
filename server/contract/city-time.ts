/**
 * City time (+08:00): the city keeps one clock, UTC+8 without daylight saving, and both sides count its
 * days and weeks with these, whatever zone the machine is in. Pure: every function takes epoch
 * milliseconds (or a city date) and returns text or milliseconds; nothing reads the clock.
 */

export const CITY_OFFSET = '+08:00';
export const CITY_OFFSET_MS = 8 * 3_600_000;
export const DAY_MS = 86_400_000;

/** Epoch ms → `2026-03-04T09:15:00+08:00` (seconds precision, the city's offset). */
export function toCityIso(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000 + CITY_OFFSET_MS).toISOString().slice(0, 19) + CITY_OFFSET;
}

/** Epoch ms → the city's calendar date `YYYY-MM-DD`. */
export function cityDate(ms: number): string {
  return new Date(ms + CITY_OFFSET_MS).toISOString().slice(0, 10);
}

/** Epoch ms → the city's wall-clock time of day, `HH:MM`. */
export function cityClock(ms: number): string {
  return new Date(ms + CITY_OFFSET_MS).toISOString().slice(11, 16);
}

/** Epoch ms → `YYYY-MM-DD HH:MM` in the city, as tables and printouts show a time. */
export function cityDateTime(ms: number): string {
  const iso = new Date(ms + CITY_OFFSET_MS).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
}

/** A city date (`YYYY-MM-DD`) → epoch ms of its 00:00 in the city; NaN when the text is no date. */
export function cityMidnight(date: string): number {
  return Date.parse(`${date}T00:00:00${CITY_OFFSET}`);
}

/** True for a real calendar date written `YYYY-MM-DD` (rejects 2026-02-30). */
export function isCalendarDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text;
}

/** Epoch ms → the index of its city day: whole days since 1970-01-01 in city time (for day arrays). */
export function cityDay(ms: number): number {
  return Math.floor((ms + CITY_OFFSET_MS) / DAY_MS);
}

/** A city day index (see cityDay) → its date `YYYY-MM-DD`. */
export function dayDate(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** Epoch ms → epoch ms of Monday 00:00 in the city of the week that holds it. */
export function cityWeekStart(ms: number): number {
  const dayStart = cityDay(ms) * DAY_MS;
  const weekday = (new Date(dayStart).getUTCDay() + 6) % 7; // Monday 0
  return dayStart - weekday * DAY_MS - CITY_OFFSET_MS;
}

/** Epoch ms → the ISO 8601 week number of its city day (weeks start on Monday; week 1 holds 4 January). */
export function cityIsoWeek(ms: number): number {
  const d = new Date(cityDay(ms) * DAY_MS);
  d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7) + 3); // the Thursday of its week
  const week1 = new Date(Date.UTC(d.getUTCFullYear(), 0, 4));
  week1.setUTCDate(week1.getUTCDate() - ((week1.getUTCDay() + 6) % 7) + 3);
  return 1 + Math.round((d.getTime() - week1.getTime()) / (7 * DAY_MS));
}

/** Epoch ms → the city's calendar year. */
export function cityYear(ms: number): number {
  return new Date(ms + CITY_OFFSET_MS).getUTCFullYear();
}

/**
 * The default deadline of an assignment: `days` whole days after `assignedMs` (the same wall-clock time,
 * which in a zone without daylight saving is exactly days × 24 h), as the demo data and the catalog's
 * `deadlineDays` mean it.
 */
export function defaultDeadline(assignedMs: number, days: number): number {
  return assignedMs + days * DAY_MS;
}

/**
 * A deadline as a caller writes it: a date (`2026-03-31`: the end of that day in the city,
 * 23:59:59+08:00) or an ISO time (city time when it has no offset). Null when it is neither.
 */
export function parseDeadline(text: string): number | null {
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) {
    const ms = Date.parse(`${text}T23:59:59${CITY_OFFSET}`);
    if (!Number.isFinite(ms) || cityDate(ms) !== text) return null;
    return ms;
  }
  return parseCityIso(text);
}

/** An ISO 8601 time → epoch ms; one written without an offset is city time. Null when it is none. */
export function parseCityIso(text: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})?$/.test(text)) return null;
  const hasOffset = /(Z|[+-]\d{2}:\d{2})$/.test(text);
  const ms = Date.parse(hasOffset ? text : `${text}${CITY_OFFSET}`);
  return Number.isFinite(ms) ? ms : null;
}
