/**
 * Stops: what a team goes to. A market is its point, a community its entrance, a problem its point,
 * and a back street its two ends — walked end to end, not visited, so its "dwell" is its length at
 * walking speed and the solver picks the direction. The catalog's other point types follow their
 * shape: a line (a main road segment, a commercial street) is walked like a back street, an area (a
 * park, a school) is entered at its entrance, a point (a bus stop, a toilet) is its point; their dwell
 * is the catalog's (Names.typeDwellS).
 */
import type { Geometry } from '../contract/geojson';
import type { DwellInput, PlanStopBase, StopKind, WindowsInput } from '../contract/plans';
import type { LngLat } from '../contract/geo';

/** Default dwell per kind, seconds: a market takes longest to walk through stall by stall. */
export const DEFAULT_DWELL_S = { market: 900, community: 1200, problem: 300 } as const;
/** Dwell at a point of a type the catalog gives no dwell for, seconds. */
export const OTHER_DWELL_S = 600;
/** Walking speed along a back street, m/s (4.5 km/h, the road engine's walk profile). */
export const BACK_STREET_SPEED_MS = 4.5 / 3.6;
/** Priority of a stop: an overdue problem outranks the rest when budgets are short. */
export const PRIORITY = { overdue: 3, problem: 2, place: 1 } as const;

/** A place as the planner reads it from the store: a market, community, back street or a point of another catalog type. */
export interface PlaceInput {
  id: string;
  /** market, community, back-street, or another point type id of the catalog (bus-stop, main-road …). */
  kind: string;
  name: string;
  subdistrictId: string | null;
  unitId: string | null;
  address: string | null;
  entrance: LngLat | null;
  lengthM: number | null;
  geometry: Geometry;
}

/** A problem as the planner reads it from the store. */
export interface ProblemInput {
  id: string;
  lngLat: LngLat;
  category: string;
  description: string;
  status: string;
  overdue: boolean;
  subdistrictId: string | null;
  unitId: string | null;
  placeId: string | null;
}

/** Id → display name lookups (the store's), so stops carry names the task sheet can print. */
export interface Names {
  subdistrict(id: string | null): string | null;
  unit(id: string | null): string | null;
  /** Category id → `{ zh, en }`, or null when the catalog has no such category. */
  category(id: string): { zh: string; en: string } | null;
  /** Seconds at one point of a catalog point type (its dwellMin), or null when the catalog has no such type. */
  typeDwellS?(kind: string): number | null;
}

const LEGACY = new Set(['market', 'community', 'back-street']);

/** Walked end to end: a back street, or a place of another type drawn as a line (a main road segment). */
export function isWalkedLine(p: Pick<PlaceInput, 'kind' | 'geometry'>): boolean {
  return p.kind === 'back-street' || (!LEGACY.has(p.kind) && (p.geometry.type === 'LineString' || p.geometry.type === 'MultiLineString'));
}

/** The point a team walks to for a place: its entrance (a community, a park …; else the polygon's first vertex), its point, a line's first end. */
export function placePoint(p: Pick<PlaceInput, 'kind' | 'geometry' | 'entrance'>): LngLat {
  if (p.entrance && p.kind !== 'market') return p.entrance;
  return firstPosition(p.geometry);
}

/** A back street's line as one list of positions: a MultiLineString's parts chained end to end. */
export function streetLine(g: Geometry): LngLat[] {
  if (g.type === 'LineString') return g.coordinates.map((c) => [c[0], c[1]]);
  if (g.type === 'MultiLineString') return chainParts(g.coordinates.filter((part) => part.length > 0).map((part) => part.map((c) => [c[0], c[1]] as LngLat)));
  return [firstPosition(g)];
}

const sqDist = (a: LngLat, b: LngLat) => {
  const k = Math.cos((((a[1] + b[1]) / 2) * Math.PI) / 180);
  return ((a[0] - b[0]) * k) ** 2 + (a[1] - b[1]) ** 2;
};

/**
 * The parts of a street (OSM ways, a sheet's same-named segments) in walking order, each turned to follow
 * the last: in file order they jump back and forth (a 1.5 km lane drawn as 2.4 km). Starts at the end
 * farthest from every other part (an end of the street), then always takes the part nearest the tail.
 */
