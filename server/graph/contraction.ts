/**
 * Contraction hierarchies (Geisberger et al. 2008) over one profile's graph.
 *
 * Nodes are contracted one by one, least important first, with priority
 *   2 × edge difference + deleted neighbours + ½ × (original arcs under the new shortcuts − under the removed edges)
 * updated lazily. The last term (Geisberger's "original edges") halves preprocessing time on the
 * demo city and cuts shortcuts by a sixth, for somewhat larger query search spaces.
 *
 * Contracting v adds a shortcut u → w for every pair of neighbours whose shortest path runs through v, unless a bounded witness search finds another path at most
 * as costly. A shortcut remembers its two halves, so a path over it unpacks into original arcs.
 * Witness searches stop after WITNESS_SETTLE_LIMIT nodes: a search that gives up adds a shortcut
 * that may be unneeded, which costs space, never correctness.
 *
 *   u ──a──▶ v ──b──▶ w      contract v  ⇒   u ════(a + b)════▶ w   (halves: edge a, edge b)
 *
 * Queries only go "up": from a node to higher-ranked neighbours. Edge e(u → w) is stored at u in
 * the up graph when rank u < rank w, else at w in the down graph (searched backwards from targets).
 */
import { MinHeap } from './min-heap';
import type { ProfileGraph } from './road-graph';

/** Nodes a witness search may settle while contracting. */
const WITNESS_SETTLE_LIMIT = 400;
/** Nodes a witness search may settle while only estimating a priority. */
const SIMULATE_SETTLE_LIMIT = 60;

/** A contraction hierarchy, ready for queries. */
export interface ContractionHierarchy {
  view: ProfileGraph;
  /** Contraction order of each node (0 = first contracted, least important). */
  rank: Uint32Array;
  /** Edges to higher-ranked heads, out of each node. */
  upOffsets: Uint32Array;
  upTargets: Uint32Array;
  upWeights: Float64Array;
  upEdges: Uint32Array;
  /** Edges from higher-ranked tails, into each node (walked backwards from a target). */
  downOffsets: Uint32Array;
  downSources: Uint32Array;
  downWeights: Float64Array;
  downEdges: Uint32Array;
  /** Edge e is original arc edgeA[e] when edgeB[e] = -1, else the shortcut edgeA[e] then edgeB[e]. */
  edgeA: Int32Array;
  edgeB: Int32Array;
  shortcutCount: number;
}

/** Growable edge store used while contracting. */
class EdgeStore {
  from: Uint32Array = new Uint32Array(1024);
  to: Uint32Array = new Uint32Array(1024);
  weight: Float64Array = new Float64Array(1024);
  a: Int32Array = new Int32Array(1024);
  b: Int32Array = new Int32Array(1024);
  /** Original arcs an edge stands for. */
  hops: Uint32Array = new Uint32Array(1024);
  length = 0;

  add(from: number, to: number, weight: number, a: number, b: number): number {
    if (this.length === this.from.length) this.grow();
    const e = this.length++;
    this.from[e] = from;
    this.to[e] = to;
    this.weight[e] = weight;
    this.a[e] = a;
    this.b[e] = b;
    this.hops[e] = b < 0 ? 1 : this.hops[a] + this.hops[b];
    return e;
  }

  private grow(): void {
    const n = this.from.length * 2;
    const from = new Uint32Array(n);
    from.set(this.from);
    this.from = from;
    const to = new Uint32Array(n);
    to.set(this.to);
    this.to = to;
    const weight = new Float64Array(n);
    weight.set(this.weight);
    this.weight = weight;
    const a = new Int32Array(n);
    a.set(this.a);
    this.a = a;
    const b = new Int32Array(n);
    b.set(this.b);
    this.b = b;
    const hops = new Uint32Array(n);
    hops.set(this.hops);
    this.hops = hops;
  }
}

/**
 * Builds the hierarchy of a profile graph. Deterministic (ties broken by node id).
 * Takes a few seconds for a 50k-node city; build once per profile and keep it.
 */
