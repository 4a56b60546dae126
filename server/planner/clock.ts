/**
 * The plan's clock: seconds since midnight of the plan's date in the city (UTC+8), as the solver
 * counts them, and the ISO times with +08:00 the API gives.
 */
import { cityMidnight, toCityIso } from '../contract/city-time';

/** `"08:30"` → 30600. */
export function clockToSeconds(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h * 3600 + m * 60;
}

/** 30600 → `"08:30"` (whole minutes, rounded down; past midnight keeps counting: 25:10). */
export function secondsToClock(s: number): string {
  const m = Math.floor(s / 60);
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

/**
 * Seconds after midnight on `date` (YYYY-MM-DD, city time) → ISO 8601 with +08:00.
 * @example isoAt('2026-03-20', 30600) // '2026-03-20T08:30:00+08:00'
 */
export function isoAt(date: string, seconds: number): string {
  return toCityIso(cityMidnight(date) + Math.round(seconds) * 1000);
}
