/**
 * Queries on a contraction hierarchy: upward searches with reusable scratch arrays, the bucket
 * many-to-many algorithm (Knopp et al. 2007) and a point-to-point query with path unpacking.
 * Searches are not re-entrant: one CHQuery per thread of use (Node runs one at a time).
 */
import type { ContractionHierarchy } from './contraction';
import { MinHeap } from './min-heap';

export class CHQuery {
  readonly ch: ContractionHierarchy;
  private readonly dist: Float64Array;
  /** Position in `dist` of each settled node in settle order (for resets and bucket fills). */
  private readonly touched: Uint32Array;
  private touchedCount = 0;
  /** Nodes settled and not stalled by the last `search`. */
  private readonly settled: Uint32Array;
  private settledCount = 0;
  private readonly heap = new MinHeap(256);
  private readonly parentEdge: Int32Array;
  // Second direction for point-to-point queries.
  private readonly dist2: Float64Array;
  private readonly touched2: Uint32Array;
  private touchedCount2 = 0;
  private readonly heap2 = new MinHeap(256);
  private readonly parentEdge2: Int32Array;
  /** Bucket entries (node, target, cost), grown as needed. */
  private bucketNode = new Uint32Array(4096);
  private bucketTarget = new Uint32Array(4096);
  private bucketCost = new Float64Array(4096);

  constructor(ch: ContractionHierarchy) {
    const n = ch.rank.length;
    this.ch = ch;
    this.dist = new Float64Array(n).fill(Infinity);
    this.touched = new Uint32Array(n);
    this.settled = new Uint32Array(n);
    this.parentEdge = new Int32Array(n).fill(-1);
    this.dist2 = new Float64Array(n).fill(Infinity);
    this.touched2 = new Uint32Array(n);
    this.parentEdge2 = new Int32Array(n).fill(-1);
  }

  private reset(): void {
    for (let i = 0; i < this.touchedCount; i++) {
      this.dist[this.touched[i]] = Infinity;
      this.parentEdge[this.touched[i]] = -1;
    }
    this.touchedCount = 0;
    this.heap.clear();
    for (let i = 0; i < this.touchedCount2; i++) {
      this.dist2[this.touched2[i]] = Infinity;
      this.parentEdge2[this.touched2[i]] = -1;
    }
    this.touchedCount2 = 0;
    this.heap2.clear();
  }

  /**
   * Full upward search (forward when `up`, else backward over down edges) from seeds
   * nodes[first..first+count) at costs[…], with stall-on-demand: a node reached more cheaply from
   * a higher-ranked neighbour through an edge in the other direction cannot be the top of a best
   * path, so it is neither expanded nor reported. Afterwards settled[0..settledCount) lists the
   * reported nodes, with their exact upward cost in dist.
   */
  private search(up: boolean, nodes: Int32Array, costs: Float64Array, first: number, count: number): void {
    this.reset();
    this.settledCount = 0;
    const dist = this.dist;
    const heap = this.heap;
    const ch = this.ch;
    const offsets = up ? ch.upOffsets : ch.downOffsets;
    const heads = up ? ch.upTargets : ch.downSources;
    const weights = up ? ch.upWeights : ch.downWeights;
    // Edges in the opposite direction that come from higher-ranked nodes, for stalling.
    const stallOffsets = up ? ch.downOffsets : ch.upOffsets;
    const stallHeads = up ? ch.downSources : ch.upTargets;
    const stallWeights = up ? ch.downWeights : ch.upWeights;
    for (let k = first; k < first + count; k++) {
      const v = nodes[k];
      if (v < 0) continue;
      if (costs[k] < dist[v]) {
        if (dist[v] === Infinity) this.touched[this.touchedCount++] = v;
        dist[v] = costs[k];
        heap.push(v, costs[k]);
      }
    }
    while (heap.length > 0) {
      const d = heap.peekValue();
      const v = heap.pop();
      if (d > dist[v]) continue;
      let stalled = false;
      for (let i = stallOffsets[v]; i < stallOffsets[v + 1]; i++) {
        if (dist[stallHeads[i]] + stallWeights[i] < d) {
          stalled = true;
          break;
        }
      }
      if (stalled) continue;
      this.settled[this.settledCount++] = v;
      for (let i = offsets[v]; i < offsets[v + 1]; i++) {
        const w = heads[i];
        const nd = d + weights[i];
        if (nd < dist[w]) {
          if (dist[w] === Infinity) this.touched[this.touchedCount++] = w;
          dist[w] = nd;
          heap.push(w, nd);
        }
      }
    }
  }

