/**
 * Walked tracks (实走轨迹): the limits the phone and the server both apply, and the phone's sampling rule.
 * Zod-free, so the field page, the plan page and the big screen import these values without zod.
 */
import { haversineM } from './geo';

/** A fix less accurate than this (the browser's `coords.accuracy`, metres) is not kept: it would draw streets nobody walked. */
export const TRACK_MAX_ACCURACY_M = 50;
/** Faster than this between two fixes (m/s, 150 km/h) is a GPS jump, not an inspection team. */
export const TRACK_MAX_SPEED_MPS = 42;
/** A fix stamped this far after the server's clock is refused (phone clocks drift a little, never hours). */
export const TRACK_FUTURE_SLACK_MS = 5 * 60_000;
/** Fixes farther than this outside the city's extent are dropped (a phone left on in another city). */
export const TRACK_CITY_MARGIN_M = 20_000;
/** Points per `POST /api/tracks` batch. */
export const TRACK_BATCH_MAX = 500;
/** A stop counts as reached when a fix comes this close to it (or to its street, for a back street). */
export const STOP_REACHED_M = 50;
/** A street's stretch counts as walked when a fix's path passes this close to it. */
export const COVERAGE_M = 25;
/** Walked farther than this from the planned route and every planned street is a detour. */
export const DETOUR_M = 100;
/** A gap longer than this between two fixes breaks the line (the page was closed, the phone locked it). */
export const TRACK_GAP_MS = 5 * 60_000;
/** A team's position fades on the big screen and the planner's map after this long without a fix. */
export const TRACK_FADE_MS = 5 * 60_000;
/** Tracks are kept this many days unless the city sets TRACK_RETENTION_DAYS. */
export const TRACK_RETENTION_DAYS_DEFAULT = 90;

/** How the phone samples: at most one fix per `minIntervalMs` moving, one per `stillIntervalMs` standing, none worse than TRACK_MAX_ACCURACY_M. */
export const TRACK_SAMPLING = {
  minIntervalMs: 5_000,
  stillIntervalMs: 60_000,
  /** Moved less than this (or less than the fix's own accuracy) since the last kept fix: standing still. */
  stillM: 10,
} as const;

export interface TrackFix {
  lng: number;
  lat: number;
  atMs: number;
  accuracyM: number;
}

/**
 * Whether the phone keeps `fix` after `last` (the last fix it kept, null at the start): never an
 * inaccurate one; moving, one every few seconds; standing still (moved less than the fix's accuracy), one
 * a minute, so a team waiting at a market does not fill the queue with the same spot.
 */
export function keepFix(last: TrackFix | null, fix: TrackFix): boolean {
  if (!(fix.accuracyM <= TRACK_MAX_ACCURACY_M)) return false;
  if (!last) return true;
  const dt = fix.atMs - last.atMs;
  if (dt < TRACK_SAMPLING.minIntervalMs) return false;
  const moved = haversineM(last.lng, last.lat, fix.lng, fix.lat);
  if (moved < Math.max(TRACK_SAMPLING.stillM, fix.accuracyM)) return dt >= TRACK_SAMPLING.stillIntervalMs;
  return true;
}
