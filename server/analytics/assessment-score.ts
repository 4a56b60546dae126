/**
 * 测评 scoring: what the city would score on the on-site part (实地考察) from the inspectors' check
 * results and the problems left open at the points. Pure: the service reads the store and passes rows in.
 *
 * Definitions (window [from, to], inclusive, city time):
 * - A point's check is its latest check result recorded in the window. A point with none is 未检查
 *   (unchecked): counted as such, never as passed, whatever is open at it.
 * - An item of the point's type (in the catalog version in force) is observed when the check recorded it
 *   pass or fail — a count or rate item recorded with its number is judged by the threshold — or when a
 *   problem of one of the item's categories was open at the point at the window's end (the assessors
 *   would have seen it): then it fails whatever the check said. An item recorded `na`, or neither
 *   recorded nor failed by a problem, is not scored.
 * - A problem is open at t when it was reported at or before t and not closed by t.
 * - earned = Σ points of the observed items that passed, possible = Σ points of the observed items,
 *   lost = possible − earned. The 得分率 (scoreRate) of a point or of any group of points (point type,
 *   subdistrict, unit, indicator, the city) = Σ earned / Σ possible over the observed items in it: the
 *   published mocks' "符合 / 观察" with each standard weighted by its points; null when nothing was
 *   observed.
 * - A point type scored city-wide (scope `city`, e.g. bus stops) belongs to no subdistrict: it forms its
 *   own row (key `*`) when grouping by subdistrict.
 * - estimatedScore = totalPoints × Σ (indicator points × its scoreRate) ÷ Σ indicator points, over the
 *   leaf indicators observed: the on-site score if the assessors saw what the inspectors saw.
 */
import { type AssessmentCatalog, flattenIndicators } from '../contract/assessment';

export interface ScoringPoint {
  id: string;
  name: string;
  typeId: string;
  subdistrictId: string | null;
  unitId: string | null;
}

export interface ScoringCheck {
  id: string;
  pointId: string;
  atMs: number;
  items: readonly { itemId: string; result: 'pass' | 'fail' | 'na'; value?: number }[];
}

export interface ScoringProblem {
  id: string;
  pointId: string;
  category: string;
  reportedMs: number;
  /** Infinity while not closed. */
  closedMs: number;
}

export interface ItemOutcome {
  itemId: string;
  verdict: 'pass' | 'fail';
  points: number;
  indicator: string;
  /** Open problems at the point that fail the item. */
  problemIds: string[];
  /** The check itself recorded a failure (or a number below the threshold). */
  failedAtCheck: boolean;
}

export interface PointScore {
  point: ScoringPoint;
  check: { id: string; atMs: number } | null;
  items: ItemOutcome[];
  earned: number;
  possible: number;
}

// Item states in the scratch arrays of scoreInto; PASS, FAIL and NA are also the packed results.
const UNSEEN = 0;
const PASS = 1;
const FAIL = 2;
const NA = 3;
const RULE_PASS_FAIL = 0;
const RULE_AT_LEAST = 1;

/**
 * What scoring reads, in arrays: points by index, their checks sorted by time with the items of each
 * as codes, and the problems at each point. Made once per request; every window then scores without
 * parsing, string lookups or allocation (a year of weekly checks of 10,000 points is 520,000 checks).
 */
export interface ScoringData {
  points: readonly ScoringPoint[];
  /** Item id → code, over every version the data is scored under. */
  itemCodes: Map<string, number>;
  checkIds: string[];
  checkAt: Float64Array;
  checkPoint: Int32Array;
  /** Check k's items are at start[k] … start[k + 1] − 1 of item, result and value. */
  start: Int32Array;
  item: Int32Array;
  result: Uint8Array;
  /** NaN when no number was recorded. */
  value: Float64Array;
  problems: ScoringProblem[][];
}

