/**
 * `GET /api/assessment/scores` and `/losses`: reads the points, the checks of the window and the problems
 * at the points, and scores them (server/analytics/assessment-score.ts) under the catalog version in
 * force. Runs in the pool: at a city's volume the problem read alone is more than the event loop may hold.
 */
import {
  cityTotals,
  estimatedScore,
  groupScores,
  losses,
  scorePoints,
  scoringData,
  type GroupNames,
  type ScoringPoint,
  type ScoringWindow,
} from '../../analytics/assessment-score';
import { flattenIndicators, type LossesResponse, type ScoresResponse } from '../../contract/assessment';
import type { Catalog } from '../../contract/catalog';
import { cityDate, cityIsoWeek, cityWeekStart, cityYear, DAY_MS, toCityIso } from '../../contract/city-time';
import type { Store } from '../../store/index';
import { assessmentOn } from './catalog';

/** Default window: the 30 days up to now. */
export const SCORE_DEFAULT_DAYS = 30;
const WEEK_MS = 7 * DAY_MS;

export interface ScoresInput {
  q: { by: ScoresResponse['by']; from?: number; to?: number };
  nowMs: number;
}

export interface LossesInput {
  q: { from?: number; to?: number; type?: string; subdistrict?: string; unit?: string; limit: number };
  nowMs: number;
}

function windowOf(q: { from?: number; to?: number }, nowMs: number) {
  const toMs = q.to ?? nowMs;
  const fromMs = q.from ?? toMs - SCORE_DEFAULT_DAYS * DAY_MS;
  return { fromMs, toMs, atMs: Math.min(toMs, nowMs) };
}

function namesOf(store: Store): GroupNames & { subdistrictMap: Map<string, string>; unitMap: Map<string, string> } {
  const subdistrictMap = new Map(store.listSubdistricts().map((s) => [s.id, s.name]));
  const unitMap = new Map(store.listUnits().map((u) => [u.id, u.name]));
  return {
    city: store.getCity()?.name ?? '全市',
    subdistrict: (id) => subdistrictMap.get(id),
    unit: (id) => unitMap.get(id),
    subdistrictMap,
    unitMap,
  };
}

/** Scores grouped `by` over the window, the estimated on-site score, and the city's week-by-week trend. */
export function assessmentScores(store: Store, catalog: Catalog, { q, nowMs }: ScoresInput): ScoresResponse {
  const { fromMs, toMs, atMs } = windowOf(q, nowMs);
  const version = assessmentOn(catalog, cityDate(toMs));
  const data = scoringData(catalog.assessment, store.scoringPoints(), store.scoringChecks(fromMs, toMs), store.scoringProblems(fromMs, toMs));
  const names = namesOf(store);
  const scores = scorePoints(data, { fromMs, toMs, atMs, catalog: version });

  const windows: ScoringWindow[] = [];
  for (let week = cityWeekStart(fromMs); week <= toMs; week += WEEK_MS) {
    const to = Math.min(week + WEEK_MS - 1, toMs);
    windows.push({ fromMs: Math.max(week, fromMs), toMs: to, atMs: Math.min(to, nowMs), catalog: assessmentOn(catalog, cityDate(to)) });
  }
  const trend = cityTotals(data, windows).map((t, k) => ({
    week: `${cityYear(windows[k].fromMs + 3 * DAY_MS)}-W${String(cityIsoWeek(windows[k].fromMs)).padStart(2, '0')}`,
    from: toCityIso(windows[k].fromMs),
    scoreRate: t.possible > 0 ? Math.round((t.earned / t.possible) * 1e6) / 1e6 : null,
    checked: t.checked,
    unchecked: t.unchecked,
    catalogVersion: windows[k].catalog.version,
  }));
  return {
    by: q.by,
    from: toCityIso(fromMs),
    to: toCityIso(toMs),
    catalogVersion: version.version,
    totalPoints: version.totalPoints,
    estimatedScore: estimatedScore(version, scores),
    rows: groupScores(version, scores, q.by, names),
    trend,
  };
}

/** Where points are lost: failed items by points × failures, with their places, units and photos. */
export function assessmentLosses(store: Store, catalog: Catalog, { q, nowMs }: LossesInput): LossesResponse {
  const { fromMs, toMs, atMs } = windowOf(q, nowMs);
  const version = assessmentOn(catalog, cityDate(toMs));
  const keep = (p: ScoringPoint) =>
    (q.type === undefined || p.typeId === q.type) &&
    (q.subdistrict === undefined || p.subdistrictId === q.subdistrict) &&
    (q.unit === undefined || p.unitId === q.unit);
  const data = scoringData(catalog.assessment, store.scoringPoints().filter(keep), store.scoringChecks(fromMs, toMs), store.scoringProblems(fromMs, toMs));
  const scores = scorePoints(data, { fromMs, toMs, atMs, catalog: version });
  const names = namesOf(store);
  const items = new Map(version.pointTypes.flatMap((t) => t.items.map((it) => [it.id, { it, type: t }] as const)));
  const indicatorName = new Map(flattenIndicators(version.indicators).map((f) => [f.indicator.no, f.indicator.zh]));
  const all = losses(version, scores);
  return {
    from: toCityIso(fromMs),
    to: toCityIso(toMs),
    catalogVersion: version.version,
    lost: Math.round(all.reduce((a, r) => a + r.lost, 0) * 1000) / 1000,
    rows: all.slice(0, q.limit).map((r) => {
      const { it, type } = items.get(r.itemId)!;
      return {
        itemId: r.itemId,
        zh: it.zh,
        en: it.en,
        typeId: type.id,
        typeName: type.zh,
        indicator: r.indicator,
        indicatorName: indicatorName.get(r.indicator) ?? r.indicator,
        points: r.points,
        failures: r.failures.length,
        lost: r.lost,
        places: r.failures.map((f) => ({
          pointId: f.point.id,
          name: f.point.name,
          subdistrictId: f.point.subdistrictId,
          subdistrictName: f.point.subdistrictId === null ? null : (names.subdistrictMap.get(f.point.subdistrictId) ?? null),
          unitId: f.point.unitId,
          unitName: f.point.unitId === null ? null : (names.unitMap.get(f.point.unitId) ?? null),
          checkId: f.checkId,
          checkAt: toCityIso(f.checkAtMs),
          failedAtCheck: f.failedAtCheck,
          problemIds: f.problemIds,
          photos: f.problemIds.flatMap((id) => store.problemPhotos(id)).map((hash) => `/media/${hash}/thumb`),
        })),
      };
    }),
  };
}
