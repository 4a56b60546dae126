/**
 * Plain Dijkstra over a profile's CSR graph: the reference every faster query must equal, and the
 * "one search per source" baseline the benchmark compares against. Scratch arrays are allocated once
 * per searcher and reset through the list of touched nodes.
 */
import { MinHeap } from './min-heap';
import type { ProfileGraph } from './road-graph';

/** Parent marker of a node reached directly from seed k: SEED_PARENT - k. */
export const SEED_PARENT = -2;

export class DijkstraSearch {
  readonly view: ProfileGraph;
  readonly dist: Float64Array;
  /** Arc that reached each node, or SEED_PARENT - k for seed k, -1 when unreached. */
  readonly parentArc: Int32Array;
  private readonly settled: Uint8Array;
  private readonly touched: Uint32Array;
  private touchedCount = 0;
  private readonly heap = new MinHeap();
  private readonly stopMark: Uint8Array;

  constructor(view: ProfileGraph) {
    const n = view.graph.nodeCount;
    this.view = view;
    this.dist = new Float64Array(n).fill(Infinity);
    this.parentArc = new Int32Array(n).fill(-1);
    this.settled = new Uint8Array(n);
    this.touched = new Uint32Array(n);
    this.stopMark = new Uint8Array(n);
  }

  private reset(): void {
    for (let i = 0; i < this.touchedCount; i++) {
      const v = this.touched[i];
      this.dist[v] = Infinity;
      this.parentArc[v] = -1;
      this.settled[v] = 0;
    }
    this.touchedCount = 0;
    this.heap.clear();
  }

  /**
   * Runs from seeds (`nodes[k]` at `costs[k]`, node -1 = none) until every node listed in
   * `stopNodes` is settled (all nodes when null). Afterwards `dist[v]` is exact for settled nodes.
   */
  run(nodes: ArrayLike<number>, costs: ArrayLike<number>, stopNodes: ArrayLike<number> | null): void {
    this.reset();
    const { offsets, targets, weights } = this.view;
    const dist = this.dist;
    const parent = this.parentArc;
    const settled = this.settled;
    const heap = this.heap;
    for (let k = 0; k < nodes.length; k++) {
      const v = nodes[k];
      if (v < 0) continue;
      if (costs[k] < dist[v]) {
        if (dist[v] === Infinity) this.touched[this.touchedCount++] = v;
        dist[v] = costs[k];
        parent[v] = SEED_PARENT - k;
        heap.push(v, costs[k]);
      }
    }
    let remaining = 0;
    if (stopNodes) {
      for (let i = 0; i < stopNodes.length; i++) {
        const v = stopNodes[i];
        if (v >= 0 && !this.stopMark[v]) {
          this.stopMark[v] = 1;
          remaining++;
        }
      }
      if (remaining === 0) return;
    }
    while (heap.length > 0) {
      const d = heap.peekValue();
      const v = heap.pop();
      if (settled[v] || d > dist[v]) continue;
      settled[v] = 1;
      if (stopNodes && this.stopMark[v] && --remaining === 0) break;
      for (let a = offsets[v]; a < offsets[v + 1]; a++) {
        const w = targets[a];
        const nd = d + weights[a];
        if (nd < dist[w]) {
          if (dist[w] === Infinity) this.touched[this.touchedCount++] = w;
          dist[w] = nd;
          parent[w] = a;
          heap.push(w, nd);
        }
      }
    }
    if (stopNodes) for (let i = 0; i < stopNodes.length; i++) if (stopNodes[i] >= 0) this.stopMark[stopNodes[i]] = 0;
  }

  /** Arcs from the seed to `v` in travel order, and the seed slot used (after `run`). */
  pathTo(v: number): { arcs: number[]; seed: number } {
    const arcs: number[] = [];
    let x = v;
    while (this.parentArc[x] >= 0) {
      const a = this.parentArc[x];
      arcs.push(a);
      x = arcTail(this.view, a);
    }
    arcs.reverse();
    return { arcs, seed: SEED_PARENT - this.parentArc[x] };
  }
}

/** Tail node of arc `a` (the node it leaves). */
export function arcTail(view: ProfileGraph, a: number): number {
  const code = view.arcSegment[a];
  const s = code >>> 1;
  return code & 1 ? view.graph.segTo[s] : view.graph.segFrom[s];
}
