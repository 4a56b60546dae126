/**
 * Two years of problem reports with the structure a real campaign city shows:
 *
 * - hotspots: each place's weight is Pareto-distributed (a few markets and lanes draw most reports), and
 *   busy places have bursts of several weeks when they are reported far more often;
 * - recurrence: a busy spot comes back after it was closed (same category, within ~10 m, within 90
 *   days), linked by `recurrenceOf`;
 * - rhythm: many reports on Monday (the weekly inspection), few on Sunday; a campaign build-up in the
 *   month before the assessment months (May and November) and during their first half; a lull in the
 *   National Day holiday and in winter; a slow improvement over the two years;
 * - workflow: assigned after hours to a day, deadline = assignedAt + the category's days, rectified
 *   mostly in time (some units are slower than others), closed after a look-back; whatever lies after
 *   the end date has not happened yet, so recent problems are open and some are overdue.
 *
 * The other 实地考察 points (bus stops, toilets, parks, schools, main roads …) draw reports too, of the
 * categories their check items name in the assessment catalog (a toilet mostly 公厕脏乱, a building site
 * 渣土车 and hoarding damage), so their check history and scores have something to find.
 *
 * All times are city wall-clock (+08:00) within working hours; nothing is after the end of `end`.
 */
import type { LineString, Point, Polygon } from 'geojson';
import { demoDeadlineDays, type Category } from './catalog';
import { describe } from './descriptions';
import { type CityFrame, insideWorldRect, lngLatToWorld, planToLngLat, toWorld, worldToLngLat } from './frame';
import { pointInPolygon, pointInRing } from '../../server/contract/geo';
import { type XY, bboxOf, pointAlong, polylineLength } from './geometry';
import { type NameBook, chineseNumber } from './names';
import type { BackStreet, Community, Market } from './places';
import type { CellLocator } from './plan-index';
import { type Rng, chance, cumulative, drawCumulative, exponential, intBetween, pareto, pick, uniform, weightedIndex } from './random';
import type { Subdistrict } from './subdistricts';
import { DAY_S, HOUR_S, calendar, formatLocal, hourOfDay, parseLocalDate, weekday } from './time';
import { departmentsOf, type Unit, type UnitPlan } from './units';

export type ProblemStatus = 'reported' | 'assigned' | 'rectified' | 'closed';
export type ProblemSource = 'inspection' | 'public' | 'assessment' | 'unannounced';

/** One problem as written to problems.ndjson (`at` is [lng, lat]). */
export interface ProblemRecord {
  id: string;
  category: string;
  description: string;
  status: ProblemStatus;
  reportedAt: string;
  assignedAt: string | null;
  deadline: string | null;
  rectifiedAt: string | null;
  closedAt: string | null;
  subdistrictId: string;
  unitId: string;
  placeId: string | null;
  recurrenceOf: string | null;
  noticeNo: string | null;
  source: ProblemSource;
  reporter: string;
  at: XY;
}

/** One of the other inspection points (points.geojson), in longitude/latitude. */
export interface PointSite {
  id: string;
  kind: string;
  name: string;
  unitId: string | null;
  subdistrict: number;
  geometry: Point | LineString | Polygon;
}

/** A street stretch where problems without a place are reported. */
export interface RoadLine {
  line: XY[];
  name: string;
}

export interface ProblemInput {
  rng: Rng;
  frame: CityFrame;
  /** Last day of the history, YYYY-MM-DD (city time). */
  end: string;
  categories: Category[];
  markets: Market[];
  communities: Community[];
  backStreets: BackStreet[];
  /** The other inspection points and, per point type, the categories its check items name. */
  points: PointSite[];
  pointTypeCategories: ReadonlyMap<string, readonly string[]>;
  roads: RoadLine[];
  units: UnitPlan;
  locator: CellLocator;
  cellSubdistrict: Int32Array;
  subdistricts: Subdistrict[];
  /** Per subdistrict, its district's 创城办 (区创城办 in a one-district city): its 督查组 and 暗访组 report. */
  offices: readonly string[];
  names: NameBook;
}

