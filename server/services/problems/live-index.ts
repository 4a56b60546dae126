import { H3_RES_DEFAULT } from '../../contract/hotspots';
import type { Store } from '../../store/index';
import { AnalyticsIndex, buildAnalyticsIndex, type PackedAnalyticsIndex } from './analytics-index';

/**
 * The problem index the tiles and the hotspot analyses share, kept at the store's problems revision. A
 * revision the store's journal can account for (this process's reports, transitions and merges) is
 * patched in: the touched rows are read by id and written into their slots. Anything else (an import,
 * another process's write, a deleted problem, a burst too big to be worth patching) builds it whole.
 */
export interface LiveIndex {
  /** The index at the current revision, patched or rebuilt first when the store moved on. */
  current(): Promise<{ revision: number; index: AnalyticsIndex }>;
  /** How the index came to be current so far: builds and patches (for benchmarks and tests). */
  readonly stats: { builds: number; patches: number };
  /** Builds the index now (otherwise the first request does). */
  warm(): void;
  /**
   * Builds the index with `build` (a worker: `pool.run('index.build')`) while the event loop keeps
   * answering; the index arrives at the revision it was read at and the writes since are patched in.
   * Resolves when it is in place; a failed build is logged by the caller and the next use builds here.
   */
  buildInBackground(build: () => Promise<PackedIndexAt>): Promise<void>;
  /** Resolves when no background build is under way: await it before `current()` so a request waits instead of building on the event loop. */
  ready(): Promise<void>;
}

/** The index as a worker built it (`buildPackedIndex`), at the problems revision it read. */
export interface PackedIndexAt {
  revision: number;
  index: PackedAnalyticsIndex;
}

/**
 * Reads and builds the whole index in one read transaction (so it is exactly the store at `revision`),
 * with the default resolution's H3 cells and the recurring sites, the slow parts of a first hotspot
 * answer and a first points.bin; packed to cross to the main thread.
 */
export function buildPackedIndex(store: Store): Promise<PackedIndexAt> {
  return store.snapshot(async () => {
    const revision = await store.problemsRevision();
    const index = await buildAnalyticsIndex(store);
    index.cells(H3_RES_DEFAULT);
    index.recurrences();
    return { revision, index: index.pack() };
  });
}

/** Patched when at most this share of the problems changed; beyond it one sequential read beats row lookups. */
const PATCH_SHARE = 0.05;
/** … and always when this few changed. */
const PATCH_ALWAYS = 2_000;

export function createLiveIndex(store: Store): LiveIndex {
  let built: { revision: number; index: AnalyticsIndex } | null = null;
  const stats = { builds: 0, patches: 0 };

  async function patched(from: { revision: number; index: AnalyticsIndex }): Promise<{ revision: number; index: AnalyticsIndex } | null> {
    const changes = await store.problemChangesSince(from.revision);
    if (!changes || changes.ids.length > Math.max(PATCH_ALWAYS, from.index.base.size * PATCH_SHARE)) return null;
    const rows = await store.problemPointsByIds(changes.ids);
    if (rows.length !== changes.ids.length) return null; // a problem went away: only an import removes them
    const p = from.index.base.patch(rows);
    if (!p) return null;
    from.index.patch(p, await store.problemAnalyticsByIds(changes.ids));
    stats.patches++;
    return { revision: changes.revision, index: from.index };
  }

  const refresh = async (revision: number) => {
    built = (built && (await patched(built))) ?? null;
    if (!built || built.revision !== revision) {
      built = { revision, index: await buildAnalyticsIndex(store) };
      stats.builds++;
    }
    return built;
  };
  // One refresh at a time: the index is patched in place, and two patches of the same writes would
  // count them twice. A caller that finds one under way waits for it and looks again.
  let refreshing: Promise<{ revision: number; index: AnalyticsIndex }> | null = null;
  const current = async (): Promise<{ revision: number; index: AnalyticsIndex }> => {
    for (;;) {
      if (refreshing) {
        await refreshing.catch(() => undefined);
        continue;
      }
      const revision = await store.problemsRevision();
      if (refreshing) continue;
      if (built && built.revision === revision) return built;
      const run = refresh(revision);
      refreshing = run;
      try {
        return await run;
      } finally {
        if (refreshing === run) refreshing = null;
      }
    }
  };
  let background: Promise<void> | null = null;
  return {
    current,
    stats,
    warm: () => void current(),
    ready: () => background ?? Promise.resolve(),
    buildInBackground(build) {
      const done = build().then(async (packed) => {
        // A build here since (a request that did not wait) may be newer; otherwise this one, patched up to now by the next current().
        if (built && built.revision >= packed.revision) return;
        const index = await AnalyticsIndex.unpackInSlices(packed.index);
        if (!built || built.revision < packed.revision) {
          built = { revision: packed.revision, index };
          stats.builds++;
        }
      });
      const waiting = done.catch(() => undefined);
      background = waiting;
      void waiting.then(() => {
        if (background === waiting) background = null;
      });
      return done;
    },
  };
}
