/**
 * Inspection points (点位) on the plan: markets next to streets, communities (compounds filling blocks,
 * set back from every road, with a gate on a side street) and back streets (named lanes, following the
 * lane's road exactly). Each place knows its subdistrict from the cell it lies in; subdistricts are
 * unions of whole cells, so a place always lies inside its subdistrict's polygon.
 */
import { type CityFrame, toWorld } from './frame';
import { pointInRing } from '../../server/contract/geo';
import { type XY, bboxOf, centroid, insetConvex, polylineLength, signedArea } from './geometry';
import type { NameBook } from './names';
import { type Block, HALF_WIDTH_M, type RoadClass, type Zone } from './plan';
import type { SegmentIndex } from './plan-index';
import { type Rng, chance, shuffle, uniform, intBetween } from './random';
import type { StreetNetwork } from './street-network';
import type { WaterPlan } from './water';

export interface Market {
  id: string;
  name: string;
  address: string;
  at: XY;
  subdistrict: number;
  unitId: string;
}

export interface Community {
  id: string;
  name: string;
  ring: XY[];
  entrance: XY;
  subdistrict: number;
  zone: Zone;
  unitId: string;
}

export interface BackStreet {
  id: string;
  name: string;
  line: XY[];
  lengthM: number;
  subdistrict: number;
  zone: Zone;
  unitId: string;
}

/** A spot next to a street inside a block (for a market gate or an office door). */
export interface Site {
  at: XY;
  roadName: string | null;
  block: number;
}

const SITE_CLASSES = new Set<RoadClass>(['secondary', 'tertiary', 'residential', 'living_street']);
const COMPOUND_ZONES = new Set<Zone>(['old', 'village', 'mixed', 'residential', 'new']);
/** Share of eligible blocks that become a compound, by zone. */
const COMMUNITY_SHARE: Partial<Record<Zone, number>> = { residential: 0.55, new: 0.6, mixed: 0.4, old: 0.22, village: 0.18 };
const MAX_BACK_STREETS_PER_SCALE = 520;

/** The blocks that can hold a place, and which of them are taken. */
export class SitePicker {
  readonly eligible: number[] = [];
  readonly used = new Set<number>();
  private readonly centres: XY[] = [];

  constructor(
    frame: CityFrame,
    private readonly net: StreetNetwork,
    private readonly index: SegmentIndex,
    private readonly water: WaterPlan,
    private readonly cellSubdistrict: Int32Array,
  ) {
    const margin = 25;
    const [minX, minY, maxX, maxY] = frame.worldRect;
    net.blocks.forEach((block, id) => {
      const ring = net.pool.line(block.ring);
      this.centres.push(centroid(ring));
      if (cellSubdistrict[block.cell] < 0 || block.zone === 'park' || block.zone === 'industrial') return;
      for (const [u, v] of ring) {
        const [x, y] = toWorld(frame, u, v);
        if (x < minX + margin || x > maxX - margin || y < minY + margin || y > maxY - margin) return;
      }
      if (this.inWater(...this.centres[id])) return;
      this.eligible.push(id);
    });
  }

  /** True inside the river corridor or the lakeside loop. */
  inWater(u: number, v: number): boolean {
    return pointInRing(u, v, this.water.river.corridor) || pointInRing(u, v, this.water.lake.loop);
  }

  centre(block: number): XY {
    return this.centres[block];
  }

  subdistrictOf(block: number): number {
    return this.cellSubdistrict[this.net.blocks[block].cell];
  }

