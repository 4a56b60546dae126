/** Coordinates as both sides write them: WGS84 degrees, longitude first (RFC 7946). */

/** `[longitude, latitude]` in WGS84 degrees (RFC 7946 order). */
export type LngLat = [lng: number, lat: number];

/** `[west, south, east, north]` in WGS84 degrees. */
export type BBox = [west: number, south: number, east: number, north: number];

/** Mean Earth radius in metres (IUGG), the sphere every distance here is measured on. */
export const EARTH_RADIUS_M = 6_371_008.8;
const RAD = Math.PI / 180;

/** Great-circle distance in metres between two lng/lat points (haversine), for typed-array callers. */
export function haversineM(lng1: number, lat1: number, lng2: number, lat2: number): number {
  const dLat = (lat2 - lat1) * RAD;
  const dLng = (lng2 - lng1) * RAD;
  const s = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * RAD) * Math.cos(lat2 * RAD) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(s)));
}

/** Great-circle distance in metres between two `[lng, lat]` points. */
export function distanceM(a: readonly number[], b: readonly number[]): number {
  return haversineM(a[0], a[1], b[0], b[1]);
}

/**
 * Even-odd ray casting: is `(x, y)` inside `ring`? The ring may be closed (last = first) or not; any
 * planar coordinates do, lng/lat or metres.
 */
export function pointInRing(x: number, y: number, ring: readonly (readonly number[])[]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const xi = ring[i][0];
    const yi = ring[i][1];
    const xj = ring[j][0];
    const yj = ring[j][1];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Is `pt` inside the polygon `rings` (GeoJSON order: the outer ring, then holes, which exclude)? */
export function pointInPolygon(pt: readonly number[], rings: readonly (readonly (readonly number[])[])[]): boolean {
  if (!rings.length || !pointInRing(pt[0], pt[1], rings[0])) return false;
  for (let k = 1; k < rings.length; k++) if (pointInRing(pt[0], pt[1], rings[k])) return false;
  return true;
}
