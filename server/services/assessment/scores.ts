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
  readiness,
  scorePoints,
  scoringData,
  type GroupNames,
  type LossRow as AnalyticsLossRow,
  type PointReadiness,
  type ScoringData,
  type ScoringPoint,
  type ScoringWindow,
} from '../../analytics/assessment-score';
import {
  type AssessmentCatalog,
  flattenIndicators,
  type LossRow,
  type LossesResponse,
  type ReadinessMap,
  type ReadinessResponse,
  type ScoresResponse,
} from '../../contract/assessment';
import { daysBetween } from '../../contract/screen';
import { getAssessment } from '../screen/assessment';
import type { Catalog } from '../../contract/catalog';
import { cityDate, cityIsoWeek, cityWeekStart, cityYear, DAY_MS, toCityIso } from '../../contract/city-time';
import { allRows, type Store } from '../../store/index';
import { assessmentOn, catalogOf } from './catalog';
import { pointMarker } from '../../contract/geo';
import type { Geometry } from '../../contract/geojson';

/**
 * The packed rows of a window, kept between requests: reading and packing a year of checks takes
 * longer than scoring them (BENCHMARKS.md). Keyed by what they are read from — the city's import, the
 * points and the newest check (store.scoringMark), the problems' revision and the catalog versions (by
 * identity: catalogOf keeps one object while they are unchanged) — so any change is read anew. Two
 * windows at a time: a page asks for one window several ways (scores by city and by group, losses),
 * and readiness for another.
 */
const packed: { key: string; versions: Catalog['assessment']; data: ScoringData }[] = [];
const PACKED_KEPT = 2;

async function packedWindow(store: Store, catalog: Catalog, fromMs: number, toMs: number, district?: string): Promise<ScoringData> {
  const key = [store.file, await store.cityStamp(), await store.scoringMark(), await store.problemsRevision(), fromMs, toMs, district ?? '*'].join('|');
  const hit = packed.findIndex((p) => p.key === key && p.versions === catalog.assessment);
  if (hit >= 0) {
    const [entry] = packed.splice(hit, 1);
    packed.unshift(entry);
    return entry.data;
  }
  // A district office's figures are its district's points alone: the checks and problems of the others drop out with them.
  const inDistrict = district ? new Set(await store.districtSubdistricts([district])) : null;
  const points = (await store.scoringPoints()).filter((p) => !inDistrict || (p.subdistrictId !== null && inDistrict.has(p.subdistrictId)));
  const data = scoringData(catalog.assessment, points, await store.scoringChecks(fromMs, toMs), await allRows(store.scoringProblems(fromMs, toMs)));
  packed.unshift({ key, versions: catalog.assessment, data });
  packed.length = Math.min(packed.length, PACKED_KEPT);
  return data;
}

const MINUTE_MS = 60_000;

/**
 * The rows readiness reads, over whole minutes around [now − days, now] so that the several requests
 * of one page view share them; readiness itself keeps to the exact window (checks and problems by time).
 */
export async function readinessWindow(store: Store, catalog: Catalog, nowMs: number, days: number, district?: string): Promise<ScoringData> {
  return packedWindow(store, catalog, Math.floor((nowMs - days * DAY_MS) / MINUTE_MS) * MINUTE_MS, Math.ceil(nowMs / MINUTE_MS) * MINUTE_MS, district);
}

/** Default window: the 30 days up to now. */
export const SCORE_DEFAULT_DAYS = 30;
const WEEK_MS = 7 * DAY_MS;

export interface ScoresInput {
  q: { by: ScoresResponse['by']; from?: number; to?: number };
  nowMs: number;
  /** A district office's account: its district's points only, and the whole named after the district. */
  district?: string;
}

export interface LossesInput {
  q: { from?: number; to?: number; type?: string; subdistrict?: string; unit?: string; limit: number };
  nowMs: number;
  district?: string;
}

function windowOf(q: { from?: number; to?: number }, nowMs: number) {
  const toMs = q.to ?? nowMs;
  const fromMs = q.from ?? toMs - SCORE_DEFAULT_DAYS * DAY_MS;
  return { fromMs, toMs, atMs: Math.min(toMs, nowMs) };
}

/** Names of subdistricts and units by id (null for none), and the city's. */
export async function namesOf(store: Store, district?: string) {
  const listed = await store.listSubdistricts();
  const subdistricts = new Map(listed.map((s) => [s.id, s.name]));
  const inDistrict = new Map(listed.map((s) => [s.id, s.districtId]));
  const districts = new Map((await store.listDistricts()).map((d) => [d.id, d.name]));
  const units = new Map((await store.listUnits()).map((u) => [u.id, u.name]));
  return {
    city: (district ? districts.get(district) : undefined) ?? (await store.getCity())?.name ?? '全市',
    district: (id: string | null) => (id === null ? null : (districts.get(id) ?? null)),
    districtOf: (id: string) => inDistrict.get(id) ?? null,
    subdistrict: (id: string | null) => (id === null ? null : (subdistricts.get(id) ?? null)),
    unit: (id: string | null) => (id === null ? null : (units.get(id) ?? null)),
  } satisfies GroupNames;
}

