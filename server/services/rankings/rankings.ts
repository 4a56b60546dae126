import {
  rankingFormula,
  RankingWeights,
  type FormulaBody,
  type FormulaOut,
  type FormulaVersionOut,
  type RankingGroup,
  type RankingResponse,
  type RankingRow,
  type RankingWeightsOut,
} from '../../contract/rankings';
import {
  builtInVersion,
  formulaProblems,
  formulaScore,
  formulaText,
  INDICATOR_IDS,
  INDICATORS,
  versionOn,
  type FormulaVersion,
  type IndicatorId,
  type IndicatorRates,
} from '../../contract/ranking-formula';
import { bilingual, InputError, NotFoundError } from '../../errors';
import type { Catalog } from '../../contract/catalog';
import type { Store } from '../../store/index';
import type { RankingCounts } from '../../store/rankings';
import { cityDate, DAY_MS, isCalendarDate, toCityIso } from '../../contract/city-time';
import { groupScoreRates } from '../assessment/scores';
import { placesInArea } from '../city/grids';
import type { PlaceState } from '../../store/places';

type PlaceOf = PlaceState & { id: string };

/** The settings key of the ranking weights. */
const WEIGHTS_KEY = 'rankings.weights';
const NO_WEIGHTS: RankingWeights = { assessment: 0 };

/** The weights as the administrator set them; the default (nothing weighed in) when none, or when the stored value no longer passes. */
export async function getRankingWeights(store: Store): Promise<RankingWeightsOut> {
  const row = await store.getSetting(WEIGHTS_KEY);
  const parsed = row ? RankingWeights.safeParse(row.value) : null;
  return parsed?.success ? { ...parsed.data, updatedAt: row!.updatedAt } : { ...NO_WEIGHTS, updatedAt: null };
}

/** Stores the weights (validated by the route); `nowMs` stamps them. */
export async function setRankingWeights(store: Store, weights: RankingWeights, nowMs: number): Promise<RankingWeightsOut> {
  await store.putSetting(WEIGHTS_KEY, { assessment: weights.assessment }, new Date(nowMs).toISOString());
  return getRankingWeights(store);
}

/** The settings key of the city's 考评 versions: `FormulaVersion & { updatedAt }` by validFrom. */
const FORMULAS_KEY = 'rankings.formulas';
type StoredVersion = FormulaVersion & { updatedAt: string };

async function storedVersions(store: Store): Promise<StoredVersion[]> {
  const row = await store.getSetting(FORMULAS_KEY);
  if (!Array.isArray(row?.value)) return [];
  // A stored version that no longer passes (an indicator dropped by a later Xuncha) is left out, not trusted.
  return (row.value as StoredVersion[])
    .filter((v) => typeof v?.validFrom === 'string' && Array.isArray(v.indicators) && formulaProblems(v).length === 0)
    .sort((a, b) => (a.validFrom < b.validFrom ? -1 : 1));
}

const versionOut = (v: Omit<FormulaVersion, 'validFrom'> & { validFrom: string; updatedAt: string | null }): FormulaVersionOut => ({
  validFrom: v.validFrom,
  indicators: v.indicators,
  summonsPenalty: v.summonsPenalty,
  formula: formulaText(v, 'zh'),
  updatedAt: v.updatedAt,
});

/** `GET /api/rankings/formula`: the versions, today's, the built-in one as indicators, and the indicators' formulas. */
export async function getRankingFormulas(store: Store, nowMs: number): Promise<FormulaOut> {
  const versions = await storedVersions(store);
  const today = versionOn(versions, cityDate(nowMs));
  const builtIn = builtInVersion((await getRankingWeights(store)).assessment);
  return {
    versions: versions.map(versionOut),
    inForce: today ? versionOut(today) : null,
    builtIn: { indicators: builtIn.indicators, summonsPenalty: builtIn.summonsPenalty, formula: formulaText(builtIn, 'zh') },
    indicators: INDICATOR_IDS.map((id) => ({ id, ...INDICATORS[id] })),
  };
}