/** Problems per scale unit over the two years. */
export const PROBLEMS_PER_SCALE = 24_000;
export const HISTORY_DAYS = 730;
/** A recurrence links to a problem closed at most this long before. */
export const RECURRENCE_WINDOW_DAYS = 88;

const PLACELESS_SHARE = 0.13;
/** The share of place-bound reports each kind draws (relative; a kind the city lacks drops out). */
const KIND_SHARE: Record<string, number> = {
  market: 0.33,
  'back-street': 0.29,
  community: 0.2,
  'main-road': 0.05,
  'commercial-street': 0.03,
  'bus-stop': 0.025,
  'public-toilet': 0.02,
  'park-square': 0.015,
  'school-area': 0.015,
  'construction-site': 0.015,
  'urban-village': 0.015,
  junction: 0.01,
  hospital: 0.01,
  'service-window': 0.004,
  'culture-venue': 0.004,
};
const OTHER_KIND_SHARE = 0.004;
/** How far from its marker a point's problems are found, metres (a school's 周边 is wide, a toilet small). */
const SPREAD_M: Record<string, number> = {
  'bus-stop': 15,
  'public-toilet': 10,
  junction: 30,
  'school-area': 150,
  hospital: 60,
  'construction-site': 80,
  'urban-village': 150,
  'service-window': 20,
  'culture-venue': 40,
};
/** Sunday … Saturday. Monday is the weekly inspection day. */
const WEEKDAY_FACTOR = [0.4, 1.45, 1.15, 1.05, 1.0, 0.95, 0.6];
/** How common a category is overall; categories missing here weigh 3. */
const CATEGORY_WEIGHT: Record<string, number> = {
  'occupy-road': 10,
  'outside-shop': 8,
  'disorderly-parking': 7,
  'bike-parking': 8,
  'small-ads': 7,
  graffiti: 4,
  'exposed-garbage': 9,
  'overflowing-bins': 6,
  'illegal-wiring': 4,
  'muck-truck': 4,
  'road-damage': 3,
  'facility-damage': 4,
  'missing-psa': 4,
  'illegal-construction': 2,
  'frontage-duty': 5,
  'dirty-toilet': 2,
  noise: 2,
  'live-poultry': 3,
  'accumulated-garbage': 5,
  'illegal-outdoor-ads': 2,
  clutter: 5,
  'clothes-drying': 3,
  'greenbelt-damage': 2,
};
/** What each kind of place is especially prone to. */
const KIND_BOOST: Record<string, Record<string, number>> = {
  market: { 'occupy-road': 2.5, 'outside-shop': 1.5, 'exposed-garbage': 1.5, 'live-poultry': 2 },
  community: { 'bike-parking': 1.5, 'disorderly-parking': 1.5, 'illegal-wiring': 2, 'overflowing-bins': 1.5, 'small-ads': 1.5 },
  'back-street': { 'exposed-garbage': 1.5, 'small-ads': 1.5, clutter: 1.3, 'road-damage': 1.5 },
  road: { 'muck-truck': 2, 'disorderly-parking': 1.5 },
  'main-road': { 'muck-truck': 1.5, 'disorderly-parking': 1.5, 'occupy-road': 1.3 },
  'bus-stop': { 'small-ads': 2.5, 'facility-damage': 1.5 },
  'public-toilet': { 'dirty-toilet': 8 },
  'park-square': { 'exposed-garbage': 1.5, 'greenbelt-damage': 2 },
  'school-area': { 'disorderly-parking': 2, 'occupy-road': 1.5 },
  hospital: { 'disorderly-parking': 2.5 },
  'construction-site': { 'muck-truck': 3, 'exposed-garbage': 1.5 },
  'urban-village': { 'illegal-construction': 2, 'accumulated-garbage': 1.5, clutter: 1.5 },
};
/** Summer months bring more rubbish and noise. */
const SUMMER_BOOST: Record<string, number> = { 'exposed-garbage': 1.3, 'overflowing-bins': 1.4, 'accumulated-garbage': 1.2, noise: 1.6 };
const DIRECTIONS = ['东', '北', '西', '南'];

interface Spot {
  at: XY;
  side: string;
  gate: string;
}

