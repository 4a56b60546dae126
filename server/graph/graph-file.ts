/**
 * The binary graph cache format: pure encoding and decoding (no I/O; load-graph.ts reads and writes
 * files). All numbers little-endian; every array starts at a multiple of 8 bytes.
 *
 *   offset  size  field
 *   0       4     magic "XCRG" (0x47524358 read as u32 LE)
 *   4       4     version (GRAPH_FILE_VERSION)
 *   8       4     nodeCount N
 *   12      4     segmentCount S
 *   16      4     geometry point count G
 *   20      4     byte length of the road ids (UTF-8 JSON array of strings)
 *   24      4     hierarchy mask: bit p set = a contraction hierarchy of PROFILES[p] follows
 *   28      4     reserved (0)
 *   32      32    SHA-256 of the roads the graph was built from (load-graph.ts `hashRoads`)
 *   64            coords f64[2N] · geom f64[2G] · segFrom u32[S] · segTo u32[S] · segRoad u32[S] ·
 *                 segLengthDm u32[S] · geomOffsets u32[S+1] · segMaxspeedKmh u16[S] · segClass u8[S] ·
 *                 segOneway i8[S] · segAccess u8[S] · road ids
 *   then per profile in the mask, in PROFILES order:
 *                 u32 × 6: N, up count U, down count D, edge count E, shortcut count, 0
 *                 upWeights f64[U] · downWeights f64[D] · rank u32[N] · upOffsets u32[N+1] ·
 *                 upTargets u32[U] · upEdges u32[U] · downOffsets u32[N+1] · downSources u32[D] ·
 *                 downEdges u32[D] · edgeA i32[E] · edgeB i32[E]
 *
 * A hierarchy refers to the arcs of the profile view that buildProfileGraph derives from the graph
 * deterministically, so the view itself is not stored.
 */
import type { ContractionHierarchy } from './contraction';
import { PROFILES, type Profile } from './profiles';
import { buildProfileGraph, type RoadGraph } from './road-graph';

export const GRAPH_FILE_MAGIC = 0x47524358;
/** Bump when the layout, the class list or the profile rules change (old caches are rebuilt). */
export const GRAPH_FILE_VERSION = 3;
const HEADER_BYTES = 64;

/** Thrown for a file that is not a graph cache of this version; callers rebuild the cache. */
export class GraphFileError extends Error {}

type Typed = Float64Array | Uint32Array | Int32Array | Uint16Array | Uint8Array | Int8Array;

const align8 = (n: number): number => (n + 7) & ~7;

/** Serializes a graph, its roads hash (32 bytes) and any hierarchies into one buffer. */
export function encodeGraph(graph: RoadGraph, roadsHash: Uint8Array, hierarchies: ReadonlyMap<Profile, ContractionHierarchy> = new Map()): Uint8Array {
  if (roadsHash.length !== 32) throw new Error('roadsHash must be the 32 bytes of a SHA-256 digest');
  const ids = new TextEncoder().encode(JSON.stringify(graph.roadIds));
  const parts: (Typed | Uint32Array)[] = [
    graph.coords,
    graph.geom,
    graph.segFrom,
    graph.segTo,
    graph.segRoad,
    graph.segLengthDm,
    graph.geomOffsets,
    graph.segMaxspeedKmh,
    graph.segClass,
    graph.segOneway,
    graph.segAccess,
    ids,
  ];
  let mask = 0;
  PROFILES.forEach((p, i) => {
    const ch = hierarchies.get(p);
    if (!ch) return;
    mask |= 1 << i;
    parts.push(
      Uint32Array.of(ch.rank.length, ch.upTargets.length, ch.downSources.length, ch.edgeA.length, ch.shortcutCount, 0),
      ch.upWeights,
      ch.downWeights,
      ch.rank,
      ch.upOffsets,
      ch.upTargets,
      ch.upEdges,
      ch.downOffsets,
      ch.downSources,
      ch.downEdges,
      ch.edgeA,
      ch.edgeB,
    );
  });
  let size = HEADER_BYTES;
  for (const p of parts) size = align8(size) + p.byteLength;
  const out = new Uint8Array(align8(size));
  const head = new DataView(out.buffer);
  head.setUint32(0, GRAPH_FILE_MAGIC, true);
  head.setUint32(4, GRAPH_FILE_VERSION, true);
  head.setUint32(8, graph.nodeCount, true);
  head.setUint32(12, graph.segmentCount, true);
  head.setUint32(16, graph.geom.length / 2, true);
  head.setUint32(20, ids.byteLength, true);
  head.setUint32(24, mask, true);
  out.set(roadsHash, 32);
  let pos = HEADER_BYTES;
  for (const p of parts) {
    pos = align8(pos);
    // NOTE: relies on the host being little-endian (x86/ARM Node), as typed arrays use host order.
    out.set(new Uint8Array(p.buffer, p.byteOffset, p.byteLength), pos);
    pos += p.byteLength;
  }
  return out;
}