/**
 * Saves a 考评 version (replacing one of the same day).
 * @throws InputError naming an unknown indicator, a repeated one, or weights that do not sum to 100.
 */
export async function putRankingFormula(store: Store, body: FormulaBody, nowMs: number): Promise<FormulaOut> {
  if (!isCalendarDate(body.validFrom)) {
    throw new InputError(`Invalid json.validFrom: ${body.validFrom} is not a date`, [{ path: 'json.validFrom', message: 'not a calendar date' }]);
  }
  const indicators = body.indicators.map((x) => ({
    id: x.id as IndicatorId,
    weight: x.weight,
    direction: x.direction ?? INDICATORS[x.id as IndicatorId]?.direction ?? 'higher',
  }));
  const version: FormulaVersion = { validFrom: body.validFrom, indicators, summonsPenalty: body.summonsPenalty };
  const problems = formulaProblems(version);
  if (problems.length) {
    throw new InputError(
      bilingual(`考评公式有误：${problems[0].zh}`, `Invalid json.${problems[0].path}: ${problems[0].message}`),
      problems.map((p) => ({ path: `json.${p.path}`, message: p.message })),
    );
  }
  const at = new Date(nowMs).toISOString();
  const versions = (await storedVersions(store)).filter((v) => v.validFrom !== body.validFrom);
  await store.putSetting(FORMULAS_KEY, [...versions, { ...version, updatedAt: at }], at);
  return getRankingFormulas(store, nowMs);
}

/** Removes the version of `validFrom`; @throws NotFoundError when there is none. */
export async function deleteRankingFormula(store: Store, validFrom: string, nowMs: number): Promise<FormulaOut> {
  const versions = await storedVersions(store);
  if (!versions.some((v) => v.validFrom === validFrom)) {
    throw new NotFoundError(`There is no 考评 version from ${validFrom}; GET /api/rankings/formula lists them.`);
  }
  await store.putSetting(
    FORMULAS_KEY,
    versions.filter((v) => v.validFrom !== validFrom),
    new Date(nowMs).toISOString(),
  );
  return getRankingFormulas(store, nowMs);
}

/** Default ranking period: the 30 days up to now. */
export const RANKING_DEFAULT_DAYS = 30;

const rate = (num: number, den: number) => (den > 0 ? num / den : null);
const round = (x: number | null, digits = 4) => (x === null ? null : Math.round(x * 10 ** digits) / 10 ** digits);

/** How many of `places` each group answers for. */
function countBy(places: readonly PlaceOf[], groupOf: (p: PlaceOf) => string | null): Map<string, number> {
  const out = new Map<string, number>();
  for (const p of places) {
    const g = groupOf(p);
    if (g !== null) out.set(g, (out.get(g) ?? 0) + 1);
  }
  return out;
}

/** Counts per group summed into the groups `lift` names (the identity, or a subdistrict's district). */
function sumBy(rows: readonly RankingCounts[], lift: (id: string) => string | null): Map<string, RankingCounts> {
  const out = new Map<string, RankingCounts>();
  for (const r of rows) {
    const id = lift(r.id);
    if (id === null) continue;
    const into = out.get(id);
    if (!into) out.set(id, { ...r, id });
    else for (const k of Object.keys(r) as (keyof RankingCounts)[]) if (k !== 'id') into[k] += r[k];
  }
  return out;
}

function sumMap(m: ReadonlyMap<string, number>, lift: (id: string) => string | null): Map<string, number> {
  const out = new Map<string, number>();
  for (const [k, n] of m) {
    const id = lift(k);
    if (id !== null) out.set(id, (out.get(id) ?? 0) + n);
  }
  return out;
}

