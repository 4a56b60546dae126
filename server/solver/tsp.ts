import type { Cost, NodeId } from './cost-matrix';
import { isSymmetric } from './cost-matrix';
import type { Rng } from './random';

/** Options of the pure TSP path. `now()` and `deadline` share one clock (milliseconds). */
export interface TspOptions {
  rng: Rng;
  now: () => number;
  deadline: number;
  /** Neighbour-list length (K nearest). */
  neighbours?: number;
  /** Stop after this many perturbations even if time is left (tests, reproducible runs). */
  maxKicks?: number;
  /** A starting tour; nearest neighbour otherwise. */
  initial?: ArrayLike<NodeId>;
}

/**
 * Greedy-edge start tour: take candidate edges (neighbour lists) cheapest first while no node gets
 * a third edge and no cycle closes, then chain the fragments nearest-endpoint first. Its structure
 * suits 2-opt far better than a nearest-neighbour tour (no long closing edges).
 */
function greedyTour(n: number, m: Int32Array, neigh: Int32Array, K: number, tour: Int32Array): void {
  const cand: number[] = [];
  for (let i = 0; i < n; i++) for (let k = 0; k < K; k++) if (i < neigh[i * K + k]) cand.push(i * n + neigh[i * K + k]);
  const key = (e: number): number => {
    const i = Math.floor(e / n);
    const j = e - i * n;
    return m[i * n + j] + m[j * n + i];
  };
  cand.sort((a, b) => key(a) - key(b) || a - b);
  const deg = new Uint8Array(n);
  const adj = new Int32Array(2 * n).fill(-1);
  const parent = new Int32Array(n);
  for (let i = 0; i < n; i++) parent[i] = i;
  const find = (x: number): number => {
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]];
      x = parent[x];
    }
    return x;
  };
  for (const e of cand) {
    const i = Math.floor(e / n);
    const j = e - i * n;
    if (deg[i] >= 2 || deg[j] >= 2) continue;
    const ri = find(i);
    const rj = find(j);
    if (ri === rj) continue;
    parent[ri] = rj;
    adj[2 * i + deg[i]++] = j;
    adj[2 * j + deg[j]++] = i;
  }
  const seen = new Uint8Array(n);
  let t = 0;
  let u = 0;
  while (deg[u] === 2) u++;
  while (t < n) {
    let prev = -1;
    let x = u;
    for (;;) {
      tour[t++] = x;
      seen[x] = 1;
      const a = adj[2 * x];
      const b = adj[2 * x + 1];
      const next = a >= 0 && a !== prev && !seen[a] ? a : b >= 0 && b !== prev && !seen[b] ? b : -1;
      if (next < 0) break;
      prev = x;
      x = next;
    }
    if (t === n) break;
    let best = -1;
    let bc = Infinity;
    for (let y = 0; y < n; y++) {
      if (!seen[y] && deg[y] < 2 && m[x * n + y] < bc) {
        bc = m[x * n + y];
        best = y;
      }
    }
    u = best;
  }
}

export interface TspResult {
  tour: Int32Array;
  length: Cost;
  kicks: number;
}

/** Cost of a closed tour over a row-major matrix. */
export function tourLength(size: number, m: Int32Array, tour: ArrayLike<NodeId>): Cost {
  let s = 0;
  for (let i = 0; i < tour.length; i++) {
    const a = tour[i];
    const b = tour[i + 1 === tour.length ? 0 : i + 1];
    s += m[a * size + b];
  }
  return s;
}

const OR_MAX = 3;
/** Up to this many nodes every tour is enumerated (7! orders at most). */
const SMALL = 8;

