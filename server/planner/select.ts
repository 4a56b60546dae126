/**
 * Stop selection: the ways inspections really pick points — by id, by kind, by subdistrict, inside a
 * drawn polygon, every open (or overdue) problem, the top recurring hotspots, and a 暗访 random sample.
 *
 * Semantics: `ids` are always included. The pools — places of `kinds`, problems from `openProblems`,
 * the `recurringHotspots` places, or every place when only `subdistricts`, `polygon` or `sample` is
 * given — are narrowed by `subdistricts` and `polygon`, then `sample` draws from what is left.
 */
import { booleanPointInPolygon, kinks, polygon as turfPolygon } from '@turf/turf';
import type { Geometry } from '../contract/geojson';
import { AppError, bilingual, type ErrorDetail, InputError } from '../errors';
import {
  PLAN_MAX_STOPS,
  POLYGON_MAX_VERTICES,
  type DwellInput,
  type PlanStopBase,
  type PolygonInput,
  type StopSelection,
  type WindowsInput,
} from '../contract/plans';
import { stratifiedSample } from './sample';
import { isWalkedLine, placePoint, placeStop, problemStop, streetLine, type Names, type PlaceInput, type ProblemInput } from './stops';

/** Where selection reads places and problems (the store in the app, arrays in tests). */
export interface StopSource {
  /** Every market, community and back street. */
  places(): Promise<PlaceInput[]>;
  /** The problems with these ids that exist. */
  problemsByIds(ids: readonly string[]): Promise<ProblemInput[]>;
  /** Problems not closed, or only the overdue ones. */
  openProblems(overdueOnly: boolean): Promise<ProblemInput[]>;
  /** Places with problems that came back after closing, most recurrences first (ties by id). */
  recurringPlaces(): Promise<{ placeId: string; count: number }[]>;
  /** Rectified problems waiting for their look-back, longest waiting first. */
  lookBacks(): Promise<ProblemInput[]>;
  /** Each place's latest check result (epoch ms); places never checked are absent. */
  lastVisits(): Promise<ReadonlyMap<string, number>>;
  /** The outlines of these 网格 (Polygon or MultiPolygon). @throws InputError naming an id that is no grid. */
  gridAreas(ids: readonly string[]): Promise<Geometry[]>;
}

/** 422: the selection is valid but picks nothing, or more than a plan can hold. */
export class SelectionError extends AppError {
  constructor(message: string) {
    super(422, message);
  }
}

/**
 * Checks a drawn polygon: closed, at most POLYGON_MAX_VERTICES vertices, not self-intersecting.
 * @throws InputError with the detail path `json.stops.polygon`.
 */
export function checkPolygon(p: PolygonInput): void {
  const ring = p.coordinates[0];
  const fail = (message: string) => {
    throw new InputError(`Invalid json.stops.polygon: ${message}`, [{ path: 'json.stops.polygon', message }]);
  };
  if (ring.length - 1 > POLYGON_MAX_VERTICES) fail(`has ${ring.length - 1} vertices; draw it with at most ${POLYGON_MAX_VERTICES}`);
  const first = ring[0];
  const last = ring[ring.length - 1];
  if (first[0] !== last[0] || first[1] !== last[1]) fail('the ring must be closed: repeat the first position at the end');
  if (kinks(turfPolygon(p.coordinates)).features.length > 0) fail('the outline crosses itself; draw it again without crossing lines');
}

/**
 * The stops a selection picks, in a stable order (explicit ids first, in the order given; then the
 * pool by id). Dwell times and windows per kind are applied.
 * @throws InputError (400) naming unknown ids or a bad polygon; SelectionError (422) when nothing or
 *   more than PLAN_MAX_STOPS stops are picked.
 */