/** Packs the rows for scoring under `versions` (checks of unknown points are dropped; any order of checks). */
export function scoringData(
  versions: readonly AssessmentCatalog[],
  points: readonly ScoringPoint[],
  checks: readonly ScoringCheck[],
  problems: Iterable<ScoringProblem>,
): ScoringData {
  const itemCodes = new Map<string, number>();
  for (const v of versions) for (const t of v.pointTypes) for (const it of t.items) if (!itemCodes.has(it.id)) itemCodes.set(it.id, itemCodes.size);
  const pointIndex = new Map(points.map((p, i) => [p.id, i]));
  const order = (a: ScoringCheck, b: ScoringCheck) => a.atMs - b.atMs || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  const kept: ScoringCheck[] = [];
  const keptPoint: number[] = [];
  let sorted = true;
  let nItems = 0;
  for (const c of checks) {
    const i = pointIndex.get(c.pointId);
    if (i === undefined) continue;
    if (sorted && kept.length > 0 && order(kept[kept.length - 1], c) > 0) sorted = false;
    kept.push(c);
    keptPoint.push(i);
    nItems += c.items.length;
  }
  // The store reads them in this order already: sorting half a million objects would cost more than scoring them.
  if (!sorted) {
    kept.sort(order);
    keptPoint.length = 0;
    for (const c of kept) keptPoint.push(pointIndex.get(c.pointId)!);
  }
  const n = kept.length;
  const d: ScoringData = {
    points,
    itemCodes,
    checkIds: new Array<string>(n),
    checkAt: new Float64Array(n),
    checkPoint: Int32Array.from(keptPoint),
    start: new Int32Array(n + 1),
    item: new Int32Array(nItems),
    result: new Uint8Array(nItems),
    value: new Float64Array(nItems),
    problems: points.map(() => []),
  };
  let k = 0;
  for (let ci = 0; ci < n; ci++) {
    const c = kept[ci];
    d.checkIds[ci] = c.id;
    d.checkAt[ci] = c.atMs;
    d.start[ci] = k;
    for (const r of c.items) {
      d.item[k] = itemCodes.get(r.itemId) ?? -1;
      d.result[k] = r.result === 'pass' ? PASS : r.result === 'fail' ? FAIL : NA;
      d.value[k] = r.value ?? NaN;
      k++;
    }
  }
  d.start[n] = k;
  for (const p of problems) {
    const i = pointIndex.get(p.pointId);
    if (i !== undefined) d.problems[i].push(p);
  }
  return d;
}

/** One point type of a version in arrays, its items addressed by the data's item codes. */
interface CompiledType {
  items: AssessmentCatalog['pointTypes'][number]['items'];
  /** Item code → position in items, −1 when the type does not have it. */
  pos: Int32Array;
  rule: Uint8Array;
  min: Float64Array;
  points: Float64Array;
  byCategory: Map<string, number[]>;
}

const compiled = new WeakMap<ScoringData, Map<AssessmentCatalog, (CompiledType | undefined)[]>>();

/** Each point's type under `catalog` (undefined when the version has no such type), by point index. */
function typesOf(d: ScoringData, catalog: AssessmentCatalog): (CompiledType | undefined)[] {
  let byVersion = compiled.get(d);
  if (!byVersion) compiled.set(d, (byVersion = new Map()));
  const had = byVersion.get(catalog);
  if (had) return had;
  const types = new Map<string, CompiledType>();
  for (const t of catalog.pointTypes) {
    const byCategory = new Map<string, number[]>();
    const pos = new Int32Array(d.itemCodes.size).fill(-1);
    t.items.forEach((it, i) => {
      for (const c of it.categories) byCategory.set(c, [...(byCategory.get(c) ?? []), i]);
      const code = d.itemCodes.get(it.id);
      if (code !== undefined) pos[code] = i;
    });
    types.set(t.id, {
      items: t.items,
      pos,
      rule: Uint8Array.from(t.items, (it) => (it.rule.kind === 'pass-fail' ? RULE_PASS_FAIL : RULE_AT_LEAST)),
      min: Float64Array.from(t.items, (it) => (it.rule.kind === 'pass-fail' ? 0 : it.rule.min)),
      points: Float64Array.from(t.items, (it) => it.points),
      byCategory,
    });
  }
  const byPoint = d.points.map((p) => types.get(p.typeId));
  byVersion.set(catalog, byPoint);
  return byPoint;
}

