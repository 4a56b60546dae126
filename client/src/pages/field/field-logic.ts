/** Pure helpers of the field page: distances, walking time, the nearby points and the next stop. */
import type { LngLat } from '../../api/types';

/** Walking speed for the time shown on the next-stop card (m/s, a steady inspection pace). */
export const WALK_MPS = 1.2;

/** Great-circle distance in metres. */
export function distanceM(a: LngLat, b: LngLat): number {
  const R = 6_371_008.8;
  const rad = Math.PI / 180;
  const dLat = (b[1] - a[1]) * rad;
  const dLng = (b[0] - a[0]) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * rad) * Math.cos(b[1] * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * R * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Walking time in whole minutes (at least 1) for `m` metres. */
export function walkMinutes(m: number): number {
  return Math.max(1, Math.round(m / WALK_MPS / 60));
}

export interface FieldPoint {
  id: string;
  name: string;
  kind: string;
  lngLat: LngLat;
}

/** `points` with their distance from `here`, nearest first. */
export function byDistance<P extends FieldPoint>(points: readonly P[], here: LngLat): (P & { distanceM: number })[] {
  return points.map((p) => ({ ...p, distanceM: distanceM(here, p.lngLat) })).sort((a, b) => a.distanceM - b.distanceM || a.id.localeCompare(b.id));
}

/** A bbox [w, s, e, n] of about `m` metres around `c`. */
export function bboxAround(c: LngLat, m: number): [number, number, number, number] {
  const dLat = m / 111_320;
  const dLng = m / (111_320 * Math.cos((c[1] * Math.PI) / 180));
  return [c[0] - dLng, c[1] - dLat, c[0] + dLng, c[1] + dLat];
}

/** The first stop of `stops` not yet marked done, or null when the route is finished. */
export function nextStop<S extends { id: string }>(stops: readonly S[], done: ReadonlySet<string>): S | null {
  return stops.find((s) => !done.has(s.id)) ?? null;
}

/** Today's date in the city (+08:00), YYYY-MM-DD, whatever the phone's time zone. */
export function cityToday(now = Date.now()): string {
  return new Date(now + 8 * 3600_000).toISOString().slice(0, 10);
}

/**
 * Categories with the ones I use most first (ties keep the catalog order), so the usual report is the
 * first button under the thumb.
 */
export function commonFirst<C extends { id: string }>(categories: readonly C[], uses: Readonly<Record<string, number>>): C[] {
  return categories
    .map((c, i) => ({ c, i, n: uses[c.id] ?? 0 }))
    .sort((a, b) => b.n - a.n || a.i - b.i)
    .map((x) => x.c);
}
