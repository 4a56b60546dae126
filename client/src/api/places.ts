/** Markets, communities and back streets, one at a time. */
import { call } from './http';

/** GET /api/places/:id: a market, community or back street with its problem counts. */
export function getPlace(id: string, signal: AbortSignal) {
  return call('GET /api/places/:id', { params: { id }, signal });
}
