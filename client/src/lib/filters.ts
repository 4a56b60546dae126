/** Problem filters: the one shape shared by the filter panel, the URL and the API query string. */
import { isCalendarDate } from '../../../server/contract/city-time';
import type { StatusFilter } from '../../../server/contract/problem-status';

export type { StatusFilter };

/** The statuses in the order the filter panel and the URL list them: `overdue` beside `assigned`, which holds it. */
export const STATUS_FILTERS = ['reported', 'assigned', 'overdue', 'held', 'rectified', 'closed', 'rejected'] as const satisfies readonly StatusFilter[];

export interface ProblemFilters {
  /** YYYY-MM-DD, inclusive, on reportedAt; null = open-ended. */
  from: string | null;
  to: string | null;
  categories: string[];
  statuses: StatusFilter[];
  /** 区/县 ids: problems in their subdistricts. */
  districts: string[];
  subdistricts: string[];
  units: string[];
  /** 网格 ids: problems inside their outlines. */
  grids: string[];
}

export const EMPTY_FILTERS: ProblemFilters = Object.freeze({
  from: null,
  to: null,
  categories: [],
  statuses: [],
  districts: [],
  subdistricts: [],
  units: [],
  grids: [],
}) as ProblemFilters;

/** True for a real calendar date written YYYY-MM-DD (rejects 2026-02-30). */
export const isIsoDate: (value: string) => boolean = isCalendarDate;

/** True when no filter is set, so every problem matches. */
export function isEmptyFilters(f: ProblemFilters): boolean {
  return (
    !f.from &&
    !f.to &&
    f.categories.length === 0 &&
    f.statuses.length === 0 &&
    f.districts.length === 0 &&
    f.subdistricts.length === 0 &&
    f.units.length === 0 &&
    f.grids.length === 0
  );
}

/**
 * A filter as the API's query parameters: names and comma-joined lists as the contract's problem
 * queries read them, in a fixed order (equal filters give equal parameters), empty filters left out.
 *
 * @example filtersToParams({ ...EMPTY_FILTERS, statuses: ['overdue'], units: ['u2', 'u1'] }) // { status: 'overdue', unit: 'u1,u2' }
 */
export interface FilterParams {
  from?: string;
  to?: string;
  category?: string;
  status?: string;
  district?: string;
  subdistrict?: string;
  unit?: string;
  grid?: string;
}

export function filtersToParams(f: ProblemFilters): FilterParams {
  const params: FilterParams = {};
  if (f.from) params.from = f.from;
  if (f.to) params.to = f.to;
  if (f.categories.length) params.category = [...f.categories].sort().join(',');
  if (f.statuses.length) params.status = sortStatuses(f.statuses).join(',');
  if (f.districts.length) params.district = [...f.districts].sort().join(',');
  if (f.subdistricts.length) params.subdistrict = [...f.subdistricts].sort().join(',');
  if (f.units.length) params.unit = [...f.units].sort().join(',');
  if (f.grids.length) params.grid = [...f.grids].sort().join(',');
  return params;
}

/**
 * Query parameters as a query string (no leading `?`) in their own order, commas left readable (the
 * API's list separator); undefined values left out. Tile caches key on the URL, so equal parameters
 * must give equal strings.
 */
export function toQueryString(params: Readonly<Record<string, string | undefined>>): string {
  return Object.entries(params)
    .flatMap(([key, value]) => (value === undefined ? [] : [`${key}=${encodeURIComponent(value).replace(/%2C/g, ',')}`]))
    .join('&');
}

/**
 * The API query string for a filter (no leading `?`): `filtersToParams` written out, so no filter gives ''.
 *
 * @example filtersToQuery({ ...EMPTY_FILTERS, statuses: ['overdue'], from: '2026-01-01' })
 *   // 'from=2026-01-01&status=overdue'
 */
export function filtersToQuery(f: ProblemFilters): string {
  return toQueryString({ ...filtersToParams(f) });
}

function sortStatuses(statuses: StatusFilter[]): StatusFilter[] {
  return STATUS_FILTERS.filter((s) => statuses.includes(s));
}

/** Adds or removes one value from a list filter, keeping the rest in order. */
export function toggleValue<T>(list: readonly T[], value: T): T[] {
  return list.includes(value) ? list.filter((v) => v !== value) : [...list, value];
}

/** The ids a filter may refer to; anything else (a stale or hand-edited link) is dropped. */
export interface KnownIds {
  categories: readonly string[];
  districts: readonly string[];
  subdistricts: readonly string[];
  units: readonly string[];
  grids: readonly string[];
}

/** The ids a city's meta offers the filters. */
export function knownIds(meta: Readonly<Record<keyof KnownIds, readonly { id: string }[]>>): KnownIds {
  return {
    categories: meta.categories.map((c) => c.id),
    districts: meta.districts.map((d) => d.id),
    subdistricts: meta.subdistricts.map((s) => s.id),
    units: meta.units.map((u) => u.id),
    grids: meta.grids.map((g) => g.id),
  };
}

/**
 * The subdistricts a filter's districts hold (`meta.subdistricts[].districtId`), for what filters in the
 * browser (points.bin masks): a district is its subdistricts, as on the server.
 */
export function districtSubdistricts(meta: { subdistricts: readonly { id: string; districtId: string | null }[] }): (ids: string[]) => string[] {
  return (ids) => meta.subdistricts.filter((s) => s.districtId !== null && ids.includes(s.districtId)).map((s) => s.id);
}

/** Drops ids the city does not have, so a link from another city or an old catalog still opens. */
export function sanitizeFilters(f: ProblemFilters, known: KnownIds): ProblemFilters {
  return {
    ...f,
    categories: f.categories.filter((id) => known.categories.includes(id)),
    districts: f.districts.filter((id) => known.districts.includes(id)),
    subdistricts: f.subdistricts.filter((id) => known.subdistricts.includes(id)),
    units: f.units.filter((id) => known.units.includes(id)),
    grids: f.grids.filter((id) => known.grids.includes(id)),
  };
}

/** False when both dates are set and `from` is after `to` (the API would refuse the query). */
export function hasValidDateRange(f: ProblemFilters): boolean {
  return !(f.from && f.to && f.from > f.to);
}
