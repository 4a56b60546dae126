/** The ledger's query: the map's filters plus search words and sort. Pure, so it is unit-tested. */
import { filtersToParams, toQueryString, type FilterParams, type ProblemFilters } from '../../lib/filters';

export const LEDGER_SORT_KEYS = ['id', 'category', 'subdistrict', 'unit', 'reportedAt', 'deadline', 'status', 'rectifiedAt'] as const;
export type LedgerSortKey = (typeof LEDGER_SORT_KEYS)[number];

export interface LedgerSort {
  key: LedgerSortKey;
  order: 'asc' | 'desc';
}

export const DEFAULT_SORT: LedgerSort = { key: 'reportedAt', order: 'desc' };

/** The ledger's query parameters: the map's filters, then the search words, the sort and the export language. */
export interface LedgerParams extends FilterParams {
  q?: string;
  sort?: LedgerSortKey;
  order?: 'asc' | 'desc';
  lang?: 'zh' | 'en';
}

/**
 * The ledger's query parameters: filters as the map sends them, then `q` (spaces collapsed), `sort`
 * and `order` (left out when default) and `lang` for exports.
 */
export function ledgerParams(filters: ProblemFilters, search: string, sort: LedgerSort, extra: { lang?: 'zh' | 'en' } = {}): LedgerParams {
  const params: LedgerParams = filtersToParams(filters);
  const q = search.trim().replace(/\s+/g, ' ');
  if (q) params.q = q;
  if (sort.key !== DEFAULT_SORT.key || sort.order !== DEFAULT_SORT.order) {
    params.sort = sort.key;
    params.order = sort.order;
  }
  if (extra.lang) params.lang = extra.lang;
  return params;
}

/**
 * `ledgerParams` as a query string (no `?`): the identity of a ledger query, which the row cache keys on.
 *
 * @example ledgerQuery(EMPTY_FILTERS, ' 垃圾 ', { key: 'deadline', order: 'asc' }) // 'q=%E5%9E%83%E5%9C%BE&sort=deadline&order=asc'
 */
export function ledgerQuery(filters: ProblemFilters, search: string, sort: LedgerSort, extra: { lang?: 'zh' | 'en' } = {}): string {
  return toQueryString({ ...ledgerParams(filters, search, sort, extra) });
}

/** Clicking a column: the same column flips its order, another starts descending for times, ascending otherwise. */
export function nextSort(current: LedgerSort, key: LedgerSortKey): LedgerSort {
  if (current.key === key) return { key, order: current.order === 'asc' ? 'desc' : 'asc' };
  return { key, order: key === 'reportedAt' || key === 'rectifiedAt' ? 'desc' : 'asc' };
}

/** Row indexes to show for a scroll position: the visible ones plus `overscan` either side, clamped. */
export function visibleRange(scrollTop: number, viewportH: number, rowH: number, total: number, overscan = 10): { first: number; last: number } {
  if (total <= 0) return { first: 0, last: -1 };
  const first = Math.max(0, Math.floor(scrollTop / rowH) - overscan);
  const last = Math.min(total - 1, Math.ceil((scrollTop + viewportH) / rowH) + overscan);
  return { first, last };
}

/** The page numbers (of `pageSize` rows) that hold rows first…last. */
export function pagesFor(first: number, last: number, pageSize: number): number[] {
  if (last < first) return [];
  const out: number[] = [];
  for (let p = Math.floor(first / pageSize); p <= Math.floor(last / pageSize); p++) out.push(p);
  return out;
}