/** Scratch space for scoreInto, as long as the longest item list. */
class Scratch {
  state = new Uint8Array(64);
  hit = new Uint8Array(64);
  earned = 0;
  possible = 0;
  fit(n: number) {
    if (this.state.length < n) {
      this.state = new Uint8Array(n);
      this.hit = new Uint8Array(n);
    }
    for (let i = 0; i < n; i++) {
      this.state[i] = UNSEEN;
      this.hit[i] = 0;
    }
  }
}

/**
 * Scores check `c` of a point of type `t` into `s` (the definitions above): each item's state, the items
 * hit by problems open at `atMs`, the sums. The verdict is itemVerdict's (contract/assessment-rules.ts),
 * over the packed codes.
 */
function scoreInto(d: ScoringData, t: CompiledType, c: number, atMs: number, s: Scratch): void {
  const n = t.points.length;
  s.fit(n);
  const state = s.state;
  const hit = s.hit;
  for (let k = d.start[c], end = d.start[c + 1]; k < end; k++) {
    const code = d.item[k];
    const i = code < 0 ? -1 : t.pos[code];
    if (i < 0) continue;
    const r = d.result[k];
    const v = d.value[k];
    state[i] = r !== NA && t.rule[i] === RULE_AT_LEAST && v === v ? (v >= t.min[i] ? PASS : FAIL) : r;
  }
  const problems = d.problems[d.checkPoint[c]];
  for (let j = 0; j < problems.length; j++) {
    const p = problems[j];
    if (p.reportedMs > atMs || p.closedMs <= atMs) continue;
    const hits = t.byCategory.get(p.category);
    if (hits) for (const i of hits) hit[i] = 1;
  }
  let earned = 0;
  let possible = 0;
  for (let i = 0; i < n; i++) {
    const st = state[i];
    if (st === NA || (st === UNSEEN && !hit[i])) continue;
    possible += t.points[i];
    if (st === PASS && !hit[i]) earned += t.points[i];
  }
  s.earned = earned;
  s.possible = possible;
}

/** A window to score: its bounds (inclusive), when problems count as open, and the version in force. */
export interface ScoringWindow {
  fromMs: number;
  toMs: number;
  atMs: number;
  catalog: AssessmentCatalog;
}

/** For each point, the index of its latest check in the window, or −1. */
function latestIn(d: ScoringData, w: ScoringWindow, latest: Int32Array): void {
  latest.fill(-1);
  let lo = 0;
  let hi = d.checkAt.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (d.checkAt[mid] < w.fromMs) lo = mid + 1;
    else hi = mid;
  }
  // Sorted by time, then id: the last one seen of a point is its latest.
  for (let k = lo; k < d.checkAt.length && d.checkAt[k] <= w.toMs; k++) latest[d.checkPoint[k]] = k;
}

/**
 * Every point scored in the window: its latest check there, the problems open at `atMs` (the window's
 * end, or now when that is earlier). Points of a type the version does not have are left out.
 */
export function scorePoints(d: ScoringData, w: ScoringWindow): PointScore[] {
  const types = typesOf(d, w.catalog);
  const latest = new Int32Array(d.points.length);
  latestIn(d, w, latest);
  const s = new Scratch();
  const out: PointScore[] = [];
  d.points.forEach((point, pi) => {
    const t = types[pi];
    if (!t) return;
    const c = latest[pi];
    if (c < 0) {
      out.push({ point, check: null, items: [], earned: 0, possible: 0 });
      return;
    }
    scoreInto(d, t, c, w.atMs, s);
    const open = d.problems[pi].filter((p) => p.reportedMs <= w.atMs && p.closedMs > w.atMs);
    const items: ItemOutcome[] = [];
    t.items.forEach((it, i) => {
      const st = s.state[i];
      if (st === NA || (st === UNSEEN && !s.hit[i])) return;
      const problemIds = s.hit[i] ? open.filter((p) => it.categories.includes(p.category)).map((p) => p.id) : [];
      const verdict = st === PASS && !s.hit[i] ? 'pass' : 'fail';
      items.push({ itemId: it.id, verdict, points: it.points, indicator: it.indicator, problemIds, failedAtCheck: st === FAIL });
    });
    out.push({ point, check: { id: d.checkIds[c], atMs: d.checkAt[c] }, items, earned: s.earned, possible: s.possible });
  });
  return out;
}

