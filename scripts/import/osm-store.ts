/**
 * Collects a streamed OSM file (XML or PBF) in memory compactly, then resolves it into geometries.
 *
 * Memory approach (scripts/import/README.md): every node's id goes into a growable Float64Array and its
 * coordinates, as OSM's own 1e-7° fixed point, into Int32Arrays (16 bytes a node); every way's node refs
 * into one growable Float64Array with an offset per way (8 bytes a ref + 16 a way). Tags are kept only
 * for the elements the tag mapping can use (`isInteresting`) and, with a bbox, only for those reaching
 * into it; everything else is dropped as it streams by. Lookups are binary searches over the id arrays
 * (sorted once at the end if the file was not sorted). A 200 MB PBF (~25 M nodes, ~3 M ways, ~30 M
 * refs) thus needs roughly 0.4 + 0.25 + 0.05 GB, far below 10× the file.
 */

export type Tags = Record<string, string>;

/** A relation member as in the file; `type` is node | way | relation. */
export interface Member {
  type: 'node' | 'way' | 'relation';
  ref: number;
  role: string;
}

/** The callbacks a reader drives: one per element, in file order. */
export interface OsmSink {
  node(id: number, lng: number, lat: number, tags: Tags | null): void;
  way(id: number, refs: ArrayLike<number>, tags: Tags | null): void;
  relation(id: number, members: Member[], tags: Tags | null): void;
  /** The area the file says it covers (`<bounds>` of JOSM and the API), [w, s, e, n]. */
  bounds?(bbox: [number, number, number, number]): void;
}

const INTERESTING_KEYS = ['highway', 'landuse', 'amenity', 'natural', 'waterway', 'place', 'boundary', 'water'];
const INTERESTING_NAME = /市场|小区|社区|家园|苑|院|街道|办事处/;

/** True when the tag mapping (map-tags.ts) may use an element with these tags. */
export function isInteresting(tags: Tags | null): tags is Tags {
  if (!tags) return false;
  for (const k of INTERESTING_KEYS) if (k in tags) return true;
  return typeof tags.name === 'string' && INTERESTING_NAME.test(tags.name);
}

class GrowableF64 {
  data = new Float64Array(1024);
  length = 0;
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Float64Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
}

class GrowableI32 {
  data = new Int32Array(1024);
  length = 0;
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Int32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
}

/** OSM stores coordinates as 1e-7° integers; so do we (exact for every OSM file). */
const FIXED = 1e7;
/** A way reaching within this many degrees (~1 km) of the bbox is kept, so roads crossing its edge survive. */
const BBOX_MARGIN_DEG = 0.01;

/** An id column with a lazily built sort permutation for binary search. */
class IdIndex {
  ids = new GrowableF64();
  private sorted = true;
  private order: Uint32Array | null = null;
  push(id: number): void {
    const n = this.ids.length;
    if (n > 0 && id <= this.ids.data[n - 1]) this.sorted = false;
    this.ids.push(id);
    this.order = null;
  }
  /** Row of `id`, or -1. */
  find(id: number): number {
    const ids = this.ids.data;
    if (!this.sorted && !this.order) {
      const order = new Uint32Array(this.ids.length);
      for (let i = 0; i < order.length; i++) order[i] = i;
      order.sort((a, b) => ids[a] - ids[b]);
      this.order = order;
    }
    let lo = 0;
    let hi = this.ids.length - 1;
    const order = this.order;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const row = order ? order[mid] : mid;
      const v = ids[row];
      if (v === id) return row;
      if (v < id) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }
}

export interface KeptNode {
  id: number;
  lng: number;
  lat: number;
  tags: Tags;
}
export interface KeptWay {
  id: number;
  row: number;
  tags: Tags;
}
export interface KeptRelation {
  id: number;
  members: Member[];
  tags: Tags;
}

/** The OsmSink that keeps a file compactly; see the module comment for the memory layout. */
export class OsmStore implements OsmSink {
  private nodeIds = new IdIndex();
  private lngs = new GrowableI32();
  private lats = new GrowableI32();
  private readonly keep: [number, number, number, number] | null;
  private wayIds = new IdIndex();
  private wayOffsets = new GrowableF64();
  private refs = new GrowableF64();
  readonly taggedNodes: KeptNode[] = [];
  readonly taggedWays: KeptWay[] = [];
  readonly relations: KeptRelation[] = [];
  counts = { nodes: 0, ways: 0, relations: 0, outsideBBox: 0 };
  /** The file's `<bounds>`, when it has them: the area a mapper downloaded, deletions included. */
  declared: [number, number, number, number] | null = null;