/** Scores grouped `by` over the window, the estimated on-site score, and the city's week-by-week trend. */
export async function assessmentScores(store: Store, base: Catalog, { q, nowMs, district }: ScoresInput): Promise<ScoresResponse> {
  const catalog = await catalogOf(store, base);
  const { fromMs, toMs, atMs } = windowOf(q, nowMs);
  const version = assessmentOn(catalog, cityDate(toMs));
  const data = await packedWindow(store, catalog, fromMs, toMs, district);
  const names = await namesOf(store, district);
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

/**
 * The 得分率 of every subdistrict or unit over [fromMs, toMs] (by id; null where none of its points was
 * checked), as the 红黑榜 weighs it in: the same scoring as `/api/assessment/scores`, without the trend.
 * `only`: the points to score (a grid's), when not all.
 */
export async function groupScoreRates(
  store: Store,
  base: Catalog,
  by: 'district' | 'subdistrict' | 'unit',
  fromMs: number,
  toMs: number,
  nowMs: number,
  only?: ReadonlySet<string>,
): Promise<Map<string, number | null>> {
  const catalog = await catalogOf(store, base);
  const version = assessmentOn(catalog, cityDate(toMs));
  const data = await packedWindow(store, catalog, fromMs, toMs);
  const all = scorePoints(data, { fromMs, toMs, atMs: Math.min(toMs, nowMs), catalog: version });
  const scores = only ? all.filter((s) => only.has(s.point.id)) : all;
  return new Map(groupScores(version, scores, by, await namesOf(store)).map((r) => [r.key, r.scoreRate]));
}

/** Where points are lost: failed items by points × failures, with their places, units and photos. */
export async function assessmentLosses(store: Store, base: Catalog, { q, nowMs, district }: LossesInput): Promise<LossesResponse> {
  const catalog = await catalogOf(store, base);
  const { fromMs, toMs, atMs } = windowOf(q, nowMs);
  const version = assessmentOn(catalog, cityDate(toMs));
  const keep = (p: ScoringPoint) =>
    (q.type === undefined || p.typeId === q.type) &&
    (q.subdistrict === undefined || p.subdistrictId === q.subdistrict) &&
    (q.unit === undefined || p.unitId === q.unit);
  const data = await packedWindow(store, catalog, fromMs, toMs, district);
  const scores = scorePoints(data, { fromMs, toMs, atMs, catalog: version }).filter((s) => keep(s.point));
  const all = losses(version, scores);
  return {
    from: toCityIso(fromMs),
    to: toCityIso(toMs),
    catalogVersion: version.version,
    lost: Math.round(all.reduce((a, r) => a + r.lost, 0) * 1000) / 1000,
    rows: await lossRows(store, version, all.slice(0, q.limit), await namesOf(store, district)),
  };
}

/** The losses as the API gives them: item, type and indicator names, and per place its unit and the photos of the problems behind it. */
export async function lossRows(
  store: Store,
  version: AssessmentCatalog,
  rows: readonly AnalyticsLossRow[],
  names: Awaited<ReturnType<typeof namesOf>>,
): Promise<LossRow[]> {
  const photos = new Map<string, string[]>();
  for (const r of rows) for (const f of r.failures) for (const id of f.problemIds) if (!photos.has(id)) photos.set(id, await store.problemPhotos(id));
  const items = new Map(version.pointTypes.flatMap((t) => t.items.map((it) => [it.id, { it, type: t }] as const)));
  const indicatorName = new Map(flattenIndicators(version.indicators).map((f) => [f.indicator.no, f.indicator.zh]));
  return rows.map((r) => {
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
        subdistrictName: names.subdistrict(f.point.subdistrictId),
        unitId: f.point.unitId,
        unitName: names.unit(f.point.unitId),
        checkId: f.checkId,
        checkAt: toCityIso(f.checkAtMs),
        failedAtCheck: f.failedAtCheck,
        problemIds: f.problemIds,
        photos: f.problemIds.flatMap((id) => photos.get(id)!).map((hash) => `/media/${hash}/thumb`),
      })),
    };
  });
}

export interface ReadinessInput {
  q: { days: number; by: 'type' | 'subdistrict' | 'point'; limit: number };
  nowMs: number;
  district?: string;
}