/** Visits per point summed per group. */
function visitsBy(perPoint: Map<string, { visits: number }>, places: readonly PlaceOf[], groupOf: (p: PlaceOf) => string | null): Map<string, number> {
  const out = new Map<string, number>();
  for (const p of places) {
    const g = groupOf(p);
    const n = perPoint.get(p.id)?.visits ?? 0;
    if (g !== null && n > 0) out.set(g, (out.get(g) ?? 0) + n);
  }
  return out;
}

/** A group's rates over the period (contract/ranking-formula.ts INDICATORS), null where nothing was counted. */
export function groupRates(c: RankingCounts, assessmentRate: number | null): IndicatorRates {
  return {
    handlingRate: rate(c.handled, c.due),
    onTimeRate: rate(c.onTime, c.due),
    reworkRate: rate(c.fails, c.passes + c.fails),
    overdueRate: rate(c.overdue, c.found),
    extensionRate: rate(c.extensions, c.due),
    returnRate: rate(c.returns, c.found + c.returns),
    passRate: rate(c.passes, c.passes + c.fails),
    recurrenceRate: rate(c.recurrences, c.found),
    assessmentRate,
  };
}

/** The composite score of one group (see RANKING_FORMULA in contract/rankings.ts). */
export function compositeScore(c: Pick<RankingCounts, 'found' | 'due' | 'onTime' | 'overdue' | 'recurrences' | 'passes' | 'fails' | 'summons'>): number {
  const onTime = rate(c.onTime, c.due) ?? 1;
  const pass = rate(c.passes, c.passes + c.fails) ?? 1;
  const recurrence = rate(c.recurrences, c.found) ?? 0;
  const overdueShare = c.found > 0 ? Math.min(1, c.overdue / c.found) : 0;
  const score = 40 * onTime + 20 * pass + 20 * (1 - recurrence) + 20 * (1 - overdueShare) - 2 * c.summons;
  return Math.max(0, Math.round(score * 10) / 10);
}

/**
 * The composite with the 测评 得分率 weighed in at `w` points (see rankingFormula): the handling score
 * scaled to 100 − w, plus w × the rate, 0 for a group with nothing checked.
 */
export function weightedScore(handling: number, w: number, assessmentRate: number | null): number {
  if (w <= 0) return handling;
  return Math.max(0, Math.round(((handling * (100 - w)) / 100 + w * (assessmentRate ?? 0)) * 10) / 10);
}

/**
 * `GET /api/rankings`: every subdistrict (or unit) with its figures for problems reported in the period,
 * best first. Groups without problems are listed too (with full marks), so none is hidden. When the
 * administrator weighs in the 测评 得分率, the points are scored too (a city's checks and problems at
 * its points are read and scored, ~0.1–1 s): callers run it in the pool. With `grid`, only what lies inside
 * the grids counts: their problems, the points in use inside them and those points' visits.
 */