interface History {
  id: string;
  cat: number;
  at: XY;
  closedT: number | null;
}

interface PlaceModel {
  kind: string;
  id: string;
  name: string;
  unitId: string;
  weight: number;
  hot: number;
  bursts: [number, number, number][];
  spots: Spot[];
  fresh: (rng: Rng) => Spot;
  dominant: number;
  history: History[];
  /** The subdistrict of every report here (a point's own), or null: the one the spot lies in. */
  subdistrict: number | null;
  /** Spot coordinates (plan metres, or a point's world metres) → [lng, lat]. */
  toLngLat: (xy: XY) => XY;
}

function direction(dx: number, dy: number): string {
  const a = Math.atan2(dy, dx);
  return DIRECTIONS[(Math.round(a / (Math.PI / 2)) + 4) % 4];
}

/** Working time at or after t: 08:30–17:45, else the next morning. */
function nextWorking(rng: Rng, t: number): number {
  const h = hourOfDay(t);
  const day = Math.floor(t / DAY_S) * DAY_S;
  if (h < 8.5) return day + 8.5 * HOUR_S + Math.floor(rng() * 1.5 * HOUR_S);
  if (h > 17.75) return day + DAY_S + 8.5 * HOUR_S + Math.floor(rng() * 1.5 * HOUR_S);
  return Math.floor(t);
}

/** Campaign intensity on a day: build-up before May and November, the assessment itself, holidays. */
export function campaignFactor(t: number): number {
  const { month, day } = calendar(t);
  let f = 1;
  if (month === 4 || month === 10) f *= 1.4 + 0.9 * (day / 30);
  if ((month === 5 || month === 11) && day <= 15) f *= 1.3;
  if (month === 10 && day <= 7) f *= 0.45;
  if (month === 12 || month === 1 || month === 2) f *= 0.85;
  return f;
}

function inCampaign(t: number): boolean {
  const { month, day } = calendar(t);
  return month === 4 || month === 10 || ((month === 5 || month === 11) && day <= 15);
}

