/**
 * The street network on the plan: arterial grid (大道/路), ring road arc, riverside and lakeside roads,
 * the streets and lanes inside every cell, then noding (roads split at every junction, sharing the
 * junction's point) and the water rule: no road enters the river corridor except at a bridge, none
 * enters the lakeside loop.
 */
import type { CityFrame } from './frame';
import { toWorld, insideWorldRect } from './frame';
import { pointInRing } from '../../server/contract/geo';
import { type XY, bboxOf } from './geometry';
import { type ArterialGrid, planGrid } from './grid';
import type { NameBook } from './names';
import { nodeRoads } from './noding';
import { type Block, MAXSPEED_KMH, type PlanEdge, PointPool, type ProtoRoad, type RoadClass } from './plan';
import { type Rng, chance, uniform } from './random';
import { subdivideCell } from './subdivide';
import type { WaterPlan } from './water';

export interface StreetNetwork {
  pool: PointPool;
  roads: ProtoRoad[];
  grid: ArterialGrid;
  blocks: Block[];
  /** Edges that survive the water rule, grouped per road in order along it. */
  roadEdges: PlanEdge[][];
}

const RING_STEP_M = 20;
const MAJOR = new Set<RoadClass>(['trunk', 'primary', 'secondary', 'tertiary']);

/** Builds the whole plan-space street network. */
export function buildStreetNetwork(rng: Rng, frame: CityFrame, water: WaterPlan, names: NameBook): StreetNetwork {
  const pool = new PointPool();
  const roads: ProtoRoad[] = [];
  const grid = planGrid(rng, frame, water, pool);
  const addRoad = (r: Omit<ProtoRoad, 'id' | 'maxspeedKmh'>): ProtoRoad => {
    const road: ProtoRoad = { ...r, id: roads.length, maxspeedKmh: MAXSPEED_KMH[r.cls] };
    roads.push(road);
    return road;
  };

  const bridged = chooseBridges(frame, grid, water);
  const uRoadOf = arterials(rng, grid, names, addRoad, 'u', bridged);
  const vRoadOf = arterials(rng, grid, names, addRoad, 'v', new Set());

  const bankPoints = (line: XY[]) => line.map(([x, y]) => pool.add(x, y));
  addRoad({
    pts: bankPoints(water.river.northBank),
    cls: 'secondary',
    name: names.reserve('滨河北路'),
    oneway: 0,
    mayCross: false,
    role: 'riverside',
    cell: -1,
    lane: false,
  });
  addRoad({
    pts: bankPoints(water.river.southBank),
    cls: 'secondary',
    name: names.reserve('滨河南路'),
    oneway: 0,
    mayCross: false,
    role: 'riverside',
    cell: -1,
    lane: false,
  });
  const loop = bankPoints(water.lake.loop);
  loop.push(loop[0]);
  addRoad({ pts: loop, cls: 'tertiary', name: names.reserve('环湖路'), oneway: 0, mayCross: false, role: 'lakeside', cell: -1, lane: false });
  addRoad({ pts: ringArc(rng, frame, pool), cls: 'primary', name: names.reserve('环城路'), oneway: 0, mayCross: false, role: 'ring', cell: -1, lane: false });

  const blocks: Block[] = [];
  const ctx = { rng, pool, names, roads, blocks, ends: new Map(), junctions: new Map() };
  const nU = grid.uLines.length;
  const nV = grid.vLines.length;
  for (const cell of grid.cells) {
    const { k, l } = cell;
    const edgeRoads = [
      l === 0 ? -1 : vRoadOf[l][k],
      k + 1 === nU - 1 ? -1 : uRoadOf[k + 1][l],
      l + 1 === nV - 1 ? -1 : vRoadOf[l + 1][k],
      k === 0 ? -1 : uRoadOf[k][l],
    ];
    const edgeKeys = [
      l === 0 ? null : `v${l}_${k}`,
      k + 1 === nU - 1 ? null : `u${k + 1}_${l}`,
      l + 1 === nV - 1 ? null : `v${l + 1}_${k}`,
      k === 0 ? null : `u${k}_${l}`,
    ];
    subdivideCell(ctx, cell, edgeRoads, edgeKeys);
  }

  const lines = roads.map((r) => r.pts);
  const noded = nodeRoads(pool, lines);
  roads.forEach((road, i) => {
    road.pts = lines[i];
  });
  const roadEdges = applyWaterRule(pool, roads, noded, water);
  return { pool, roads, grid, blocks, roadEdges };
}

