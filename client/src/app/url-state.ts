/**
 * The page state that lives in the URL query string, so that a copied link restores the same view,
 * filters and language. Pure: encode/decode only; the hook that writes history is in use-url-state.ts.
 *
 * Query keys: `c=lng,lat` `z=zoom` `lang=zh|en` `hide=markets,…` and the filter keys exactly as the
 * API takes them (`from`, `to`, `category`, `status`, `district`, `subdistrict`, `unit`, `grid`), so a shared map link
 * reads like the API query that draws it.
 */
import type { LngLat } from '../api/types';
import { EMPTY_FILTERS, isIsoDate, STATUS_FILTERS, type ProblemFilters, type StatusFilter } from '../lib/filters';
import { isLayerToggle, LAYER_TOGGLES, type LayerToggle } from '../lib/layer-toggles';
import { isLang, type Lang } from './i18n';

export interface MapViewState {
  center: LngLat;
  zoom: number;
}

export interface UrlState {
  /** null: not in the URL, so the map fits the city. */
  view: MapViewState | null;
  filters: ProblemFilters;
  /** null: not in the URL, so the remembered or default language applies. */
  lang: Lang | null;
  hidden: LayerToggle[];
}

export const EMPTY_URL_STATE: UrlState = { view: null, filters: EMPTY_FILTERS, lang: null, hidden: [] };

const MAX_ZOOM = 22;
// Ids are ours (sd…, u…, category slugs); anything else in a hand-edited URL is dropped, not sent on.
const ID_RE = /^[A-Za-z0-9_.-]{1,64}$/;

function list(params: URLSearchParams, key: string): string[] {
  const raw = params.get(key);
  if (!raw) return [];
  const out: string[] = [];
  for (const part of raw.split(',')) {
    const v = part.trim();
    if (v && ID_RE.test(v) && !out.includes(v)) out.push(v);
  }
  return out;
}

function decodeView(params: URLSearchParams): MapViewState | null {
  const c = params.get('c');
  const z = params.get('z');
  if (!c || z === null) return null;
  const parts = c.split(',');
  if (parts.length !== 2) return null;
  const lng = Number(parts[0]);
  const lat = Number(parts[1]);
  const zoom = Number(z);
  if (![lng, lat, zoom].every(Number.isFinite)) return null;
  if (lng < -180 || lng > 180 || lat < -85 || lat > 85 || zoom < 0 || zoom > MAX_ZOOM) return null;
  return { center: [lng, lat], zoom };
}

/**
 * Reads the page state from a query string (with or without the leading `?`). Unknown keys and
 * malformed values are ignored, so a damaged link still opens the map.
 */
export function decodeUrlState(search: string): UrlState {
  const params = new URLSearchParams(search);
  const from = params.get('from');
  const to = params.get('to');
  const lang = params.get('lang');
  const filters: ProblemFilters = {
    from: from && isIsoDate(from) ? from : null,
    to: to && isIsoDate(to) ? to : null,
    categories: list(params, 'category'),
    statuses: list(params, 'status').filter((s): s is StatusFilter => (STATUS_FILTERS as readonly string[]).includes(s)),
    districts: list(params, 'district'),
    subdistricts: list(params, 'subdistrict'),
    units: list(params, 'unit'),
    grids: list(params, 'grid'),
  };
  return {
    view: decodeView(params),
    filters,
    lang: lang && isLang(lang) ? lang : null,
    hidden: list(params, 'hide').filter(isLayerToggle),
  };
}

/**
 * Writes the page state as a query string without the leading `?` ('' for the default state).
 * Centre is rounded to 5 decimals (about a metre), zoom to 2.
 *
 * @example encodeUrlState({ view: { center: [115.98, 36.45], zoom: 13 }, filters: EMPTY_FILTERS, lang: 'en', hidden: [] })
 *   // 'c=115.98000,36.45000&z=13.00&lang=en'
 */
export function encodeUrlState(state: UrlState): string {
  const parts: string[] = [];
  if (state.view) {
    const [lng, lat] = state.view.center;
    parts.push(`c=${lng.toFixed(5)},${lat.toFixed(5)}`, `z=${state.view.zoom.toFixed(2)}`);
  }
  if (state.lang) parts.push(`lang=${state.lang}`);
  const f = state.filters;
  const add = (key: string, value: string) => parts.push(`${key}=${encodeURIComponent(value).replace(/%2C/g, ',')}`);
  if (f.from) add('from', f.from);
  if (f.to) add('to', f.to);
  if (f.categories.length) add('category', f.categories.join(','));
  if (f.statuses.length) add('status', STATUS_FILTERS.filter((s) => f.statuses.includes(s)).join(','));
  if (f.districts.length) add('district', f.districts.join(','));
  if (f.subdistricts.length) add('subdistrict', f.subdistricts.join(','));
  if (f.units.length) add('unit', f.units.join(','));
  if (f.grids.length) add('grid', f.grids.join(','));
  if (state.hidden.length) add('hide', LAYER_TOGGLES.filter((l) => state.hidden.includes(l)).join(','));
  return parts.join('&');
}