/** Yields every problem in order of report time (ids p000001 … in that order). */
export function* generateProblems(input: ProblemInput): Generator<ProblemRecord> {
  const { rng, frame, categories, units, subdistricts, names } = input;
  const endDay = parseLocalDate(input.end);
  const endT = endDay + DAY_S - 1;
  const startDay = endDay - (HISTORY_DAYS - 1) * DAY_S;
  const weeks = Math.ceil(HISTORY_DAYS / 7);

  // Category tables per kind and month.
  // The three kinds of places and the street take the categories' own kinds; the other point types the
  // categories their check items name.
  const tables = new Map<string, Float64Array[]>();
  const pointKinds = [...new Set(input.points.map((p) => p.kind))];
  for (const kind of ['market', 'community', 'back-street', 'road', ...pointKinds]) {
    const named = input.pointTypeCategories.get(kind);
    const occurs = (c: Category) =>
      kind === 'market' || kind === 'community' || kind === 'back-street' || kind === 'road' ? c.kinds.includes(kind) : Boolean(named?.includes(c.id));
    const perMonth: Float64Array[] = [];
    for (let m = 1; m <= 12; m++) {
      const summer = m >= 6 && m <= 9;
      perMonth.push(
        cumulative(
          categories.map((c) => {
            if (!occurs(c)) return 0;
            return (CATEGORY_WEIGHT[c.id] ?? 3) * (KIND_BOOST[kind]?.[c.id] ?? 1) * (summer ? (SUMMER_BOOST[c.id] ?? 1) : 1);
          }),
        ),
      );
    }
    tables.set(kind, perMonth);
  }
  const hasKind = (kind: string) => (tables.get(kind)![0].at(-1) ?? 0) > 0;

  // Place models.
  const places: PlaceModel[] = [];
  const spotsAround = (centre: XY, count: number, radius: number, gateWord: (d: string) => string): Spot[] => {
    const out: Spot[] = [];
    for (let i = 0; i < count; i++) {
      const a = rng() * Math.PI * 2;
      const r = uniform(rng, radius * 0.3, radius);
      const d = direction(Math.cos(a), Math.sin(a));
      out.push({ at: [centre[0] + r * Math.cos(a), centre[1] + r * Math.sin(a)], side: `${d}侧`, gate: gateWord(d) });
    }
    return out;
  };
  const inPlan = (xy: XY) => planToLngLat(frame, xy[0], xy[1]);
  const makePlace = (
    kind: string,
    id: string,
    name: string,
    unitId: string,
    spots: Spot[],
    fresh: (r: Rng) => Spot,
    where: Pick<PlaceModel, 'subdistrict' | 'toLngLat'> = { subdistrict: null, toLngLat: inPlan },
  ) => {
    const table = tables.get(kind)![0];
    places.push({
      ...where,
      kind,
      id,
      name,
      unitId,
      weight: Math.min(40, pareto(rng, 1.15)),
      hot: 0,
      bursts: [],
      spots,
      fresh,
      dominant: drawCumulative(rng, table),
      history: [],
    });
  };
  if (hasKind('market')) {
    for (const m of input.markets) {
      const spots = spotsAround(m.at, intBetween(rng, 3, 6), 35, (d) => `${d}门`);
      makePlace('market', m.id, m.name, m.unitId, spots, (r) => {
        const a = r() * Math.PI * 2;
        const rad = uniform(r, 5, 35);
        const d = direction(Math.cos(a), Math.sin(a));
        return { at: [m.at[0] + rad * Math.cos(a), m.at[1] + rad * Math.sin(a)], side: `${d}侧`, gate: `${d}门` };
      });
    }
  }
  if (hasKind('community')) {
    for (const c of input.communities) {
      const inside = (r: Rng): Spot => {
        let minX = Infinity;
        let minY = Infinity;
        let maxX = -Infinity;
        let maxY = -Infinity;
        for (const [x, y] of c.ring) {
          minX = Math.min(minX, x);
          maxX = Math.max(maxX, x);
          minY = Math.min(minY, y);
          maxY = Math.max(maxY, y);
        }
        for (let i = 0; i < 20; i++) {
          const p: XY = [uniform(r, minX, maxX), uniform(r, minY, maxY)];
          if (pointInRing(p[0], p[1], c.ring)) return { at: p, side: '内', gate: '入口处' };
        }
        return { at: c.entrance, side: '门口', gate: '入口处' };
      };
      const [cx, cy] = c.ring.reduce((s, p) => [s[0] + p[0] / c.ring.length, s[1] + p[1] / c.ring.length], [0, 0]);
      const gateDir = direction(c.entrance[0] - cx, c.entrance[1] - cy);
      const spots: Spot[] = [{ at: c.entrance, side: `${gateDir}门口`, gate: `${gateDir}门` }];
      for (let i = intBetween(rng, 1, 3); i > 0; i--) spots.push(inside(rng));
      makePlace('community', c.id, c.name, c.unitId, spots, inside);
    }
  }
  if (hasKind('back-street')) {
    for (const b of input.backStreets) {
      const along = (r: Rng): Spot => {
        const t = r();
        const { p, dir } = pointAlong(b.line, t * b.lengthM);
        const off = uniform(r, -4, 4);
        const ends = t < 0.12 || t > 0.88;
        const first = b.line[0];
        const last = b.line[b.line.length - 1];
        const d = direction(last[0] - first[0], last[1] - first[1]);
        const back = direction(first[0] - last[0], first[1] - last[1]);
        const side = ends ? '巷口' : t > 0.4 && t < 0.6 ? '中段' : `${t >= 0.5 ? d : back}段`;
        return { at: [p[0] - dir[1] * off, p[1] + dir[0] * off], side, gate: '巷口' };
      };
      const spots: Spot[] = [];
      for (let i = intBetween(rng, 2, 5); i > 0; i--) spots.push(along(rng));
      makePlace('back-street', b.id, b.name, b.unitId, spots, along);
    }
  }
  for (const pt of input.points) {
    if (!hasKind(pt.kind)) continue;
    const where = { subdistrict: pt.subdistrict, toLngLat: (xy: XY) => worldToLngLat(frame, xy[0], xy[1]) };
    const unitId = pt.unitId ?? units.squadOf[pt.subdistrict];
    const g = pt.geometry;
    if (g.type === 'LineString') {
      // A main road segment: along it, either side of the carriageway.
      const line = g.coordinates.map((c) => lngLatToWorld(frame, c));
      const lengthM = polylineLength(line);
      const along = (r: Rng): Spot => {
        const { p, dir } = pointAlong(line, r() * lengthM);
        const off = uniform(r, -12, 12);
        return { at: [p[0] - dir[1] * off, p[1] + dir[0] * off], side: `${direction(dir[0], dir[1])}段`, gate: '路口' };
      };
      const spots: Spot[] = [];
      for (let i = intBetween(rng, 2, 4); i > 0; i--) spots.push(along(rng));
      makePlace(pt.kind, pt.id, pt.name, unitId, spots, along, where);
    } else if (g.type === 'Polygon') {
      // A park or square: anywhere inside, most often by its gate (the first vertex).
      const ring = g.coordinates[0].map((c) => lngLatToWorld(frame, c));
      const [minX, minY, maxX, maxY] = bboxOf(ring);
      const inside = (r: Rng): Spot => {
        for (let i = 0; i < 20; i++) {
          const p: XY = [uniform(r, minX, maxX), uniform(r, minY, maxY)];
          if (pointInRing(p[0], p[1], ring)) return { at: p, side: '园内', gate: '入口处' };
        }
        return { at: ring[0], side: '门口', gate: '入口处' };
      };
      const spots: Spot[] = [{ at: ring[0], side: '门口', gate: '入口处' }];
      for (let i = intBetween(rng, 1, 3); i > 0; i--) spots.push(inside(rng));
      makePlace(pt.kind, pt.id, pt.name, unitId, spots, inside, where);
    } else {
      const centre = lngLatToWorld(frame, g.coordinates);
      const radius = SPREAD_M[pt.kind] ?? 30;
      const around = (r: Rng): Spot => {
        const a = r() * Math.PI * 2;
        const rad = uniform(r, radius * 0.2, radius);
        const d = direction(Math.cos(a), Math.sin(a));
        return { at: [centre[0] + rad * Math.cos(a), centre[1] + rad * Math.sin(a)], side: `${d}侧`, gate: `${d}门` };
      };
      const spots: Spot[] = [];
      for (let i = intBetween(rng, 2, 4); i > 0; i--) spots.push(around(rng));
      makePlace(pt.kind, pt.id, pt.name, unitId, spots, around, where);
    }
  }
  const kindTotal: Record<string, number> = {};
  for (const p of places) kindTotal[p.kind] = (kindTotal[p.kind] ?? 0) + p.weight;
  const sorted = places.map((p) => p.weight).sort((a, b) => a - b);
  const p70 = sorted[Math.floor(sorted.length * 0.7)] ?? 1;
  const p90 = sorted[Math.floor(sorted.length * 0.9)] ?? 1;
  for (const p of places) {
    p.hot = Math.min(1, p.weight / p90);
    if (p.weight >= p70) {
      for (let i = intBetween(rng, 1, 3); i > 0; i--) {
        const start = intBetween(rng, 0, weeks - 1);
        p.bursts.push([start, start + intBetween(rng, 3, 8), uniform(rng, 2, 4)]);
      }
    }
  }
  const baseWeight = places.map((p) => ((KIND_SHARE[p.kind] ?? OTHER_KIND_SHARE) * p.weight) / kindTotal[p.kind]);

  const roadLengths = input.roads.map((r) => polylineLength(r.line));
  const roadTable = cumulative(roadLengths);

  // Units' pace: some are slower, which the ranking later shows.
  const lateness = new Map(units.units.map((u) => [u.id, uniform(rng, 0.4, 2.2)]));
  const unitById = new Map(units.units.map((u) => [u.id, u]));

  // Day volumes.
  const dayFactor: number[] = [];
  let factorSum = 0;
  for (let d = 0; d < HISTORY_DAYS; d++) {
    const t = startDay + d * DAY_S;
    const f = WEEKDAY_FACTOR[weekday(t)] * campaignFactor(t) * (1.1 - (0.2 * d) / HISTORY_DAYS);
    dayFactor.push(f);
    factorSum += f;
  }
  const perDay = (PROBLEMS_PER_SCALE * frame.scale) / factorSum;

  const catDeadline = categories.map((c) => demoDeadlineDays(c.deadline) * DAY_S);
  const inCity = (p: XY): number => {
    const [x, y] = toWorld(frame, p[0], p[1]);
    if (!insideWorldRect(frame, x, y)) return -1;
    const cell = input.locator.cellAt(p[0], p[1]);
    return cell < 0 ? -1 : input.cellSubdistrict[cell];
  };
  // A point's reports belong to its subdistrict; a plan place's to the one its spot lies in.
  // A point's spot may lie across the arterial that bounds its subdistrict: then the neighbour's.
  const polygonsOf = subdistricts.map((sd) => (sd.geometry.type === 'Polygon' ? [sd.geometry.coordinates] : sd.geometry.coordinates));
  const locate = (place: PlaceModel, xy: XY): number => {
    if (place.subdistrict === null) return inCity(xy);
    const at = place.toLngLat(xy);
    if (polygonsOf[place.subdistrict].some((rings) => pointInPolygon(at, rings))) return place.subdistrict;
    // -1 outside every subdistrict (a point near the city's edge): the caller moves the spot or skips.
    return polygonsOf.findIndex((polys) => polys.some((rings) => pointInPolygon(at, rings)));
  };
  const noticeSeq = new Map<number, number>();
  let serial = 0;
  let weekTable: Float64Array | null = null;
  let tableWeek = -1;

  for (let d = 0; d < HISTORY_DAYS; d++) {
    const dayT = startDay + d * DAY_S;
    const week = Math.floor(d / 7);
    if (week !== tableWeek && places.length > 0) {
      weekTable = cumulative(
        places.map((p, i) => {
          let w = baseWeight[i];
          for (const [a, b, f] of p.bursts) if (week >= a && week < b) w *= f;
          return w;
        }),
      );
      tableWeek = week;
    }
    const count = Math.floor(perDay * dayFactor[d] + rng());
    const campaign = inCampaign(dayT);
    const { month } = calendar(dayT);
    const batch: (Omit<ProblemRecord, 'id' | 'noticeNo'> & {
      reportedT: number;
      assignedT: number | null;
      closedT: number | null;
      place: PlaceModel | null;
      catIdx: number;
      planAt: XY;
    })[] = [];
    for (let i = 0; i < count; i++) {
      const source: ProblemSource = campaign
        ? pick(rng, ['inspection', 'inspection', 'inspection', 'unannounced', 'unannounced', 'assessment', 'public', 'public'] as const)
        : (['inspection', 'public', 'unannounced', 'assessment'] as const)[weightedIndex(rng, [62, 23, 13, 2])];
      const morning = chance(rng, 0.6);
      const hour = source === 'public' ? uniform(rng, 8, 18) : morning ? uniform(rng, 8.5, 11.75) : uniform(rng, 14, 17.75);
      const reportedT = dayT + Math.floor(hour * HOUR_S);

      let place: PlaceModel | null = null;
      let catIdx = -1;
      let spot: Spot | null = null;
      let placeName = '';
      let recurrenceOf: string | null = null;
      let planAt: XY | null = null;
      if ((!chance(rng, PLACELESS_SHARE) || input.roads.length === 0) && weekTable) {
        place = places[drawCumulative(rng, weekTable)];
        if (chance(rng, 0.05 + 0.22 * place.hot)) {
          for (let h = place.history.length - 1; h >= 0; h--) {
            const old = place.history[h];
            if (old.closedT === null || old.closedT >= reportedT) continue;
            if (reportedT - old.closedT > RECURRENCE_WINDOW_DAYS * DAY_S) break;
            const a = rng() * Math.PI * 2;
            const r = uniform(rng, 0, 10);
            const at: XY = [old.at[0] + r * Math.cos(a), old.at[1] + r * Math.sin(a)];
            if (locate(place, at) < 0) continue;
            catIdx = old.cat;
            recurrenceOf = old.id;
            planAt = at;
            spot = place.spots.reduce((best, s) =>
              Math.hypot(s.at[0] - at[0], s.at[1] - at[1]) < Math.hypot(best.at[0] - at[0], best.at[1] - at[1]) ? s : best,
            );
            break;
          }
        }
        if (!planAt) {
          catIdx = chance(rng, 0.45) ? place.dominant : drawCumulative(rng, tables.get(place.kind)![month - 1]);
          spot = chance(rng, 0.7) ? pick(rng, place.spots) : place.fresh(rng);
          const a = rng() * Math.PI * 2;
          const r = uniform(rng, 0, 6);
          planAt = [spot.at[0] + r * Math.cos(a), spot.at[1] + r * Math.sin(a)];
          if (locate(place, planAt) < 0) planAt = spot.at;
          if (locate(place, planAt) < 0) planAt = place.spots[0].at;
        }
      } else {
        const road = input.roads[drawCumulative(rng, roadTable)];
        const len = polylineLength(road.line);
        const { p, dir } = pointAlong(road.line, rng() * len);
        const off = uniform(rng, -8, 8);
        planAt = [p[0] - dir[1] * off, p[1] + dir[0] * off];
        if (inCity(planAt) < 0) planAt = p;
        if (inCity(planAt) < 0) continue;
        catIdx = drawCumulative(rng, tables.get('road')![month - 1]);
        const d = direction(dir[0], dir[1]);
        const half = chance(rng, 0.5) ? d : DIRECTIONS[(DIRECTIONS.indexOf(d) + 2) % 4];
        spot = { at: planAt, side: chance(rng, 0.3) ? '路口' : `${half}段`, gate: '路口' };
        placeName = road.name;
      }
      if (place) placeName = place.name;
      const subdistrict = place ? locate(place, planAt!) : inCity(planAt!);
      if (subdistrict < 0) continue;
      const category = categories[catIdx];
      const unitId = problemUnit(units, unitById, category.id, place, subdistrict);

      // Workflow times.
      const assignDelay = source === 'inspection' ? uniform(rng, 0.3, 4) : uniform(rng, 1, 28);
      const assignedT = nextWorking(rng, reportedT + assignDelay * HOUR_S);
      const span = catDeadline[catIdx];
      const pace = (lateness.get(unitId) ?? 1) * (campaign ? 0.6 : 1);
      const x = rng();
      let rectifiedT: number;
      if (x < 0.004 * pace) rectifiedT = Infinity;
      else if (x < 0.039 * pace) rectifiedT = nextWorking(rng, assignedT + span + HOUR_S + exponential(rng, 25 * DAY_S));
      else if (x < 0.17 * pace) rectifiedT = nextWorking(rng, assignedT + span + HOUR_S + exponential(rng, 4 * DAY_S));
      else rectifiedT = nextWorking(rng, assignedT + uniform(rng, 0.1, 0.95) * span);
      const closedT = rectifiedT === Infinity ? Infinity : nextWorking(rng, rectifiedT + uniform(rng, 0.3, 4) * DAY_S);

      const status: ProblemStatus = closedT <= endT ? 'closed' : rectifiedT <= endT ? 'rectified' : assignedT <= endT ? 'assigned' : 'reported';
      const parts = { rng, place: placeName, side: spot!.side, gate: spot!.gate };
      const sdName = subdistricts[subdistrict].name;
      const reporter =
        source === 'inspection'
          ? chance(rng, 0.7)
            ? `${sdName}巡查员${names.person()}`
            : `${input.offices[subdistrict]}督查${chineseNumber(intBetween(rng, 1, 4))}组`
          : source === 'public'
            ? pick(rng, ['12345市民热线', '市民随手拍', '文明东昌随手拍小程序'])
            : source === 'assessment'
              ? pick(rng, ['市创城测评组', '省文明办测评组'])
              : `${input.offices[subdistrict]}暗访组`;
      batch.push({
        category: category.id,
        description: describe(category.id, category.zh, parts),
        status,
        reportedAt: formatLocal(reportedT),
        assignedAt: status === 'reported' ? null : formatLocal(assignedT),
        deadline: status === 'reported' ? null : formatLocal(assignedT + span),
        rectifiedAt: status === 'rectified' || status === 'closed' ? formatLocal(rectifiedT) : null,
        closedAt: status === 'closed' ? formatLocal(closedT) : null,
        subdistrictId: subdistricts[subdistrict].id,
        unitId,
        placeId: place ? place.id : null,
        recurrenceOf,
        source,
        reporter,
        at: place ? place.toLngLat(planAt!) : inPlan(planAt!),
        reportedT,
        assignedT: status === 'reported' ? null : assignedT,
        closedT: status === 'closed' ? closedT : null,
        place,
        catIdx,
        planAt: planAt!,
      });
    }
    batch.sort((a, b) => a.reportedT - b.reportedT);
    for (const p of batch) {
      serial++;
      const id = `p${String(serial).padStart(6, '0')}`;
      let noticeNo: string | null = null;
      if (p.assignedT !== null) {
        const year = calendar(p.assignedT).year;
        const seq = (noticeSeq.get(year) ?? 0) + 1;
        noticeSeq.set(year, seq);
        noticeNo = `DC-${year}-${String(seq).padStart(6, '0')}`;
      }
      if (p.place) {
        p.place.history.push({ id, cat: p.catIdx, at: p.planAt, closedT: p.closedT });
        if (p.place.history.length > 40) p.place.history.shift();
      }
      yield {
        id,
        category: p.category,
        description: p.description,
        status: p.status,
        reportedAt: p.reportedAt,
        assignedAt: p.assignedAt,
        deadline: p.deadline,
        rectifiedAt: p.rectifiedAt,
        closedAt: p.closedAt,
        subdistrictId: p.subdistrictId,
        unitId: p.unitId,
        placeId: p.placeId,
        recurrenceOf: p.recurrenceOf,
        noticeNo,
        source: p.source,
        reporter: p.reporter,
        at: p.at,
      };
    }
  }
}