/**
 * Arterials of one family. Returns roadOf[line][segment] = road id for each segment between corners.
 * The central line is a trunk 大道; others are primary or secondary 路, split into 东/西 (or 南/北)
 * halves at the central cross line half of the time.
 */
function arterials(
  rng: Rng,
  grid: ArterialGrid,
  names: NameBook,
  addRoad: (r: Omit<ProtoRoad, 'id' | 'maxspeedKmh'>) => ProtoRoad,
  family: 'u' | 'v',
  bridged: Set<number>,
): number[][] {
  const lines = family === 'u' ? grid.uLines : grid.vLines;
  const crossCount = family === 'u' ? grid.vLines.length : grid.uLines.length;
  const central = family === 'u' ? grid.centralU : grid.centralV;
  const cross = family === 'u' ? grid.centralV : grid.centralU;
  const corner = (i: number, j: number) => (family === 'u' ? grid.corners[i][j] : grid.corners[j][i]);
  const roadOf: number[][] = [];
  for (let i = 0; i < lines.length; i++) {
    roadOf.push([]);
    if (lines[i].border) continue;
    const stem = names.arterialStem();
    const cls: RoadClass = i === central ? 'trunk' : chance(rng, 0.55) ? 'primary' : 'secondary';
    const halves = i !== central && chance(rng, 0.5);
    const pts = Array.from({ length: crossCount }, (_, j) => corner(i, j));
    const base = { cls, oneway: 0 as const, mayCross: bridged.has(i) && family === 'u', role: 'street' as const, cell: -1, lane: false };
    if (i === central || !halves) {
      const road = addRoad({ ...base, pts, name: names.reserve(i === central ? `${stem}大道` : `${stem}路`) });
      for (let j = 0; j + 1 < crossCount; j++) roadOf[i].push(road.id);
    } else {
      const [lowSide, highSide] = family === 'u' ? ['南', '北'] : ['西', '东'];
      const low = addRoad({ ...base, pts: pts.slice(0, cross + 1), name: names.reserve(`${stem}${lowSide}路`) });
      const high = addRoad({ ...base, pts: pts.slice(cross), name: names.reserve(`${stem}${highSide}路`) });
      for (let j = 0; j + 1 < crossCount; j++) roadOf[i].push(j < cross ? low.id : high.id);
    }
  }
  return roadOf;
}

/** u-lines that get a bridge: the central avenue and about every other arterial crossing inside the city. */
function chooseBridges(frame: CityFrame, grid: ArterialGrid, water: WaterPlan): Set<number> {
  const [, minV, , maxV] = frame.planExtent;
  const inside: number[] = [];
  for (let k = 0; k < grid.uLines.length; k++) {
    const line = grid.uLines[k];
    if (line.border) continue;
    const uAt = (v: number) => line.a + ((line.b - line.a) * (v - minV)) / (maxV - minV);
    const c = water.river.center;
    for (let i = 1; i < c.length; i++) {
      const s0 = c[i - 1][0] - uAt(c[i - 1][1]);
      const s1 = c[i][0] - uAt(c[i][1]);
      if (s0 <= 0 && s1 > 0) {
        const [x, y] = toWorld(frame, c[i][0], c[i][1]);
        if (insideWorldRect(frame, x, y)) inside.push(k);
        break;
      }
    }
  }
  const chosen = new Set<number>();
  inside.forEach((k, rank) => {
    if (k === grid.centralU || rank % 2 === 1) chosen.add(k);
  });
  return chosen;
}

/** A ring-road arc (about 200–250°) around the inner city, sampled every 20 m. */
function ringArc(rng: Rng, frame: CityFrame, pool: PointPool): number[] {
  const radius = 2100 * Math.pow(frame.scale, 0.25) * uniform(rng, 0.95, 1.05);
  const cx = uniform(rng, -150, 150);
  const cy = uniform(rng, -100, 150);
  const span = (uniform(rng, 200, 250) * Math.PI) / 180;
  const start = uniform(rng, -0.9, -0.3) - (span - Math.PI) / 2;
  const steps = Math.ceil((span * radius) / RING_STEP_M);
  const pts: number[] = [];
  for (let i = 0; i <= steps; i++) {
    const t = start + (span * i) / steps;
    pts.push(pool.add(cx + radius * Math.cos(t), cy + radius * Math.sin(t)));
  }
  return pts;
}

