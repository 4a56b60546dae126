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
import { type AssessmentCatalog, flattenIndicators, itemVerdict } from '../contract/assessment';

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
  check: ScoringCheck | null;
  items: ItemOutcome[];
  earned: number;
  possible: number;
}

/** Problems grouped by point, for scoring many windows over the same rows. */
export function problemsByPoint(problems: Iterable<ScoringProblem>): Map<string, ScoringProblem[]> {
  const by = new Map<string, ScoringProblem[]>();
  for (const p of problems) {
    const list = by.get(p.pointId);
    if (list) list.push(p);
    else by.set(p.pointId, [p]);
  }
  return by;
}

/** The latest check of each point in [fromMs, toMs]. */
export function latestChecks(checks: Iterable<ScoringCheck>, fromMs: number, toMs: number): Map<string, ScoringCheck> {
  const latest = new Map<string, ScoringCheck>();
  for (const c of checks) {
    if (c.atMs < fromMs || c.atMs > toMs) continue;
    const had = latest.get(c.pointId);
    if (!had || c.atMs > had.atMs || (c.atMs === had.atMs && c.id > had.id)) latest.set(c.pointId, c);
  }
  return latest;
}

// Item states in the scratch arrays of scoreInto.
const UNSEEN = 0;
const PASS = 1;
const FAIL = 2;
const NA = 3;

/** One point type of a version, in arrays: scoring a point is then a few loops without allocation. */
interface CompiledType {
  items: AssessmentCatalog['pointTypes'][number]['items'];
  pos: Map<string, number>;
  byCategory: Map<string, number[]>;
}

const compiledTypes = new WeakMap<AssessmentCatalog, Map<string, CompiledType>>();

function compile(catalog: AssessmentCatalog): Map<string, CompiledType> {
  let types = compiledTypes.get(catalog);
  if (types) return types;
  types = new Map();
  for (const t of catalog.pointTypes) {
    const byCategory = new Map<string, number[]>();
    t.items.forEach((it, i) => {
      for (const c of it.categories) byCategory.set(c, [...(byCategory.get(c) ?? []), i]);
    });
    types.set(t.id, { items: t.items, pos: new Map(t.items.map((it, i) => [it.id, i])), byCategory });
  }
  compiledTypes.set(catalog, types);
  return types;
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
    this.state.fill(UNSEEN, 0, n);
    this.hit.fill(0, 0, n);
  }
}

/** Scores one checked point into `s` (the definitions above): states per item, hits by open problems, the sums. */
function scoreInto(t: CompiledType, check: ScoringCheck, problems: readonly ScoringProblem[] | undefined, atMs: number, s: Scratch): void {
  const n = t.items.length;
  s.fit(n);
  for (const r of check.items) {
    const i = t.pos.get(r.itemId);
    if (i === undefined) continue;
    const v = itemVerdict(t.items[i].rule, r.result, r.value);
    s.state[i] = v === 'pass' ? PASS : v === 'fail' ? FAIL : NA;
  }
  if (problems)
    for (const p of problems) {
      if (p.reportedMs > atMs || p.closedMs <= atMs) continue;
      const hits = t.byCategory.get(p.category);
      if (hits) for (const i of hits) s.hit[i] = 1;
    }
  let earned = 0;
  let possible = 0;
  for (let i = 0; i < n; i++) {
    const st = s.state[i];
    if (st === NA || (st === UNSEEN && !s.hit[i])) continue;
    const pts = t.items[i].points;
    possible += pts;
    if (st === PASS && !s.hit[i]) earned += pts;
  }
  s.earned = earned;
  s.possible = possible;
}

/**
 * Every point scored under `catalog`: its check in the window, the problems open at `atMs` (the window's
 * end, or now when that is earlier). Points of a type the version does not have are left out.
 */
