/**
 * One road graph with everything queries need, built lazily per profile and kept: the profile's
 * directed view, its contraction hierarchy and a reusable query object. Build one engine per loaded
 * city and share it.
 */
import { buildContractionHierarchy, type ContractionHierarchy } from './contraction';
import { CHQuery } from './ch-query';
import { DijkstraSearch } from './dijkstra';
import { buildSnapIndex, type SnapIndex } from './nearest-edge';
import { PROFILES, type Profile } from './profiles';
import { buildProfileGraph, type ProfileGraph, type RoadGraph } from './road-graph';

export interface RoutingEngine {
  graph: RoadGraph;
  snapIndex: SnapIndex;
  /** Directed view of a profile (built on first use, a few ms). */
  view(profile: Profile): ProfileGraph;
  /** Contraction hierarchy of a profile (built on first use, seconds for a large city). */
  hierarchy(profile: Profile): ContractionHierarchy;
  /** Reusable CH query scratch of a profile. */
  chQuery(profile: Profile): CHQuery;
  /** Reusable plain Dijkstra scratch of a profile. */
  dijkstra(profile: Profile): DijkstraSearch;
}

/**
 * Wraps a graph for routing. Nothing per profile is built until asked for; call `hierarchy(p)` for
 * each profile at startup to move the preprocessing out of the first request.
 * `prebuilt` hierarchies (from the graph cache) must have been built on this same graph.
 * @example const engine = createRoutingEngine(graph); engine.hierarchy('walk');
 */
export function createRoutingEngine(graph: RoadGraph, prebuilt: ReadonlyMap<Profile, ContractionHierarchy> = new Map()): RoutingEngine {
  const views = new Map<Profile, ProfileGraph>();
  const hierarchies = new Map<Profile, ContractionHierarchy>(prebuilt);
  for (const [p, h] of prebuilt) views.set(p, h.view);
  const queries = new Map<Profile, CHQuery>();
  const searches = new Map<Profile, DijkstraSearch>();
  const engine: RoutingEngine = {
    graph,
    snapIndex: buildSnapIndex(graph),
    view(profile) {
      if (!PROFILES.includes(profile)) throw new Error(`Unknown profile "${profile}": use one of ${PROFILES.join(', ')}.`);
      let v = views.get(profile);
      if (!v) views.set(profile, (v = buildProfileGraph(graph, profile)));
      return v;
    },
    hierarchy(profile) {
      let h = hierarchies.get(profile);
      if (!h) hierarchies.set(profile, (h = buildContractionHierarchy(engine.view(profile))));
      return h;
    },
    chQuery(profile) {
      let q = queries.get(profile);
      if (!q) queries.set(profile, (q = new CHQuery(engine.hierarchy(profile))));
      return q;
    },
    dijkstra(profile) {
      let d = searches.get(profile);
      if (!d) searches.set(profile, (d = new DijkstraSearch(engine.view(profile))));
      return d;
    },
  };
  return engine;
}
