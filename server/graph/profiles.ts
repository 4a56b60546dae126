/**
 * Travel profiles: which road classes each may use, at what speed, and whether one-way applies.
 *
 * Turn-free simplification: a route's cost is the sum of its edges' costs. Turns, traffic lights,
 * turn restrictions and U-turn bans are not modelled (nodes are junctions, not junction movements),
 * so car times are optimistic in dense grids by roughly the time spent waiting at lights.
 */

import { PROFILES, type Profile } from '../contract/profiles';

export { PROFILES, isProfile, type Profile } from '../contract/profiles';

/** Index of a profile in per-profile arrays. */
export function profileIndex(profile: Profile): number {
  return PROFILES.indexOf(profile);
}

/**
 * Road classes the graph knows (OSM `highway` values). Any other class is stored as `other`, which
 * only walkers may use. The index of a class is stored per edge, so this list only grows at the end
 * (and GRAPH_FILE_VERSION changes when it does).
 */
export const ROAD_CLASSES = [
  'other',
  'motorway',
  'motorway_link',
  'trunk',
  'trunk_link',
  'primary',
  'primary_link',
  'secondary',
  'secondary_link',
  'tertiary',
  'tertiary_link',
  'unclassified',
  'residential',
  'living_street',
  'service',
  'pedestrian',
  'footway',
  'path',
  'steps',
  'cycleway',
  'track',
  'road',
] as const;
export type RoadClassName = (typeof ROAD_CLASSES)[number];

const CLASS_INDEX = new Map<string, number>(ROAD_CLASSES.map((c, i) => [c, i]));

/** Class name → stored index (`other` = 0 for anything unknown). */
export function roadClassIndex(cls: string): number {
  return CLASS_INDEX.get(cls) ?? 0;
}

/**
 * OSM `access` reduced to what routing needs, stored per segment: 0 open; 1 no through traffic for
 * vehicles (private, destination, customers, delivery — the lanes inside a gated 小区 or a factory yard),
 * which inspectors may still walk; 2 closed to everyone (`no`).
 */
export const ACCESS_OPEN = 0;
export const ACCESS_WALK_ONLY = 1;
export const ACCESS_CLOSED = 2;
const WALK_ONLY_ACCESS = new Set(['private', 'destination', 'customers', 'delivery', 'agricultural', 'forestry', 'permit']);

/** An OSM access value (or null) → ACCESS_OPEN | ACCESS_WALK_ONLY | ACCESS_CLOSED. */
export function accessLevel(access: string | null | undefined): number {
  if (!access) return ACCESS_OPEN;
  const v = access.trim().toLowerCase();
  if (v === 'no') return ACCESS_CLOSED;
  return WALK_ONLY_ACCESS.has(v) ? ACCESS_WALK_ONLY : ACCESS_OPEN;
}

/** Walking speed, km/h. */
export const WALK_KMH = 4.5;
/** E-bike cruising speed, km/h. */
export const EBIKE_KMH = 12;
/** E-bike pushed along footways and pedestrian streets (推行), km/h. */
export const EBIKE_PUSH_KMH = 5;

/**
 * Car speed per class when a road has no maxspeed, km/h: urban averages (not limits), since
 * junction delays are not modelled.
 */
/**
 * Share of a tagged maxspeed a car averages in town. The class speeds above are averages, a posted
 * limit is not: driving at 50 km/h on a 50 road would make town ETAs half again too short.
 */
export const POSTED_LIMIT_SHARE = 0.75;

const CAR_KMH: Partial<Record<RoadClassName, number>> = {
  motorway: 80,
  motorway_link: 40,
  trunk: 50,
  trunk_link: 30,
  primary: 40,
  primary_link: 25,
  secondary: 35,
  secondary_link: 25,
  tertiary: 30,
  tertiary_link: 20,
  unclassified: 25,
  road: 25,
  residential: 20,
  living_street: 10,
  service: 12,
  track: 10,
};

/** E-bikes stay off motorways (forbidden in China) and stairs. */
const EBIKE_FORBIDDEN = new Set<RoadClassName>(['motorway', 'motorway_link', 'steps']);
const EBIKE_PUSHED = new Set<RoadClassName>(['footway', 'pedestrian', 'path', 'other']);
const WALK_FORBIDDEN = new Set<RoadClassName>(['motorway', 'motorway_link']);

/**
 * Speed of a profile on a road in km/h, or 0 when the profile may not use it.
 * `maxspeedKmh` only matters for cars, which average POSTED_LIMIT_SHARE of it when one is tagged; `access` is
 * an `accessLevel`.
 */
export function profileSpeedKmh(profile: Profile, classIndex: number, maxspeedKmh: number, access: number = ACCESS_OPEN): number {
  if (access === ACCESS_CLOSED || (access === ACCESS_WALK_ONLY && profile !== 'walk')) return 0;
  const cls = ROAD_CLASSES[classIndex] ?? 'other';
  if (profile === 'walk') return WALK_FORBIDDEN.has(cls) ? 0 : WALK_KMH;
  if (profile === 'ebike') {
    if (EBIKE_FORBIDDEN.has(cls)) return 0;
    return EBIKE_PUSHED.has(cls) ? EBIKE_PUSH_KMH : EBIKE_KMH;
  }
  const byClass = CAR_KMH[cls];
  if (byClass === undefined) return 0;
  return maxspeedKmh > 0 ? maxspeedKmh * POSTED_LIMIT_SHARE : byClass;
}

/** Walkers may go both ways on a one-way street; e-bikes and cars may not. */
export function profileRespectsOneway(profile: Profile): boolean {
  return profile !== 'walk';
}
