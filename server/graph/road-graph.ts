/**
 * The road graph: roads (normalized LineStrings, data/README.md) noded into junctions and
 * segments, stored in flat typed arrays; and per-profile directed views in CSR form.
 *
 *   road  A ──●────────●──────●── (one LineString, continuing through junctions)
 *   road  B       │          │
 *   nodes = vertices shared by ≥ 2 roads (or twice by one road) + every road end
 *   segment = the piece of a road between two consecutive nodes; its inner vertices are geometry
 *
 * Units: distances are integer decimetres, durations integer deciseconds (see cost.ts for why both
 * are packed into one exact cost). Coordinates are [lng, lat] interleaved in Float64Array.
 */
import { packCost } from './cost';
import { haversineM } from '../contract/geo';
import { accessLevel, PROFILES, type Profile, profileIndex, profileRespectsOneway, profileSpeedKmh, roadClassIndex } from './profiles';

/** A road as the graph needs it (normalized roads layer properties + one line of coordinates). */
export interface RoadInput {
  id: string;
  /** OSM highway value (`primary`, `footway` …). */
  class: string;
  /** 0 both ways, 1 along the line, -1 against it. */
  oneway: 0 | 1 | -1;
  maxspeedKmh: number | null;
  /** OSM access value (`private`, `no` …); null or absent = open. */
  access?: string | null;
  coordinates: ReadonlyArray<readonly [number, number] | readonly number[]>;
}

/** The profile-independent graph. Arrays are indexed by node id or segment id. */
export interface RoadGraph {
  nodeCount: number;
  segmentCount: number;
  /** Node positions, [lng, lat] interleaved (length 2 × nodeCount). */
  coords: Float64Array;
  segFrom: Uint32Array;
  segTo: Uint32Array;
  /** Index into `roadIds` of the road a segment belongs to. */
  segRoad: Uint32Array;
  /** Length along the geometry, integer decimetres. */
  segLengthDm: Uint32Array;
  /** Index into ROAD_CLASSES. */
  segClass: Uint8Array;
  /** 0 both ways, 1 from→to only, -1 to→from only. */
  segOneway: Int8Array;
  /** Tagged maxspeed in km/h, 0 when none. */
  segMaxspeedKmh: Uint16Array;
  /** profiles.ts `accessLevel` of the segment's road. */
  segAccess: Uint8Array;
  /** Segment s's geometry is points geomOffsets[s] … geomOffsets[s + 1] - 1 of `geom` (from → to). */
  geomOffsets: Uint32Array;
  /** Geometry points, [lng, lat] interleaved, endpoints included. */
  geom: Float64Array;
  /** Road ids (`r…`) as in the roads layer. */
  roadIds: string[];
}

/** Bit set in ProfileGraph.segAllowed when the profile may travel a segment from → to. */
export const ALLOW_FORWARD = 1;
/** Bit set in ProfileGraph.segAllowed when the profile may travel a segment to → from. */
export const ALLOW_BACKWARD = 2;

/**
 * The directed graph one profile sees, in CSR form: arcs out of node v are
 * offsets[v] … offsets[v + 1] - 1; `rev*` is the same graph with arcs reversed (arcs into v).
 */
export interface ProfileGraph {
  profile: Profile;
  graph: RoadGraph;
  /** Travel time of the whole segment, integer deciseconds (0 where not allowed). */
  segDurationDs: Uint32Array;
  /** ALLOW_FORWARD | ALLOW_BACKWARD bits per segment. */
  segAllowed: Uint8Array;
  offsets: Uint32Array;
  targets: Uint32Array;
  /** Packed cost of each arc (cost.ts). */
  weights: Float64Array;
  /** segment × 2 + (1 when the arc runs to → from). */
  arcSegment: Uint32Array;
  revOffsets: Uint32Array;
  /** Tail node of each reversed arc. */
  revSources: Uint32Array;
  /** Forward arc id of each reversed arc. */
  revArcs: Uint32Array;
  /** 1 for nodes in the largest strongly connected component: every such pair is mutually reachable. */
  mainComponent: Uint8Array;
  mainComponentSize: number;
}

