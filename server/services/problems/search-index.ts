/**
 * The ledger's search index as the server keeps it: built in slices in the worker pool after an
 * import (or an upgrade that changes it), so the event loop and every other request carry on; searches
 * wait a moment for it and are refused while it is incomplete (store/ledger.ts: SearchIndexBuilding).
 */
import { SearchIndexBuilding, type SearchIndexState } from '../../store/ledger';
import type { Store } from '../../store/index';

/** One slice of the build: a pool task of about this long, so plans and exports get the worker between slices. */
export const SEARCH_SLICE_MS = 1000;

export interface SearchIndex {
  /** Builds the index unless it is complete (one build at a time); resolves when it is. */
  ensure(): Promise<void>;
  /**
   * For a request with search words: starts the build if needed and waits up to `waitMs` for it.
   * @throws SearchIndexBuilding when it is still incomplete then (503, with how far it is).
   */
  awaitReady(waitMs: number): Promise<void>;
}

/**
 * @param buildSlice runs `store.buildSearchIndex(budgetMs)` in the pool (`pool.run('search.build', …)`)
 * @example
 * const search = createSearchIndex(store, (budgetMs) => pool.run('search.build', { budgetMs }));
 * await search.awaitReady(1500); // in the ledger route, before a search
 */
export function createSearchIndex(store: Store, buildSlice: (budgetMs: number) => Promise<SearchIndexState>): SearchIndex {
  let running: Promise<void> | null = null;
  const ensure = async (): Promise<void> => {
    if ((await store.searchIndexState()).ready) return Promise.resolve();
    running ??= (async () => {
      try {
        while (!(await buildSlice(SEARCH_SLICE_MS)).ready) {
          // the next slice; the index is complete once a slice says so
        }
      } finally {
        // A failed build is not kept: the next search starts another.
        running = null;
      }
    })();
    return running;
  };
  return {
    ensure,
    async awaitReady(waitMs) {
      if ((await store.searchIndexState()).ready) return;
      const building = ensure();
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), waitMs)));
      try {
        if ((await Promise.race([building, timeout])) === 'late') throw new SearchIndexBuilding(await store.searchIndexState());
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
