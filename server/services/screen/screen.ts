import type { Catalog } from '../../contract/catalog';
import type { RankingRow } from '../../contract/rankings';
import type { ScreenSummary } from '../../contract/screen';
import { assessmentCountdown, getAssessment } from './assessment';
import { NotFoundError } from '../../errors';
import type { Store } from '../../store/index';
import { getRankingWeights, rankings, RANKING_DEFAULT_DAYS } from '../rankings/rankings';
import { cityDate, cityMidnight, cityWeekStart, DAY_MS, toCityIso } from '../../contract/city-time';
import { PROBLEM_STATUSES } from '../../contract/problems';
import { STATUS_ASSIGNED, STATUS_HELD, type ProblemIndex } from '../problems/problem-index';
import { listMask } from '../../contract/problem-filter';
import { publicThumb } from '../media/redaction';

const STATUS_REPORTED = PROBLEM_STATUSES.indexOf('reported');

const WEEK_MS = 7 * DAY_MS;
/** Weeks in the trend chart: a quarter, enough to see a campaign push and its decay. */
export const TREND_WEEKS = 12;
/** Rows shown at each end of the 红黑榜 (five read well from across a room). */
const RANK_ROWS = 5;
/** Reports in the ticker: a fixed number, so the list (and the page) does not grow over a night. */
export const LATEST = 12;

const rate = (num: number, den: number) => (den > 0 ? Math.round((num / den) * 10_000) / 10_000 : null);
/** Both ends of a ranking, each row with its movement against `before` (the previous period's ranks). */
const ends = (rows: RankingRow[], before: RankingRow[]) => {
  const prev = new Map(before.map((r) => [r.id, r.rank]));
  const rankRow = (r: RankingRow) => ({ id: r.id, name: r.name, rank: r.rank, score: r.score, found: r.found, move: (prev.get(r.id) ?? r.rank) - r.rank });
  return {
    top: rows.slice(0, RANK_ROWS).map(rankRow),
    // Worst last, so the black list reads bottom-up like the whole table would.
    bottom: rows.length > RANK_ROWS ? rows.slice(Math.max(RANK_ROWS, rows.length - RANK_ROWS)).map(rankRow) : [],
  };
};

/** The period of the period-bound panels as epoch ms, and as the city days the response names. */
function periodOf(q: { from?: string; to?: string }, nowMs: number) {
  if (q.from === undefined || q.to === undefined) {
    const fromMs = nowMs - RANKING_DEFAULT_DAYS * DAY_MS;
    return { fromMs, toMs: nowMs, out: { from: cityDate(fromMs), to: cityDate(nowMs), days: RANKING_DEFAULT_DAYS, rolling: true } };
  }
  const fromMs = cityMidnight(q.from);
  const endMs = cityMidnight(q.to) + DAY_MS - 1;
  // Nothing after now: a period ending today (or later) is "so far", like the KPI tiles.
  const toMs = Math.min(endMs, nowMs);
  return { fromMs, toMs, out: { from: q.from, to: q.to, days: Math.round((endMs + 1 - fromMs) / DAY_MS), rolling: false } };
}

/** A summary's question: the whole city, one district or one subdistrict, over the default or a chosen period. */
export interface SummaryQuery {
  /** A district id (dt…) or a subdistrict id (sd…: the screen's links from before districts pinned subdistricts). */
  district?: string;
  from?: string;
  to?: string;
}

/** What a summary is pinned to: a district or a subdistrict, with the subdistricts it covers. */
interface Scope {
  level: 'district' | 'subdistrict';
  id: string;
  name: string;
  subdistrictIds: string[];
}

/** The district or subdistrict `q` names, null for the whole city. @throws NotFoundError when it names neither. */
async function scopeOf(store: Store, q: SummaryQuery): Promise<Scope | null> {
  if (!q.district) return null;
  const d = (await store.listDistricts()).find((x) => x.id === q.district);
  if (d) return { level: 'district', id: d.id, name: d.name, subdistrictIds: await store.districtSubdistricts([d.id]) };
  const subdistricts = await store.listSubdistricts();
  const sd = subdistricts.find((x) => x.id === q.district);
  if (sd) return { level: 'subdistrict', id: sd.id, name: sd.name, subdistrictIds: [sd.id] };
  throw new NotFoundError(
    `No district or subdistrict "${q.district}"; use one of ${[...(await store.listDistricts()), ...subdistricts].map((s) => s.id).join(', ')} (or leave district out for the whole city).`,
  );
}

/**
 * What the summary reads from SQLite: the rankings' group-bys (five scans of the period's problems, about
 * 0.5 s at a million), the look-backs due and the latest reports. Plain data, so a worker can make it.
 */
export interface SummaryTables {
  kpi: { found: number; due: number; onTime: number; recurrences: number; lookBacksDue: number };
  rankings: ScreenSummary['rankings'];
  latest: ScreenSummary['latest'];
}

