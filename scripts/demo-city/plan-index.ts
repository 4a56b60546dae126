/**
 * Spatial look-ups on the plan: a uniform grid over road segments (is this spot on a street? does this
 * compound outline cross one?) and over cells (which cell, and so which subdistrict, holds a point).
 */
import { pointInRing } from '../../server/contract/geo';
import { type XY, distanceToSegment, segmentsIntersect } from './geometry';
import type { Cell, PointPool } from './plan';

const SEG_CELL_M = 100;
const CELL_CELL_M = 400;

function key(cx: number, cy: number): number {
  return (cx + 50_000) * 100_000 + (cy + 50_000);
}

/** Road segments of the final network, for clearance and crossing tests. */
export class SegmentIndex {
  private readonly ax: number[] = [];
  private readonly ay: number[] = [];
  private readonly bx: number[] = [];
  private readonly by: number[] = [];
  private readonly tag: number[] = [];
  private readonly grid = new Map<number, number[]>();

  /** Adds segment A→B with a caller's tag (e.g. the road class's half width). */
  add(a: XY, b: XY, tag: number): void {
    const id = this.ax.length;
    this.ax.push(a[0]);
    this.ay.push(a[1]);
    this.bx.push(b[0]);
    this.by.push(b[1]);
    this.tag.push(tag);
    const x0 = Math.floor(Math.min(a[0], b[0]) / SEG_CELL_M);
    const x1 = Math.floor(Math.max(a[0], b[0]) / SEG_CELL_M);
    const y0 = Math.floor(Math.min(a[1], b[1]) / SEG_CELL_M);
    const y1 = Math.floor(Math.max(a[1], b[1]) / SEG_CELL_M);
    for (let cx = x0; cx <= x1; cx++) {
      for (let cy = y0; cy <= y1; cy++) {
        const k = key(cx, cy);
        const list = this.grid.get(k);
        if (list) list.push(id);
        else this.grid.set(k, [id]);
      }
    }
  }

  /** Adds every segment of a polyline. */
  addLine(line: readonly XY[], tag: number): void {
    for (let i = 1; i < line.length; i++) this.add(line[i - 1], line[i], tag);
  }

  private candidates(minX: number, minY: number, maxX: number, maxY: number): Set<number> {
    const out = new Set<number>();
    for (let cx = Math.floor(minX / SEG_CELL_M); cx <= Math.floor(maxX / SEG_CELL_M); cx++) {
      for (let cy = Math.floor(minY / SEG_CELL_M); cy <= Math.floor(maxY / SEG_CELL_M); cy++) {
        const list = this.grid.get(key(cx, cy));
        if (list) for (const id of list) out.add(id);
      }
    }
    return out;
  }

  /**
   * Smallest clearance (m) from a point to the street space around any segment within `radius`:
   * distance minus the segment's tag (half width). Infinity when nothing is that close.
   */
  clearance(x: number, y: number, radius: number): number {
    let best = Infinity;
    for (const id of this.candidates(x - radius, y - radius, x + radius, y + radius)) {
      const { d } = distanceToSegment(x, y, this.ax[id], this.ay[id], this.bx[id], this.by[id]);
      if (d <= radius && d - this.tag[id] < best) best = d - this.tag[id];
    }
    return best;
  }

  /** Distance (m) to the nearest segment within `radius`, Infinity when none. */
  distance(x: number, y: number, radius: number): number {
    let best = Infinity;
    for (const id of this.candidates(x - radius, y - radius, x + radius, y + radius)) {
      const { d } = distanceToSegment(x, y, this.ax[id], this.ay[id], this.bx[id], this.by[id]);
      if (d < best) best = d;
    }
    return best <= radius ? best : Infinity;
  }

  /** True when any segment crosses the ring's outline or lies inside it. */
  touchesRing(ring: readonly XY[]): boolean {
    let minX = Infinity;
    let minY = Infinity;
    let maxX = -Infinity;
    let maxY = -Infinity;
    for (const [x, y] of ring) {
      minX = Math.min(minX, x);
      minY = Math.min(minY, y);
      maxX = Math.max(maxX, x);
      maxY = Math.max(maxY, y);
    }
    for (const id of this.candidates(minX, minY, maxX, maxY)) {
      if (pointInRing(this.ax[id], this.ay[id], ring)) return true;
      for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        if (segmentsIntersect(this.ax[id], this.ay[id], this.bx[id], this.by[id], ring[j][0], ring[j][1], ring[i][0], ring[i][1])) return true;
      }
    }
    return false;
  }
}

/** Finds the arterial cell holding a plan point. */
export class CellLocator {
  private readonly grid = new Map<number, number[]>();
  private readonly rings: XY[][];

  constructor(pool: PointPool, cells: readonly Cell[]) {
    this.rings = cells.map((c) => c.corners.map((p) => pool.get(p)));
    this.rings.forEach((ring, id) => {
      const xs = ring.map((p) => p[0]);
      const ys = ring.map((p) => p[1]);
      for (let cx = Math.floor(Math.min(...xs) / CELL_CELL_M); cx <= Math.floor(Math.max(...xs) / CELL_CELL_M); cx++) {
        for (let cy = Math.floor(Math.min(...ys) / CELL_CELL_M); cy <= Math.floor(Math.max(...ys) / CELL_CELL_M); cy++) {
          const k = key(cx, cy);
          const list = this.grid.get(k);
          if (list) list.push(id);
          else this.grid.set(k, [id]);
        }
      }
    });
  }

  /** Cell id holding (u, v), or -1. */
  cellAt(u: number, v: number): number {
    const list = this.grid.get(key(Math.floor(u / CELL_CELL_M), Math.floor(v / CELL_CELL_M)));
    if (!list) return -1;
    for (const id of list) if (pointInRing(u, v, this.rings[id])) return id;
    return -1;
  }
}
