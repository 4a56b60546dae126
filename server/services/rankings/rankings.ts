import { rankingFormula, RankingWeights, type RankingResponse, type RankingRow, type RankingWeightsOut } from '../../contract/rankings';
import type { Catalog } from '../../contract/catalog';
import type { Store } from '../../store/index';
import type { RankingCounts } from '../../store/rankings';
import { DAY_MS, toCityIso } from '../../contract/city-time';
import { groupScoreRates } from '../assessment/scores';
import { placesInArea } from '../city/grids';
import type { PlaceState } from '../../store/places';

type PlaceOf = PlaceState & { id: string };

/** The settings key of the ranking weights. */
const WEIGHTS_KEY = 'rankings.weights';
const NO_WEIGHTS: RankingWeights = { assessment: 0 };

/** The weights as the administrator set them; the default (nothing weighed in) when none, or when the stored value no longer passes. */
export function getRankingWeights(store: Store): RankingWeightsOut {
  const row = store.getSetting(WEIGHTS_KEY);
  const parsed = row ? RankingWeights.safeParse(row.value) : null;
  return parsed?.success ? { ...parsed.data, updatedAt: row!.updatedAt } : { ...NO_WEIGHTS, updatedAt: null };
}

/** Stores the weights (validated by the route); `nowMs` stamps them. */
export function setRankingWeights(store: Store, weights: RankingWeights, nowMs: number): RankingWeightsOut {
  store.putSetting(WEIGHTS_KEY, { assessment: weights.assessment }, new Date(nowMs).toISOString());
  return getRankingWeights(store);
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
export function rankings(
  store: Store,
  catalog: Catalog,
  q: { by: 'subdistrict' | 'unit'; from?: number; to?: number; grid?: string[] },
  nowMs: number,
): RankingResponse {
  const toMs = q.to ?? nowMs;
  const fromMs = q.from ?? toMs - RANKING_DEFAULT_DAYS * DAY_MS;
  const weights = getRankingWeights(store);
  const w = weights.assessment;
  const area = q.grid?.length ? store.gridArea(q.grid) : undefined;
  const inside = area ? placesInArea(store, area) : undefined;
  const insideIds = inside?.map((p) => p.id);
  const rates = w > 0 ? groupScoreRates(store, catalog, q.by, fromMs, toMs, nowMs, insideIds && new Set(insideIds)) : null;
  const counts = new Map(store.rankingCounts(q.by, fromMs, toMs, nowMs, area).map((c) => [c.id, c]));
  const groupOf = (p: PlaceOf) => (q.by === 'subdistrict' ? p.subdistrictId : p.unitId);
  const points = inside ? countBy(inside, groupOf) : store.pointCounts(q.by);
  const visits = inside ? visitsBy(store.visitsAt(insideIds!, fromMs, toMs), inside, groupOf) : store.visitCounts(q.by, fromMs, toMs);
  // Within grids, a group with neither a point nor a problem there has nothing to be ranked on.
  const groups = (q.by === 'subdistrict' ? store.listSubdistricts() : store.listUnits()).filter((g) => !area || counts.has(g.id) || points.has(g.id));
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
  });
  const rows: Omit<RankingRow, 'rank'>[] = groups.map((g) => {
    const c = counts.get(g.id) ?? empty(g.id);
    const n = points.get(g.id) ?? 0;
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
      ...(rates ? { assessmentRate: rates.get(g.id) ?? null } : {}),
      score: weightedScore(compositeScore(c), w, rates?.get(g.id) ?? null),
    };
  });
  rows.sort((a, b) => b.score - a.score || (a.per100Points ?? 0) - (b.per100Points ?? 0) || a.name.localeCompare(b.name, 'zh-CN'));
  return {
    by: q.by,
    from: toCityIso(fromMs),
    to: toCityIso(toMs),
    formula: rankingFormula(w),
    weights: { assessment: w },
    rows: rows.map((r, i) => ({ rank: i + 1, ...r })),
  };
}
