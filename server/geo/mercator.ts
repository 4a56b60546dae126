import type { BBox } from '../contract/geo';

/**
 * Web Mercator in "world units": x and y in [0, 1), origin top-left, as slippy-map tiles use.
 * A tile z/x/y covers world [x / 2^z, (x + 1) / 2^z) horizontally.
 */

/** Longitude in degrees → world x in [0, 1). */
export function lngToWorldX(lng: number): number {
  return lng / 360 + 0.5;
}

/** Latitude in degrees → world y in [0, 1) (clamped to the Mercator limit). */
export function latToWorldY(lat: number): number {
  const sin = Math.sin((lat * Math.PI) / 180);
  const y = 0.5 - (0.25 * Math.log((1 + sin) / (1 - sin))) / Math.PI;
  return y < 0 ? 0 : y > 1 ? 1 : y;
}

/** World x → longitude in degrees. */
export function worldXToLng(x: number): number {
  return (x - 0.5) * 360;
}

/** World y → latitude in degrees. */
export function worldYToLat(y: number): number {
  const y2 = 180 - y * 360;
  return (360 / Math.PI) * Math.atan(Math.exp((y2 * Math.PI) / 180)) - 90;
}

/** WGS84 bbox of tile z/x/y. */
export function tileBBox(z: number, x: number, y: number): BBox {
  const n = 2 ** z;
  return [worldXToLng(x / n), worldYToLat((y + 1) / n), worldXToLng((x + 1) / n), worldYToLat(y / n)];
}
