/**
 * The city's road engine for the API: built from the store's roads layer on first use (or read from the
 * binary cache next to the database) and rebuilt when another city is imported — also by
 * `npm run import` in another process while the server runs, since the city stamp lives in the database.
 */
import { NoCityError } from '../../errors';
import { graphCachePath, loadRoadGraphKeyed, roadsFromFeatures, type LoadedGraph, type RoadFeatureLike, type RoutingEngine } from '../../graph/index';
import type { Store } from '../../store/index';

export interface RoadEngine {
  /** The engine for the current city; builds or loads it when the city changed. Throws NoCityError. */
  get(): Promise<RoutingEngine>;
  /** Loads the engine now (at startup) so the first route request does not wait for it. */
  warm(): Promise<LoadedGraph | null>;
}

export interface RoadEngineOptions {
  /** Graph cache file; default next to the database (`xuncha.db` → `xuncha.graph.bin`). */
  cachePath?: string;
  onProgress?: (msg: string) => void;
}

/** Lazily loaded road engine keyed on the store's city stamp. */
export function createRoadEngine(store: Store, opts: RoadEngineOptions = {}): RoadEngine {
  const cachePath = opts.cachePath ?? graphCachePath(store.file);
  // A promise: requests that come while the graph loads wait for the one load.
  let built: { stamp: string; loaded: Promise<LoadedGraph> } | null = null;

  const load = async (): Promise<LoadedGraph | null> => {
    const stamp = await store.cityStamp();
    if (stamp === null) return null;
    if (!built || built.stamp !== stamp) {
      // layerFeatures is typed for every layer; the roads layer's rows carry road properties.
      const roads = async () => roadsFromFeatures((await store.layerFeatures('roads')) as unknown as RoadFeatureLike[]);
      // The stamp changes with every import, so it keys the cache without reading and hashing the roads.
      const loading = loadRoadGraphKeyed({ cachePath, roads, key: `city:${stamp}`, onProgress: opts.onProgress });
      const entry = { stamp, loaded: loading };
      built = entry;
      loading.catch(() => {
        if (built === entry) built = null;
      });
    }
    return built.loaded;
  };

  return {
    async get() {
      const loaded = await load();
      if (!loaded) throw new NoCityError();
      return loaded.engine;
    },
    warm: load,
  };
}
