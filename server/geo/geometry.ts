/**
 * Point-in-geometry and point-to-geometry distances for intake (which subdistrict, which place within
 * 50 m). Pure. Distances use a local flat projection around the point: at tens of metres its error is
 * far below a GPS fix's.
 */
import type { Geometry } from '../contract/geojson';
import { pointInPolygon, type LngLat } from '../contract/geo';

/** True when `pt` lies inside a Polygon or MultiPolygon (holes excluded). */
export function pointInGeometry(pt: LngLat, g: Geometry): boolean {
  if (g.type === 'Polygon') return pointInPolygon(pt, g.coordinates);
  if (g.type === 'MultiPolygon') return g.coordinates.some((poly) => pointInPolygon(pt, poly));
  return false;
}

/** Distance in metres from `pt` to a geometry: 0 inside a polygon, else to the nearest vertex or segment. */
export function distanceToGeometryM(pt: LngLat, g: Geometry): number {
  const kx = 111_320 * Math.cos((pt[1] * Math.PI) / 180);
  const ky = 110_574;
  const proj = (c: readonly number[]): [number, number] => [(c[0] - pt[0]) * kx, (c[1] - pt[1]) * ky];
  const toSegment = (a: readonly number[], b: readonly number[]) => {
    const [ax, ay] = proj(a);
    const [bx, by] = proj(b);
    const dx = bx - ax;
    const dy = by - ay;
    const len2 = dx * dx + dy * dy;
    const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, -(ax * dx + ay * dy) / len2));
    return Math.hypot(ax + t * dx, ay + t * dy);
  };
  const toLine = (line: readonly (readonly number[])[]) => {
    if (line.length === 1) return Math.hypot(...proj(line[0]));
    let best = Infinity;
    for (let i = 1; i < line.length; i++) best = Math.min(best, toSegment(line[i - 1], line[i]));
    return best;
  };
  switch (g.type) {
    case 'Point':
      return Math.hypot(...proj(g.coordinates));
    case 'LineString':
      return toLine(g.coordinates);
    case 'MultiLineString':
      return Math.min(...g.coordinates.map(toLine));
    case 'Polygon':
      return pointInPolygon(pt, g.coordinates) ? 0 : Math.min(...g.coordinates.map(toLine));
    case 'MultiPolygon':
      return pointInGeometry(pt, g) ? 0 : Math.min(...g.coordinates.flatMap((poly) => poly.map(toLine)));
  }
}
