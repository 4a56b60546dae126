/** Small geodesic helpers in metres, for a city-sized area. */

import { EARTH_RADIUS_M } from '../contract/geo';

const RAD = Math.PI / 180;

/** Metres per degree of latitude, and of longitude at `lat0`: a local equirectangular frame. */
export function metresPerDegree(lat0: number): { mx: number; my: number } {
  const my = EARTH_RADIUS_M * RAD;
  return { mx: my * Math.cos(lat0 * RAD), my };
}
