/**
 * Fills each arterial cell with streets by recursive splitting: the longer side of a convex block is cut
 * by a street roughly across it (tilted a few degrees), and the halves are cut again until blocks reach
 * the zone's size. A street that meets an arterial near where a street of the neighbouring cell meets
 * it continues through (same point, same name), the others make T-junctions. Some blocks get a
 * dead-end lane. Streets get their class by depth: the first cut is the cell's main street, deeper cuts
 * are residential streets, then lanes (巷/胡同/里) in the old town and the mixed inner city.
 */
import { type XY, distanceToSegment, segmentParams } from './geometry';
import type { NameBook } from './names';
import { type Block, type Cell, MAXSPEED_KMH, type PointPool, type ProtoRoad, type RoadClass, type Zone } from './plan';
import { type Rng, chance, pick, uniform } from './random';

type Tier = 'main' | 'street' | 'lane' | 'service' | 'path';

interface ZoneSpec {
  /** Target block side range, metres. */
  block: [number, number];
  tiers: Tier[];
  /** Street classes per tier. */
  main: RoadClass;
  street: RoadClass;
  /** Probability that a street/lane is one-way. */
  oneway: number;
  /** Probability that a leaf block gets a dead-end lane. */
  deadEnd: number;
  /** Probability that a lane gets a name (and so becomes a back street). */
  laneNamed: number;
  /** How far from the middle a cut may fall (0.5 ± this). */
  spread: number;
  /** Largest tilt of a cut from square to the block, degrees. */
  tilt: number;
}

const ZONES: Record<Zone, ZoneSpec> = {
  old: {
    block: [60, 95],
    tiers: ['street', 'street', 'lane'],
    main: 'residential',
    street: 'residential',
    oneway: 0.3,
    deadEnd: 0.4,
    laneNamed: 1,
    spread: 0.2,
    tilt: 9,
  },
  village: {
    block: [50, 80],
    tiers: ['street', 'lane'],
    main: 'residential',
    street: 'residential',
    oneway: 0,
    deadEnd: 0.5,
    laneNamed: 0.85,
    spread: 0.25,
    tilt: 15,
  },
  mixed: {
    block: [95, 145],
    tiers: ['main', 'street', 'lane'],
    main: 'tertiary',
    street: 'residential',
    oneway: 0.1,
    deadEnd: 0.3,
    laneNamed: 0.9,
    spread: 0.14,
    tilt: 7,
  },
  residential: {
    block: [140, 200],
    tiers: ['main', 'street', 'lane', 'service'],
    main: 'tertiary',
    street: 'residential',
    oneway: 0.05,
    deadEnd: 0.2,
    laneNamed: 0.7,
    spread: 0.12,
    tilt: 7,
  },
  new: {
    block: [200, 290],
    tiers: ['main', 'street', 'street', 'service'],
    main: 'secondary',
    street: 'tertiary',
    oneway: 0,
    deadEnd: 0.1,
    laneNamed: 0.4,
    spread: 0.1,
    tilt: 7,
  },
  industrial: {
    block: [260, 380],
    tiers: ['main', 'service'],
    main: 'tertiary',
    street: 'tertiary',
    oneway: 0,
    deadEnd: 0.3,
    laneNamed: 0,
    spread: 0.15,
    tilt: 7,
  },
  park: { block: [180, 260], tiers: ['path'], main: 'footway', street: 'footway', oneway: 0, deadEnd: 0, laneNamed: 0, spread: 0.2, tilt: 7 },
};

/** A convex block being split: CCW ring of pool points; per edge the road that bounds it and the arterial key. */
interface Poly {
  ring: number[];
  roads: number[];
  keys: (string | null)[];
}

/** A street end registered on an arterial edge, for the neighbouring cell to continue. */
interface StreetEnd {
  p: number;
  cell: number;
  road: number;
  tier: Tier;
}

export interface SubdivideContext {
  rng: Rng;
  pool: PointPool;
  names: NameBook;
  roads: ProtoRoad[];
  blocks: Block[];
  ends: Map<string, StreetEnd[]>;
  /** Points where streets meet each road, by road id. */
  junctions: Map<number, number[]>;
}

const MIN_VERTEX_GAP_M = 14;
const JUNCTION_SNAP_M = 4;

/**
 * Splits one cell whose outline edges are bounded by `edgeRoads` (−1 for the plan border) with arterial
 * keys `edgeKeys` (shared with the neighbouring cell), adding roads and leaf blocks to the context.
 */
export function subdivideCell(ctx: SubdivideContext, cell: Cell, edgeRoads: number[], edgeKeys: (string | null)[]): void {
  split(ctx, cell, { ring: [...cell.corners], roads: edgeRoads, keys: edgeKeys }, 0);
}

