import type { Catalog } from '../schemas/catalog';
import type { BaseTiles } from '../services/base-tiles';
import type { ProblemTiles } from '../services/problem-tiles';
import type { Store } from '../store/index';

/** What the route modules need, resolved by createApp. */
export interface RouteDeps {
  store: Store;
  catalog: Catalog;
  baseTiles: BaseTiles;
  problemTiles: ProblemTiles;
  /** Epoch ms now; decides which assigned problems are overdue. */
  now(): number;
}