  /**
   * Many-to-many costs: out[i × T + j] = min cost from source i to target j over paths through the
   * graph (Infinity when none). Sources have two seeds each (srcNode[2i], srcNode[2i + 1]); so do
   * targets (dstNode/dstCost: the extra cost from the node to the target point).
   */
  manyToMany(srcNode: Int32Array, srcCost: Float64Array, S: number, dstNode: Int32Array, dstCost: Float64Array, T: number, out: Float64Array): void {
    out.fill(Infinity, 0, S * T);
    const N = this.ch.rank.length;
    // 1. Backward search from every target; each reached node gets a bucket entry (target, cost).
    let entries = 0;
    for (let j = 0; j < T; j++) {
      this.search(false, dstNode, dstCost, 2 * j, 2);
      if (entries + this.settledCount > this.bucketNode.length) this.growBuckets(entries + this.settledCount);
      for (let i = 0; i < this.settledCount; i++) {
        const v = this.settled[i];
        this.bucketNode[entries] = v;
        this.bucketTarget[entries] = j;
        this.bucketCost[entries] = this.dist[v];
        entries++;
      }
    }
    // 2. Counting sort of the entries by node: bucket of v = [start[v], start[v + 1]).
    const start = new Uint32Array(N + 1);
    for (let e = 0; e < entries; e++) start[this.bucketNode[e] + 1]++;
    for (let v = 0; v < N; v++) start[v + 1] += start[v];
    const fill = start.slice(0, N);
    const bTarget = new Uint32Array(entries);
    const bCost = new Float64Array(entries);
    for (let e = 0; e < entries; e++) {
      const k = fill[this.bucketNode[e]]++;
      bTarget[k] = this.bucketTarget[e];
      bCost[k] = this.bucketCost[e];
    }
    // 3. Forward search from every source, scanning the bucket of each reached node.
    for (let i = 0; i < S; i++) {
      this.search(true, srcNode, srcCost, 2 * i, 2);
      const row = i * T;
      for (let t = 0; t < this.settledCount; t++) {
        const v = this.settled[t];
        const d = this.dist[v];
        for (let k = start[v]; k < start[v + 1]; k++) {
          const c = d + bCost[k];
          const cell = row + bTarget[k];
          if (c < out[cell]) out[cell] = c;
        }
      }
    }
  }

  private growBuckets(min: number): void {
    let n = this.bucketNode.length;
    while (n < min) n *= 2;
    const node = new Uint32Array(n);
    node.set(this.bucketNode);
    this.bucketNode = node;
    const target = new Uint32Array(n);
    target.set(this.bucketTarget);
    this.bucketTarget = target;
    const cost = new Float64Array(n);
    cost.set(this.bucketCost);
    this.bucketCost = cost;
  }