function chainParts(parts: LngLat[][]): LngLat[] {
  if (parts.length <= 1) return parts[0] ?? [];
  const ends = (p: LngLat[]) => [p[0], p[p.length - 1]];
  let start = { part: 0, reversed: false, gap: -1 };
  parts.forEach((p, i) => {
    ends(p).forEach((end, e) => {
      let gap = Infinity;
      parts.forEach((q, j) => {
        if (j !== i) for (const other of ends(q)) gap = Math.min(gap, sqDist(end, other));
      });
      if (gap > start.gap) start = { part: i, reversed: e === 1, gap };
    });
  });
  const left = new Set(parts.keys());
  left.delete(start.part);
  const line = start.reversed ? [...parts[start.part]].reverse() : [...parts[start.part]];
  while (left.size > 0) {
    const tail = line[line.length - 1];
    let best = { part: -1, reversed: false, d: Infinity };
    for (const j of left) {
      const [a, b] = ends(parts[j]);
      if (sqDist(tail, a) < best.d) best = { part: j, reversed: false, d: sqDist(tail, a) };
      if (sqDist(tail, b) < best.d) best = { part: j, reversed: true, d: sqDist(tail, b) };
    }
    left.delete(best.part);
    const next = best.reversed ? [...parts[best.part]].reverse() : parts[best.part];
    // Parts that meet share their junction: keep it once.
    line.push(...(best.d === 0 ? next.slice(1) : next));
  }
  return line;
}

function firstPosition(g: Geometry): LngLat {
  switch (g.type) {
    case 'Point':
      return [g.coordinates[0], g.coordinates[1]];
    case 'LineString':
      return [g.coordinates[0][0], g.coordinates[0][1]];
    case 'MultiLineString':
    case 'Polygon':
      return [g.coordinates[0][0][0], g.coordinates[0][0][1]];
    case 'MultiPolygon':
      return [g.coordinates[0][0][0][0], g.coordinates[0][0][0][1]];
  }
}

/** Line length in metres (equirectangular per segment: exact enough for lanes of a few hundred metres). */
export function lineLengthM(line: readonly LngLat[]): number {
  let m = 0;
  for (let i = 1; i < line.length; i++) {
    const [x0, y0] = line[i - 1];
    const [x1, y1] = line[i];
    const k = Math.cos((((y0 + y1) / 2) * Math.PI) / 180);
    const dx = (x1 - x0) * k * 111_320;
    const dy = (y1 - y0) * 110_574;
    m += Math.hypot(dx, dy);
  }
  return m;
}

/** The stop for a place with the plan's dwell times and windows. */
export function placeStop(p: PlaceInput, names: Names, dwell: DwellInput = {}, windows: WindowsInput = {}): PlanStopBase {
  const base = {
    id: p.id,
    kind: p.kind as StopKind,
    name: p.name,
    address: p.address,
    subdistrictId: p.subdistrictId,
    subdistrictName: names.subdistrict(p.subdistrictId),
    unitName: names.unit(p.unitId),
    category: null,
    priority: PRIORITY.place,
    windows: (windows as Record<string, PlanStopBase['windows'] | undefined>)[p.kind] ?? [],
  };
  if (isWalkedLine(p)) {
    const line = streetLine(p.geometry);
    const lengthM = p.lengthM ?? lineLengthM(line);
    return {
      ...base,
      lngLat: line[0],
      otherEnd: line[line.length - 1],
      line,
      dwellS: Math.round(lengthM / BACK_STREET_SPEED_MS),
    };
  }
  const dwellS = p.kind === 'market' || p.kind === 'community' ? (dwell[p.kind] ?? DEFAULT_DWELL_S[p.kind]) : (names.typeDwellS?.(p.kind) ?? OTHER_DWELL_S);
  return { ...base, lngLat: placePoint(p), otherEnd: null, line: null, dwellS };
}

/** The stop for a problem: its point; named by its category so a task sheet reads "占道经营 · p03". */
export function problemStop(p: ProblemInput, names: Names, dwell: DwellInput = {}, windows: WindowsInput = {}): PlanStopBase {
  const cat = names.category(p.category);
  return {
    id: p.id,
    kind: 'problem',
    name: `${cat?.zh ?? p.category} · ${p.id}`,
    address: p.description,
    subdistrictId: p.subdistrictId,
    subdistrictName: names.subdistrict(p.subdistrictId),
    unitName: names.unit(p.unitId),
    category: p.category,
    lngLat: p.lngLat,
    otherEnd: null,
    line: null,
    dwellS: dwell.problem ?? DEFAULT_DWELL_S.problem,
    priority: p.overdue ? PRIORITY.overdue : PRIORITY.problem,
    windows: windows.problem ?? [],
  };
}
