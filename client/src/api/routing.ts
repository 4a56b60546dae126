/** Routes along the streets. */
import { call } from './http';
import type { LngLat, Profile } from './types';

/** GET /api/route: the fastest route along the streets between two points for a profile. */
export function getRoute(from: LngLat, to: LngLat, profile: Profile, signal: AbortSignal) {
  return call('GET /api/route', { query: { from: from.join(','), to: to.join(','), profile }, signal });
}