/** The SQLite part of the summary of `q` (the app runs it in the worker pool). */
export async function summaryTables(store: Store, catalog: Catalog, q: SummaryQuery, nowMs: number): Promise<SummaryTables> {
  const scope = await scopeOf(store, q);
  const inScope = scope && new Set(scope.subdistrictIds);
  const period = periodOf(q, nowMs);
  const kpiStart = nowMs - RANKING_DEFAULT_DAYS * DAY_MS;
  const counts = (await store.rankingCounts('subdistrict', kpiStart, nowMs, nowMs)).filter((c) => !inScope || inScope.has(c.id));
  const sum = (k: 'found' | 'due' | 'onTime' | 'recurrences') => counts.reduce((s, c) => s + c[k], 0);
  const lookBacksDue = inScope
    ? (await Promise.all((await store.lookBacksDue()).map((p) => store.getProblem(p.id, nowMs)))).filter((p) => inScope.has(p?.properties.subdistrictId ?? ''))
        .length
    : (await store.lookBacksDue()).length;

  // The period before, of the same length and ranked as of its own end, gives the arrows (up / down since then).
  const span = Math.max(DAY_MS, period.toMs - period.fromMs);
  const window = { from: period.fromMs, to: period.toMs };
  const previous = { from: period.fromMs - span, to: period.fromMs };
  // A district's wall ranks its own subdistricts and units; a subdistrict's keeps the city's subdistrict ranking.
  const within = scope?.level === 'district' ? { district: scope.id } : {};
  const sdRows = (await rankings(store, catalog, { by: 'subdistrict', ...within, ...window }, nowMs)).rows;
  const sdBefore = (await rankings(store, catalog, { by: 'subdistrict', ...within, ...previous }, period.fromMs)).rows;
  const mine = scope
    ? new Set((await store.listUnits()).filter((u) => (scope.level === 'district' ? u.districtId === scope.id : u.subdistrictId === scope.id)).map((u) => u.id))
    : null;
  // A city-level wall of a city of several districts ranks the districts too.
  const districts =
    !scope && (await store.listDistricts()).length > 1
      ? ends(
          (await rankings(store, catalog, { by: 'district', ...window }, nowMs)).rows,
          (await rankings(store, catalog, { by: 'district', ...previous }, period.fromMs)).rows,
        )
      : null;
  const units = (rows: RankingRow[]) => (mine ? rows.filter((r) => mine.has(r.id)).map((r, i) => ({ ...r, rank: i + 1 })) : rows);
  const unitRows = units((await rankings(store, catalog, { by: 'unit', ...window }, nowMs)).rows);
  const unitBefore = units((await rankings(store, catalog, { by: 'unit', ...previous }, period.fromMs)).rows);

  const sdName = new Map((await store.listSubdistricts()).map((s) => [s.id, s.name]));
  const where = { fromMs: period.fromMs, toMs: period.toMs, ...(scope ? { subdistricts: scope.subdistrictIds } : {}) };
  const latest = await Promise.all(
    (await store.queryProblems(where, { limit: LATEST, nowMs })).features.map(async (text) => {
      const f = JSON.parse(text) as {
        geometry: { coordinates: [number, number] };
        properties: { id: string; category: string; reportedAt: string; subdistrictId: string | null; description: string };
      };
      const p = f.properties;
      return {
        id: p.id,
        category: p.category,
        reportedAt: p.reportedAt,
        lngLat: f.geometry.coordinates,
        subdistrictName: p.subdistrictId ? (sdName.get(p.subdistrictId) ?? null) : null,
        description: p.description,
        // The screen is public: a checked photo by its blurred copy, an excluded one not at all.
        thumbUrl: await publicThumb(store, p.id),
      };
    }),
  );
  return {
    kpi: { found: sum('found'), due: sum('due'), onTime: sum('onTime'), recurrences: sum('recurrences'), lookBacksDue },
    rankings: { districts, subdistricts: ends(sdRows, sdBefore), units: ends(unitRows, unitBefore) },
    latest,
  };
}

/**
 * `GET /api/screen/summary`: the big screen's figures in one call — KPIs, categories, a 12-week trend,
 * both 红黑榜 ends, the latest reports and the assessment countdown — for the whole city or one
 * subdistrict (`district`). The categories, the latest reports and the ranking window follow the period
 * (`from`/`to`, city days inclusive; default the last 30 days); the KPI tiles do not (this week, open,
 * overdue now, rates of the last 30 days: they are defined that way).
 * One pass over the shared problem index (typed arrays: milliseconds at a million problems, where reading
 * the rows from SQLite took seconds) plus `tables`, what SQLite gives (`summaryTables`, by default here).
 *
 * @throws NotFoundError when `district` is neither a district nor a subdistrict id (the message lists the valid ones).
 */