export function buildContractionHierarchy(view: ProfileGraph): ContractionHierarchy {
  const N = view.graph.nodeCount;
  const edges = new EdgeStore();
  const out: number[][] = new Array(N);
  const inc: number[][] = new Array(N);
  for (let v = 0; v < N; v++) {
    out[v] = [];
    inc[v] = [];
  }
  // Original arcs, keeping only the cheapest of parallel arcs and no self-loops (never on a best path).
  for (let v = 0; v < N; v++) {
    for (let arc = view.offsets[v]; arc < view.offsets[v + 1]; arc++) {
      const w = view.targets[arc];
      if (w === v) continue;
      const wt = view.weights[arc];
      let existing = -1;
      for (const e of out[v]) if (edges.to[e] === w) existing = e;
      if (existing >= 0) {
        if (wt < edges.weight[existing]) {
          edges.weight[existing] = wt;
          edges.a[existing] = arc;
        }
        continue;
      }
      const e = edges.add(v, w, wt, arc, -1);
      out[v].push(e);
      inc[w].push(e);
    }
  }

  const contracted = new Uint8Array(N);
  const deleted = new Uint32Array(N);
  const priority = new Float64Array(N);
  const dist = new Float64Array(N).fill(Infinity);
  const touched = new Uint32Array(N);
  let touchedCount = 0;
  const heap = new MinHeap(1024);
  const queue = new MinHeap(N + 1);

  const targetStamp = new Uint32Array(N);
  let stamp = 0;

  /**
   * Dijkstra from `source` avoiding `skip` and contracted nodes, up to `maxCost` / `limit` settled,
   * or until the `targets` nodes stamped with the current `stamp` are all settled.
   */
  function witnessSearch(source: number, skip: number, maxCost: number, limit: number, targets: number): void {
    for (let i = 0; i < touchedCount; i++) dist[touched[i]] = Infinity;
    touchedCount = 0;
    heap.clear();
    dist[source] = 0;
    touched[touchedCount++] = source;
    heap.push(source, 0);
    let settledCount = 0;
    while (heap.length > 0) {
      const d = heap.peekValue();
      const x = heap.pop();
      if (d > dist[x]) continue;
      if (d > maxCost || ++settledCount > limit) break;
      if (targetStamp[x] === stamp && --targets === 0) break;
      const list = out[x];
      for (let i = 0; i < list.length; i++) {
        const e = list[i];
        const y = edges.to[e];
        if (y === skip || contracted[y]) continue;
        const nd = d + edges.weight[e];
        if (nd < dist[y]) {
          if (dist[y] === Infinity) touched[touchedCount++] = y;
          dist[y] = nd;
          heap.push(y, nd);
        }
      }
    }
  }

  /** Original arcs under the shortcuts the last `contract` call counted. */
  let addedHops = 0;

  /** Shortcuts needed to contract v; added when `apply`. Returns their number. */
  function contract(v: number, apply: boolean): number {
    const ins = inc[v];
    const outs = out[v];
    let maxOut = 0;
    for (const e of outs) if (!contracted[edges.to[e]] && edges.weight[e] > maxOut) maxOut = edges.weight[e];
    let shortcuts = 0;
    addedHops = 0;
    for (const eIn of ins) {
      const u = edges.from[eIn];
      if (contracted[u]) continue;
      const wIn = edges.weight[eIn];
      stamp++;
      let targets = 0;
      for (const eOut of outs) {
        const w = edges.to[eOut];
        if (w !== u && !contracted[w] && targetStamp[w] !== stamp) {
          targetStamp[w] = stamp;
          targets++;
        }
      }
      if (targets === 0) continue;
      witnessSearch(u, v, wIn + maxOut, apply ? WITNESS_SETTLE_LIMIT : SIMULATE_SETTLE_LIMIT, targets);
      for (const eOut of outs) {
        const w = edges.to[eOut];
        if (w === u || contracted[w]) continue;
        const via = wIn + edges.weight[eOut];
        if (dist[w] <= via) continue;
        shortcuts++;
        addedHops += edges.hops[eIn] + edges.hops[eOut];
        if (apply) addShortcut(u, w, via, eIn, eOut);
      }
    }
    return shortcuts;
  }

  function addShortcut(u: number, w: number, weight: number, eIn: number, eOut: number): void {
    for (const e of out[u]) {
      if (edges.to[e] !== w) continue;
      // NOTE: an edge between two uncontracted nodes is never half of a shortcut yet, so it may be rewritten.
      if (weight < edges.weight[e]) {
        edges.weight[e] = weight;
        edges.a[e] = eIn;
        edges.b[e] = eOut;
        edges.hops[e] = edges.hops[eIn] + edges.hops[eOut];
      }
      return;
    }
    const e = edges.add(u, w, weight, eIn, eOut);
    out[u].push(e);
    inc[w].push(e);
  }

  /** Living edges at v, and the original arcs under them (in `removedHops`). */
  let removedHops = 0;
  function livingDegree(v: number): number {
    let n = 0;
    removedHops = 0;
    for (const e of inc[v])
      if (!contracted[edges.from[e]]) {
        n++;
        removedHops += edges.hops[e];
      }
    for (const e of out[v])
      if (!contracted[edges.to[e]]) {
        n++;
        removedHops += edges.hops[e];
      }
    return n;
  }

  function computePriority(v: number): number {
    const ed = contract(v, false) - livingDegree(v);
    return 2 * ed + deleted[v] + (addedHops - removedHops) / 2;
  }

  for (let v = 0; v < N; v++) {
    priority[v] = computePriority(v);
    queue.push(v, priority[v] * N + v);
  }

  const rank = new Uint32Array(N);
  let order = 0;
  const originalEdges = edges.length;
  while (queue.length > 0) {
    const key = queue.peekValue();
    const v = queue.pop();
    if (contracted[v] || key !== priority[v] * N + v) continue;
    // Lazy update: re-evaluate; if v is no longer the least important, put it back.
    const fresh = computePriority(v);
    if (fresh !== priority[v]) {
      priority[v] = fresh;
      const freshKey = fresh * N + v;
      if (queue.length > 0 && freshKey > queue.peekValue()) {
        queue.push(v, freshKey);
        continue;
      }
    }
    contract(v, true);
    contracted[v] = 1;
    rank[v] = order++;
    const neighbours: number[] = [];
    for (const e of inc[v]) if (!contracted[edges.from[e]]) neighbours.push(edges.from[e]);
    for (const e of out[v]) if (!contracted[edges.to[e]]) neighbours.push(edges.to[e]);
    for (const n of neighbours) {
      // Contracted nodes are never searched again: drop their edges from the living lists, in place.
      const o = out[n];
      let k = 0;
      for (let i = 0; i < o.length; i++) if (!contracted[edges.to[o[i]]]) o[k++] = o[i];
      o.length = k;
      const l = inc[n];
      k = 0;
      for (let i = 0; i < l.length; i++) if (!contracted[edges.from[l[i]]]) l[k++] = l[i];
      l.length = k;
    }
    for (const n of neighbours) {
      if (contracted[n]) continue;
      deleted[n]++;
      const p = computePriority(n);
      if (p !== priority[n]) {
        priority[n] = p;
        queue.push(n, p * N + n);
      }
    }
  }

  return assemble(view, edges, rank, edges.length - originalEdges);
}

