/** Markets, communities and back streets, one at a time. */
import { cityDate, DAY_MS } from '../../../server/contract/city-time';
import { call, callForm, resolve } from './http';

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

/** Where the browser downloads the 点位信息表 (the points of one type, one subdistrict, or all) as Excel. */
export function registryXlsxUrl(query: { kind?: string; subdistrict?: string } = {}): string {
  return resolve('GET /api/places/export.xlsx', undefined, query).path;
}

/** POST /api/places/import: the 点位信息表 edited by hand; a dry run answers what it would change. */
export function importRegistrySheet(file: File, dryRun: boolean) {
  return callForm('POST /api/places/import', { query: { dryRun: dryRun ? '1' : '0' }, fields: { file: [file] } });
}

/** GET /api/places: the registry as a list (in use, retired, or all), each point at its marker. */
export function listRegistry(query: { kind?: string; subdistrict?: string; q?: string; status?: 'in-use' | 'retired' | 'all' }, signal: AbortSignal) {
  return call('GET /api/places', { query, signal });
}

/** GET /api/places/leaders: who may be a point's 包抓领导. */
export function listLeaders(signal: AbortSignal) {
  return call('GET /api/places/leaders', { signal });
}

/** GET /api/places/:id/history: every edit of a point, newest first. */
export function getPlaceHistory(id: string, signal: AbortSignal) {
  return call('GET /api/places/:id/history', { params: { id }, signal });
}

type Body<K extends 'POST /api/places' | 'PATCH /api/places/:id'> = Parameters<typeof call<K>>[1]['body'];

/** POST /api/places: a new point of the registry. */
export function createPlace(body: Body<'POST /api/places'>) {
  return call('POST /api/places', { body });
}

/** PATCH /api/places/:id: the changed fields with the version they were read at (409: someone edited since). */
export function patchPlace(id: string, body: Body<'PATCH /api/places/:id'>) {
  return call('PATCH /api/places/:id', { params: { id }, body });
}

/** Retire (with a reason), restore, or undo the latest edit of a point. */
export function placeAction(id: string, action: 'retire' | 'restore' | 'undo', version: number, reason = '') {
  if (action === 'retire') return call('POST /api/places/:id/retire', { params: { id }, body: { version, reason } });
  if (action === 'restore') return call('POST /api/places/:id/restore', { params: { id }, body: { version } });
  return call('POST /api/places/:id/undo', { params: { id }, body: { version } });
}

/** GET /api/places/spot-name: what a clicked spot is called (a unit office or point at it, else its street). */
export function getSpotName(at: readonly [number, number], signal?: AbortSignal) {
  return call('GET /api/places/spot-name', { query: { lng: String(at[0]), lat: String(at[1]) }, signal });
}

/** GET /api/places/mine: the points the signed-in account is 包抓领导 or 点位长 of, worst first. */
export function getMyPlaces(days: number, signal: AbortSignal) {
  return call('GET /api/places/mine', { query: { days: String(days) }, signal });
}
