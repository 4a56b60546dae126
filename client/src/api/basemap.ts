/**
 * The online basemap setting: read once per page load by every map (MapView), set and removed on the
 * 系统管理 page. Typed by the contract through api/http.ts.
 */
import type { Api } from '../../../server/contract/api';
import type { BasemapSetting } from '../../../server/contract/basemap';
import type { BodyOf } from '../../../server/contract/endpoint';
import { ApiError } from './client';
import { call } from './http';

/** The basemap as the form sends it (PUT /api/basemap). */
export type BasemapChoice = BodyOf<Api['PUT /api/basemap']>;

let shared: Promise<BasemapSetting> | null = null;
let known: { value: BasemapSetting } | null = null;

/** GET /api/basemap: the basemap as set, or null for none. */
export function getBasemap(signal?: AbortSignal): Promise<BasemapSetting> {
  return call('GET /api/basemap', { signal });
}

/**
 * The basemap for this page's maps, fetched once and shared by every map of the page load. A failed
 * read (the field page offline, a session that ended) counts as none: the city's own tiles still draw,
 * and the next map asks again.
 */
export function loadBasemap(): Promise<BasemapSetting> {
  shared ??= getBasemap().then(
    (value) => {
      known = { value };
      return value;
    },
    (err: unknown) => {
      if (!(err instanceof ApiError)) throw err;
      shared = null;
      return null;
    },
  );
  return shared;
}

/** The basemap once `loadBasemap()` has read it, or undefined before (so a later map need not wait). */
export function knownBasemap(): BasemapSetting | undefined {
  return known?.value;
}

function forget(): void {
  shared = null;
  known = null;
}

/** PUT /api/basemap; the page's next map reads the new one. */
export async function setBasemap(choice: BasemapChoice): Promise<BasemapSetting> {
  const stored = await call('PUT /api/basemap', { body: choice });
  forget();
  return stored;
}

/** DELETE /api/basemap: the maps go back to the city's own tiles. */
export async function removeBasemap(): Promise<void> {
  await call('DELETE /api/basemap', {});
  forget();
}