function assemble(view: ProfileGraph, edges: EdgeStore, rank: Uint32Array, shortcutCount: number): ContractionHierarchy {
  const N = view.graph.nodeCount;
  const E = edges.length;
  const upOffsets = new Uint32Array(N + 1);
  const downOffsets = new Uint32Array(N + 1);
  for (let e = 0; e < E; e++) {
    const u = edges.from[e];
    const w = edges.to[e];
    if (rank[u] < rank[w]) upOffsets[u + 1]++;
    else downOffsets[w + 1]++;
  }
  for (let v = 0; v < N; v++) {
    upOffsets[v + 1] += upOffsets[v];
    downOffsets[v + 1] += downOffsets[v];
  }
  const upTargets = new Uint32Array(upOffsets[N]);
  const upWeights = new Float64Array(upOffsets[N]);
  const upEdges = new Uint32Array(upOffsets[N]);
  const downSources = new Uint32Array(downOffsets[N]);
  const downWeights = new Float64Array(downOffsets[N]);
  const downEdges = new Uint32Array(downOffsets[N]);
  const upFill = upOffsets.slice(0, N);
  const downFill = downOffsets.slice(0, N);
  for (let e = 0; e < E; e++) {
    const u = edges.from[e];
    const w = edges.to[e];
    if (rank[u] < rank[w]) {
      const i = upFill[u]++;
      upTargets[i] = w;
      upWeights[i] = edges.weight[e];
      upEdges[i] = e;
    } else {
      const i = downFill[w]++;
      downSources[i] = u;
      downWeights[i] = edges.weight[e];
      downEdges[i] = e;
    }
  }
  return {
    view,
    rank,
    upOffsets,
    upTargets,
    upWeights,
    upEdges,
    downOffsets,
    downSources,
    downWeights,
    downEdges,
    edgeA: edges.a.slice(0, E),
    edgeB: edges.b.slice(0, E),
    shortcutCount,
  };
}

/** Appends the original arcs of CH edge `e` to `arcs`, in travel order. */
export function unpackEdge(ch: ContractionHierarchy, e: number, arcs: number[]): void {
  const stack = [e];
  while (stack.length > 0) {
    const x = stack.pop() as number;
    if (ch.edgeB[x] < 0) {
      arcs.push(ch.edgeA[x]);
    } else {
      stack.push(ch.edgeB[x], ch.edgeA[x]);
    }
  }
}