function extent(pool: PointPool, ring: number[]): [number, number, number, number] {
  let minU = Infinity;
  let minV = Infinity;
  let maxU = -Infinity;
  let maxV = -Infinity;
  for (const p of ring) {
    minU = Math.min(minU, pool.x[p]);
    maxU = Math.max(maxU, pool.x[p]);
    minV = Math.min(minV, pool.y[p]);
    maxV = Math.max(maxV, pool.y[p]);
  }
  return [minU, minV, maxU, maxV];
}

interface Hit {
  edge: number;
  s: number;
  x: number;
  y: number;
}

/** Where the line through (px, py) along (dx, dy) leaves the convex ring: two hits, or null. */
function hits(pool: PointPool, ring: number[], px: number, py: number, dx: number, dy: number): [Hit, Hit] | null {
  const out: Hit[] = [];
  const L = 1e5;
  for (let i = 0; i < ring.length; i++) {
    const a = ring[i];
    const b = ring[(i + 1) % ring.length];
    const q = segmentParams(px - L * dx, py - L * dy, px + L * dx, py + L * dy, pool.x[a], pool.y[a], pool.x[b], pool.y[b]);
    if (!q || q.s < 0 || q.s >= 1) continue;
    out.push({ edge: i, s: q.s, x: pool.x[a] + q.s * (pool.x[b] - pool.x[a]), y: pool.y[a] + q.s * (pool.y[b] - pool.y[a]) });
  }
  if (out.length !== 2 || out[0].edge === out[1].edge) return null;
  return [out[0], out[1]];
}

function hitIsClean(pool: PointPool, ring: number[], h: Hit): boolean {
  const a = ring[h.edge];
  const b = ring[(h.edge + 1) % ring.length];
  return Math.hypot(pool.x[a] - h.x, pool.y[a] - h.y) > MIN_VERTEX_GAP_M && Math.hypot(pool.x[b] - h.x, pool.y[b] - h.y) > MIN_VERTEX_GAP_M;
}

function split(ctx: SubdivideContext, cell: Cell, poly: Poly, depth: number): void {
  const { rng, pool } = ctx;
  const spec = ZONES[cell.zone];
  const [minU, minV, maxU, maxV] = extent(pool, poly.ring);
  const w = maxU - minU;
  const h = maxV - minV;
  const target = uniform(rng, spec.block[0], spec.block[1]);
  if (Math.max(w, h) < target * uniform(rng, 1.35, 1.85) || depth > 9) {
    leaf(ctx, cell, poly);
    return;
  }
  const tier = spec.tiers[Math.min(depth, spec.tiers.length - 1)];
  const alongU = w >= h; // cut across the longer side
  for (let attempt = 0; attempt < 8; attempt++) {
    const t = 0.5 + uniform(rng, -spec.spread, spec.spread);
    const tilt = (uniform(rng, -spec.tilt, spec.tilt) * Math.PI) / 180;
    let px = alongU ? minU + w * t : (minU + maxU) / 2;
    let py = alongU ? (minV + maxV) / 2 : minV + h * t;
    const dx = alongU ? Math.sin(tilt) : Math.cos(tilt);
    const dy = alongU ? Math.cos(tilt) : Math.sin(tilt);
    let hs = hits(pool, poly.ring, px, py, dx, dy);
    if (!hs) continue;
    // Continue a neighbouring cell's street through the arterial when one ends close by.
    let continued: StreetEnd | null = null;
    if (tier === 'main' || tier === 'street') {
      for (const hit of hs) {
        const key = poly.keys[hit.edge];
        if (!key) continue;
        const candidates = ctx.ends.get(key) ?? [];
        let best: StreetEnd | null = null;
        let bestD = target * 0.35;
        for (const end of candidates) {
          if (end.cell === cell.id || end.tier !== tier) continue;
          const d = Math.hypot(pool.x[end.p] - hit.x, pool.y[end.p] - hit.y);
          if (d < bestD) {
            bestD = d;
            best = end;
          }
        }
        if (best && chance(rng, 0.75)) {
          continued = best;
          px = pool.x[best.p];
          py = pool.y[best.p];
          break;
        }
      }
      if (continued) {
        hs = hits(pool, poly.ring, px, py, dx, dy);
        if (!hs) continue;
      }
    }
    // A junction a few metres from one already on the same road (a street meeting it from the other
    // side) becomes that junction: a crossing instead of two T's a hand's width apart.
    let snapped = -1;
    if (!continued) {
      for (const hit of hs) {
        const near = nearJunction(ctx, poly.roads[hit.edge], hit.x, hit.y);
        if (near < 0) continue;
        const again = hits(pool, poly.ring, pool.x[near], pool.y[near], dx, dy);
        if (!again) continue;
        snapped = near;
        hs = again;
        break;
      }
    }
    const [h1, h2] = hs;
    if (!hitIsClean(pool, poly.ring, h1) || !hitIsClean(pool, poly.ring, h2)) continue;
    if (Math.hypot(h1.x - h2.x, h1.y - h2.y) < 30) continue;
    const existing = continued ? continued.p : snapped;
    const onEnd = (h: Hit) => (existing >= 0 && Math.hypot(pool.x[existing] - h.x, pool.y[existing] - h.y) < 0.01 ? existing : -1);
    const p1 = onEnd(h1) >= 0 ? onEnd(h1) : junction(ctx, poly.roads[h1.edge], h1.x, h1.y);
    const p2 = onEnd(h2) >= 0 ? onEnd(h2) : junction(ctx, poly.roads[h2.edge], h2.x, h2.y);
    const road = makeRoad(ctx, cell, spec, tier, poly.roads[h1.edge], continued ? ctx.roads[continued.road] : null, [p1, p2]);
    for (const [hit, p] of [
      [h1, p1],
      [h2, p2],
    ] as const) {
      const key = poly.keys[hit.edge];
      if (!key) continue;
      const list = ctx.ends.get(key);
      const end = { p, cell: cell.id, road: road.id, tier };
      if (list) list.push(end);
      else ctx.ends.set(key, [end]);
    }
    const [a, b] = cut(poly, h1.edge, h2.edge, p1, p2, road.id);
    split(ctx, cell, a, depth + 1);
    split(ctx, cell, b, depth + 1);
    return;
  }
  leaf(ctx, cell, poly);
}