/** The city's totals in each window, as groupScores(…, 'city') of scorePoints gives them, without a row per point. */
export function cityTotals(d: ScoringData, windows: readonly ScoringWindow[]): { earned: number; possible: number; checked: number; unchecked: number }[] {
  const latest = new Int32Array(d.points.length);
  const s = new Scratch();
  return windows.map((w) => {
    latestIn(d, w, latest);
    const types = typesOf(d, w.catalog);
    const total = { earned: 0, possible: 0, checked: 0, unchecked: 0 };
    for (let i = 0; i < types.length; i++) {
      const t = types[i];
      if (!t) continue;
      if (latest[i] < 0) {
        total.unchecked++;
        continue;
      }
      scoreInto(d, t, latest[i], w.atMs, s);
      total.checked++;
      total.earned += s.earned;
      total.possible += s.possible;
    }
    return total;
  });
}

export type ScoreGrouping = 'city' | 'district' | 'subdistrict' | 'type' | 'unit' | 'indicator' | 'point';

export interface ScoreRow {
  key: string;
  name: string;
  scoreRate: number | null;
  earned: number;
  possible: number;
  lost: number;
  checked: number;
  unchecked: number;
  /** Indicator rows only: 1 = 测评项目, deeper = its parts. */
  depth?: number;
}

/** Names the groups: subdistricts and units by id; types and indicators come from the catalog. */
export interface GroupNames {
  district: (id: string) => string | null | undefined;
  /** The district a subdistrict is in. */
  districtOf: (subdistrictId: string) => string | null | undefined;
  subdistrict: (id: string) => string | null | undefined;
  unit: (id: string) => string | null | undefined;
  city: string;
}

export const CITY_WIDE_KEY = '*';
const NONE_KEY = '-';

const rate = (earned: number, possible: number) => (possible > 0 ? earned / possible : null);
const round = (x: number) => Math.round(x * 1e6) / 1e6;

interface Acc {
  earned: number;
  possible: number;
  checked: number;
  unchecked: number;
}

function groupKey(by: Exclude<ScoreGrouping, 'indicator'>, s: PointScore, cityWide: ReadonlySet<string>, names: GroupNames): string {
  switch (by) {
    case 'city':
      return 'city';
    case 'district':
      // A point is in a district through its subdistrict, as problems are.
      return cityWide.has(s.point.typeId) ? CITY_WIDE_KEY : ((s.point.subdistrictId && names.districtOf(s.point.subdistrictId)) ?? NONE_KEY);
    case 'point':
      return s.point.id;
    case 'type':
      return s.point.typeId;
    case 'unit':
      return s.point.unitId ?? NONE_KEY;
    case 'subdistrict':
      return cityWide.has(s.point.typeId) ? CITY_WIDE_KEY : (s.point.subdistrictId ?? NONE_KEY);
  }
}