/**
 * Who must fix a problem: departments for what they own (roads → 住建, muck trucks → 交通运输, poultry
 * → 市场监管, toilets and street rubbish → 环卫, green belts → 园林, parking on roads → 交警, outdoor
 * ads on roads → 城管局), otherwise the place's unit, otherwise the subdistrict's squad; always units of
 * the district the problem lies in.
 */
function problemUnit(units: UnitPlan, unitById: ReadonlyMap<string, Unit>, category: string, place: PlaceModel | null, subdistrict: number): string {
  const unitId = ownUnit(units, category, place, subdistrict);
  const unit = unitById.get(unitId)!;
  if (unit.district === units.districtOf[subdistrict]) return unitId;
  // A report across a district boundary from its place (a junction, a bus stop, a school's 周边 on the
  // arterial between two districts) goes to the district it lies in (属地管理): the same department
  // there, else the subdistrict's office or squad.
  if (unit.subdistrict < 0) return departmentsOf(units, subdistrict)[unit.type] ?? unitId;
  return unit.type === 'subdistrict-office' ? units.officeOf[subdistrict] : units.squadOf[subdistrict];
}

function ownUnit(units: UnitPlan, category: string, place: PlaceModel | null, subdistrict: number): string {
  // The departments of the district the problem lies in, whoever keeps the place.
  const dept = departmentsOf(units, subdistrict);
  if (category === 'live-poultry' && dept['market-supervision']) return dept['market-supervision'];
  if (category === 'muck-truck' && dept.transport) return dept.transport;
  if (category === 'dirty-toilet' && dept.sanitation) return dept.sanitation;
  if (category === 'road-damage' && place?.kind !== 'community' && dept.housing) return dept.housing;
  if (!place) {
    if ((category === 'exposed-garbage' || category === 'accumulated-garbage') && dept.sanitation) return dept.sanitation;
    if (category === 'greenbelt-damage' && dept.greening) return dept.greening;
    if (category === 'disorderly-parking' && dept['traffic-police']) return dept['traffic-police'];
    if (category === 'illegal-outdoor-ads' && dept['urban-management']) return dept['urban-management'];
    return units.squadOf[subdistrict];
  }
  return place.unitId;
}
