/**
 * Which existing problems a new report is near: open ones of the same category (duplicate
 * suggestions) and a recently closed one (the report is a recurrence of it). Pure over candidate rows
 * the store found in a small box around the report.
 */
import { FINISHED_STATUSES } from '../contract/problem-status';
import { distanceM, type LngLat } from '../contract/geo';
import type { ProblemStatus } from '../contract/problems';
import { DAY_MS } from '../contract/city-time';

/** Open problems of the same category this close (metres) are offered for merging. */
export const DUPLICATE_RADIUS_M = 30;
/** A closed problem of the same category this close (metres) … */
export const RECURRENCE_RADIUS_M = 30;
/** … closed at most this many days ago makes a new report its recurrence. */
export const RECURRENCE_WINDOW_DAYS = 90;

/** Degrees of latitude/longitude that cover `radiusM` around `lat` (for a search box). */
export function degreesAround(lat: number, radiusM: number): { dLng: number; dLat: number } {
  const dLat = radiusM / 111_320;
  return { dLat, dLng: dLat / Math.max(0.01, Math.cos((lat * Math.PI) / 180)) };
}

/** A problem near a report, as the store returns it. */
export interface NearbyProblem {
  id: string;
  category: string;
  status: ProblemStatus;
  lng: number;
  lat: number;
  closedMs: number | null;
}

/** Open problems of `category` within `radiusM` of `at`, nearest first. */
export function duplicateCandidates(
  near: readonly NearbyProblem[],
  report: { category: string; at: LngLat },
  radiusM = DUPLICATE_RADIUS_M,
): { id: string; distanceM: number }[] {
  return near
    .filter((p) => !FINISHED_STATUSES.includes(p.status) && p.category === report.category)
    .map((p) => ({ id: p.id, distanceM: distanceM(report.at, [p.lng, p.lat]) }))
    .filter((p) => p.distanceM <= radiusM)
    .sort((a, b) => a.distanceM - b.distanceM || (a.id < b.id ? -1 : 1));
}

/**
 * The closed problem a report at `at` is a recurrence of: same category, within `radiusM`, closed no
 * more than `windowDays` before `nowMs`; the most recently closed wins. Null when there is none.
 */
export function recurrenceOf(
  near: readonly NearbyProblem[],
  report: { category: string; at: LngLat; nowMs: number },
  radiusM = RECURRENCE_RADIUS_M,
  windowDays = RECURRENCE_WINDOW_DAYS,
): string | null {
  let best: NearbyProblem | null = null;
  for (const p of near) {
    if (p.status !== 'closed' || p.category !== report.category || p.closedMs === null) continue;
    if (p.closedMs > report.nowMs || report.nowMs - p.closedMs > windowDays * DAY_MS) continue;
    if (distanceM(report.at, [p.lng, p.lat]) > radiusM) continue;
    if (!best || p.closedMs > best.closedMs! || (p.closedMs === best.closedMs && p.id > best.id)) best = p;
  }
  return best?.id ?? null;
}