/** Score rows grouped `by`, in a stable order (indicators in tree order, the rest worst first). */
export function groupScores(catalog: AssessmentCatalog, scores: readonly PointScore[], by: ScoreGrouping, names: GroupNames): ScoreRow[] {
  const accs = new Map<string, Acc>();
  const acc = (key: string): Acc => {
    let a = accs.get(key);
    if (!a) accs.set(key, (a = { earned: 0, possible: 0, checked: 0, unchecked: 0 }));
    return a;
  };
  if (by === 'indicator') {
    const flat = flattenIndicators(catalog.indicators);
    const parentOf = new Map(flat.map((f) => [f.indicator.no, f.parent]));
    const chain = (no: string): string[] => {
      const out: string[] = [];
      for (let at: string | null | undefined = no; at; at = parentOf.get(at)) out.push(at);
      return out;
    };
    const underType = new Map(catalog.pointTypes.map((t) => [t.id, new Set(t.items.flatMap((it) => chain(it.indicator)))]));
    for (const s of scores) {
      const seen = new Set<string>();
      for (const o of s.items)
        for (const no of chain(o.indicator)) {
          const a = acc(no);
          a.possible += o.points;
          if (o.verdict === 'pass') a.earned += o.points;
          seen.add(no);
        }
      if (s.check) for (const no of seen) acc(no).checked++;
      else for (const no of underType.get(s.point.typeId) ?? []) acc(no).unchecked++;
    }
    return flat.map(({ indicator, depth }) => {
      const a = accs.get(indicator.no) ?? { earned: 0, possible: 0, checked: 0, unchecked: 0 };
      return { ...rowOf(indicator.no, indicator.zh, a), depth };
    });
  }
  const cityWide = new Set(catalog.pointTypes.filter((t) => t.scope === 'city').map((t) => t.id));
  for (const s of scores) {
    const a = acc(groupKey(by, s, cityWide, names));
    a.earned += s.earned;
    a.possible += s.possible;
    if (s.check) a.checked++;
    else a.unchecked++;
  }
  const typeName = new Map(catalog.pointTypes.map((t) => [t.id, t.zh]));
  const pointName = new Map(scores.map((s) => [s.point.id, s.point.name]));
  const nameOf = (key: string): string => {
    if (key === NONE_KEY) return by === 'unit' ? '（未指定责任单位）' : by === 'district' ? '（未划入区县）' : '（未划入街道）';
    if (key === CITY_WIDE_KEY) return '全市（不分区点位）';
    switch (by) {
      case 'city':
        return names.city;
      case 'point':
        return pointName.get(key) ?? key;
      case 'type':
        return typeName.get(key) ?? key;
      case 'unit':
        return names.unit(key) ?? key;
      case 'district':
        return names.district(key) ?? key;
      default:
        return names.subdistrict(key) ?? key;
    }
  };
  const rows = [...accs].map(([key, a]) => rowOf(key, nameOf(key), a));
  return rows.sort((a, b) => (a.scoreRate ?? 2) - (b.scoreRate ?? 2) || b.lost - a.lost || (a.key < b.key ? -1 : 1));
}

function rowOf(key: string, name: string, a: Acc): ScoreRow {
  const r = rate(a.earned, a.possible);
  return {
    key,
    name,
    scoreRate: r === null ? null : round(r),
    earned: round(a.earned),
    possible: round(a.possible),
    lost: round(a.possible - a.earned),
    checked: a.checked,
    unchecked: a.unchecked,
  };
}

/** The on-site score the catalog's total would give (see the definitions above); null when nothing was observed. */
export function estimatedScore(catalog: AssessmentCatalog, scores: readonly PointScore[]): number | null {
  const leaves = new Map(
    flattenIndicators(catalog.indicators)
      .filter((f) => !f.indicator.children)
      .map((f) => [f.indicator.no, f.indicator.points]),
  );
  const by = new Map<string, { earned: number; possible: number }>();
  for (const s of scores)
    for (const o of s.items) {
      let a = by.get(o.indicator);
      if (!a) by.set(o.indicator, (a = { earned: 0, possible: 0 }));
      a.possible += o.points;
      if (o.verdict === 'pass') a.earned += o.points;
    }
  let weighted = 0;
  let weight = 0;
  for (const [no, a] of by) {
    const w = leaves.get(no) ?? 0;
    weighted += w * (a.earned / a.possible);
    weight += w;
  }
  return weight > 0 ? Math.round(((catalog.totalPoints * weighted) / weight) * 100) / 100 : null;
}

