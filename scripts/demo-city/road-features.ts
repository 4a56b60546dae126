/**
 * Turns the plan's road edges into world LineStrings: densified and warped, clipped to the city
 * rectangle, rounded to 1e-7°. Junction points are warped from the same shared plan point, so roads
 * that meet keep exactly equal coordinates there. Fragments cut off from the network by the clipping
 * (a lane whose street lies outside the city) are dropped.
 */
import { type CityFrame, warpPolyline, worldToLngLat } from './frame';
import type { XY } from './geometry';
import type { RoadClass } from './plan';
import type { StreetNetwork } from './street-network';

/** A road feature ready to write (coordinates in [lng, lat]). */
export interface RoadFeature {
  id: string;
  name: string | null;
  cls: RoadClass;
  oneway: 0 | 1 | -1;
  maxspeedKmh: number | null;
  bridge: boolean;
  coords: XY[];
  lengthM: number;
}

/** Smallest connected piece of network kept, metres. */
const MIN_COMPONENT_M = 300;

/**
 * Clips a world polyline to the axis-aligned rectangle [minX, minY, maxX, maxY] (Liang–Barsky per
 * segment); returns the pieces inside.
 */
export function clipPolyline(line: readonly XY[], rect: readonly [number, number, number, number]): XY[][] {
  const pieces: XY[][] = [];
  let current: XY[] = [];
  for (let i = 1; i < line.length; i++) {
    const [x0, y0] = line[i - 1];
    const [x1, y1] = line[i];
    const dx = x1 - x0;
    const dy = y1 - y0;
    let t0 = 0;
    let t1 = 1;
    let visible = true;
    const edges: [number, number][] = [
      [-dx, x0 - rect[0]],
      [dx, rect[2] - x0],
      [-dy, y0 - rect[1]],
      [dy, rect[3] - y0],
    ];
    for (const [p, q] of edges) {
      if (p === 0) {
        if (q < 0) visible = false;
      } else {
        const r = q / p;
        if (p < 0) t0 = Math.max(t0, r);
        else t1 = Math.min(t1, r);
      }
    }
    if (!visible || t0 > t1) {
      if (current.length > 1) pieces.push(current);
      current = [];
      continue;
    }
    const a: XY = t0 === 0 ? line[i - 1] : [x0 + t0 * dx, y0 + t0 * dy];
    const b: XY = t1 === 1 ? line[i] : [x0 + t1 * dx, y0 + t1 * dy];
    if (current.length === 0) current.push(a);
    current.push(b);
    if (t1 < 1) {
      if (current.length > 1) pieces.push(current);
      current = [];
    }
  }
  if (current.length > 1) pieces.push(current);
  return pieces;
}

function lengthOf(line: readonly XY[]): number {
  let sum = 0;
  for (let i = 1; i < line.length; i++) sum += Math.hypot(line[i][0] - line[i - 1][0], line[i][1] - line[i - 1][1]);
  return sum;
}

/** Builds every road feature of the city, ids r1, r2, … in a stable order. */
export function roadFeatures(frame: CityFrame, net: StreetNetwork): RoadFeature[] {
  const out: Omit<RoadFeature, 'id'>[] = [];
  for (const edges of net.roadEdges) {
    for (const edge of edges) {
      const road = net.roads[edge.road];
      const world = warpPolyline(frame, net.pool.line(edge.pts));
      for (const piece of clipPolyline(world, frame.worldRect)) {
        // Even a very short piece stays: dropping it would cut the network at a junction.
        const lengthM = lengthOf(piece);
        const coords: XY[] = [];
        for (const [x, y] of piece) {
          const c = worldToLngLat(frame, x, y);
          const last = coords[coords.length - 1];
          if (!last || last[0] !== c[0] || last[1] !== c[1]) coords.push(c);
        }
        if (coords.length < 2) continue;
        out.push({ name: road.name, cls: road.cls, oneway: road.oneway, maxspeedKmh: road.maxspeedKmh, bridge: edge.bridge, coords, lengthM });
      }
    }
  }
  // Connected components over shared end coordinates.
  const parent: number[] = [];
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  };
  const nodeOf = new Map<string, number>();
  const node = (c: XY) => {
    const key = `${c[0]},${c[1]}`;
    let id = nodeOf.get(key);
    if (id === undefined) {
      id = parent.length;
      parent.push(id);
      nodeOf.set(key, id);
    }
    return id;
  };
  const ends = out.map((f) => [node(f.coords[0]), node(f.coords[f.coords.length - 1])]);
  for (const [a, b] of ends) parent[find(a)] = find(b);
  const componentLength = new Map<number, number>();
  out.forEach((f, i) => {
    const root = find(ends[i][0]);
    componentLength.set(root, (componentLength.get(root) ?? 0) + f.lengthM);
  });
  return out.filter((_, i) => (componentLength.get(find(ends[i][0])) ?? 0) >= MIN_COMPONENT_M).map((f, i) => ({ id: `r${i + 1}`, ...f }));
}