function exactSmall(n: number, m: Int32Array): TspResult {
  const tour = new Int32Array(n);
  for (let i = 0; i < n; i++) tour[i] = i;
  const best = tour.slice();
  let bestLen = tourLength(n, m, tour);
  // Heap's algorithm over positions 1..n-1 (node 0 stays first).
  const c = new Int32Array(n);
  const N = n - 1;
  let i = 1;
  while (i < N) {
    if (c[i] < i) {
      const a = 1 + (i % 2 === 0 ? 0 : c[i]);
      const t = tour[a];
      tour[a] = tour[i + 1];
      tour[i + 1] = t;
      const len = tourLength(n, m, tour);
      if (len < bestLen) {
        bestLen = len;
        best.set(tour);
      }
      c[i]++;
      i = 1;
    } else {
      c[i] = 0;
      i++;
    }
  }
  return { tour: best, length: bestLen, kicks: 0 };
}
const NEIGHBOURS = 12;
/** Kick windows: most kicks stay local and cheap; some span farther so long-range defects get fixed. */
const KICK_WINDOW_MIN = 8;
const KICK_WINDOW_MAX = 50;
/** Share of kicks whose three cuts may fall anywhere in the tour. */
const GLOBAL_KICKS = 0.1;
/** A kicked tour is kept when within this fraction of the best, so the walk can cross ridges. */
const ACCEPT_SLACK = 0.002;
/** Kicks without a new best (× n) before a kicked tour is kept whatever its length. */
const STAGNATION = 20;

/**
 * Iterated local search for the closed TSP: 2-opt, Or-opt and Or-3opt (segment swap) with K-nearest
 * neighbour lists and don't-look bits, perturbed by double bridges (mostly segment-local); a kicked
 * tour is kept when it is not longer, or within ACCEPT_SLACK of the best, or after a long stagnation. Asymmetric matrices are handled exactly: the gain of a reversal includes every reversed arc.
 * Returns the best tour found before the deadline.
 */
