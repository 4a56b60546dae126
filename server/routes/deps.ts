import type { Catalog } from '../contract/catalog';
import type { BaseTiles } from '../services/tiles/base-tiles';
import type { ProblemTiles } from '../services/tiles/problem-tiles';
import type { LiveIndex } from '../services/problems/live-index';
import type { RoadEngine } from '../services/routing/road-engine';
import type { Store } from '../store/index';
import type { AppPool } from '../pool/app-pool';
import type { SearchIndex } from '../services/problems/search-index';

/** What the route modules need, resolved by createApp. */
export interface RouteDeps {
  store: Store;
  catalog: Catalog;
  baseTiles: BaseTiles;
  problemTiles: ProblemTiles;
  /** The in-memory problem index tiles, hotspots and the big screen read (patched by each write). */
  problemIndex: LiveIndex;
  /** The road engine (routes, matrices), loaded on first use. */
  roads: RoadEngine;
  /** Where work of more than ~50 ms of CPU runs (plans, matrices): worker threads, or in-process. */
  pool: AppPool;
  /** The ledger's full-text index, built in the pool after an import. */
  search: SearchIndex;
  /** Epoch ms now; decides which assigned problems are overdue. */
  now(): number;
}