function midpoint(pool: PointPool, pts: number[]): XY {
  if (pts.length === 2) return [(pool.x[pts[0]] + pool.x[pts[1]]) / 2, (pool.y[pts[0]] + pool.y[pts[1]]) / 2];
  const i = Math.floor((pts.length - 1) / 2);
  return [(pool.x[pts[i]] + pool.x[pts[i + 1]]) / 2, (pool.y[pts[i]] + pool.y[pts[i + 1]]) / 2];
}

/**
 * Drops every edge inside the lakeside loop and every non-bridge edge inside the river corridor; marks
 * the bridges; then merges an edge with the next one of the same road where nothing else meets them any
 * more (a junction whose other road was dropped).
 */
function applyWaterRule(pool: PointPool, roads: ProtoRoad[], noded: number[][][], water: WaterPlan): PlanEdge[][] {
  const corridor = water.river.corridor;
  const corridorBox = bboxOf(corridor);
  const loop = water.lake.loop;
  const loopBox = bboxOf(loop);
  const inBox = (b: [number, number, number, number], x: number, y: number) => x >= b[0] && x <= b[2] && y >= b[1] && y <= b[3];
  const kept: PlanEdge[][] = roads.map((road, r) => {
    const out: PlanEdge[] = [];
    for (const pts of noded[r]) {
      if (road.role === 'riverside' || road.role === 'lakeside') {
        out.push({ road: r, pts, bridge: false });
        continue;
      }
      const [x, y] = midpoint(pool, pts);
      if (inBox(loopBox, x, y) && pointInRing(x, y, loop)) continue;
      const inRiver = inBox(corridorBox, x, y) && pointInRing(x, y, corridor);
      if (inRiver && !road.mayCross) continue;
      out.push({ road: r, pts, bridge: inRiver });
    }
    return out;
  });
  const degree = new Map<number, number>();
  for (const list of kept) {
    for (const e of list) {
      for (const p of [e.pts[0], e.pts[e.pts.length - 1]]) degree.set(p, (degree.get(p) ?? 0) + 1);
    }
  }
  // The ring road keeps its longest unbroken stretch and ends where it meets a main road, not in a field.
  const major = new Map<number, number>();
  kept.forEach((list, r) => {
    if (roads[r].role === 'ring' || !MAJOR.has(roads[r].cls)) return;
    for (const e of list) for (const p of [e.pts[0], e.pts[e.pts.length - 1]]) major.set(p, (major.get(p) ?? 0) + 1);
  });
  roads.forEach((road, r) => {
    if (road.role !== 'ring') return;
    const runs: PlanEdge[][] = [];
    for (const e of kept[r]) {
      const run = runs[runs.length - 1];
      if (run && run[run.length - 1].pts[run[run.length - 1].pts.length - 1] === e.pts[0]) run.push(e);
      else runs.push([e]);
    }
    let list = runs.reduce<PlanEdge[]>((best, run) => (run.length > best.length ? run : best), []);
    while (list.length > 0 && !major.has(list[0].pts[0])) list = list.slice(1);
    while (list.length > 0 && !major.has(list[list.length - 1].pts[list[list.length - 1].pts.length - 1])) list = list.slice(0, -1);
    for (const e of kept[r]) {
      if (list.includes(e)) continue;
      for (const p of [e.pts[0], e.pts[e.pts.length - 1]]) degree.set(p, (degree.get(p) ?? 0) - 1);
    }
    kept[r] = list;
  });
  return kept.map((list) => {
    const merged: PlanEdge[] = [];
    for (const e of list) {
      const prev = merged[merged.length - 1];
      if (
        prev &&
        prev.pts[prev.pts.length - 1] === e.pts[0] &&
        degree.get(e.pts[0]) === 2 &&
        prev.bridge === e.bridge &&
        prev.pts[0] !== e.pts[e.pts.length - 1]
      ) {
        prev.pts = prev.pts.concat(e.pts.slice(1));
      } else {
        merged.push({ ...e, pts: [...e.pts] });
      }
    }
    return merged;
  });
}