function vertexKey(lng: number, lat: number): string {
  // Roads share junctions as exactly equal coordinates (rounded to 1e-7°): compare at that grid.
  return `${Math.round(lng * 1e7)}:${Math.round(lat * 1e7)}`;
}

/**
 * Builds the graph from roads by noding on shared vertex coordinates. Roads that continue through
 * junctions (OSM ways) are split there; roads already split at junctions (the demo city) give one
 * segment each. Consecutive duplicate vertices are dropped; roads with fewer than two distinct
 * vertices are skipped.
 */
export function buildRoadGraph(roads: readonly RoadInput[]): RoadGraph {
  const vertexOf = new Map<string, number>();
  const vLng: number[] = [];
  const vLat: number[] = [];
  const vUses: number[] = [];
  const lines: { road: number; input: RoadInput; verts: number[] }[] = [];
  const roadIds: string[] = [];
  for (const road of roads) {
    const verts: number[] = [];
    for (const c of road.coordinates) {
      const key = vertexKey(c[0], c[1]);
      let v = vertexOf.get(key);
      if (v === undefined) {
        v = vLng.length;
        vertexOf.set(key, v);
        vLng.push(c[0]);
        vLat.push(c[1]);
        vUses.push(0);
      }
      if (verts.length > 0 && verts[verts.length - 1] === v) continue;
      verts.push(v);
    }
    if (verts.length < 2) continue;
    for (const v of verts) vUses[v]++;
    // Road ends are always nodes: count them as shared.
    vUses[verts[0]]++;
    vUses[verts[verts.length - 1]]++;
    lines.push({ road: roadIds.length, input: road, verts });
    roadIds.push(road.id);
  }
  const nodeOf = new Int32Array(vLng.length).fill(-1);
  let nodeCount = 0;
  for (let v = 0; v < vLng.length; v++) if (vUses[v] >= 2) nodeOf[v] = nodeCount++;
  const coords = new Float64Array(nodeCount * 2);
  for (let v = 0; v < vLng.length; v++) {
    const n = nodeOf[v];
    if (n >= 0) {
      coords[2 * n] = vLng[v];
      coords[2 * n + 1] = vLat[v];
    }
  }

  const segFrom: number[] = [];
  const segTo: number[] = [];
  const segRoad: number[] = [];
  const segLengthDm: number[] = [];
  const segClass: number[] = [];
  const segOneway: number[] = [];
  const segMaxspeed: number[] = [];
  const segAccess: number[] = [];
  const geomOffsets: number[] = [0];
  const geom: number[] = [];
  for (const { road, input, verts } of lines) {
    const cls = roadClassIndex(input.class);
    const oneway = input.oneway === 1 || input.oneway === -1 ? input.oneway : 0;
    const maxspeed = input.maxspeedKmh && input.maxspeedKmh > 0 ? Math.min(65535, Math.round(input.maxspeedKmh)) : 0;
    const access = accessLevel(input.access);
    let start = 0;
    let lengthM = 0;
    geom.push(vLng[verts[0]], vLat[verts[0]]);
    for (let i = 1; i < verts.length; i++) {
      const a = verts[i - 1];
      const b = verts[i];
      lengthM += haversineM(vLng[a], vLat[a], vLng[b], vLat[b]);
      geom.push(vLng[b], vLat[b]);
      if (nodeOf[b] < 0) continue;
      segFrom.push(nodeOf[verts[start]]);
      segTo.push(nodeOf[b]);
      segRoad.push(road);
      segLengthDm.push(Math.round(lengthM * 10));
      segClass.push(cls);
      segOneway.push(oneway);
      segMaxspeed.push(maxspeed);
      segAccess.push(access);
      geomOffsets.push(geom.length / 2);
      if (i < verts.length - 1) geom.push(vLng[b], vLat[b]);
      start = i;
      lengthM = 0;
    }
  }
  return {
    nodeCount,
    segmentCount: segFrom.length,
    coords,
    segFrom: Uint32Array.from(segFrom),
    segTo: Uint32Array.from(segTo),
    segRoad: Uint32Array.from(segRoad),
    segLengthDm: Uint32Array.from(segLengthDm),
    segClass: Uint8Array.from(segClass),
    segAccess: Uint8Array.from(segAccess),
    segOneway: Int8Array.from(segOneway),
    segMaxspeedKmh: Uint16Array.from(segMaxspeed),
    geomOffsets: Uint32Array.from(geomOffsets),
    geom: Float64Array.from(geom),
    roadIds,
  };
}

