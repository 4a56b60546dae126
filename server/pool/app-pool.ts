/**
 * The server's pool: the worker pool over the app's task table (app-tasks.ts), or the same tasks
 * in-process. What routes and services hold as `deps.pool`.
 */
import type { Catalog } from '../contract/catalog';
import type { RoadEngine } from '../services/routing/road-engine';
import type { Store } from '../store/index';
import { appTasks, APP_TASKS_URL, type AppPoolData, type AppTasks } from './app-tasks';
import { createInlinePool } from './inline';
import { createPool, type Pool } from './pool';

export type AppPool = Pool<AppTasks>;

export interface AppPoolOptions {
  store: Store;
  catalog: Catalog;
  /** Worker threads; 0 runs the tasks in-process (on the event loop). Default: cores - 1, at least 1. */
  workers?: number;
  /** Tasks that may wait for a worker before requests are answered 503; default 8 per worker. */
  maxQueue?: number;
  /** The main thread's road engine, used by the in-process pool (workers load their own). */
  roads: RoadEngine;
}

/**
 * The worker pool for the app: each worker opens `store.file` itself. With `workers: 0`, the tasks run
 * in-process over `store` and `roads`.
 *
 * @example
 * const pool = createAppPool({ store, catalog, roads, workers: env.WORKERS });
 * const app = createApp({ store, catalog, roads, pool });
 * // on shutdown: await pool.close();
 */
export function createAppPool(opts: AppPoolOptions): AppPool {
  if (opts.workers === 0) return inlineAppPool(opts.store, opts.catalog, opts.roads);
  const data: AppPoolData = { dbFile: opts.store.file, catalog: opts.catalog };
  return createPool<AppTasks>({ tasks: APP_TASKS_URL, size: opts.workers, maxQueue: opts.maxQueue, data });
}

/** The app's tasks run in-process over the main thread's own store and road engine. */
export function inlineAppPool(store: Store, catalog: Catalog, roads: RoadEngine): AppPool {
  const context = { store, catalog, roads };
  return createInlinePool(appTasks(() => context));
}
