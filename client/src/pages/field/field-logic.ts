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

/** A look-back is offered when I am this close to the problem (m). */
export const LOOK_BACK_RADIUS_M = 100;

/** The nearest of `items` within `radiusM` of `here` (with its distance), or null. */
export function nearestWithin<T extends { lngLat: LngLat }>(items: readonly T[], here: LngLat, radiusM: number): (T & { distanceM: number }) | null {
  let best: (T & { distanceM: number }) | null = null;
  for (const it of items) {
    const d = distanceM(here, it.lngLat);
    if (d <= radiusM && (!best || d < best.distanceM)) best = { ...it, distanceM: d };
  }
  return best;
}

/** `bbox` [w, s, e, n] grown by `m` metres on every side. */
export function bufferBbox(bbox: readonly [number, number, number, number], m: number): [number, number, number, number] {
  const midLat = (bbox[1] + bbox[3]) / 2;
  const dLat = m / 111_320;
  const dLng = m / (111_320 * Math.cos((midLat * Math.PI) / 180));
  return [bbox[0] - dLng, Math.max(-85, bbox[1] - dLat), bbox[2] + dLng, Math.min(85, bbox[3] + dLat)];
}

/** The bbox [w, s, e, n] of some points (null for none). */
export function bboxOf(points: readonly LngLat[]): [number, number, number, number] | null {
  if (points.length === 0) return null;
  const b: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [x, y] of points) {
    b[0] = Math.min(b[0], x);
    b[1] = Math.min(b[1], y);
    b[2] = Math.max(b[2], x);
    b[3] = Math.max(b[3], y);
  }
  return b;
}

/** Web-Mercator tile column and row holding a point at zoom `z`. */
export function tileXY(lng: number, lat: number, z: number): [number, number] {
  const n = 2 ** z;
  const s = Math.sin((lat * Math.PI) / 180);
  const x = Math.floor(((lng + 180) / 360) * n);
  const y = Math.floor((0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI)) * n);
  return [Math.min(n - 1, Math.max(0, x)), Math.min(n - 1, Math.max(0, y))];
}

/** Zooms of base tiles the field map draws: it follows me at z16, overzooming the server's z14 tiles. */
export const PREFETCH_ZOOMS = [10, 11, 12, 13, 14] as const;
/** At most this many tiles are fetched for offline use (about 5–15 MB of vector tiles). */
export const PREFETCH_MAX_TILES = 1500;

/**
 * The tiles `[z, x, y]` covering `bbox` at `zooms` (ascending), lowest zooms first. A zoom that would
 * take the count past `max` is left out with every higher one (`cappedAt` names the last zoom kept),
 * so a huge area still gets its overview tiles rather than a random part of the detail.
 */
export function tilesForBbox(
  bbox: readonly [number, number, number, number],
  zooms: readonly number[] = PREFETCH_ZOOMS,
  max = PREFETCH_MAX_TILES,
): { tiles: [number, number, number][]; cappedAt: number | null } {
  const tiles: [number, number, number][] = [];
  for (const z of zooms) {
    const [x0, y0] = tileXY(bbox[0], bbox[3], z);
    const [x1, y1] = tileXY(bbox[2], bbox[1], z);
    const count = (x1 - x0 + 1) * (y1 - y0 + 1);
    if (tiles.length + count > max) return { tiles, cappedAt: tiles.length ? tiles[tiles.length - 1][0] : null };
    for (let x = x0; x <= x1; x++) for (let y = y0; y <= y1; y++) tiles.push([z, x, y]);
  }
  return { tiles, cappedAt: null };
}

/** The point `m` metres from `from` towards `headingDeg` (clockwise from north); short distances only. */
export function offsetTowards(from: LngLat, headingDeg: number, m: number): LngLat {
  const rad = (headingDeg * Math.PI) / 180;
  const dLat = (m * Math.cos(rad)) / 111_320;
  const dLng = (m * Math.sin(rad)) / (111_320 * Math.cos((from[1] * Math.PI) / 180));
  return [from[0] + dLng, from[1] + dLat];
}

/**
 * Which way I face, in degrees clockwise from north, or null when unknown: the GPS course while I am
 * moving (it is null or NaN standing still), else the compass (`compassDeg`, from
 * DeviceOrientationEvent where the browser allows it).
 */
export function headingOf(gps: { heading: number | null; speedMps: number | null }, compassDeg: number | null): number | null {
  const moving = gps.speedMps !== null && gps.speedMps > 0.5;
  if (moving && gps.heading !== null && Number.isFinite(gps.heading)) return ((gps.heading % 360) + 360) % 360;
  if (compassDeg !== null && Number.isFinite(compassDeg)) return ((compassDeg % 360) + 360) % 360;
  return null;
}

/** The compass heading of a DeviceOrientationEvent's values (iOS gives it directly; elsewhere only an absolute alpha counts). */
export function compassOf(e: { alpha: number | null; absolute: boolean; webkitCompassHeading?: number }): number | null {
  if (typeof e.webkitCompassHeading === 'number' && Number.isFinite(e.webkitCompassHeading)) return e.webkitCompassHeading;
  // alpha grows counter-clockwise; relative alpha (not absolute) is not tied to north.
  if (e.absolute && e.alpha !== null && Number.isFinite(e.alpha)) return (360 - e.alpha) % 360;
  return null;
}

/** The time of an ISO string as HH:MM in city time (+08:00). */
export function cityHhmm(iso: string): string {
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? new Date(ms + 8 * 3600_000).toISOString().slice(11, 16) : iso;
}