  /**
   * Point-to-point: bidirectional upward search. Returns the cost (Infinity when unreachable), the
   * CH edges of the path in travel order, and which source and target seeds it uses.
   */
  pointToPoint(
    srcNode: Int32Array,
    srcCost: Float64Array,
    srcFirst: number,
    dstNode: Int32Array,
    dstCost: Float64Array,
    dstFirst: number,
  ): { cost: number; meet: number; upEdges: number[]; downEdges: number[]; srcSeed: number; dstSeed: number } {
    this.reset();
    const ch = this.ch;
    const distF = this.dist;
    const distB = this.dist2;
    for (let k = 0; k < 2; k++) {
      const v = srcNode[srcFirst + k];
      if (v >= 0 && srcCost[srcFirst + k] < distF[v]) {
        if (distF[v] === Infinity) this.touched[this.touchedCount++] = v;
        distF[v] = srcCost[srcFirst + k];
        this.parentEdge[v] = -2 - k;
        this.heap.push(v, distF[v]);
      }
      const w = dstNode[dstFirst + k];
      if (w >= 0 && dstCost[dstFirst + k] < distB[w]) {
        if (distB[w] === Infinity) this.touched2[this.touchedCount2++] = w;
        distB[w] = dstCost[dstFirst + k];
        this.parentEdge2[w] = -2 - k;
        this.heap2.push(w, distB[w]);
      }
    }
    let best = Infinity;
    let meet = -1;
    // Each side runs to completion of its useful part: a side stops once its minimum reaches `best`.
    while (this.heap.length > 0 || this.heap2.length > 0) {
      const forward = this.heap.peekValue() <= this.heap2.peekValue();
      const heap = forward ? this.heap : this.heap2;
      if (heap.peekValue() >= best) {
        if (forward) this.heap.clear();
        else this.heap2.clear();
        continue;
      }
      const d = heap.peekValue();
      const v = heap.pop();
      const dist = forward ? distF : distB;
      if (d > dist[v]) continue;
      const other = forward ? distB : distF;
      if (d + other[v] < best) {
        best = d + other[v];
        meet = v;
      }
      const offsets = forward ? ch.upOffsets : ch.downOffsets;
      const heads = forward ? ch.upTargets : ch.downSources;
      const weights = forward ? ch.upWeights : ch.downWeights;
      const edgeIds = forward ? ch.upEdges : ch.downEdges;
      const parent = forward ? this.parentEdge : this.parentEdge2;
      for (let i = offsets[v]; i < offsets[v + 1]; i++) {
        const w = heads[i];
        const nd = d + weights[i];
        if (nd < dist[w]) {
          if (dist[w] === Infinity) {
            if (forward) this.touched[this.touchedCount++] = w;
            else this.touched2[this.touchedCount2++] = w;
          }
          dist[w] = nd;
          parent[w] = edgeIds[i];
          heap.push(w, nd);
        }
      }
    }
    const upEdges: number[] = [];
    const downEdges: number[] = [];
    let srcSeed = -1;
    let dstSeed = -1;
    if (meet >= 0) {
      let x = meet;
      while (this.parentEdge[x] >= 0) {
        const e = this.parentEdge[x];
        upEdges.push(e);
        x = this.edgeTail(e);
      }
      srcSeed = -2 - this.parentEdge[x];
      upEdges.reverse();
      x = meet;
      while (this.parentEdge2[x] >= 0) {
        const e = this.parentEdge2[x];
        downEdges.push(e);
        x = this.edgeHead(e);
      }
      dstSeed = -2 - this.parentEdge2[x];
    }
    return { cost: best, meet, upEdges, downEdges, srcSeed, dstSeed };
  }

  /** Tail node of a CH edge (through its first original arc). */
  private edgeTail(e: number): number {
    const ch = this.ch;
    let x = e;
    while (ch.edgeB[x] >= 0) x = ch.edgeA[x];
    const code = ch.view.arcSegment[ch.edgeA[x]];
    const s = code >>> 1;
    return code & 1 ? ch.view.graph.segTo[s] : ch.view.graph.segFrom[s];
  }

  /** Head node of a CH edge (through its last original arc). */
  private edgeHead(e: number): number {
    const ch = this.ch;
    let x = e;
    while (ch.edgeB[x] >= 0) x = ch.edgeB[x];
    return ch.view.targets[ch.edgeA[x]];
  }
}
