/** Markets, communities and back streets, one at a time. */
import { cityDate, DAY_MS } from '../../../server/contract/city-time';
import { call, resolve } from './http';

/** GET /api/places/:id: a market, community or back street with its problem counts. */
export function getPlace(id: string, signal: AbortSignal) {
  return call('GET /api/places/:id', { params: { id }, signal });
}

/** GET /api/visits: each place's inspection visits in [from, to] (city dates) and its latest, in the order asked. */
export async function getVisitsOf(places: readonly string[], from: string, to: string, signal: AbortSignal) {
  const res = await call('GET /api/visits', { query: { places: places.join(','), from, to }, signal });
  return res.places;
}

/** One place's visits over the `days` city days up to today: how often it was inspected, and when last. */
export async function getPlaceVisits(id: string, days: number, signal: AbortSignal): Promise<{ visits: number; lastVisitAt: string | null }> {
  const now = Date.now();
  const [place] = await getVisitsOf([id], cityDate(now - (days - 1) * DAY_MS), cityDate(now), signal);
  return place ?? { visits: 0, lastVisitAt: null };
}

/** Where the browser downloads the 点位信息表 (every point in the columns cities submit), as Excel. */
export function registryXlsxUrl(): string {
  return resolve('GET /api/places/export.xlsx').path;
}