/** Duration in deciseconds of `lengthDm` decimetres at `kmh` (lengthM × 3.6 / kmh seconds). */
function durationDs(lengthDm: number, kmh: number): number {
  return Math.round((lengthDm * 3.6) / kmh);
}

/**
 * The directed view of one profile: allowed segments, arc costs, forward and reversed CSR, and the
 * largest strongly connected component. O(nodes + segments); a few milliseconds for a city.
 */
export function buildProfileGraph(graph: RoadGraph, profile: Profile): ProfileGraph {
  if (profileIndex(profile) < 0) throw new Error(`Unknown profile "${profile}": use one of ${PROFILES.join(', ')}`);
  const S = graph.segmentCount;
  const N = graph.nodeCount;
  const segDurationDs = new Uint32Array(S);
  const segAllowed = new Uint8Array(S);
  const oneway = profileRespectsOneway(profile);
  const outDegree = new Uint32Array(N + 1);
  const inDegree = new Uint32Array(N + 1);
  let arcCount = 0;
  for (let s = 0; s < S; s++) {
    const kmh = profileSpeedKmh(profile, graph.segClass[s], graph.segMaxspeedKmh[s], graph.segAccess[s]);
    if (kmh <= 0) continue;
    segDurationDs[s] = durationDs(graph.segLengthDm[s], kmh);
    const ow = oneway ? graph.segOneway[s] : 0;
    let allowed = 0;
    if (ow !== -1) allowed |= ALLOW_FORWARD;
    if (ow !== 1) allowed |= ALLOW_BACKWARD;
    segAllowed[s] = allowed;
    if (allowed & ALLOW_FORWARD) {
      outDegree[graph.segFrom[s]]++;
      inDegree[graph.segTo[s]]++;
      arcCount++;
    }
    if (allowed & ALLOW_BACKWARD) {
      outDegree[graph.segTo[s]]++;
      inDegree[graph.segFrom[s]]++;
      arcCount++;
    }
  }
  const offsets = new Uint32Array(N + 1);
  const revOffsets = new Uint32Array(N + 1);
  for (let v = 0; v < N; v++) {
    offsets[v + 1] = offsets[v] + outDegree[v];
    revOffsets[v + 1] = revOffsets[v] + inDegree[v];
  }
  const targets = new Uint32Array(arcCount);
  const weights = new Float64Array(arcCount);
  const arcSegment = new Uint32Array(arcCount);
  const fill = offsets.slice(0, N);
  for (let s = 0; s < S; s++) {
    const allowed = segAllowed[s];
    if (!allowed) continue;
    const w = packCost(segDurationDs[s], graph.segLengthDm[s]);
    if (allowed & ALLOW_FORWARD) {
      const a = fill[graph.segFrom[s]]++;
      targets[a] = graph.segTo[s];
      weights[a] = w;
      arcSegment[a] = s * 2;
    }
    if (allowed & ALLOW_BACKWARD) {
      const a = fill[graph.segTo[s]]++;
      targets[a] = graph.segFrom[s];
      weights[a] = w;
      arcSegment[a] = s * 2 + 1;
    }
  }
  const revSources = new Uint32Array(arcCount);
  const revArcs = new Uint32Array(arcCount);
  const revFill = revOffsets.slice(0, N);
  for (let v = 0; v < N; v++) {
    for (let a = offsets[v]; a < offsets[v + 1]; a++) {
      const r = revFill[targets[a]]++;
      revSources[r] = v;
      revArcs[r] = a;
    }
  }
  const view: ProfileGraph = {
    profile,
    graph,
    segDurationDs,
    segAllowed,
    offsets,
    targets,
    weights,
    arcSegment,
    revOffsets,
    revSources,
    revArcs,
    mainComponent: new Uint8Array(N),
    mainComponentSize: 0,
  };
  markLargestScc(view);
  return view;
}

