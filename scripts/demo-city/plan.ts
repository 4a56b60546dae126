/**
 * The city's plan before it is bent into the world: a pool of shared points (so roads that meet share
 * the exact same vertex), proto roads, arterial cells and blocks. Distances in metres.
 */
import type { XY } from './geometry';

/** OpenStreetMap `highway` values used by the demo city. */
export type RoadClass = 'trunk' | 'primary' | 'secondary' | 'tertiary' | 'residential' | 'living_street' | 'service' | 'footway';

/** What a cell of the arterial grid is built as (village = 城中村, an urban village of alleys). */
export type Zone = 'old' | 'village' | 'mixed' | 'residential' | 'new' | 'industrial' | 'park';

/** Why a road exists: ordinary streets, or the roads that bound water (everything else stops at them). */
export type RoadRole = 'street' | 'riverside' | 'lakeside' | 'ring';

/** Points shared by index; a T- or X-junction is one index used by two roads. */
export class PointPool {
  readonly x: number[] = [];
  readonly y: number[] = [];

  add(x: number, y: number): number {
    this.x.push(x);
    this.y.push(y);
    return this.x.length - 1;
  }

  get(i: number): XY {
    return [this.x[i], this.y[i]];
  }

  line(indices: readonly number[]): XY[] {
    return indices.map((i) => [this.x[i], this.y[i]] as XY);
  }
}

/** A road as drawn on the plan, before it is split at junctions. */
export interface ProtoRoad {
  id: number;
  pts: number[];
  cls: RoadClass;
  name: string | null;
  oneway: 0 | 1 | -1;
  maxspeedKmh: number | null;
  /** May cross the river (a bridge is built where it does). */
  mayCross: boolean;
  role: RoadRole;
  /** Arterial cell the road was drawn in, -1 for city-wide roads. */
  cell: number;
  /** A named lane: a back-street candidate. */
  lane: boolean;
}

/** One cell of the arterial grid (a superblock between arterials or the plan border). */
export interface Cell {
  id: number;
  k: number;
  l: number;
  corners: [number, number, number, number];
  zone: Zone;
  center: XY;
}

/** A leaf block of the subdivision: a convex CCW ring of pool points; `edgeRoads[i]` bounds edge i→i+1. */
export interface Block {
  ring: number[];
  edgeRoads: number[];
  cell: number;
  zone: Zone;
  /** A dead-end lane reaches into the block, so no compound fills it. */
  deadEnd: boolean;
}

/** A road piece between two junctions (or a junction and a dead end), in pool indices. */
export interface PlanEdge {
  road: number;
  pts: number[];
  bridge: boolean;
}

export const MAXSPEED_KMH: Record<RoadClass, number | null> = {
  trunk: 70,
  primary: 60,
  secondary: 50,
  tertiary: 40,
  residential: 30,
  living_street: 20,
  service: null,
  footway: null,
};

/** Half the street space (carriageway + pavement) a road takes, metres: compounds stay this far away. */
export const HALF_WIDTH_M: Record<RoadClass, number> = {
  trunk: 30,
  primary: 24,
  secondary: 18,
  tertiary: 14,
  residential: 10,
  living_street: 6,
  service: 6,
  footway: 4,
};
