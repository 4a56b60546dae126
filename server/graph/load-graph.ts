/**
 * The only I/O of the road engine: the binary graph cache next to the database (graph-file.ts has
 * the format). The cache is keyed by a SHA-256 of the roads, so importing another city (or editing a
 * road) rebuilds it on the next load; a cache of another version or a damaged one is rebuilt too.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { threadId } from 'node:worker_threads';
import type { ContractionHierarchy } from './contraction';
import { decodeGraph, encodeGraph, GRAPH_FILE_VERSION, GraphFileError, readGraphHeader } from './graph-file';
import { PROFILES, type Profile } from './profiles';
import { buildRoadGraph, type RoadGraph, type RoadInput } from './road-graph';
import { createRoutingEngine, type RoutingEngine } from './routing-engine';

/** Cache file for a database: `var/xuncha.db` → `var/xuncha.graph.bin`. */
export function graphCachePath(dbPath: string): string {
  return join(dirname(dbPath), `${basename(dbPath).replace(/\.[^.]*$/, '')}.graph.bin`);
}

/** SHA-256 of a caller's key for the roads (see LoadGraphOptions.key), with the file version. */
function hashKey(key: string): Uint8Array {
  return new Uint8Array(createHash('sha256').update(`xuncha-graph-key:${GRAPH_FILE_VERSION}\n${key}`).digest());
}

/** SHA-256 of everything the graph depends on: the file version and each road's routing fields. */
export function hashRoads(roads: readonly RoadInput[]): Uint8Array {
  const h = createHash('sha256');
  h.update(`xuncha-graph:${GRAPH_FILE_VERSION}\n`);
  for (const r of roads) {
    h.update(`${r.id}|${r.class}|${r.oneway}|${r.maxspeedKmh ?? ''}|${r.access ?? ''}|`);
    const xy = new Float64Array(r.coordinates.length * 2);
    r.coordinates.forEach((c, i) => {
      xy[2 * i] = c[0];
      xy[2 * i + 1] = c[1];
    });
    h.update(new Uint8Array(xy.buffer));
    h.update('\n');
  }
  return new Uint8Array(h.digest());
}

export interface LoadGraphOptions {
  /** Cache file (see graphCachePath). */
  cachePath: string;
  /**
   * The roads layer as graph input (road-graph.ts `roadsFromFeatures` converts GeoJSON); a function is
   * called only when the graph must be built (or hashed, without `key`).
   */
  roads: readonly RoadInput[] | (() => readonly RoadInput[]);
  /**
   * What identifies these roads, when the caller knows it cheaper than hashing them (the store's city
   * stamp, which changes on every import): the cache is valid for the same key and file version.
   */
  key?: string;
  /** Profiles whose contraction hierarchy is built and cached (default: all). */
  profiles?: readonly Profile[];
  onProgress?: (msg: string) => void;
}

export interface LoadedGraph {
  engine: RoutingEngine;
  graph: RoadGraph;
  /** True when the graph came from an up-to-date cache file. */
  fromCache: boolean;
  /** Why the cache was (re)built, when it was. */
  rebuiltBecause: string | null;
}

/**
 * Loads the road graph from its cache, or builds it (graph + contraction hierarchies) and writes
 * the cache when the file is missing, stale (other roads), of another version or damaged.
 * @example const { engine } = loadRoadGraph({ cachePath: graphCachePath(dbPath), roads });
 */
export function loadRoadGraph(opts: LoadGraphOptions): LoadedGraph {
  const profiles = opts.profiles ?? PROFILES;
  let roads: readonly RoadInput[] | null = typeof opts.roads === 'function' ? null : opts.roads;
  const getRoads = () => (roads ??= (opts.roads as () => readonly RoadInput[])());
  const hash = opts.key === undefined ? hashRoads(getRoads()) : hashKey(opts.key);
  const cached = fromCache(opts.cachePath, hash, profiles);
  if ('loaded' in cached) return cached.loaded;
  return buildAndCache(opts, getRoads(), hash, profiles, cached.reason);
}

/**
 * loadRoadGraph for roads that are read asynchronously (from the store): keyed, so that a fresh cache
 * is used without reading them.
 */
export async function loadRoadGraphKeyed(
  opts: Omit<LoadGraphOptions, 'roads' | 'key'> & { key: string; roads: () => Promise<readonly RoadInput[]> },
): Promise<LoadedGraph> {
  const profiles = opts.profiles ?? PROFILES;
  const hash = hashKey(opts.key);
  const cached = fromCache(opts.cachePath, hash, profiles);
  if ('loaded' in cached) return cached.loaded;
  return buildAndCache(opts, await opts.roads(), hash, profiles, cached.reason);
}

/** The graph from an up-to-date cache file, or why there is none. */
function fromCache(cachePath: string, hash: Uint8Array, profiles: readonly Profile[]): { loaded: LoadedGraph } | { reason: string } {
  if (!existsSync(cachePath)) return { reason: 'no cache file yet' };
  const bytes = readFileSync(cachePath);
  try {
    const header = readGraphHeader(bytes);
    if (Buffer.compare(Buffer.from(header.roadsHash), Buffer.from(hash)) !== 0) return { reason: 'the roads changed' };
    const { graph, hierarchies } = decodeGraph(bytes);
    const missing = profiles.filter((p) => !hierarchies.has(p));
    if (missing.length === 0) return { loaded: { engine: createRoutingEngine(graph, hierarchies), graph, fromCache: true, rebuiltBecause: null } };
    return { reason: `the cache has no hierarchy for ${missing.join(', ')}` };
  } catch (err) {
    if (!(err instanceof GraphFileError)) throw err;
    return { reason: err.message };
  }
}

function buildAndCache(
  opts: Pick<LoadGraphOptions, 'cachePath' | 'onProgress'>,
  roads: readonly RoadInput[],
  hash: Uint8Array,
  profiles: readonly Profile[],
  reason: string,
): LoadedGraph {
  opts.onProgress?.(`graph: building (${reason})`);
  const graph = buildRoadGraph(roads);
  const engine = createRoutingEngine(graph);
  const hierarchies = new Map<Profile, ContractionHierarchy>();
  for (const p of profiles) {
    hierarchies.set(p, engine.hierarchy(p));
    opts.onProgress?.(`graph: ${p} hierarchy ready`);
  }
  writeGraphCache(opts.cachePath, encodeGraph(graph, hash, hierarchies));
  return { engine, graph, fromCache: false, rebuiltBecause: reason };
}

/**
 * Writes the cache atomically (temporary file, then rename), so a crash never leaves half a file. The
 * thread is in the name too: the main thread and a pool worker may build the same graph at once.
 */
function writeGraphCache(path: string, bytes: Uint8Array): void {
  const tmp = `${path}.${process.pid}.${threadId}.tmp`;
  writeFileSync(tmp, bytes);
  renameSync(tmp, path);
}
