/**
 * The city frame: where the demo city lies on Earth and how its plan is bent into streets that are not
 * ruler-straight.
 *
 *   plan (u, v) metres ──rotate θ, add smooth displacement──► world (x, y) metres from the centre
 *                                                     ──equirectangular──► [lng, lat] (7 decimals)
 *
 * The displacement field is a sum of long sinusoids whose gradient stays far below 1, so the map is a
 * smooth bijection: lines that do not cross in the plan do not cross in the world, and blocks keep
 * their topology. Inside the old town an extra short-wavelength wobble makes the lanes wander.
 */
import { pointInRing } from '../../server/contract/geo';
import { type XY, distanceToSegment } from './geometry';
import { type Rng, uniform } from './random';

/** Centre of the demo city (a real district's latitude and longitude; the city itself is invented). */
export const CITY_CENTER: XY = [115.98, 36.45];
/** City size at scale 1, metres (east–west, north–south). */
export const BASE_WIDTH_M = 6000;
export const BASE_HEIGHT_M = 5000;
/** Densify plan segments to this spacing before warping, so curvature shows. */
export const DENSIFY_M = 18;

const COORD_FACTOR = 1e7;
const MAX_DISPLACEMENT_M = 110;

interface Wave {
  ax: number;
  ay: number;
  kx: number;
  ky: number;
  phase: number;
}

/** Everything needed to turn plan metres into rounded WGS84 coordinates. */
export interface CityFrame {
  scale: number;
  widthM: number;
  heightM: number;
  rotation: number;
  /** Plan rectangle [minU, minV, maxU, maxV] that covers the whole city after the warp. */
  planExtent: [number, number, number, number];
  /** The city rectangle in world metres [minX, minY, maxX, maxY], centred on 0. */
  worldRect: [number, number, number, number];
  /** City bbox [w, s, e, n] in degrees (rounded like every coordinate). */
  bbox: [number, number, number, number];
  metresPerDegLng: number;
  metresPerDegLat: number;
  waves: Wave[];
  wobble: { rings: { ring: XY[]; box: [number, number, number, number] }[]; amp: number; k: number; phase: number } | null;
}

/** Rounds a degree value the way every output coordinate is rounded (1e-7° ≈ 1 cm). */
export function roundCoord(v: number): number {
  return Math.round(v * COORD_FACTOR) / COORD_FACTOR;
}

/**
 * Creates the frame for a city of `scale` × the base area (both sides grow by √scale).
 * The rotation is 6–13° either way, so the arterial grid is visibly not north-up.
 */
export function createFrame(rng: Rng, scale: number): CityFrame {
  const side = Math.sqrt(scale);
  const widthM = BASE_WIDTH_M * side;
  const heightM = BASE_HEIGHT_M * side;
  const rotation = ((uniform(rng, 6, 13) * Math.PI) / 180) * (rng() < 0.5 ? -1 : 1);
  const c = Math.abs(Math.cos(rotation));
  const s = Math.abs(Math.sin(rotation));
  const margin = MAX_DISPLACEMENT_M + 250;
  const hu = (widthM / 2) * c + (heightM / 2) * s + margin;
  const hv = (widthM / 2) * s + (heightM / 2) * c + margin;
  const phi = (CITY_CENTER[1] * Math.PI) / 180;
  const metresPerDegLat = 111132.92 - 559.82 * Math.cos(2 * phi) + 1.175 * Math.cos(4 * phi);
  const metresPerDegLng = 111412.84 * Math.cos(phi) - 93.5 * Math.cos(3 * phi);
  const waves: Wave[] = [];
  // Three long waves: wavelengths 2.5–6 km, amplitudes summing to at most MAX_DISPLACEMENT_M.
  const amps = [50, 35, 25];
  for (const amp of amps) {
    const wavelength = uniform(rng, 2500, 6000);
    const dir = uniform(rng, 0, Math.PI);
    const k = (2 * Math.PI) / wavelength;
    const along = uniform(rng, 0, Math.PI * 2);
    waves.push({
      ax: amp * Math.cos(along),
      ay: amp * Math.sin(along),
      kx: k * Math.cos(dir),
      ky: k * Math.sin(dir),
      phase: uniform(rng, 0, Math.PI * 2),
    });
  }
  const worldRect: [number, number, number, number] = [-widthM / 2, -heightM / 2, widthM / 2, heightM / 2];
  const bbox: [number, number, number, number] = [
    roundCoord(CITY_CENTER[0] + worldRect[0] / metresPerDegLng),
    roundCoord(CITY_CENTER[1] + worldRect[1] / metresPerDegLat),
    roundCoord(CITY_CENTER[0] + worldRect[2] / metresPerDegLng),
    roundCoord(CITY_CENTER[1] + worldRect[3] / metresPerDegLat),
  ];
  return {
    scale,
    widthM,
    heightM,
    rotation,
    planExtent: [-hu, -hv, hu, hv],
    worldRect,
    bbox,
    metresPerDegLng,
    metresPerDegLat,
    waves,
    wobble: null,
  };
}

