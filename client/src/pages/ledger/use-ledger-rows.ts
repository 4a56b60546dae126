import { useCallback, useEffect, useRef, useState } from 'react';
import { isAbortError } from '../../api/client';
import type { LedgerRow } from '../../../../server/schemas';
import { getLedgerPage } from '../../api/workflow';

/** Rows fetched per request. */
export const LEDGER_PAGE_SIZE = 200;

export interface LedgerRows {
  /** Matching rows in all, null until the first page arrived. */
  total: number | null;
  /** The row at `index`, or undefined while its page loads. */
  row(index: number): LedgerRow | undefined;
  /** Asks for the pages that hold these row indexes (ignored if loaded or loading). */
  want(pages: readonly number[]): void;
  error: Error | null;
  retry(): void;
}

/**
 * A sparse page cache over GET /api/ledger for one query: the table asks for the pages it shows, so
 * 100,000 rows cost only what is scrolled to. A new `query` (or `version`, bumped by live events) starts
 * a fresh cache and cancels what was loading.
 */
export function useLedgerRows(query: string, version: number): LedgerRows {
  const pages = useRef(new Map<number, LedgerRow[]>());
  const stale = useRef(new Map<number, LedgerRow[]>());
  const loading = useRef(new Set<number>());
  const controller = useRef<AbortController | null>(null);
  const [total, setTotal] = useState<number | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [, setTick] = useState(0);
  const [attempt, setAttempt] = useState(0);

  const load = useCallback(
    (page: number) => {
      const ctl = controller.current;
      if (!ctl || pages.current.has(page) || loading.current.has(page)) return;
      loading.current.add(page);
      const sep = query ? '&' : '';
      getLedgerPage(`${query}${sep}offset=${page * LEDGER_PAGE_SIZE}&limit=${LEDGER_PAGE_SIZE}`, ctl.signal).then(
        (res) => {
          if (ctl.signal.aborted) return;
          loading.current.delete(page);
          pages.current.set(page, res.rows);
          stale.current.delete(page);
          setTotal(res.total);
          setTick((t) => t + 1);
        },
        (err: unknown) => {
          loading.current.delete(page);
          if (isAbortError(err) || ctl.signal.aborted) return;
          setError(err instanceof Error ? err : new Error(String(err)));
        },
      );
    },
    [query],
  );

  const lastQuery = useRef(query);
  useEffect(() => {
    controller.current?.abort();
    controller.current = new AbortController();
    const refresh = lastQuery.current === query;
    lastQuery.current = query;
    // A live refresh shows the old rows until their new versions arrive; a new query starts empty.
    stale.current = refresh ? new Map([...stale.current, ...pages.current]) : new Map();
    pages.current = new Map();
    loading.current = new Set();
    setError(null);
    if (!refresh) setTotal(null);
    const wanted = refresh && stale.current.size ? [...stale.current.keys()] : [0];
    for (const p of wanted) load(p);
    const ctl = controller.current;
    return () => ctl.abort();
  }, [query, version, attempt, load]);

  return {
    total,
    row: (i) => {
      const p = Math.floor(i / LEDGER_PAGE_SIZE);
      return (pages.current.get(p) ?? stale.current.get(p))?.[i % LEDGER_PAGE_SIZE];
    },
    want: (list) => list.forEach(load),
    error,
    retry: () => setAttempt((a) => a + 1),
  };
}