  /** A spot 8 m inside the block from one of its streets, clear of every road; null if none fits. */
  siteIn(rng: Rng, blockId: number): Site | null {
    const block = this.net.blocks[blockId];
    const ring = this.net.pool.line(block.ring);
    const order = shuffle(
      rng,
      ring.map((_, i) => i),
    );
    for (const i of order) {
      const roadId = block.edgeRoads[i];
      if (roadId < 0) continue;
      const road = this.net.roads[roadId];
      if (!SITE_CLASSES.has(road.cls)) continue;
      const a = ring[i];
      const b = ring[(i + 1) % ring.length];
      const len = Math.hypot(b[0] - a[0], b[1] - a[1]);
      if (len < 40) continue;
      const t = uniform(rng, 0.3, 0.7);
      const off = HALF_WIDTH_M[road.cls] + 8;
      const at: XY = [a[0] + (b[0] - a[0]) * t - ((b[1] - a[1]) / len) * off, a[1] + (b[1] - a[1]) * t + ((b[0] - a[0]) / len) * off];
      if (!pointInRing(at[0], at[1], ring) || this.inWater(at[0], at[1])) continue;
      if (this.index.clearance(at[0], at[1], 80) < 3 || this.index.distance(at[0], at[1], 60) > 45) continue;
      return { at, roadName: road.name, block: blockId };
    }
    return null;
  }

  /** The free block nearest to `target` passing `accept` that has a site; marks it used. */
  nearest(rng: Rng, target: XY, accept: (block: number) => boolean): Site | null {
    const order = this.eligible
      .filter((b) => !this.used.has(b) && accept(b))
      .map((b) => ({ b, d: Math.hypot(this.centres[b][0] - target[0], this.centres[b][1] - target[1]) }))
      .sort((p, q) => p.d - q.d);
    for (const { b } of order.slice(0, 60)) {
      const site = this.siteIn(rng, b);
      if (site) {
        this.used.add(b);
        return site;
      }
    }
    return null;
  }
}

/**
 * Markets, spread out (at least ~400 m apart, relaxed if the city runs short), more of them in the old
 * town and urban villages. Target: 48 per scale unit.
 */
export function placeMarkets(rng: Rng, frame: CityFrame, sites: SitePicker, names: NameBook, net: StreetNetwork): Market[] {
  const target = Math.round(48 * frame.scale);
  const zoneWeight: Partial<Record<Zone, number>> = { old: 4, village: 3, mixed: 2, residential: 1.5, new: 1 };
  const candidates = sites.eligible
    .map((b) => ({ b, key: rng() / (zoneWeight[net.blocks[b].zone] ?? 0.5) }))
    .sort((p, q) => p.key - q.key)
    .map((c) => c.b)
    .filter((b) => Math.abs(signedArea(net.pool.line(net.blocks[b].ring))) > 3000);
  const markets: Market[] = [];
  for (let spacing = 420; markets.length < target && spacing > 100; spacing *= 0.85) {
    for (const b of candidates) {
      if (markets.length >= target) break;
      if (sites.used.has(b)) continue;
      const c = sites.centre(b);
      if (markets.some((m) => Math.hypot(m.at[0] - c[0], m.at[1] - c[1]) < spacing)) continue;
      const site = sites.siteIn(rng, b);
      if (!site) continue;
      sites.used.add(b);
      // Markets take a street's name (东关街农贸市场), not a lane's.
      const name = names.market(site.roadName && /(路|街|大道)$/.test(site.roadName) ? site.roadName : null);
      markets.push({
        id: `mk${String(markets.length + 1).padStart(3, '0')}`,
        name,
        address: `${site.roadName ?? name}${intBetween(rng, 1, 399)}号`,
        at: site.at,
        subdistrict: sites.subdistrictOf(b),
        unitId: '',
      });
    }
  }
  return markets;
}

/**
 * Communities: a share of the free blocks (by zone) becomes a compound, the block shrunk away from each
 * street by the street's half width + 4 m. A compound must not touch any road or water; its gate is on
 * the side facing the quietest street.
 */