/**
 * Adds the old town's short wobble inside the given plan rings (the old-town cells). It fades to 0 over
 * WOBBLE_FADE_M towards each ring's sides, so the arterials around and through the old town stay smooth
 * while its lanes wander.
 */
export function setOldTownWobble(frame: CityFrame, rng: Rng, rings: XY[][]): void {
  frame.wobble = {
    rings: rings.map((ring) => ({ ring, box: bboxOfRing(ring) })),
    amp: 7,
    k: (2 * Math.PI) / uniform(rng, 220, 320),
    phase: uniform(rng, 0, Math.PI * 2),
  };
}

const WOBBLE_FADE_M = 70;

function bboxOfRing(ring: XY[]): [number, number, number, number] {
  const xs = ring.map((p) => p[0]);
  const ys = ring.map((p) => p[1]);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}

/** 0 outside the old town, rising smoothly to 1 at WOBBLE_FADE_M inside a ring. */
function wobbleWeight(frame: CityFrame, u: number, v: number): number {
  const wb = frame.wobble;
  if (!wb) return 0;
  for (const { ring, box } of wb.rings) {
    if (u < box[0] || u > box[2] || v < box[1] || v > box[3] || !pointInRing(u, v, ring)) continue;
    let d = Infinity;
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      d = Math.min(d, distanceToSegment(u, v, ring[j][0], ring[j][1], ring[i][0], ring[i][1]).d);
    }
    const t = Math.min(1, d / WOBBLE_FADE_M);
    return t * t * (3 - 2 * t);
  }
  return 0;
}

/** Plan metres → world metres (from the city centre, x east, y north). */
export function toWorld(frame: CityFrame, u: number, v: number): XY {
  const c = Math.cos(frame.rotation);
  const s = Math.sin(frame.rotation);
  let x = c * u - s * v;
  let y = s * u + c * v;
  for (const w of frame.waves) {
    const f = Math.sin(w.kx * u + w.ky * v + w.phase);
    x += w.ax * f;
    y += w.ay * f;
  }
  const wb = frame.wobble;
  if (wb) {
    const fade = wobbleWeight(frame, u, v);
    if (fade > 0) {
      x += wb.amp * fade * Math.sin(wb.k * v + wb.phase);
      y += wb.amp * fade * Math.sin(wb.k * u * 1.13 + wb.phase * 0.7);
    }
  }
  return [x, y];
}

/** World metres → rounded [lng, lat]. */
export function worldToLngLat(frame: CityFrame, x: number, y: number): XY {
  return [roundCoord(CITY_CENTER[0] + x / frame.metresPerDegLng), roundCoord(CITY_CENTER[1] + y / frame.metresPerDegLat)];
}

/** [lng, lat] → world metres east and north of the city centre (the inverse of worldToLngLat, unrounded). */
export function lngLatToWorld(frame: CityFrame, p: readonly number[]): XY {
  return [(p[0] - CITY_CENTER[0]) * frame.metresPerDegLng, (p[1] - CITY_CENTER[1]) * frame.metresPerDegLat];
}

/** Plan metres → rounded [lng, lat]. */
export function planToLngLat(frame: CityFrame, u: number, v: number): XY {
  const [x, y] = toWorld(frame, u, v);
  return worldToLngLat(frame, x, y);
}

/** True when a world point lies inside the city rectangle. */
export function insideWorldRect(frame: CityFrame, x: number, y: number): boolean {
  const r = frame.worldRect;
  return x >= r[0] && x <= r[2] && y >= r[1] && y <= r[3];
}

/**
 * Densifies a plan polyline to DENSIFY_M spacing (keeping every input vertex) and warps it to world
 * metres. Intermediate points are spread evenly so a segment's shape does not depend on direction.
 */
export function warpPolyline(frame: CityFrame, plan: readonly XY[]): XY[] {
  const out: XY[] = [];
  for (let i = 0; i < plan.length; i++) {
    const [u, v] = plan[i];
    if (i > 0) {
      const [pu, pv] = plan[i - 1];
      const steps = Math.floor(Math.hypot(u - pu, v - pv) / DENSIFY_M);
      for (let k = 1; k < steps; k++) {
        const t = k / steps;
        out.push(toWorld(frame, pu + (u - pu) * t, pv + (v - pv) * t));
      }
    }
    out.push(toWorld(frame, u, v));
  }
  return out;
}