export async function selectStops(
  source: StopSource,
  sel: StopSelection,
  names: Names,
  dwell: DwellInput = {},
  windows: WindowsInput = {},
): Promise<PlanStopBase[]> {
  if (sel.polygon) checkPolygon(sel.polygon);
  const places = await source.places();
  const placeById = new Map(places.map((p) => [p.id, p]));
  const out: PlanStopBase[] = [];
  const seen = new Set<string>();
  const add = (s: PlanStopBase) => {
    if (seen.has(s.id)) return;
    seen.add(s.id);
    out.push(s);
  };

  // Explicit ids: places, then problems; anything else is reported with its position.
  const ids = sel.ids ?? [];
  const problemIds = ids.filter((id) => !placeById.has(id));
  const problems = new Map((await source.problemsByIds(problemIds)).map((p) => [p.id, p]));
  const unknown: ErrorDetail[] = [];
  ids.forEach((id, i) => {
    const place = placeById.get(id);
    const problem = problems.get(id);
    if (place) add(placeStop(place, names, dwell, windows));
    else if (problem) add(problemStop(problem, names, dwell, windows));
    else unknown.push({ path: `json.stops.ids.${i}`, message: `no place (market, community, back street, other point) or problem has the id "${id}"` });
  });
  if (unknown.length > 0) {
    throw new InputError(
      `Unknown stop id${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => `"${u.message.split('"')[1]}"`).join(', ')}: pick ids from /api/layers or /api/problems`,
      unknown,
    );
  }

  // Pools, narrowed by the filters.
  const inArea = areaFilter(sel, sel.grids?.length ? await source.gridAreas(sel.grids) : null);
  type Candidate = { id: string; kind: string; subdistrictId: string | null; make: () => PlanStopBase };
  const pool: Candidate[] = [];
  const pooled = new Set<string>();
  const addPlace = (p: PlaceInput) => {
    if (pooled.has(p.id) || !inArea(p.subdistrictId, placeProbePoints(p))) return;
    pooled.add(p.id);
    pool.push({ id: p.id, kind: p.kind, subdistrictId: p.subdistrictId, make: () => placeStop(p, names, dwell, windows) });
  };
  const hasPool = Boolean(sel.kinds?.length || sel.openProblems || sel.recurringHotspots || sel.lookBacks || sel.longestUnvisited);
  const filtersOnly = !hasPool && Boolean(sel.subdistricts?.length || sel.polygon || sel.grids?.length || sel.sample);
  // No kinds named: every place, whatever its type.
  const kinds = sel.kinds?.length ? new Set(sel.kinds) : null;
  const ofKinds = (p: PlaceInput) => !kinds || kinds.has(p.kind);
  if (sel.longestUnvisited) {
    const inKinds = places.filter((p) => ofKinds(p) && inArea(p.subdistrictId, placeProbePoints(p)));
    for (const p of longestUnvisited(inKinds, await source.lastVisits(), sel.longestUnvisited)) addPlace(p);
  } else if (sel.kinds?.length || filtersOnly) {
    for (const p of places) if (ofKinds(p)) addPlace(p);
  }
  if (sel.recurringHotspots) {
    let taken = 0;
    for (const { placeId } of await source.recurringPlaces()) {
      if (taken >= sel.recurringHotspots) break;
      const p = placeById.get(placeId);
      if (!p || !inArea(p.subdistrictId, placeProbePoints(p))) continue;
      taken++;
      addPlace(p);
    }
  }
  const addProblems = (problems: ProblemInput[]) => {
    for (const p of problems) {
      if (pooled.has(p.id) || !inArea(p.subdistrictId, [p.lngLat])) continue;
      pooled.add(p.id);
      pool.push({ id: p.id, kind: 'problem', subdistrictId: p.subdistrictId, make: () => problemStop(p, names, dwell, windows) });
    }
  };
  if (sel.openProblems) addProblems(await source.openProblems(sel.openProblems === 'overdue'));
  if (sel.lookBacks) addProblems(await source.lookBacks());
  const picked = sel.sample ? stratifiedSample(pool, sel.sample.n, sel.sample.seed ?? 1) : pool.sort((a, b) => (a.id < b.id ? -1 : 1));
  for (const c of picked) add(c.make());

  if (out.length === 0) {
    throw new SelectionError(
      bilingual(
        '选择条件没有选中任何点位。',
        'The selection picks no stops: give ids, kinds, openProblems, recurringHotspots, lookBacks, longestUnvisited or sample, or widen the subdistricts / polygon / grids.',
      ),
    );
  }
  if (out.length > PLAN_MAX_STOPS) {
    throw new SelectionError(
      bilingual(
        `选中了 ${out.length} 个点位，一个方案最多 ${PLAN_MAX_STOPS} 个。`,
        `The selection picks ${out.length} stops; a plan holds at most ${PLAN_MAX_STOPS}: narrow it (subdistricts, polygon) or draw a sample (stops.sample.n).`,
      ),
    );
  }
  return out;
}

/**
 * The `n` places whose latest check is oldest (never checked first; ties by id), the kinds taken in
 * turn — each kind's stalest, then each kind's next stalest, … — so a month of such plans covers every
 * kind instead of the one with the most places.
 */
export function longestUnvisited<P extends { id: string; kind: string }>(places: readonly P[], lastVisits: ReadonlyMap<string, number>, n: number): P[] {
  const at = (p: P) => lastVisits.get(p.id) ?? -Infinity;
  const byKind = new Map<string, P[]>();
  for (const p of places) {
    const list = byKind.get(p.kind);
    if (list) list.push(p);
    else byKind.set(p.kind, [p]);
  }
  const queues = [...byKind.keys()].sort().map((k) => byKind.get(k)!.sort((a, b) => at(a) - at(b) || (a.id < b.id ? -1 : 1)));
  const out: P[] = [];
  for (let round = 0; out.length < n && queues.some((q) => round < q.length); round++) {
    // Within a round the stalest kind goes first, so a short N still takes the never-checked.
    const heads = queues.flatMap((q) => (round < q.length ? [q[round]] : [])).sort((a, b) => at(a) - at(b) || (a.id < b.id ? -1 : 1));
    out.push(...heads.slice(0, n - out.length));
  }
  return out;
}

/** Points that decide whether a place is inside a polygon (drawn, or a 网格): its stop point, and a back street's middle and ends. */
export function placeProbePoints(p: Pick<PlaceInput, 'kind' | 'geometry' | 'entrance'>): [number, number][] {
  if (!isWalkedLine(p)) return [placePoint(p)];
  const line = streetLine(p.geometry);
  return [line[0], line[Math.floor(line.length / 2)], line[line.length - 1]];
}

function areaFilter(sel: StopSelection, grids: readonly Geometry[] | null): (subdistrictId: string | null, probes: [number, number][]) => boolean {
  const subs = sel.subdistricts?.length ? new Set(sel.subdistricts) : null;
  const poly = sel.polygon ? turfPolygon(sel.polygon.coordinates) : null;
  const areas = grids?.filter((g): g is Extract<Geometry, { type: 'Polygon' | 'MultiPolygon' }> => g.type === 'Polygon' || g.type === 'MultiPolygon') ?? null;
  return (sd, probes) => {
    if (subs && (sd === null || !subs.has(sd))) return false;
    if (poly && !probes.some((pt) => booleanPointInPolygon(pt, poly))) return false;
    if (areas && !probes.some((pt) => areas.some((a) => booleanPointInPolygon(pt, a)))) return false;
    return true;
  };
}