export function solveTsp(size: number, m: Int32Array, opts: TspOptions): TspResult {
  const n = size;
  if (n <= SMALL) return exactSmall(n, m);
  const sym = isSymmetric(n, m);
  const K = Math.min(opts.neighbours ?? NEIGHBOURS, n - 1);
  const { rng, now, deadline } = opts;

  // Neighbour lists by (symmetrised) cost, ascending: insertion into a K-long sorted list, O(n²K) worst
  // but O(n²) in practice, cheaper than sorting every row.
  const neigh = new Int32Array(n * K);
  {
    const keys = new Float64Array(K);
    for (let i = 0; i < n; i++) {
      let cnt = 0;
      const base = i * K;
      for (let j = 0; j < n; j++) {
        if (j === i) continue;
        const key = m[i * n + j] + m[j * n + i];
        if (cnt === K && key >= keys[K - 1]) continue;
        let p = cnt < K ? cnt++ : K - 1;
        while (p > 0 && keys[p - 1] > key) {
          keys[p] = keys[p - 1];
          neigh[base + p] = neigh[base + p - 1];
          p--;
        }
        keys[p] = key;
        neigh[base + p] = j;
      }
    }
  }

  const tour = new Int32Array(n);
  const pos = new Int32Array(n);
  if (opts.initial) {
    for (let i = 0; i < n; i++) tour[i] = opts.initial[i];
  } else {
    greedyTour(n, m, neigh, K, tour);
  }
  for (let i = 0; i < n; i++) pos[tour[i]] = i;

  // Prefix costs along the tour, forward and backward, for exact asymmetric reversal gains.
  const F = new Float64Array(n + 1);
  const B = new Float64Array(n + 1);
  const refreshPrefix = (): void => {
    if (sym) return;
    for (let i = 0; i < n; i++) {
      const a = tour[i];
      const b = tour[i + 1 === n ? 0 : i + 1];
      F[i + 1] = F[i] + m[a * n + b];
      B[i + 1] = B[i] + m[b * n + a];
    }
  };
  // Cost of walking the path from position i forward to position j, in tour direction (fw) or reversed (bw).
  const pathCost = (P: Float64Array, i: number, j: number): number => (j >= i ? P[j] - P[i] : P[n] - P[i] + P[j]);

  const succ = (x: NodeId): NodeId => tour[pos[x] + 1 === n ? 0 : pos[x] + 1];
  const pred = (x: NodeId): NodeId => tour[pos[x] === 0 ? n - 1 : pos[x] - 1];
  const d = (a: NodeId, b: NodeId): Cost => m[a * n + b];

  // Journal of overwritten tour cells since the last accepted tour, so a rejected kick is undone in
  // time proportional to what it changed instead of O(n).
  let jCap = 8 * n;
  let jPos = new Int32Array(jCap);
  let jOld = new Int32Array(jCap);
  let jLen = 0;
  const record = (p: number, old: NodeId): void => {
    if (jLen === jCap) {
      jCap *= 2;
      const a = new Int32Array(jCap);
      a.set(jPos);
      jPos = a;
      const b = new Int32Array(jCap);
      b.set(jOld);
      jOld = b;
    }
    jPos[jLen] = p;
    jOld[jLen] = old;
    jLen++;
  };
  const undo = (): void => {
    for (let k = jLen - 1; k >= 0; k--) {
      const p = jPos[k];
      const x = jOld[k];
      tour[p] = x;
      pos[x] = p;
    }
    jLen = 0;
  };
  const reversePositions = (i: number, j: number): void => {
    // Reverse the cyclic run of positions i..j (inclusive, going forward).
    let len = j - i;
    if (len < 0) len += n;
    len += 1;
    for (let s = 0; s < len >> 1; s++) {
      const pi = i + s >= n ? i + s - n : i + s;
      const pj = j - s < 0 ? j - s + n : j - s;
      const x = tour[pi];
      const y = tour[pj];
      record(pi, x);
      record(pj, y);
      tour[pi] = y;
      pos[y] = pi;
      tour[pj] = x;
      pos[x] = pj;
    }
  };
  /** Remove arcs a-b and c-d (a→b … c→d in tour order) and add a-c, b-d by reversing b..c. */
  const move2opt = (a: NodeId, b: NodeId, c: NodeId, d2: NodeId): void => {
    if (succ(a) !== b) {
      // Orientation flipped by an earlier complement reversal (symmetric only): d→c … b→a.
      reversePositions(pos[c], pos[b]);
      return;
    }
    let inner = pos[c] - pos[b];
    if (inner < 0) inner += n;
    if (sym && 2 * (inner + 1) > n) reversePositions(pos[d2], pos[a]);
    else reversePositions(pos[b], pos[c]);
  };
  /** Gain of move2opt(a,b,c,d) in the current orientation (a→b, c→d). */
  const gain2opt = (a: NodeId, b: NodeId, c: NodeId, d2: NodeId): Cost => {
    let g = d(a, b) + d(c, d2) - d(a, c) - d(b, d2);
    if (!sym) g += pathCost(F, pos[b], pos[c]) - pathCost(B, pos[b], pos[c]);
    return g;
  };

  const segBuf = new Int32Array(n);
  const dlb = new Uint8Array(n);
  const queue = new Int32Array(n);
  const inQueue = new Uint8Array(n);
  let qHead = 0;
  let qLen = 0;
  const push = (x: NodeId): void => {
    dlb[x] = 0;
    if (inQueue[x]) return;
    inQueue[x] = 1;
    queue[(qHead + qLen) % n] = x;
    qLen++;
  };
  const pop = (): NodeId => {
    const x = queue[qHead];
    qHead = qHead + 1 === n ? 0 : qHead + 1;
    qLen--;
    inQueue[x] = 0;
    return x;
  };

  let length = tourLength(n, m, tour);

  /** Try every improving 2-opt / Or-opt move around node a; apply the first found. */
  const improve = (a: NodeId): boolean => {
    // 2-opt, successor side: a→b, new arc a→c.
    {
      const b = succ(a);
      const dab = d(a, b);
      for (let k = 0; k < K; k++) {
        const c = neigh[a * K + k];
        if (d(a, c) >= dab && sym) break;
        const d2 = succ(c);
        if (c === b || d2 === a) continue;
        const g = gain2opt(a, b, c, d2);
        if (g > 0) {
          move2opt(a, b, c, d2);
          length -= g;
          push(a);
          push(b);
          push(c);
          push(d2);
          return true;
        }
      }
    }
    // 2-opt, predecessor side: b→a, new arc c→a (via move b→a … c2→c becomes b→c2, a→c).
    {
      const b = pred(a);
      const dba = d(b, a);
      for (let k = 0; k < K; k++) {
        const c = neigh[a * K + k];
        if (d(c, a) >= dba && sym) break;
        const c2 = pred(c);
        if (c === b || c2 === a) continue;
        // Tour: c2→c … b→a; removing c2-c and b-a, adding c2-b and c-a reverses c..b.
        const g = gain2opt(c2, c, b, a);
        if (g > 0) {
          move2opt(c2, c, b, a);
          length -= g;
          push(a);
          push(b);
          push(c);
          push(c2);
          return true;
        }
      }
    }
    // Or-opt: move a segment of 1..OR_MAX nodes that starts or ends at a.
    for (let L = 1; L <= OR_MAX && L < n - 2; L++) {
      for (let side = 0; side < 2; side++) {
        if (L === 1 && side === 1) break;
        let s1: NodeId;
        let s2: NodeId;
        if (side === 0) {
          s1 = a;
          s2 = a;
          for (let t = 1; t < L; t++) s2 = succ(s2);
        } else {
          s2 = a;
          s1 = a;
          for (let t = 1; t < L; t++) s1 = pred(s1);
        }
        const p = pred(s1);
        const nx = succ(s2);
        const g0 = d(p, s1) + d(s2, nx) - d(p, nx);
        if (g0 <= 0) continue;
        let innerFw = 0;
        let innerBw = 0;
        if (!sym) {
          for (let x = s1; x !== s2; x = succ(x)) {
            innerFw += d(x, succ(x));
            innerBw += d(succ(x), x);
          }
        }
        const p1 = pos[s1];
        const inSeg = (x: NodeId): boolean => {
          let r = pos[x] - p1;
          if (r < 0) r += n;
          return r < L;
        };
        for (let e = 0; e < 2; e++) {
          const anchor = e === 0 ? s1 : s2;
          for (let k = 0; k < K; k++) {
            const x = neigh[anchor * K + k];
            if (sym && d(anchor, x) >= g0) break;
            if (inSeg(x)) continue;
            // Two candidate slots around x: (x, succ x) and (pred x, x).
            for (let slot = 0; slot < 2; slot++) {
              const c = slot === 0 ? x : pred(x);
              const c2 = slot === 0 ? succ(x) : x;
              if (inSeg(c) || inSeg(c2)) continue;
              const base = g0 + d(c, c2);
              const fw = base - d(c, s1) - d(s2, c2);
              const bw = base - d(c, s2) - d(s1, c2) + innerFw - innerBw;
              if (fw <= 0 && bw <= 0) continue;
              const reversed = bw > fw;
              // p→[s1..s2]→nx … c→c2  ⇒  p→nx … c→s2..s1→c2 (then flip the segment if forward is better).
              move2opt(p, s1, c, c2);
              move2opt(p, c, nx, s2);
              if (!reversed) move2opt(c, s2, s1, c2);
              length -= reversed ? bw : fw;
              push(p);
              push(nx);
              push(c);
              push(c2);
              push(s1);
              push(s2);
              return true;
            }
          }
        }
      }
    }
    // Or-3opt: swap the consecutive segments b..c and c2..e without reversing either
    // (a→b … c→c2 … e→f becomes a→c2 … e→b … c→f); exact for asymmetric costs.
    {
      const b = succ(a);
      const pb = pos[b];
      for (let k = 0; k < K; k++) {
        const c2 = neigh[a * K + k];
        const g1 = d(a, b) - d(a, c2);
        if (g1 <= 0) {
          if (sym) break;
          continue;
        }
        if (c2 === b) continue;
        const c = pred(c2);
        let rc = pos[c] - pb;
        if (rc < 0) rc += n;
        if (rc >= n - 2) continue;
        const gc = g1 + d(c, c2);
        for (let k2 = 0; k2 < K; k2++) {
          const e = neigh[b * K + k2];
          const g2 = gc - d(e, b);
          if (g2 <= 0) {
            if (sym) break;
            continue;
          }
          let re = pos[e] - pb;
          if (re < 0) re += n;
          if (re <= rc || re >= n - 1) continue;
          const f = succ(e);
          const g = g2 + d(e, f) - d(c, f);
          if (g > 0) {
            let o = 0;
            for (let t = rc + 1; t <= re; t++) segBuf[o++] = tour[(pb + t) % n];
            for (let t = 0; t <= rc; t++) segBuf[o++] = tour[(pb + t) % n];
            for (let t = 0; t < o; t++) {
              const p = (pb + t) % n;
              record(p, tour[p]);
              tour[p] = segBuf[t];
              pos[segBuf[t]] = p;
            }
            length -= g;
            push(a);
            push(b);
            push(c);
            push(c2);
            push(e);
            push(f);
            return true;
          }
        }
      }
    }
    return false;
  };

  const localSearch = (): void => {
    while (qLen > 0) {
      const a = pop();
      if (dlb[a]) continue;
      if (improve(a)) {
        refreshPrefix();
      } else {
        dlb[a] = 1;
      }
    }
  };

  refreshPrefix();
  for (let i = 0; i < n; i++) push(tour[i]);
  localSearch();

  const best = tour.slice();
  let bestLen = length;
  let curLen = length;
  const scratch = new Int32Array(n);
  let kicks = 0;
  const maxKicks = opts.maxKicks ?? Infinity;
  const wMax = Math.min(KICK_WINDOW_MAX, n - 1);
  const stagnation = STAGNATION * n;
  let sinceImprove = 0;
  while (kicks < maxKicks && (kicks & 7 || now() < deadline)) {
    kicks++;
    // Double bridge A B C D → A C B D, mostly with the cuts inside a short window so the local search
    // only repairs a small region and each kick stays cheap.
    const start = rng.int(n);
    const w = rng.next() < GLOBAL_KICKS ? n - 1 : Math.min(wMax, KICK_WINDOW_MIN + rng.int(Math.max(1, wMax - KICK_WINDOW_MIN + 1)));
    let c1 = 1 + rng.int(w - 2);
    let c2 = 1 + rng.int(w - 2);
    let c3 = 1 + rng.int(w - 2);
    if (c1 > c2) {
      const t = c1;
      c1 = c2;
      c2 = t;
    }
    if (c2 > c3) {
      const t = c2;
      c2 = c3;
      c3 = t;
    }
    if (c1 > c2) {
      const t = c1;
      c1 = c2;
      c2 = t;
    }
    if (c1 === c2 || c2 === c3) continue;
    // Positions start+c1 .. start+c2-1 is B, start+c2 .. start+c3-1 is C.
    jLen = 0;
    const pa = (start + c1 - 1) % n;
    const pb = (start + c1) % n;
    const pbe = (start + c2 - 1) % n;
    const pc = (start + c2) % n;
    const pce = (start + c3 - 1) % n;
    const pd = (start + c3) % n;
    const na = tour[pa],
      nb = tour[pb],
      nbe = tour[pbe],
      nc = tour[pc],
      nce = tour[pce],
      nd = tour[pd];
    length += d(na, nc) + d(nce, nb) + d(nbe, nd) - d(na, nb) - d(nbe, nc) - d(nce, nd);
    let o = 0;
    for (let t = c2; t < c3; t++) scratch[o++] = tour[(start + t) % n];
    for (let t = c1; t < c2; t++) scratch[o++] = tour[(start + t) % n];
    for (let t = 0; t < o; t++) {
      const p = (start + c1 + t) % n;
      record(p, tour[p]);
      tour[p] = scratch[t];
      pos[scratch[t]] = p;
    }
    refreshPrefix();
    push(na);
    push(nb);
    push(nbe);
    push(nc);
    push(nce);
    push(nd);
    localSearch();
    // Restart on stagnation: keep the kicked tour even if longer, to leave a deep basin.
    const restart = sinceImprove > stagnation;
    if (restart) sinceImprove = 0;
    if (length <= curLen || restart || length < bestLen * (1 + ACCEPT_SLACK)) {
      if (length < bestLen) {
        bestLen = length;
        best.set(tour);
        sinceImprove = 0;
      }
      curLen = length;
      jLen = 0;
    } else {
      undo();
      length = curLen;
      refreshPrefix();
    }
    sinceImprove++;
  }
  return { tour: best, length: bestLen, kicks };
}
