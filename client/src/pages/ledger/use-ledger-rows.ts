import { useCallback, useEffect, useRef, useState } from 'react';
import type { LedgerRow } from '../../../../server/contract';
import { isAbortError } from '../../api/client';
import { getLedgerPage } from '../../api/ledger';
import { toQueryString } from '../../lib/filters';
import type { LedgerParams } from './ledger-query';

/** Rows fetched per request. */
export const LEDGER_PAGE_SIZE = 200;
/** Pages are fetched once the scroll has rested this long, so a fast fling does not queue every page passed. */
const WANT_DELAY_MS = 80;

export interface LedgerRows {
  /** Matching rows in all, null until the first page arrived. */
  total: number | null;
  /** The row at `index`, or undefined while its page loads. */
  row(index: number): LedgerRow | undefined;
  /** The pages now in view: loads the missing ones, cancels loads of pages scrolled past. */
  want(pages: readonly number[]): void;
  error: Error | null;
  retry(): void;
}

/**
 * A sparse page cache over GET /api/ledger for one query: the table asks for the pages it shows, so
 * 100,000 rows cost only what is scrolled to. A new `query` starts a fresh cache; a new `version`
 * (bumped by live events), or the same query again, reloads the pages in view and shows the old rows
 * until the new ones arrive. Pass a memoized `query`: each new object reloads.
 */
export function useLedgerRows(query: LedgerParams, version: number): LedgerRows {
  const pages = useRef(new Map<number, LedgerRow[]>());
  const stale = useRef(new Map<number, LedgerRow[]>());
  const loading = useRef(new Map<number, AbortController>());
  const generation = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const [total, setTotal] = useState<number | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [, setTick] = useState(0);
  const [attempt, setAttempt] = useState(0);

  const load = useCallback(
    (page: number) => {
      if (pages.current.has(page) || loading.current.has(page)) return;
      const gen = generation.current;
      const ctl = new AbortController();
      loading.current.set(page, ctl);
      getLedgerPage({ ...query, offset: String(page * LEDGER_PAGE_SIZE), limit: String(LEDGER_PAGE_SIZE) }, ctl.signal).then(
        (res) => {
          if (gen !== generation.current) return;
          loading.current.delete(page);
          pages.current.set(page, res.rows);
          stale.current.delete(page);
          setTotal(res.total);
          setTick((t) => t + 1);
        },
        (err: unknown) => {
          if (gen !== generation.current) return;
          loading.current.delete(page);
          if (isAbortError(err)) return;
          setError(err instanceof Error ? err : new Error(String(err)));
        },
      );
    },
    [query],
  );

  const lastQuery = useRef(toQueryString({ ...query }));
  useEffect(() => {
    generation.current++;
    for (const ctl of loading.current.values()) ctl.abort();
    loading.current = new Map();
    const key = toQueryString({ ...query });
    const refresh = lastQuery.current === key;
    lastQuery.current = key;
    stale.current = refresh ? new Map([...stale.current, ...pages.current]) : new Map();
    pages.current = new Map();
    setError(null);
    if (!refresh) setTotal(null);
    for (const p of refresh && stale.current.size ? [...stale.current.keys()] : [0]) load(p);
  }, [query, version, attempt, load]);

  useEffect(
    () => () => {
      generation.current++;
      for (const ctl of loading.current.values()) ctl.abort();
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );

  return {
    total,
    row: (i) => {
      const p = Math.floor(i / LEDGER_PAGE_SIZE);
      return (pages.current.get(p) ?? stale.current.get(p))?.[i % LEDGER_PAGE_SIZE];
    },
    want: (list) => {
      for (const [p, ctl] of loading.current) {
        if (!list.includes(p)) {
          ctl.abort();
          loading.current.delete(p);
        }
      }
      if (timer.current) clearTimeout(timer.current);
      timer.current = setTimeout(() => list.forEach(load), WANT_DELAY_MS);
    },
    error,
    retry: () => setAttempt((a) => a + 1),
  };
}