export function scorePoints(
  catalog: AssessmentCatalog,
  points: readonly ScoringPoint[],
  checks: ReadonlyMap<string, ScoringCheck>,
  problems: ReadonlyMap<string, readonly ScoringProblem[]>,
  atMs: number,
): PointScore[] {
  const types = compile(catalog);
  const s = new Scratch();
  const out: PointScore[] = [];
  for (const point of points) {
    const t = types.get(point.typeId);
    if (!t) continue;
    const check = checks.get(point.id) ?? null;
    if (!check) {
      out.push({ point, check: null, items: [], earned: 0, possible: 0 });
      continue;
    }
    const atPoint = problems.get(point.id);
    scoreInto(t, check, atPoint, atMs, s);
    const items: ItemOutcome[] = [];
    t.items.forEach((it, i) => {
      const st = s.state[i];
      if (st === NA || (st === UNSEEN && !s.hit[i])) return;
      const problemIds = s.hit[i]
        ? (atPoint ?? []).filter((p) => p.reportedMs <= atMs && p.closedMs > atMs && it.categories.includes(p.category)).map((p) => p.id)
        : [];
      const verdict = st === PASS && !s.hit[i] ? 'pass' : 'fail';
      items.push({ itemId: it.id, verdict, points: it.points, indicator: it.indicator, problemIds, failedAtCheck: st === FAIL });
    });
    out.push({ point, check, items, earned: s.earned, possible: s.possible });
  }
  return out;
}

/** One week (or any window) of a trend: its bounds, when problems count as open, and the version in force. */
export interface TrendWindow {
  fromMs: number;
  toMs: number;
  atMs: number;
  catalog: AssessmentCatalog;
}

/**
 * The city's totals in each window, as groupScores(…, 'city') of scorePoints would give them, without
 * building a row per point: a year of weekly checks of 10,000 points is 520,000 checks.
 *
 * @param checks sorted by time (as the store reads them)
 */
export function cityTotals(
  windows: readonly TrendWindow[],
  points: readonly ScoringPoint[],
  checks: readonly ScoringCheck[],
  problems: ReadonlyMap<string, readonly ScoringProblem[]>,
): { earned: number; possible: number; checked: number; unchecked: number }[] {
  const index = new Map(points.map((p, i) => [p.id, i]));
  const latest = new Int32Array(points.length);
  const s = new Scratch();
  let lo = 0;
  return windows.map((w) => {
    latest.fill(-1);
    while (lo > 0 && checks[lo - 1].atMs >= w.fromMs) lo--;
    while (lo < checks.length && checks[lo].atMs < w.fromMs) lo++;
    for (let k = lo; k < checks.length && checks[k].atMs <= w.toMs; k++) {
      const i = index.get(checks[k].pointId);
      // Sorted by time: a later check of the same point overwrites; equal times go by id, as latestChecks does.
      if (i === undefined) continue;
      const had = latest[i] < 0 ? null : checks[latest[i]];
      if (!had || had.atMs < checks[k].atMs || (had.atMs === checks[k].atMs && had.id < checks[k].id)) latest[i] = k;
    }
    const types = compile(w.catalog);
    const total = { earned: 0, possible: 0, checked: 0, unchecked: 0 };
    points.forEach((p, i) => {
      const t = types.get(p.typeId);
      if (!t) return;
      if (latest[i] < 0) {
        total.unchecked++;
        return;
      }
      scoreInto(t, checks[latest[i]], problems.get(p.id), w.atMs, s);
      total.checked++;
      total.earned += s.earned;
      total.possible += s.possible;
    });
    return total;
  });
}

export type ScoreGrouping = 'city' | 'subdistrict' | 'type' | 'unit' | 'indicator' | 'point';

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
  subdistrict: (id: string) => string | undefined;
  unit: (id: string) => string | undefined;
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

function groupKey(by: Exclude<ScoreGrouping, 'indicator'>, s: PointScore, cityWide: ReadonlySet<string>): string {
  switch (by) {
    case 'city':
      return 'city';
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
    const a = acc(groupKey(by, s, cityWide));
    a.earned += s.earned;
    a.possible += s.possible;
    if (s.check) a.checked++;
    else a.unchecked++;
  }
  const typeName = new Map(catalog.pointTypes.map((t) => [t.id, t.zh]));
  const pointName = new Map(scores.map((s) => [s.point.id, s.point.name]));
  const nameOf = (key: string): string => {
    if (key === NONE_KEY) return by === 'unit' ? '（未指定责任单位）' : '（未划入街道）';
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
