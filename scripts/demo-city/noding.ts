/**
 * Planar noding: finds every place where two proto roads meet (crossings and T-junctions), makes both
 * roads pass through one shared pool point there, and cuts the roads into edges between junctions.
 * This is what lets a later road graph be built from the LineStrings by matching coordinates.
 *
 *   A────────B          A────X────B        edges: A–X, X–B, C–X, X–D
 *        C                   │
 *        │        ──►        │
 *        D                   D   (C above X is dropped when it was a T: C === X)
 */
import { distanceToSegment, segmentParams } from './geometry';
import type { PointPool } from './plan';

const CELL_M = 80;
/** A road end this close to another road's line lies on it (a T-junction). */
const ON_LINE_M = 0.01;
/** A crossing this close to an existing vertex uses that vertex instead of a new point. */
const SNAP_M = 0.5;

interface Insert {
  t: number;
  p: number;
}

/**
 * Nodes the roads in place (each `roads[i]` gets the junction points inserted) and returns, per road,
 * its edges as pool-index polylines in order along the road.
 */
export function nodeRoads(pool: PointPool, roads: number[][]): number[][][] {
  const segRoad: number[] = [];
  const segIndex: number[] = [];
  const grid = new Map<number, number[]>();
  const key = (cx: number, cy: number) => (cx + 50_000) * 100_000 + (cy + 50_000);

  for (let r = 0; r < roads.length; r++) {
    const pts = roads[r];
    for (let i = 0; i + 1 < pts.length; i++) {
      const id = segRoad.length;
      segRoad.push(r);
      segIndex.push(i);
      const ax = pool.x[pts[i]];
      const ay = pool.y[pts[i]];
      const bx = pool.x[pts[i + 1]];
      const by = pool.y[pts[i + 1]];
      const x0 = Math.floor(Math.min(ax, bx) / CELL_M);
      const x1 = Math.floor(Math.max(ax, bx) / CELL_M);
      const y0 = Math.floor(Math.min(ay, by) / CELL_M);
      const y1 = Math.floor(Math.max(ay, by) / CELL_M);
      for (let cx = x0; cx <= x1; cx++) {
        for (let cy = y0; cy <= y1; cy++) {
          const k = key(cx, cy);
          const list = grid.get(k);
          if (list) list.push(id);
          else grid.set(k, [id]);
        }
      }
    }
  }

  const inserts = new Map<number, Insert[]>();
  const addInsert = (seg: number, t: number, p: number) => {
    const list = inserts.get(seg);
    if (list) list.push({ t, p });
    else inserts.set(seg, [{ t, p }]);
  };
  const segA = (s: number) => roads[segRoad[s]][segIndex[s]];
  const segB = (s: number) => roads[segRoad[s]][segIndex[s] + 1];

  // Crossings. Each pair is examined in every grid cell both segments touch; only the cell that
  // contains the crossing point records it, so a crossing is inserted once.
  for (const [k, list] of grid) {
    const cx = Math.floor(k / 100_000) - 50_000;
    const cy = (k % 100_000) - 50_000;
    for (let i = 0; i < list.length; i++) {
      const s1 = list[i];
      const a = segA(s1);
      const b = segB(s1);
      for (let j = i + 1; j < list.length; j++) {
        const s2 = list[j];
        const c = segA(s2);
        const d = segB(s2);
        if (a === c || a === d || b === c || b === d) continue;
        const ax = pool.x[a];
        const ay = pool.y[a];
        const bx = pool.x[b];
        const by = pool.y[b];
        const q = segmentParams(ax, ay, bx, by, pool.x[c], pool.y[c], pool.x[d], pool.y[d]);
        if (!q || q.t < 0 || q.t > 1 || q.s < 0 || q.s > 1) continue;
        const x = ax + q.t * (bx - ax);
        const y = ay + q.t * (by - ay);
        if (Math.floor(x / CELL_M) !== cx || Math.floor(y / CELL_M) !== cy) continue;
        const near = (p: number) => Math.hypot(pool.x[p] - x, pool.y[p] - y) < SNAP_M;
        if (near(a) || near(b)) {
          // The crossing is at a vertex of s1: that vertex joins s2 (unless it only touches s2's end).
          const v = near(a) ? a : b;
          if (!near(c) && !near(d)) addInsert(s2, q.s, v);
          continue;
        }
        if (near(c) || near(d)) {
          addInsert(s1, q.t, near(c) ? c : d);
          continue;
        }
        const p = pool.add(x, y);
        addInsert(s1, q.t, p);
        addInsert(s2, q.s, p);
      }
    }
  }

  // T-junctions: a road's end lying on another road's line.
  for (let r = 0; r < roads.length; r++) {
    const pts = roads[r];
    for (const p of [pts[0], pts[pts.length - 1]]) {
      const px = pool.x[p];
      const py = pool.y[p];
      const gx = Math.floor(px / CELL_M);
      const gy = Math.floor(py / CELL_M);
      const seen = new Set<number>();
      for (let dx = -1; dx <= 1; dx++) {
        for (let dy = -1; dy <= 1; dy++) {
          const list = grid.get(key(gx + dx, gy + dy));
          if (!list) continue;
          for (const s of list) {
            if (seen.has(s)) continue;
            seen.add(s);
            const a = segA(s);
            const b = segB(s);
            if (a === p || b === p) continue;
            const hit = distanceToSegment(px, py, pool.x[a], pool.y[a], pool.x[b], pool.y[b]);
            if (hit.d > ON_LINE_M || hit.t <= 0 || hit.t >= 1) continue;
            addInsert(s, hit.t, p);
          }
        }
      }
    }
  }

  // Rebuild each road with its junction points in order.
  const firstSeg: number[] = [];
  for (let s = 0; s < segRoad.length; s++) if (segIndex[s] === 0) firstSeg[segRoad[s]] = s;
  for (let r = 0; r < roads.length; r++) {
    const pts = roads[r];
    if (pts.length < 2) continue;
    const out: number[] = [pts[0]];
    for (let i = 0; i + 1 < pts.length; i++) {
      const list = inserts.get(firstSeg[r] + i);
      if (list) {
        list.sort((u, v) => u.t - v.t);
        for (const ins of list) if (out[out.length - 1] !== ins.p) out.push(ins.p);
      }
      if (out[out.length - 1] !== pts[i + 1]) out.push(pts[i + 1]);
    }
    roads[r] = out;
  }

  // A vertex used more than once (by any road, or twice by a closed road) is a junction.
  const uses = new Map<number, number>();
  for (const pts of roads) for (const p of pts) uses.set(p, (uses.get(p) ?? 0) + 1);
  return roads.map((pts) => {
    const edges: number[][] = [];
    if (pts.length < 2) return edges;
    let current: number[] = [pts[0]];
    for (let i = 1; i < pts.length; i++) {
      current.push(pts[i]);
      if (i < pts.length - 1 && (uses.get(pts[i]) ?? 0) > 1) {
        edges.push(current);
        current = [pts[i]];
      }
    }
    edges.push(current);
    return edges;
  });
}