/** A new pool point on road `road` (−1: the plan border), remembered as a junction of that road. */
function junction(ctx: SubdivideContext, road: number, x: number, y: number): number {
  const p = ctx.pool.add(x, y);
  if (road >= 0) {
    const list = ctx.junctions.get(road);
    if (list) list.push(p);
    else ctx.junctions.set(road, [p]);
  }
  return p;
}

/** A junction already on `road` within JUNCTION_SNAP_M of (x, y), or −1. */
function nearJunction(ctx: SubdivideContext, road: number, x: number, y: number): number {
  if (road < 0) return -1;
  for (const p of ctx.junctions.get(road) ?? []) {
    if (Math.hypot(ctx.pool.x[p] - x, ctx.pool.y[p] - y) < JUNCTION_SNAP_M) return p;
  }
  return -1;
}

/**
 * Cuts the ring between edge e1 (new point p1) and edge e2 (new point p2):
 *
 *   ring[e1] ──p1──► ring[e1+1] … ring[e2] ──p2──► ring[e2+1] … back to ring[e1]
 *   child A = p1, ring[e1+1..e2], p2        child B = p2, ring[e2+1..e1], p1
 */
function cut(poly: Poly, e1: number, e2: number, p1: number, p2: number, road: number): [Poly, Poly] {
  const n = poly.ring.length;
  const a: Poly = { ring: [p1], roads: [poly.roads[e1]], keys: [poly.keys[e1]] };
  for (let i = (e1 + 1) % n; ; i = (i + 1) % n) {
    a.ring.push(poly.ring[i]);
    if (i === e2) {
      a.roads.push(poly.roads[e2]);
      a.keys.push(poly.keys[e2]);
      break;
    }
    a.roads.push(poly.roads[i]);
    a.keys.push(poly.keys[i]);
  }
  a.ring.push(p2);
  a.roads.push(road);
  a.keys.push(null);
  const b: Poly = { ring: [p2], roads: [poly.roads[e2]], keys: [poly.keys[e2]] };
  for (let i = (e2 + 1) % n; ; i = (i + 1) % n) {
    b.ring.push(poly.ring[i]);
    if (i === e1) {
      b.roads.push(poly.roads[e1]);
      b.keys.push(poly.keys[e1]);
      break;
    }
    b.roads.push(poly.roads[i]);
    b.keys.push(poly.keys[i]);
  }
  b.ring.push(p1);
  b.roads.push(road);
  b.keys.push(null);
  return [a, b];
}

function classFor(spec: ZoneSpec, tier: Tier, rng: Rng, zone: Zone): RoadClass {
  switch (tier) {
    case 'main':
      return spec.main;
    case 'street':
      return spec.street;
    case 'lane':
      return zone === 'old' || zone === 'village'
        ? pick(rng, ['living_street', 'living_street', 'residential', 'service'] as const)
        : pick(rng, ['living_street', 'service', 'residential'] as const);
    case 'service':
      return 'service';
    case 'path':
      return 'footway';
  }
}

