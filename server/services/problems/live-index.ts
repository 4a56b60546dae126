import type { Store } from '../../store/index';
import { AnalyticsIndex, buildAnalyticsIndex } from './analytics-index';

/**
 * The problem index the tiles and the hotspot analyses share, kept at the store's problems revision. A
 * revision the store's journal can account for (this process's reports, transitions and merges) is
 * patched in: the touched rows are read by id and written into their slots. Anything else (an import,
 * another process's write, a deleted problem, a burst too big to be worth patching) builds it whole.
 */
export interface LiveIndex {
  /** The index at the current revision, patched or rebuilt first when the store moved on. */
  current(): { revision: number; index: AnalyticsIndex };
  /** How the index came to be current so far: builds and patches (for benchmarks and tests). */
  readonly stats: { builds: number; patches: number };
  /** Builds the index now (otherwise the first request does). */
  warm(): void;
}

/** Patched when at most this share of the problems changed; beyond it one sequential read beats row lookups. */
const PATCH_SHARE = 0.05;
/** … and always when this few changed. */
const PATCH_ALWAYS = 2_000;

export function createLiveIndex(store: Store): LiveIndex {
  let built: { revision: number; index: AnalyticsIndex } | null = null;
  const stats = { builds: 0, patches: 0 };

  function patched(from: { revision: number; index: AnalyticsIndex }): { revision: number; index: AnalyticsIndex } | null {
    const changes = store.problemChangesSince(from.revision);
    if (!changes || changes.ids.length > Math.max(PATCH_ALWAYS, from.index.base.size * PATCH_SHARE)) return null;
    const rows = store.problemPointsByIds(changes.ids);
    if (rows.length !== changes.ids.length) return null; // a problem went away: only an import removes them
    const p = from.index.base.patch(rows);
    if (!p) return null;
    from.index.patch(p, store.problemAnalyticsByIds(changes.ids));
    stats.patches++;
    return { revision: changes.revision, index: from.index };
  }

  const current = () => {
    const revision = store.problemsRevision();
    if (built && built.revision === revision) return built;
    built = (built && patched(built)) ?? null;
    if (!built || built.revision !== revision) {
      built = { revision, index: buildAnalyticsIndex(store) };
      stats.builds++;
    }
    return built;
  };
  return { current, stats, warm: () => void current() };
}
