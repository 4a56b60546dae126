/** The road engine's public surface (server/graph). */
export { PROFILES, type Profile, isProfile } from './profiles';
export { buildRoadGraph, roadsFromFeatures, type RoadGraph, type RoadInput, type RoadFeatureLike } from './road-graph';
export { createRoutingEngine, type RoutingEngine } from './routing-engine';
export { loadRoadGraph, loadRoadGraphKeyed, graphCachePath, hashRoads, type LoadedGraph, type LoadGraphOptions } from './load-graph';
export { snapPoint, DEFAULT_SNAP_LIMIT_M, type SnappedPoint, type SnapOptions } from './nearest-edge';
export { shortestPath, type RouteResult, type RouteOptions } from './shortest-path';
export { matrix, type MatrixResult, type MatrixOptions } from './matrix';
export { SnapError, NoRouteError } from './errors';
