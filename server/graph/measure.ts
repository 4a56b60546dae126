/** Small geodesic helpers in metres, for a city-sized area. */

const EARTH_RADIUS_M = 6_371_008.8;
const RAD = Math.PI / 180;

/** Great-circle distance in metres between two lng/lat points (haversine). */
export function haversineM(lng1: number, lat1: number, lng2: number, lat2: number): number {
  const dLat = (lat2 - lat1) * RAD;
  const dLng = (lng2 - lng1) * RAD;
  const s = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * RAD) * Math.cos(lat2 * RAD) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(s)));
}

/** Metres per degree of latitude, and of longitude at `lat0`: a local equirectangular frame. */
export function metresPerDegree(lat0: number): { mx: number; my: number } {
  const my = EARTH_RADIUS_M * RAD;
  return { mx: my * Math.cos(lat0 * RAD), my };
}