/** 迎检准备 now: each point 达标 / 未达标 / 超期未查 (analytics/assessment-score.ts), grouped, against the assessment date. */
export async function assessmentReadiness(store: Store, base: Catalog, { q, nowMs, district }: ReadinessInput): Promise<ReadinessResponse> {
  const catalog = await catalogOf(store, base);
  const version = assessmentOn(catalog, cityDate(nowMs));
  // The window's checks decide the status; the days since a point's last visit reach back beyond it, and
  // come from the latest check per point alone (a year of checks need not be read for them).
  const data = await readinessWindow(store, catalog, nowMs, q.days, district);
  const points = readiness(data, version, nowMs, q.days, await store.lastVisits(nowMs));
  const names = await namesOf(store, district);
  const typeName = new Map(version.pointTypes.map((t) => [t.id, t.zh]));
  const counts = (list: readonly PointReadiness[]) => {
    const ready = list.filter((p) => p.status === 'ready').length;
    const notReady = list.filter((p) => p.status === 'not-ready').length;
    return {
      total: list.length,
      ready,
      notReady,
      stale: list.length - ready - notReady,
      readyRate: list.length > 0 ? Math.round((ready / list.length) * 1e4) / 1e4 : null,
    };
  };
  const groups = new Map<string, PointReadiness[]>();
  if (q.by !== 'point')
    for (const p of points) {
      const key = (q.by === 'type' ? p.point.typeId : p.point.subdistrictId) ?? '-';
      const list = groups.get(key);
      if (list) list.push(p);
      else groups.set(key, [p]);
    }
  const rows = [...groups].map(([key, list]) => ({
    key,
    name: q.by === 'type' ? (typeName.get(key) ?? key) : key === '-' ? '（未划入街道）' : (names.subdistrict(key) ?? key),
    ...counts(list),
  }));
  rows.sort((a, b) => (a.readyRate ?? 2) - (b.readyRate ?? 2) || b.total - a.total || (a.key < b.key ? -1 : 1));
  const assessment = await getAssessment(store);
  const today = cityDate(nowMs);
  const behind = points
    .filter((p) => p.status !== 'ready')
    .sort((a, b) => (a.lastVisitMs ?? -Infinity) - (b.lastVisitMs ?? -Infinity) || (a.point.id < b.point.id ? -1 : 1));
  return {
    days: q.days,
    at: toCityIso(nowMs),
    catalogVersion: version.version,
    deadline:
      assessment && assessment.start >= today ? { name: assessment.name, start: assessment.start, daysLeft: daysBetween(today, assessment.start) } : null,
    totals: counts(points),
    rows,
    points:
      q.by === 'point'
        ? behind.slice(0, q.limit).map((p) => ({
            key: p.point.id,
            name: p.point.name,
            typeId: p.point.typeId,
            typeName: typeName.get(p.point.typeId) ?? p.point.typeId,
            subdistrictName: names.subdistrict(p.point.subdistrictId),
            unitName: names.unit(p.point.unitId),
            status: p.status,
            lastVisitAt: p.lastVisitMs === null ? null : toCityIso(p.lastVisitMs),
            daysSinceVisit: p.lastVisitMs === null ? null : Math.floor((nowMs - p.lastVisitMs) / DAY_MS),
            missing: p.missing,
            openProblems: p.openProblems,
          }))
        : [],
  };
}

/** `GET /api/assessment/readiness/map`: every point at its marker with its readiness, as the page's readiness table counts it. */
export async function assessmentReadinessMap(
  store: Store,
  base: Catalog,
  { days, nowMs, district }: { days: number; nowMs: number; district?: string },
): Promise<ReadinessMap> {
  const catalog = await catalogOf(store, base);
  const version = assessmentOn(catalog, cityDate(nowMs));
  const data = await readinessWindow(store, catalog, nowMs, days, district);
  const status = new Map(readiness(data, version, nowMs, days, await store.lastVisits(nowMs)).map((p) => [p.point.id, p]));
  const typeName = new Map(version.pointTypes.map((t) => [t.id, t.zh]));
  const features: ReadinessMap['features'] = [];
  for (const g of await store.pointGeometries()) {
    const p = status.get(g.id);
    if (!p) continue;
    features.push({
      type: 'Feature',
      id: g.id,
      geometry: {
        type: 'Point',
        coordinates: pointMarker(JSON.parse(g.geometry) as Geometry, g.entrance ? (JSON.parse(g.entrance) as [number, number]) : null),
      },
      properties: {
        name: p.point.name,
        typeName: typeName.get(p.point.typeId) ?? p.point.typeId,
        status: p.status,
        daysSinceVisit: p.lastVisitMs === null ? null : Math.floor((nowMs - p.lastVisitMs) / DAY_MS),
      },
    });
  }
  return { type: 'FeatureCollection', days, at: toCityIso(nowMs), features };
}