/** One failed item at one point, for the losses list. */
export interface Failure {
  point: ScoringPoint;
  checkId: string;
  checkAtMs: number;
  failedAtCheck: boolean;
  problemIds: string[];
}

export interface LossRow {
  itemId: string;
  typeId: string;
  indicator: string;
  points: number;
  failures: Failure[];
  /** points × failures. */
  lost: number;
}

/** Deductions by item, most points lost first (points × failures), each with the points where it failed. */
export function losses(catalog: AssessmentCatalog, scores: readonly PointScore[]): LossRow[] {
  const typeOf = new Map(catalog.pointTypes.flatMap((t) => t.items.map((it) => [it.id, t.id] as const)));
  const rows = new Map<string, LossRow>();
  for (const s of scores)
    for (const o of s.items) {
      if (o.verdict !== 'fail' || !s.check) continue;
      let row = rows.get(o.itemId);
      if (!row)
        rows.set(o.itemId, (row = { itemId: o.itemId, typeId: typeOf.get(o.itemId) ?? '', indicator: o.indicator, points: o.points, failures: [], lost: 0 }));
      row.failures.push({ point: s.point, checkId: s.check.id, checkAtMs: s.check.atMs, failedAtCheck: o.failedAtCheck, problemIds: o.problemIds });
      row.lost = round(row.lost + o.points);
    }
  return [...rows.values()].sort((a, b) => b.lost - a.lost || b.failures.length - a.failures.length || (a.itemId < b.itemId ? -1 : 1));
}

/**
 * 迎检准备 (readiness) of one point at `nowMs`:
 * - `ready` (达标): checked within the last `days` days, every item of its type recorded at its latest
 *   check there passed (or is not applicable), and no problem of any category is open at it;
 * - `not-ready` (未达标): checked in that time, but an item failed or was not recorded, or a problem is open;
 * - `stale` (超期未查): no check in that time.
 * `lastVisitMs` is its latest check ever (null when never checked): from `lastVisits` when given (the
 * data then needs only the window's checks), else from the checks in `d`.
 */
export interface PointReadiness {
  point: ScoringPoint;
  status: 'ready' | 'not-ready' | 'stale';
  lastVisitMs: number | null;
  /** Items that failed or were not recorded at the check (not-ready only). */
  missing: string[];
  openProblems: number;
}

/** Every point of a type the version has, with its readiness (the definitions above). */
export function readiness(d: ScoringData, catalog: AssessmentCatalog, nowMs: number, days: number, lastVisits?: ReadonlyMap<string, number>): PointReadiness[] {
  const types = typesOf(d, catalog);
  const recent = new Int32Array(d.points.length);
  const ever = new Int32Array(d.points.length);
  latestIn(d, { fromMs: nowMs - days * 86_400_000, toMs: nowMs, atMs: nowMs, catalog }, recent);
  latestIn(d, { fromMs: -Infinity, toMs: nowMs, atMs: nowMs, catalog }, ever);
  const s = new Scratch();
  const out: PointReadiness[] = [];
  d.points.forEach((point, pi) => {
    const t = types[pi];
    if (!t) return;
    const openProblems = d.problems[pi].filter((p) => p.reportedMs <= nowMs && p.closedMs > nowMs).length;
    const lastVisitMs = lastVisits ? (lastVisits.get(point.id) ?? null) : ever[pi] < 0 ? null : d.checkAt[ever[pi]];
    const c = recent[pi];
    if (c < 0) {
      out.push({ point, status: 'stale', lastVisitMs, missing: [], openProblems });
      return;
    }
    scoreInto(d, t, c, nowMs, s);
    const missing = t.items.filter((_, i) => s.state[i] !== PASS && s.state[i] !== NA).map((it) => it.id);
    out.push({ point, status: missing.length === 0 && openProblems === 0 ? 'ready' : 'not-ready', lastVisitMs, missing, openProblems });
  });
  return out;
}