export function placeCommunities(rng: Rng, sites: SitePicker, names: NameBook, net: StreetNetwork, index: SegmentIndex): Community[] {
  const out: Community[] = [];
  for (const b of sites.eligible) {
    const block: Block = net.blocks[b];
    if (sites.used.has(b) || block.deadEnd || !COMPOUND_ZONES.has(block.zone)) continue;
    if (!chance(rng, COMMUNITY_SHARE[block.zone] ?? 0)) continue;
    const ring = net.pool.line(block.ring);
    const setbacks = block.edgeRoads.map((r) => (r < 0 ? 10 : HALF_WIDTH_M[net.roads[r].cls] + 4));
    const inset = insetConvex(ring, setbacks);
    if (!inset) continue;
    const area = signedArea(inset);
    if (area < (block.zone === 'old' || block.zone === 'village' ? 2500 : 6000)) continue;
    if (index.touchesRing(inset) || inset.some(([u, v]) => sites.inWater(u, v))) continue;
    // Gate on the quietest named street side (residential before tertiary before arterials).
    const rank: Partial<Record<RoadClass, number>> = { residential: 0, living_street: 1, tertiary: 2, service: 3, secondary: 4, primary: 5, trunk: 6 };
    let gate = -1;
    block.edgeRoads.forEach((r, i) => {
      if (r < 0) return;
      if (gate < 0 || (rank[net.roads[r].cls] ?? 9) < (rank[net.roads[block.edgeRoads[gate]].cls] ?? 9)) gate = i;
    });
    if (gate < 0) continue;
    const a = inset[gate];
    const c = inset[(gate + 1) % inset.length];
    sites.used.add(b);
    out.push({
      id: `cm${String(out.length + 1).padStart(4, '0')}`,
      name: names.community(block.zone === 'old' || block.zone === 'village'),
      ring: inset,
      entrance: [(a[0] + c[0]) / 2, (a[1] + c[1]) / 2],
      subdistrict: sites.subdistrictOf(b),
      zone: block.zone,
      unitId: '',
    });
  }
  return out;
}

/**
 * Back streets: named lanes, as the longest unbroken stretch of the lane's road inside the city, at
 * least 50 m. When a big city has more lanes than an inspection list holds, old-town and village lanes
 * are kept first.
 */
export function placeBackStreets(rng: Rng, frame: CityFrame, net: StreetNetwork, cellSubdistrict: Int32Array): BackStreet[] {
  const [minX, minY, maxX, maxY] = frame.worldRect;
  const candidates: Omit<BackStreet, 'id'>[] = [];
  net.roads.forEach((road, r) => {
    if (!road.lane || !road.name || road.cell < 0 || cellSubdistrict[road.cell] < 0) return;
    const runs: number[][] = [];
    for (const e of net.roadEdges[r]) {
      const run = runs[runs.length - 1];
      if (run && run[run.length - 1] === e.pts[0]) run.push(...e.pts.slice(1));
      else runs.push([...e.pts]);
    }
    let best: XY[] | null = null;
    let bestLen = 0;
    for (const run of runs) {
      const line = net.pool.line(run);
      const len = polylineLength(line);
      if (len > bestLen) {
        best = line;
        bestLen = len;
      }
    }
    if (!best || bestLen < 50) return;
    for (const [u, v] of best) {
      const [x, y] = toWorld(frame, u, v);
      if (x < minX + 5 || x > maxX - 5 || y < minY + 5 || y > maxY - 5) return;
    }
    const zone = net.grid.cells[road.cell].zone;
    candidates.push({ name: road.name, line: best, lengthM: bestLen, subdistrict: cellSubdistrict[road.cell], zone, unitId: '' });
  });
  const priority: Partial<Record<Zone, number>> = { old: 0, village: 1, mixed: 2 };
  const cap = Math.round(MAX_BACK_STREETS_PER_SCALE * frame.scale);
  const chosen = candidates
    .map((c) => ({ c, key: (priority[c.zone] ?? 3) + rng() * 2.5 }))
    .sort((p, q) => p.key - q.key)
    .slice(0, cap)
    .map(({ c }) => c);
  // Keep the plan order (west→east by first point) so ids read naturally on the map.
  chosen.sort((p, q) => bboxOf(p.line)[0] - bboxOf(q.line)[0]);
  return chosen.map((c, i) => ({ id: `bs${String(i + 1).padStart(4, '0')}`, ...c }));
}