/** Reads only the header: version check and the roads hash, without decoding the arrays. */
export function readGraphHeader(bytes: Uint8Array): { version: number; roadsHash: Uint8Array; nodeCount: number; segmentCount: number } {
  if (bytes.byteLength < HEADER_BYTES) throw new GraphFileError('Graph cache is shorter than its header: it will be rebuilt.');
  const head = new DataView(bytes.buffer, bytes.byteOffset, HEADER_BYTES);
  if (head.getUint32(0, true) !== GRAPH_FILE_MAGIC) throw new GraphFileError('Not a Xuncha graph cache (bad magic number).');
  const version = head.getUint32(4, true);
  if (version !== GRAPH_FILE_VERSION) throw new GraphFileError(`Graph cache version ${version}, expected ${GRAPH_FILE_VERSION}: it will be rebuilt.`);
  return { version, roadsHash: bytes.slice(32, 64), nodeCount: head.getUint32(8, true), segmentCount: head.getUint32(12, true) };
}

/** Decodes a buffer written by `encodeGraph`. */
export function decodeGraph(input: Uint8Array): { graph: RoadGraph; roadsHash: Uint8Array; hierarchies: Map<Profile, ContractionHierarchy> } {
  const { roadsHash } = readGraphHeader(input);
  // Copy once into a fresh buffer so every array view is 8-byte aligned.
  const bytes = input.byteOffset % 8 === 0 ? input : input.slice();
  const head = new DataView(bytes.buffer, bytes.byteOffset, HEADER_BYTES);
  const N = head.getUint32(8, true);
  const S = head.getUint32(12, true);
  const G = head.getUint32(16, true);
  const idBytes = head.getUint32(20, true);
  const mask = head.getUint32(24, true);
  let pos = HEADER_BYTES;
  function take<T extends Typed>(Ctor: { new (b: ArrayBufferLike, o: number, n: number): T; BYTES_PER_ELEMENT: number }, n: number): T {
    pos = align8(pos);
    const end = pos + n * Ctor.BYTES_PER_ELEMENT;
    if (end > bytes.byteLength) throw new GraphFileError('Graph cache is truncated: it will be rebuilt.');
    const arr = new Ctor(bytes.buffer, bytes.byteOffset + pos, n);
    pos = end;
    return arr;
  }
  const coords = take(Float64Array, 2 * N);
  const geom = take(Float64Array, 2 * G);
  const segFrom = take(Uint32Array, S);
  const segTo = take(Uint32Array, S);
  const segRoad = take(Uint32Array, S);
  const segLengthDm = take(Uint32Array, S);
  const geomOffsets = take(Uint32Array, S + 1);
  const segMaxspeedKmh = take(Uint16Array, S);
  const segClass = take(Uint8Array, S);
  const segOneway = take(Int8Array, S);
  const segAccess = take(Uint8Array, S);
  const roadIds = JSON.parse(new TextDecoder().decode(take(Uint8Array, idBytes))) as string[];
  const graph: RoadGraph = {
    nodeCount: N,
    segmentCount: S,
    coords,
    geom,
    segFrom,
    segTo,
    segRoad,
    segLengthDm,
    geomOffsets,
    segMaxspeedKmh,
    segClass,
    segOneway,
    segAccess,
    roadIds,
  };
  const hierarchies = new Map<Profile, ContractionHierarchy>();
  PROFILES.forEach((profile, i) => {
    if (!(mask & (1 << i))) return;
    const [n, U, D, E, shortcutCount] = take(Uint32Array, 6);
    if (n !== N) throw new GraphFileError('Graph cache hierarchy does not match its graph: it will be rebuilt.');
    const upWeights = take(Float64Array, U);
    const downWeights = take(Float64Array, D);
    hierarchies.set(profile, {
      view: buildProfileGraph(graph, profile),
      upWeights,
      downWeights,
      rank: take(Uint32Array, N),
      upOffsets: take(Uint32Array, N + 1),
      upTargets: take(Uint32Array, U),
      upEdges: take(Uint32Array, U),
      downOffsets: take(Uint32Array, N + 1),
      downSources: take(Uint32Array, D),
      downEdges: take(Uint32Array, D),
      edgeA: take(Int32Array, E),
      edgeB: take(Int32Array, E),
      shortcutCount,
    });
  });
  return { graph, roadsHash, hierarchies };
}
