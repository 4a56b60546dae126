/** Small pure geometry helpers for the client. Coordinates are [lng, lat]. */
import type { BBox, LngLat } from '../../../server/contract/geo';

/** Bounding box of any GeoJSON geometry, or null if it has no coordinates. */
export function geometryBBox(geometry: GeoJSON.Geometry): BBox | null {
  let w = Infinity;
  let s = Infinity;
  let e = -Infinity;
  let n = -Infinity;
  const visit = (coords: unknown): void => {
    if (!Array.isArray(coords)) return;
    if (typeof coords[0] === 'number') {
      const [x, y] = coords as number[];
      if (x < w) w = x;
      if (x > e) e = x;
      if (y < s) s = y;
      if (y > n) n = y;
      return;
    }
    for (const c of coords) visit(c);
  };
  if (geometry.type === 'GeometryCollection') for (const g of geometry.geometries) visit('coordinates' in g ? g.coordinates : null);
  else visit(geometry.coordinates);
  return w === Infinity ? null : [w, s, e, n];
}

/** Centre of a geometry's bounding box: where to look to see the whole feature. */
export function geometryCenter(geometry: GeoJSON.Geometry): LngLat | null {
  const b = geometryBBox(geometry);
  return b ? [(b[0] + b[2]) / 2, (b[1] + b[3]) / 2] : null;
}