function makeRoad(ctx: SubdivideContext, cell: Cell, spec: ZoneSpec, tier: Tier, parentRoad: number, continued: ProtoRoad | null, pts: number[]): ProtoRoad {
  const { rng, names } = ctx;
  let cls = continued ? continued.cls : classFor(spec, tier, rng, cell.zone);
  let name: string | null = null;
  let lane = false;
  if (continued) name = continued.name;
  else if (tier === 'main' || tier === 'street') name = names.street(cls === 'secondary' || cls === 'tertiary' || cell.zone === 'new' ? '路' : '街');
  else if ((tier === 'lane' || tier === 'service') && chance(rng, spec.laneNamed)) {
    const parent = parentRoad >= 0 ? ctx.roads[parentRoad].name : null;
    name = names.lane(parent && !/(巷|胡同|里)$/.test(parent) ? parent : null);
    lane = true;
  } else if (tier === 'lane') {
    // A lane nobody named is a service way (a compound's or a shop's access), never a named class.
    cls = 'service';
  }
  const oneway: 0 | 1 | -1 = continued ? continued.oneway : tier !== 'main' && tier !== 'path' && chance(rng, spec.oneway) ? (chance(rng, 0.5) ? 1 : -1) : 0;
  const road: ProtoRoad = {
    id: ctx.roads.length,
    pts,
    cls,
    name,
    oneway,
    maxspeedKmh: MAXSPEED_KMH[cls],
    mayCross: false,
    role: 'street',
    cell: cell.id,
    lane: lane || (continued?.lane ?? false),
  };
  ctx.roads.push(road);
  return road;
}

/** A leaf becomes a block; some get a dead-end lane reaching in from their longest street side. */
function leaf(ctx: SubdivideContext, cell: Cell, poly: Poly): void {
  const { rng, pool } = ctx;
  const spec = ZONES[cell.zone];
  const block: Block = { ring: poly.ring, edgeRoads: poly.roads, cell: cell.id, zone: cell.zone, deadEnd: false };
  ctx.blocks.push(block);
  if (!chance(rng, spec.deadEnd)) return;
  const n = poly.ring.length;
  let bestEdge = -1;
  let bestLen = 0;
  for (let i = 0; i < n; i++) {
    if (poly.roads[i] < 0) continue;
    const parent = ctx.roads[poly.roads[i]];
    if (parent.cls === 'trunk' || parent.cls === 'primary') continue;
    const a = pool.get(poly.ring[i]);
    const b = pool.get(poly.ring[(i + 1) % n]);
    const len = Math.hypot(b[0] - a[0], b[1] - a[1]);
    if (len > bestLen) {
      bestLen = len;
      bestEdge = i;
    }
  }
  if (bestEdge < 0 || bestLen < 70) return;
  const a = pool.get(poly.ring[bestEdge]);
  const b = pool.get(poly.ring[(bestEdge + 1) % n]);
  const t = uniform(rng, 0.35, 0.65);
  const start: XY = [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])];
  const ex = (b[0] - a[0]) / bestLen;
  const ey = (b[1] - a[1]) / bestLen;
  const turn = (uniform(rng, -10, 10) * Math.PI) / 180;
  // Inward (left of a CCW edge), turned a little.
  const dx = -ey * Math.cos(turn) - ex * Math.sin(turn);
  const dy = ex * Math.cos(turn) - ey * Math.sin(turn);
  const hs = hits(pool, poly.ring, start[0] + dx, start[1] + dy, dx, dy);
  if (!hs) return;
  const far = hs.map((h) => ({ h, d: (h.x - start[0]) * dx + (h.y - start[1]) * dy })).sort((p, q) => q.d - p.d)[0];
  const depth = far.d;
  if (depth < 60) return;
  const len = depth * uniform(rng, 0.45, 0.7);
  const end: XY = [start[0] + dx * len, start[1] + dy * len];
  // Keep the dead end clear of the block's other sides.
  for (let i = 0; i < n; i++) {
    if (i === bestEdge) continue;
    const p = pool.get(poly.ring[i]);
    const q = pool.get(poly.ring[(i + 1) % n]);
    if (distanceToSegment(end[0], end[1], p[0], p[1], q[0], q[1]).d < 25) return;
  }
  if (nearJunction(ctx, poly.roads[bestEdge], start[0], start[1]) >= 0) return;
  const p1 = junction(ctx, poly.roads[bestEdge], start[0], start[1]);
  const p2 = pool.add(end[0], end[1]);
  const tier: Tier = cell.zone === 'residential' || cell.zone === 'new' || cell.zone === 'industrial' ? 'service' : 'lane';
  makeRoad(ctx, cell, spec, tier, poly.roads[bestEdge], null, [p1, p2]);
  block.deadEnd = true;
}
