/**
 * City time (+08:00): the city keeps one clock, UTC+8 without daylight saving, and both sides count its days with these. Pure: every function takes epoch milliseconds and
 * returns text or milliseconds; nothing reads the clock.
 */

export const CITY_OFFSET = '+08:00';
const CITY_OFFSET_MS = 8 * 3_600_000;
export const DAY_MS = 86_400_000;

/** Epoch ms → `2026-03-04T09:15:00+08:00` (seconds precision, the city's offset). */
export function toCityIso(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000 + CITY_OFFSET_MS).toISOString().slice(0, 19) + CITY_OFFSET;
}

/** Epoch ms → the city's calendar date `YYYY-MM-DD`. */
export function cityDate(ms: number): string {
  return new Date(ms + CITY_OFFSET_MS).toISOString().slice(0, 10);
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
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})?$/.test(text)) {
    const hasOffset = /(Z|[+-]\d{2}:\d{2})$/.test(text);
    const ms = Date.parse(hasOffset ? text : `${text}${CITY_OFFSET}`);
    return Number.isFinite(ms) ? ms : null;
  }
  return null;
}
