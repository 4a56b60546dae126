/** The ledger's query: the map's filters plus search words and sort. Pure, so it is unit-tested. */
import { filtersToQuery, type ProblemFilters } from '../../lib/filters';

export const LEDGER_SORT_KEYS = ['id', 'category', 'subdistrict', 'unit', 'reportedAt', 'deadline', 'status', 'rectifiedAt'] as const;
export type LedgerSortKey = (typeof LEDGER_SORT_KEYS)[number];

export interface LedgerSort {
  key: LedgerSortKey;
  order: 'asc' | 'desc';
}

export const DEFAULT_SORT: LedgerSort = { key: 'reportedAt', order: 'desc' };

/**
 * The API query string of the ledger (no `?`): filters as the map sends them, then `q`, `sort`, `order`
 * (left out when default) and `lang` for exports.
 *
 * @example ledgerQuery(EMPTY_FILTERS, ' 垃圾 ', { key: 'deadline', order: 'asc' }) // 'q=%E5%9E%83%E5%9C%BE&sort=deadline&order=asc'
 */
export function ledgerQuery(filters: ProblemFilters, search: string, sort: LedgerSort, extra: Record<string, string> = {}): string {
  const parts = [filtersToQuery(filters)];
  const q = search.trim().replace(/\s+/g, ' ');
  if (q) parts.push(`q=${encodeURIComponent(q)}`);
  if (sort.key !== DEFAULT_SORT.key || sort.order !== DEFAULT_SORT.order) parts.push(`sort=${sort.key}`, `order=${sort.order}`);
  for (const [k, v] of Object.entries(extra)) parts.push(`${k}=${encodeURIComponent(v)}`);
  return parts.filter(Boolean).join('&');
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
