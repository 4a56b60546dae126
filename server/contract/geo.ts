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

/** The geometries a point of the registry may have, structurally (this module stays free of zod). */
export type MarkerGeometry =
  | { type: 'Point'; coordinates: readonly number[] }
  | { type: 'LineString'; coordinates: readonly (readonly number[])[] }
  | { type: 'MultiLineString'; coordinates: readonly (readonly (readonly number[])[])[] }
  | { type: 'Polygon'; coordinates: readonly (readonly (readonly number[])[])[] }
  | { type: 'MultiPolygon'; coordinates: readonly (readonly (readonly (readonly number[])[])[])[] };

/**
 * Where a point of the registry is drawn and walked to, the one rule of the map, the 点位信息表's
 * 经度/纬度, scoring and the registry's duplicate check: a point itself; an area's entrance when it has
 * one; halfway along a line (its first part when it has several); else a point inside the area.
 */
export function pointMarker(g: MarkerGeometry, entrance?: readonly number[] | null): LngLat {
  if (entrance) return [entrance[0], entrance[1]];
  switch (g.type) {
    case 'Point':
      return [g.coordinates[0], g.coordinates[1]];
    case 'LineString':
      return alongHalf(g.coordinates);
    case 'MultiLineString':
      return alongHalf(g.coordinates[0]);
    case 'Polygon':
      return insidePoint(g.coordinates);
    case 'MultiPolygon':
      return insidePoint(g.coordinates[0]);
  }
}

/** The point halfway along a line, by great-circle length. */
function alongHalf(line: readonly (readonly number[])[]): LngLat {
  if (line.length === 1) return [line[0][0], line[0][1]];
  let total = 0;
  for (let i = 1; i < line.length; i++) total += distanceM(line[i - 1], line[i]);
  let left = total / 2;
  for (let i = 1; i < line.length; i++) {
    const d = distanceM(line[i - 1], line[i]);
    if (d >= left && d > 0) {
      const t = left / d;
      return [line[i - 1][0] + t * (line[i][0] - line[i - 1][0]), line[i - 1][1] + t * (line[i][1] - line[i - 1][1])];
    }
    left -= d;
  }
  const last = line[line.length - 1];
  return [last[0], last[1]];
}

/**
 * A point inside a polygon: the vertex average when it is inside (a convex or nearly convex block, the
 * usual case), else the middle of the widest span of a horizontal line through the polygon's middle.
 */
function insidePoint(rings: readonly (readonly (readonly number[])[])[]): LngLat {
  const outer = rings[0];
  const n = outer.length > 1 && outer[0][0] === outer[outer.length - 1][0] && outer[0][1] === outer[outer.length - 1][1] ? outer.length - 1 : outer.length;
  let x = 0;
  let y = 0;
  let south = Infinity;
  let north = -Infinity;
  for (let i = 0; i < n; i++) {
    x += outer[i][0];
    y += outer[i][1];
    south = Math.min(south, outer[i][1]);
    north = Math.max(north, outer[i][1]);
  }
  const mean: LngLat = [x / n, y / n];
  if (pointInPolygon(mean, rings)) return mean;
  // Nudged off the exact middle so the scan line does not pass through a vertex.
  const at = south + (north - south) * 0.5000001;
  const xs: number[] = [];
  for (const ring of rings)
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [xi, yi] = ring[i];
      const [xj, yj] = ring[j];
      if (yi > at !== yj > at) xs.push(xi + ((at - yi) * (xj - xi)) / (yj - yi));
    }
  xs.sort((a, b) => a - b);
  let best: LngLat = mean;
  let width = -1;
  for (let i = 0; i + 1 < xs.length; i += 2)
    if (xs[i + 1] - xs[i] > width) {
      width = xs[i + 1] - xs[i];
      best = [(xs[i] + xs[i + 1]) / 2, at];
    }
  return best;
}
