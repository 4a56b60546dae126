/**
 * The arterial grid: two families of slightly tilted lines at irregular spacing (600–1000 m) across the
 * plan, the cells between them, and what each cell is built as (old town, mixed, residential, new
 * district, industrial, park). With the frame's rotation and warp this gives the "rotated, bent,
 * irregular" arterial pattern of a Chinese district rather than a checkerboard.
 *
 *   v ▲   l+1 ──┬─────────┬──      a u-line k is u = a + (b − a)·(v − minV)/(maxV − minV)
 *       │       │  cell   │        a v-line l is v = c + (d − c)·(u − minU)/(maxU − minU)
 *       │   l ──┼─────────┼──      corner (k, l) is where they cross
 *       │       k        k+1
 *       └───────────────────► u
 */
import type { CityFrame } from './frame';
import type { XY } from './geometry';
import { type Cell, PointPool, type Zone } from './plan';
import { type Rng, uniform } from './random';
import type { WaterPlan } from './water';
import { pointInRing } from '../../server/contract/geo';

/** A grid line: its offset at the low end (`a`) and the high end (`b`) of the plan. */
export interface GridLine {
  a: number;
  b: number;
  border: boolean;
}

export interface ArterialGrid {
  uLines: GridLine[];
  vLines: GridLine[];
  /** corners[k][l]: pool index where u-line k meets v-line l. */
  corners: number[][];
  cells: Cell[];
  /** Index of the u- and v-line through the centre (the two 大道). */
  centralU: number;
  centralV: number;
}

const MIN_GAP_M = 430;

function linePositions(rng: Rng, min: number, max: number): GridLine[] {
  const lines: GridLine[] = [{ a: min, b: min, border: true }];
  let p = min + uniform(rng, 350, 800);
  const centre = uniform(rng, -120, 120);
  const pos: number[] = [];
  while (p < max - 300) {
    pos.push(p);
    p += uniform(rng, 600, 1000);
  }
  // Shift so one line runs close to the centre: that line becomes the city's main avenue.
  let nearest = pos[0];
  for (const q of pos) if (Math.abs(q - centre) < Math.abs(nearest - centre)) nearest = q;
  const shift = centre - nearest;
  const shifted = pos.map((q) => q + shift).filter((q) => q > min + 250 && q < max - 250);
  let prevA = min;
  let prevB = min;
  for (const q of shifted) {
    let a = q + uniform(rng, -160, 160);
    let b = q + uniform(rng, -160, 160);
    a = Math.max(a, prevA + MIN_GAP_M);
    b = Math.max(b, prevB + MIN_GAP_M);
    if (a > max - 250 || b > max - 250) break;
    lines.push({ a, b, border: false });
    prevA = a;
    prevB = b;
  }
  lines.push({ a: max, b: max, border: true });
  return lines;
}

/** Lays out the arterial grid and its cells over the frame's plan extent. */
export function planGrid(rng: Rng, frame: CityFrame, water: WaterPlan, pool: PointPool): ArterialGrid {
  const [minU, minV, maxU, maxV] = frame.planExtent;
  const uLines = linePositions(rng, minU, maxU);
  const vLines = linePositions(rng, minV, maxV);
  const corners: number[][] = [];
  for (let k = 0; k < uLines.length; k++) {
    corners.push([]);
    const { a, b } = uLines[k];
    const alpha = (b - a) / (maxV - minV);
    for (let l = 0; l < vLines.length; l++) {
      const { a: c, b: d } = vLines[l];
      const beta = (d - c) / (maxU - minU);
      const u = (a + alpha * (c - beta * minU - minV)) / (1 - alpha * beta);
      const v = c + beta * (u - minU);
      corners[k].push(pool.add(u, v));
    }
  }
  const centralU = nearestInterior(uLines);
  const centralV = nearestInterior(vLines);

  const cells: Cell[] = [];
  for (let l = 0; l + 1 < vLines.length; l++) {
    for (let k = 0; k + 1 < uLines.length; k++) {
      const c: [number, number, number, number] = [corners[k][l], corners[k + 1][l], corners[k + 1][l + 1], corners[k][l + 1]];
      let cu = 0;
      let cv = 0;
      for (const p of c) {
        cu += pool.x[p] / 4;
        cv += pool.y[p] / 4;
      }
      cells.push({ id: cells.length, k, l, corners: c, zone: 'mixed', center: [cu, cv] });
    }
  }
  assignZones(rng, frame, water, pool, cells);
  return { uLines, vLines, corners, cells, centralU, centralV };
}

function nearestInterior(lines: GridLine[]): number {
  let best = 1;
  for (let i = 1; i + 1 < lines.length; i++) {
    if (Math.abs(lines[i].a + lines[i].b) < Math.abs(lines[best].a + lines[best].b)) best = i;
  }
  return best;
}

function cellRing(pool: PointPool, cell: Cell): XY[] {
  return cell.corners.map((p) => pool.get(p));
}

/**
 * Old town in the one or two cells nearest the centre, a park around the lake, a mixed inner city,
 * residential compounds further out and new-district superblocks and industry at the edge.
 */
function assignZones(rng: Rng, frame: CityFrame, water: WaterPlan, pool: PointPool, cells: Cell[]): void {
  const lake = water.lake.center;
  for (const cell of cells) {
    if (pointInRing(lake[0], lake[1], cellRing(pool, cell))) cell.zone = 'park';
  }
  const byDistance = cells.filter((c) => c.zone !== 'park').sort((p, q) => Math.hypot(...p.center) - Math.hypot(...q.center));
  const oldCount = frame.scale >= 2 ? 3 : 2;
  const old = [byDistance[0]];
  for (const c of byDistance.slice(1)) {
    if (old.length >= oldCount) break;
    if (old.some((o) => Math.abs(o.k - c.k) + Math.abs(o.l - c.l) === 1)) old.push(c);
  }
  for (const c of old) c.zone = 'old';
  const side = Math.sqrt(frame.scale);
  const inner = 1900 * Math.pow(frame.scale, 0.25);
  const outer = 2900 * Math.pow(side, 0.8);
  for (const cell of cells) {
    if (cell.zone === 'park' || cell.zone === 'old') continue;
    const d = Math.hypot(...cell.center);
    const r = rng();
    let zone: Zone;
    if (d < inner) zone = r < 0.55 ? 'mixed' : 'residential';
    else if (d < outer) zone = r < 0.42 ? 'residential' : r < 0.64 ? 'mixed' : r < 0.88 ? 'new' : 'village';
    else zone = r < 0.4 ? 'new' : r < 0.62 ? 'industrial' : r < 0.9 ? 'residential' : 'village';
    cell.zone = zone;
  }
}