export async function screenSummary(
  store: Store,
  index: ProblemIndex,
  catalog: Catalog,
  q: SummaryQuery,
  nowMs: number,
  given?: SummaryTables,
): Promise<ScreenSummary> {
  const tables = given ?? (await summaryTables(store, catalog, q, nowMs));
  const scope = await scopeOf(store, q);
  const period = periodOf(q, nowMs);
  const weekStart = cityWeekStart(nowMs);
  const lastWeekStart = weekStart - WEEK_MS;
  const trendStart = weekStart - (TREND_WEEKS - 1) * WEEK_MS;
  const trend = new Array<number>(TREND_WEEKS).fill(0);
  const byCategory = new Float64Array(index.categoryNames.length);
  let thisWeek = 0;
  let lastWeek = 0;
  let open = 0;
  let overdue = 0;
  const inScope = scope && listMask(index.subdistrictNames, scope.subdistrictIds);
  for (let i = 0; i < index.size; i++) {
    if (inScope && inScope[index.subdistrict[i]] !== 1) continue;
    const reportedMs = index.reportedMs[i];
    if (reportedMs > nowMs) continue;
    const status = index.status[i];
    if (status === STATUS_REPORTED || status === STATUS_ASSIGNED || status === STATUS_HELD) open++;
    if (status === STATUS_ASSIGNED && index.deadlineMs[i] < nowMs) overdue++;
    if (reportedMs >= weekStart) thisWeek++;
    // Same span of last week as has passed of this one, so Monday morning is not compared with a full week.
    else if (reportedMs >= lastWeekStart && reportedMs <= nowMs - WEEK_MS) lastWeek++;
    if (reportedMs >= trendStart) trend[Math.floor((reportedMs - trendStart) / WEEK_MS)]++;
    if (reportedMs >= period.fromMs && reportedMs <= period.toMs) byCategory[index.category[i]]++;
  }
  const categoryCount = (id: string) => {
    const code = index.categoryNames.indexOf(id);
    return code < 0 ? 0 : byCategory[code];
  };
  const k = tables.kpi;

  return {
    now: toCityIso(nowMs),
    district: scope ? { id: scope.id, name: scope.name, level: scope.level } : null,
    period: period.out,
    assessment: assessmentCountdown(await getAssessment(store), nowMs),
    kpi: {
      thisWeek,
      lastWeek,
      open,
      overdue,
      onTimeRate: rate(k.onTime, k.due),
      recurrenceRate: rate(k.recurrences, k.found),
      lookBacksDue: k.lookBacksDue,
    },
    categories: catalog.categories
      .map((c) => ({ id: c.id, zh: c.zh, en: c.en, color: c.color, count: categoryCount(c.id) }))
      .sort((a, b) => b.count - a.count || a.id.localeCompare(b.id)),
    trend: trend.map((count, i) => ({ weekStart: cityDate(trendStart + i * WEEK_MS), count })),
    rankings: tables.rankings,
    latest: tables.latest,
  };
}

/** How long a summary is reused while nothing changes: the wall polls every 30 s and on every event. */
export const SUMMARY_REUSE_MS = 10_000;
const SUMMARIES_KEPT = 32;

/**
 * `screenSummary` kept per problems revision, assessment window, query and SUMMARY_REUSE_MS of the
 * clock: every screen on the wall (and every event they each get) asks the same question, and the
 * rankings' group-bys behind one answer take half a second at a million problems, which `tables` runs
 * off the event loop (the app: in the worker pool; default here). A write moves the revision, so a new
 * report is on the next answer; only the rolling clock (the 30-day window, what is overdue) may lag by
 * up to SUMMARY_REUSE_MS. A failed answer (the pool's queue was full) is not kept.
 */
export function createScreenSummaries(
  store: Store,
  index: () => Promise<ProblemIndex>,
  catalog: Catalog,
  tables: (q: SummaryQuery, nowMs: number) => Promise<SummaryTables> = (q, nowMs) => Promise.resolve(summaryTables(store, catalog, q, nowMs)),
) {
  const kept = new Map<string, Promise<ScreenSummary>>();
  return async (q: SummaryQuery, nowMs: number): Promise<ScreenSummary> => {
    const key = JSON.stringify([
      await store.problemsRevision(),
      // A photo checked for public use changes the ticker's thumbnails.
      await store.redactionsRevision(),
      await getAssessment(store),
      (await getRankingWeights(store)).assessment,
      q.district,
      q.from,
      q.to,
      Math.floor(nowMs / SUMMARY_REUSE_MS),
    ]);
    let summary = kept.get(key);
    if (!summary) {
      // Checked here, so a bad district is a 404 at once, before any work is sent away.
      await scopeOf(store, q);
      const made = tables(q, nowMs).then(async (t) => screenSummary(store, await index(), catalog, q, nowMs, t));
      summary = made;
      kept.set(key, made);
      made.catch(() => {
        if (kept.get(key) === made) kept.delete(key);
      });
      if (kept.size > SUMMARIES_KEPT) kept.delete(kept.keys().next().value as string);
    }
    return summary;
  };
}