export async function rankings(
  store: Store,
  catalog: Catalog,
  q: { by: RankingGroup; district?: string; from?: number; to?: number; grid?: string[] },
  nowMs: number,
): Promise<RankingResponse> {
  const toMs = q.to ?? nowMs;
  const fromMs = q.from ?? toMs - RANKING_DEFAULT_DAYS * DAY_MS;
  const weights = await getRankingWeights(store);
  // The city's 考评 in force on the period's last day scores the whole period; the answer names the days another began.
  const versions = await storedVersions(store);
  const version = versionOn(versions, cityDate(toMs));
  const changedInPeriod = versions.map((v) => v.validFrom).filter((d) => d > cityDate(fromMs) && d <= cityDate(toMs));
  const w = version ? (version.indicators.find((x) => x.id === 'assessmentRate')?.weight ?? 0) : weights.assessment;
  const area = q.grid?.length ? await store.gridArea(q.grid) : undefined;
  const inside = area ? await placesInArea(store, area) : undefined;
  const insideIds = inside?.map((p) => p.id);
  // A district's figures are its subdistricts' added up: every count is a sum, so the score is computed alike.
  const byStore = q.by === 'district' ? 'subdistrict' : q.by;
  const subdistricts = await store.listSubdistricts();
  const districtOf = new Map(subdistricts.map((sd) => [sd.id, sd.districtId]));
  const lift = q.by === 'district' ? (id: string | null) => (id === null ? null : (districtOf.get(id) ?? null)) : (id: string | null) => id;
  const rates = w > 0 ? await groupScoreRates(store, catalog, q.by, fromMs, toMs, nowMs, insideIds && new Set(insideIds)) : null;
  const counts = sumBy(await store.rankingCounts(byStore, fromMs, toMs, nowMs, area), lift);
  const groupOf = (p: PlaceOf) => lift(byStore === 'subdistrict' ? p.subdistrictId : p.unitId);
  const points = inside ? countBy(inside, groupOf) : sumMap(await store.pointCounts(byStore), lift);
  const visits = inside
    ? visitsBy(await store.visitsAt(insideIds!, fromMs, toMs), inside, groupOf)
    : sumMap(await store.visitCounts(byStore, fromMs, toMs), lift);
  const all =
    q.by === 'district'
      ? (await store.listDistricts()).filter((d) => !q.district || d.id === q.district)
      : q.by === 'subdistrict'
        ? subdistricts.filter((sd) => !q.district || sd.districtId === q.district)
        : (await store.listUnits()).filter((u) => !q.district || u.districtId === q.district);
  // Within grids, a group with neither a point nor a problem there has nothing to be ranked on.
  const groups = all.filter((g) => !area || counts.has(g.id) || points.has(g.id));
  const empty = (id: string): RankingCounts => ({
    id,
    found: 0,
    recurrences: 0,
    due: 0,
    onTime: 0,
    overdue: 0,
    passes: 0,
    fails: 0,
    supervision: 0,
    summons: 0,
    handled: 0,
    extensions: 0,
    returns: 0,
  });
  const rows: Omit<RankingRow, 'rank'>[] = groups.map((g) => {
    const c = counts.get(g.id) ?? empty(g.id);
    const n = points.get(g.id) ?? 0;
    const r = groupRates(c, rates ? (rates.get(g.id) ?? null) : null);
    return {
      id: g.id,
      name: g.name,
      found: c.found,
      points: n,
      per100Points: n > 0 ? round((100 * c.found) / n, 1) : null,
      visits: visits.get(g.id) ?? 0,
      perVisit: round(rate(c.found, visits.get(g.id) ?? 0), 2),
      onTimeRate: round(rate(c.onTime, c.due)),
      overdue: c.overdue,
      recurrenceRate: round(rate(c.recurrences, c.found)),
      lookBackPassRate: round(rate(c.passes, c.passes + c.fails)),
      supervision: c.supervision,
      summons: c.summons,
      handlingRate: round(r.handlingRate),
      reworkRate: round(r.reworkRate),
      overdueRate: round(r.overdueRate),
      extensionRate: round(r.extensionRate),
      returnRate: round(r.returnRate),
      ...(rates ? { assessmentRate: rates.get(g.id) ?? null } : {}),
      score: version ? formulaScore(version, r, c.summons) : weightedScore(compositeScore(c), w, rates?.get(g.id) ?? null),
    };
  });
  rows.sort((a, b) => b.score - a.score || (a.per100Points ?? 0) - (b.per100Points ?? 0) || a.name.localeCompare(b.name, 'zh-CN'));
  return {
    by: q.by,
    from: toCityIso(fromMs),
    to: toCityIso(toMs),
    formula: version ? formulaText(version, 'zh') : rankingFormula(w),
    weights: { assessment: w },
    version: version ? versionOut(version) : null,
    changedInPeriod,
    rows: rows.map((r, i) => ({ rank: i + 1, ...r })),
  };
}