  bounds(bbox: [number, number, number, number]): void {
    this.declared = bbox;
  }

  /** @param bbox when given, tagged nodes and ways entirely outside it (plus a ~1 km margin) are not kept. */
  constructor(bbox?: [number, number, number, number]) {
    this.keep = bbox ? [bbox[0] - BBOX_MARGIN_DEG, bbox[1] - BBOX_MARGIN_DEG, bbox[2] + BBOX_MARGIN_DEG, bbox[3] + BBOX_MARGIN_DEG] : null;
  }

  private inside(lng: number, lat: number): boolean {
    const k = this.keep;
    return !k || (lng >= k[0] && lng <= k[2] && lat >= k[1] && lat <= k[3]);
  }

  node(id: number, lng: number, lat: number, tags: Tags | null): void {
    this.counts.nodes++;
    this.nodeIds.push(id);
    const x = Math.round(lng * FIXED);
    const y = Math.round(lat * FIXED);
    this.lngs.push(x);
    this.lats.push(y);
    if (isInteresting(tags)) {
      // The same 1e-7° rounding as for way vertices, so a PBF's float noise never reaches the output.
      if (this.inside(lng, lat)) this.taggedNodes.push({ id, lng: x / FIXED, lat: y / FIXED, tags });
      else this.counts.outsideBBox++;
    }
  }

  way(id: number, refs: ArrayLike<number>, tags: Tags | null): void {
    this.counts.ways++;
    const row = this.wayIds.ids.length;
    this.wayIds.push(id);
    this.wayOffsets.push(this.refs.length);
    for (let i = 0; i < refs.length; i++) this.refs.push(refs[i]);
    if (!isInteresting(tags)) return;
    if (this.keep && !this.reaches(refs)) {
      this.counts.outsideBBox++;
      return;
    }
    this.taggedWays.push({ id, row, tags });
  }

  relation(id: number, members: Member[], tags: Tags | null): void {
    this.counts.relations++;
    const type = tags?.type;
    if (isInteresting(tags) && (type === 'multipolygon' || type === 'boundary')) this.relations.push({ id, members, tags });
  }

  /** True when a node of the way lies in the bbox (nodes come before ways in OSM files). */
  private reaches(refs: ArrayLike<number>): boolean {
    for (let i = 0; i < refs.length; i++) {
      const c = this.nodeCoord(refs[i]);
      if (c && this.inside(c[0], c[1])) return true;
    }
    return false;
  }

  /** Coordinates of a node, or null when the node is not in the file (a cut-out). */
  nodeCoord(id: number): [number, number] | null {
    const row = this.nodeIds.find(id);
    return row < 0 ? null : [this.lngs.data[row] / FIXED, this.lats.data[row] / FIXED];
  }

  /** Row of a way for `wayCoords`, or -1 when the way is not in the file. */
  wayRow(id: number): number {
    return this.wayIds.find(id);
  }

  /**
   * The way's coordinates; `missing` counts refs whose node is absent (those vertices are left out,
   * as in a bbox cut-out that keeps only the nodes inside), `gaps` the indexes in `coords` before which
   * one or more nodes were missing (a line must break there, not jump).
   */
  wayCoords(row: number): { coords: [number, number][]; missing: number; gaps: number[] } {
    const start = this.wayOffsets.data[row];
    const end = row + 1 < this.wayOffsets.length ? this.wayOffsets.data[row + 1] : this.refs.length;
    const coords: [number, number][] = [];
    const gaps: number[] = [];
    let missing = 0;
    for (let i = start; i < end; i++) {
      const c = this.nodeCoord(this.refs.data[i]);
      if (c) coords.push(c);
      else {
        missing++;
        if (coords.length && gaps.at(-1) !== coords.length) gaps.push(coords.length);
      }
    }
    return { coords, missing, gaps: gaps.filter((g) => g < coords.length) };
  }
}
