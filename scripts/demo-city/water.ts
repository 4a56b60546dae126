/**
 * The river and the lake of the demo city, on the plan. The river meanders roughly west–east south of
 * the centre; each bank has a riverside road, and the strip between them (the corridor) is closed to
 * every road except the few bridges. The lake lies west of the old town inside a lakeside loop road.
 */
import { type XY, signedArea } from './geometry';
import type { CityFrame } from './frame';
import { type Rng, uniform } from './random';

const RIVER_STEP_M = 20;
/** Riverside roads run this far outside the water's edge. */
const BANK_ROAD_OFFSET_M = 28;
/** The lakeside loop road runs this far outside the shore. */
const LAKE_ROAD_OFFSET_M = 40;

export interface RiverPlan {
  name: string;
  center: XY[];
  halfWidthM: number;
  /** Water polygon (CCW ring). */
  polygon: XY[];
  /** Strip between the riverside roads (CCW ring): no road but a bridge may enter it. */
  corridor: XY[];
  northBank: XY[];
  southBank: XY[];
}

export interface LakePlan {
  name: string;
  center: XY;
  /** Water polygon (CCW ring). */
  polygon: XY[];
  /** The lakeside loop road (CCW ring); nothing but the loop itself may enter it. */
  loop: XY[];
}

export interface WaterPlan {
  river: RiverPlan;
  lake: LakePlan;
}

/** Lays out the river and the lake for a frame. */
export function planWater(rng: Rng, frame: CityFrame): WaterPlan {
  return { river: planRiver(rng, frame), lake: planLake(rng, frame) };
}

function planRiver(rng: Rng, frame: CityFrame): RiverPlan {
  const [minU, , maxU] = frame.planExtent;
  const v0 = -frame.heightM * uniform(rng, 0.24, 0.3);
  const slope = uniform(rng, -0.1, 0.1);
  const waves = [
    { a: uniform(rng, 90, 140), k: (2 * Math.PI) / uniform(rng, 2000, 2800), p: uniform(rng, 0, 2 * Math.PI) },
    { a: uniform(rng, 30, 55), k: (2 * Math.PI) / uniform(rng, 800, 1100), p: uniform(rng, 0, 2 * Math.PI) },
  ];
  const f = (u: number) => v0 + slope * u + waves.reduce((s, w) => s + w.a * Math.sin(w.k * u + w.p), 0);
  const df = (u: number) => slope + waves.reduce((s, w) => s + w.a * w.k * Math.cos(w.k * u + w.p), 0);
  const halfWidthM = uniform(rng, 30, 40);
  const center: XY[] = [];
  const north: XY[] = [];
  const south: XY[] = [];
  const northBank: XY[] = [];
  const southBank: XY[] = [];
  const start = minU - 60;
  const steps = Math.ceil((maxU + 60 - start) / RIVER_STEP_M);
  for (let i = 0; i <= steps; i++) {
    const u = start + i * RIVER_STEP_M;
    const v = f(u);
    const d = df(u);
    const n = Math.hypot(d, 1);
    const nx = -d / n;
    const ny = 1 / n;
    center.push([u, v]);
    north.push([u + nx * halfWidthM, v + ny * halfWidthM]);
    south.push([u - nx * halfWidthM, v - ny * halfWidthM]);
    const bank = halfWidthM + BANK_ROAD_OFFSET_M;
    northBank.push([u + nx * bank, v + ny * bank]);
    southBank.push([u - nx * bank, v - ny * bank]);
  }
  return {
    name: '古运河',
    center,
    halfWidthM,
    polygon: ccw([...south, ...north.slice().reverse()]),
    corridor: ccw([...southBank, ...northBank.slice().reverse()]),
    northBank,
    southBank,
  };
}

function planLake(rng: Rng, frame: CityFrame): LakePlan {
  const side = Math.sqrt(frame.scale);
  const center: XY = [uniform(rng, -1300, -1000) * Math.min(side, 1.3), uniform(rng, 300, 600)];
  const base = uniform(rng, 230, 290);
  const aspect = uniform(rng, 1.2, 1.5);
  const harmonics = [2, 3, 5].map((n) => ({ n, a: uniform(rng, 0.03, 0.1), p: uniform(rng, 0, 2 * Math.PI) }));
  const polygon: XY[] = [];
  const loop: XY[] = [];
  for (let deg = 0; deg < 360; deg += 4) {
    const t = (deg * Math.PI) / 180;
    let r = base;
    for (const h of harmonics) r *= 1 + h.a * Math.sin(h.n * t + h.p);
    const dx = Math.cos(t) * aspect;
    const dy = Math.sin(t);
    polygon.push([center[0] + dx * r, center[1] + dy * r]);
    loop.push([center[0] + dx * (r + LAKE_ROAD_OFFSET_M), center[1] + dy * (r + LAKE_ROAD_OFFSET_M)]);
  }
  return { name: '东昌湖', center, polygon: ccw(polygon), loop: ccw(loop) };
}

function ccw(ring: XY[]): XY[] {
  return signedArea(ring) < 0 ? ring.reverse() : ring;
}
