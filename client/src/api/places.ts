/** Markets, communities and back streets, one at a time. */
import { cityDate, DAY_MS } from '../../../server/contract/city-time';
import { call } from './http';

/** GET /api/places/:id: a market, community or back street with its problem counts. */
export function getPlace(id: string, signal: AbortSignal) {
  return call('GET /api/places/:id', { params: { id }, signal });
}

/** GET /api/visits for one place over the `days` city days up to today: how often it was inspected, and when last. */
export async function getPlaceVisits(id: string, days: number, signal: AbortSignal): Promise<{ visits: number; lastVisitAt: string | null }> {
  const now = Date.now();
  const res = await call('GET /api/visits', { query: { places: id, from: cityDate(now - (days - 1) * DAY_MS), to: cityDate(now) }, signal });
  return res.places[0] ?? { visits: 0, lastVisitAt: null };
}