/** Iterative Tarjan: marks the largest strongly connected component in `view.mainComponent`. */
function markLargestScc(view: ProfileGraph): void {
  const N = view.graph.nodeCount;
  const { offsets, targets } = view;
  const index = new Int32Array(N).fill(-1);
  const low = new Int32Array(N);
  const onStack = new Uint8Array(N);
  const stack = new Uint32Array(N);
  const callNode = new Uint32Array(N);
  const callArc = new Uint32Array(N);
  const comp = new Int32Array(N).fill(-1);
  let sp = 0;
  let counter = 0;
  let compCount = 0;
  let bestComp = -1;
  let bestSize = 0;
  for (let root = 0; root < N; root++) {
    if (index[root] >= 0) continue;
    let depth = 0;
    callNode[0] = root;
    callArc[0] = offsets[root];
    index[root] = low[root] = counter++;
    stack[sp++] = root;
    onStack[root] = 1;
    while (depth >= 0) {
      const v = callNode[depth];
      if (callArc[depth] < offsets[v + 1]) {
        const w = targets[callArc[depth]++];
        if (index[w] < 0) {
          index[w] = low[w] = counter++;
          stack[sp++] = w;
          onStack[w] = 1;
          depth++;
          callNode[depth] = w;
          callArc[depth] = offsets[w];
        } else if (onStack[w] && index[w] < low[v]) {
          low[v] = index[w];
        }
        continue;
      }
      if (low[v] === index[v]) {
        let size = 0;
        let w: number;
        do {
          w = stack[--sp];
          onStack[w] = 0;
          comp[w] = compCount;
          size++;
        } while (w !== v);
        if (size > bestSize) {
          bestSize = size;
          bestComp = compCount;
        }
        compCount++;
      }
      depth--;
      if (depth >= 0) {
        const parent = callNode[depth];
        if (low[v] < low[parent]) low[parent] = low[v];
      }
    }
  }
  for (let v = 0; v < N; v++) view.mainComponent[v] = comp[v] === bestComp ? 1 : 0;
  view.mainComponentSize = bestSize;
}

/** A GeoJSON road feature of the normalized roads layer (LineString or MultiLineString). */
export interface RoadFeatureLike {
  geometry: { type: string; coordinates: unknown };
  properties: { id: string; class: string; oneway?: number | null; maxspeedKmh?: number | null; access?: string | null } & Record<string, unknown>;
}

/**
 * Normalized roads-layer features → graph input (a MultiLineString gives one input per part,
 * all with the feature's id).
 */
export function roadsFromFeatures(features: Iterable<RoadFeatureLike>): RoadInput[] {
  const out: RoadInput[] = [];
  for (const f of features) {
    const p = f.properties;
    const oneway = p.oneway === 1 || p.oneway === -1 ? p.oneway : 0;
    const base = { id: p.id, class: p.class, oneway, maxspeedKmh: p.maxspeedKmh ?? null, access: p.access ?? null } as const;
    if (f.geometry.type === 'LineString') {
      out.push({ ...base, coordinates: f.geometry.coordinates as number[][] });
    } else if (f.geometry.type === 'MultiLineString') {
      for (const part of f.geometry.coordinates as number[][][]) out.push({ ...base, coordinates: part });
    }
  }
  return out;
}
