import type { BBox } from '../contract/geo';

/** Web-Mercator latitude limit: tiles and clamped bboxes stop here. */
export const MAX_MERCATOR_LAT = 85.0511287798066;

/** True when the two boxes share at least one point (edges count). */
export function bboxIntersects(a: BBox, b: BBox): boolean {
  return a[0] <= b[2] && a[2] >= b[0] && a[1] <= b[3] && a[3] >= b[1];
}

/** Area of the part of `a` that lies inside `b`, divided by the area of `b` (0 when disjoint). */
export function bboxCoverage(a: BBox, b: BBox): number {
  const w = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
  const h = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
  const area = (b[2] - b[0]) * (b[3] - b[1]);
  if (w < 0 || h < 0) return 0;
  if (area <= 0) return 1;
  return (w * h) / area;
}

/**
 * Bounding box of any GeoJSON coordinate nesting (Point, LineString, Polygon, MultiPolygon …).
 * Returns null for an empty geometry.
 */
export function coordsBBox(coords: unknown): BBox | null {
  const box: BBox = [Infinity, Infinity, -Infinity, -Infinity];
  extend(box, coords);
  return box[0] === Infinity ? null : box;
}

function extend(box: BBox, coords: unknown): void {
  if (!Array.isArray(coords) || coords.length === 0) return;
  if (typeof coords[0] === 'number') {
    const x = coords[0] as number;
    const y = coords[1] as number;
    if (x < box[0]) box[0] = x;
    if (y < box[1]) box[1] = y;
    if (x > box[2]) box[2] = x;
    if (y > box[3]) box[3] = y;
    return;
  }
  for (const c of coords) extend(box, c);
}
