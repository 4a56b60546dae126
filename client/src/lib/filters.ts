/** Problem filters: the one shape shared by the filter panel, the URL and the API query string. */
import { isCalendarDate } from '../../../server/contract/city-time';
import type { StatusFilter } from '../../../server/contract/problem-status';

export type { StatusFilter };

/** The statuses in the order the filter panel and the URL list them: `overdue` beside `assigned`, which holds it. */
export const STATUS_FILTERS = ['reported', 'assigned', 'overdue', 'rectified', 'closed'] as const satisfies readonly StatusFilter[];

export interface ProblemFilters {
  /** YYYY-MM-DD, inclusive, on reportedAt; null = open-ended. */
  from: string | null;
  to: string | null;
  categories: string[];
  statuses: StatusFilter[];
  subdistricts: string[];
  units: string[];
}

export const EMPTY_FILTERS: ProblemFilters = Object.freeze({
  from: null,
  to: null,
  categories: [],
  statuses: [],
  subdistricts: [],
  units: [],
}) as ProblemFilters;

/** True for a real calendar date written YYYY-MM-DD (rejects 2026-02-30). */
export const isIsoDate: (value: string) => boolean = isCalendarDate;

/** True when no filter is set, so every problem matches. */
export function isEmptyFilters(f: ProblemFilters): boolean {
  return !f.from && !f.to && f.categories.length === 0 && f.statuses.length === 0 && f.subdistricts.length === 0 && f.units.length === 0;
}

/**
 * The API query string for a filter (no leading `?`), in a fixed order so that equal filters give
 * equal URLs (tile caches key on the URL). Lists are comma-joined as the API expects; empty filters are
 * left out, so no filter gives ''.
 *
 * @example filtersToQuery({ ...EMPTY_FILTERS, statuses: ['overdue'], from: '2026-01-01' })
 *   // 'from=2026-01-01&status=overdue'
 */
export function filtersToQuery(f: ProblemFilters): string {
  const parts: string[] = [];
  const add = (key: string, value: string) => parts.push(`${key}=${encodeURIComponent(value).replace(/%2C/g, ',')}`);
  if (f.from) add('from', f.from);
  if (f.to) add('to', f.to);
  if (f.categories.length) add('category', [...f.categories].sort().join(','));
  if (f.statuses.length) add('status', sortStatuses(f.statuses).join(','));
  if (f.subdistricts.length) add('subdistrict', [...f.subdistricts].sort().join(','));
  if (f.units.length) add('unit', [...f.units].sort().join(','));
  return parts.join('&');
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
  subdistricts: readonly string[];
  units: readonly string[];
}

/** Drops ids the city does not have, so a link from another city or an old catalog still opens. */
export function sanitizeFilters(f: ProblemFilters, known: KnownIds): ProblemFilters {
  return {
    ...f,
    categories: f.categories.filter((id) => known.categories.includes(id)),
    subdistricts: f.subdistricts.filter((id) => known.subdistricts.includes(id)),
    units: f.units.filter((id) => known.units.includes(id)),
  };
}

/** False when both dates are set and `from` is after `to` (the API would refuse the query). */
export function hasValidDateRange(f: ProblemFilters): boolean {
  return !(f.from && f.to && f.from > f.to);
}
