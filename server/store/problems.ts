import type Database from 'better-sqlite3';
import { areaSql } from './area-sql';
import { statementCache } from './statement-cache';
import type { BBox } from '../contract/geo';
import type { ProblemCounts } from '../contract/places';
import type { ProblemCursor, ProblemFeature, ProblemFilter, ProblemStatus } from '../contract/problems';

/** Cells per side of the density grid that estimates how many problems a bbox holds. */
const DENSITY_GRID = 64;
/**
 * Relative cost of one row reached through the R*Tree (random page, then sorted) against one row
 * walked on the newest-first index (rows in time order lie together, see the importer).
 */
const RTREE_ROW_COST = 2;

/** One row of the columnar scan the tile index is built from. */
export type ProblemPointRow = [
  rid: number,
  id: string,
  lng: number,
  lat: number,
  category: string,
  status: ProblemStatus,
  reportedMs: number,
  deadlineMs: number | null,
  subdistrictId: string | null,
  unitId: string | null,
];

/** `isOverdue` (contract/problem-filter.ts) in SQL over `problems p`; `@now` is the caller's clock. */
export const OVERDUE_SQL = "(p.status = 'assigned' AND p.deadline_ms < @now)";

/**
 * One problem as the API's GeoJSON Feature text (data/README.md properties plus `overdue`), made by
 * SQLite: a 5,000-problem page then costs one string per row instead of 21 decoded columns, an object
 * and a JSON.stringify (about 40 % of the request time).
 */
const featureJson = (redact: boolean) => `json_object(
  'type', 'Feature', 'id', p.id,
  'geometry', json_object('type', 'Point', 'coordinates', json_array(p.lng, p.lat)),
  'properties', json_object(
    'id', p.id, 'category', p.category, 'description', ${redact ? "''" : 'p.description'}, 'status', p.status,
    'reportedAt', p.reported_at, 'assignedAt', p.assigned_at, 'deadline', p.deadline,
    'rectifiedAt', p.rectified_at, 'closedAt', p.closed_at, 'subdistrictId', p.subdistrict_id,
    'unitId', p.unit_id, 'placeId', p.place_id, 'recurrenceOf', p.recurrence_of, 'noticeNo', p.notice_no,
    'source', p.source, 'reporter', ${redact ? "''" : 'p.reporter'},
    'overdue', json(CASE WHEN ${OVERDUE_SQL} THEN 'true' ELSE 'false' END)))`;
const FEATURE_JSON = featureJson(false);
/** The same for a reader who may not see people's words: description and reporter empty (the big screen). */
const FEATURE_JSON_REDACTED = featureJson(true);

/** Page rows: [reportedMs, id, feature JSON]. */
type PageRow = [reportedMs: number, id: string, json: string];

/** Problem counts on a coarse grid over the problems' extent, to estimate how many a bbox holds. */
interface Density {
  w: number;
  s: number;
  cellW: number;
  cellH: number;
  counts: Float64Array;
  total: number;
  minMs: number;
  maxMs: number;
}

/** Estimated number of problems inside `b` (uniform within each grid cell). */
function estimateInBBox(d: Density, b: BBox): number {
  let sum = 0;
  const g = DENSITY_GRID;
  const x0 = Math.max(0, Math.floor((b[0] - d.w) / d.cellW));
  const x1 = Math.min(g - 1, Math.floor((b[2] - d.w) / d.cellW));
  const y0 = Math.max(0, Math.floor((b[1] - d.s) / d.cellH));
  const y1 = Math.min(g - 1, Math.floor((b[3] - d.s) / d.cellH));
  for (let gy = y0; gy <= y1; gy++) {
    const cs = d.s + gy * d.cellH;
    const fy = Math.max(0, Math.min(b[3], cs + d.cellH) - Math.max(b[1], cs)) / d.cellH;
    for (let gx = x0; gx <= x1; gx++) {
      const n = d.counts[gy * g + gx];
      if (n === 0) continue;
      const cw = d.w + gx * d.cellW;
      const fx = Math.max(0, Math.min(b[2], cw + d.cellW) - Math.max(b[0], cw)) / d.cellW;
      sum += n * fx * fy;
    }
  }
  return sum;
}

/**
 * SQL conditions and named parameters for a filter over `problems p`, meaning what
 * contract/problem-filter.ts says (bbox excluded: the caller picks R*Tree or columns; `@now` is the
 * caller's too). Every value is a bound parameter; lists get numbered names. The one SQL form of the
 * filter: the problem list, the ledger and its export build their WHERE from it.
 */
export function problemFilterSql(f: ProblemFilter, params: Record<string, unknown>): string[] {
  const where: string[] = [];
  const list = (prefix: string, values: readonly string[]) =>
    values
      .map((v, i) => {
        params[`${prefix}${i}`] = v;
        return `@${prefix}${i}`;
      })
      .join(', ');
  if (f.fromMs !== undefined) {
    where.push('p.reported_ms >= @fromMs');
    params.fromMs = f.fromMs;
  }
  if (f.toMs !== undefined) {
    where.push('p.reported_ms <= @toMs');
    params.toMs = f.toMs;
  }
  if (f.categories) where.push(`p.category IN (${list('c', f.categories)})`);
  if (f.subdistricts) where.push(`p.subdistrict_id IN (${list('sd', f.subdistricts)})`);
  if (f.units) where.push(`p.unit_id IN (${list('u', f.units)})`);
  if (f.area) where.push(areaSql(f.area, params));
  if (f.statuses || f.overdue) {
    const parts: string[] = [];
    if (f.statuses?.length) parts.push(`p.status IN (${list('st', f.statuses)})`);
    if (f.overdue) parts.push(OVERDUE_SQL);
    where.push(parts.length ? `(${parts.join(' OR ')})` : '0');
  }
  return where;
}

/** Reads of the problems table. */
export function problemQueries(db: Database.Database, cityStamp: () => string | null) {
  const statements = statementCache(db, (s) => s.raw(true));
  const stmt = (sql: string) => statements.get(sql);
  const byIdStmt = db.prepare(`SELECT ${FEATURE_JSON} FROM problems p WHERE p.id = @id`).pluck();
  const unitOfStmt = db.prepare<[string], { unit_id: string | null }>('SELECT unit_id FROM problems WHERE id = ?');
  const subdistrictOfStmt = db.prepare<[string], { subdistrict_id: string | null }>('SELECT subdistrict_id FROM problems WHERE id = ?');
  const rangeStmt = db.prepare<[], { from: string | null; to: string | null }>(`
    SELECT (SELECT reported_at FROM problems ORDER BY reported_ms ASC, id ASC LIMIT 1) AS "from",
           (SELECT reported_at FROM problems ORDER BY reported_ms DESC, id DESC LIMIT 1) AS "to"`);
  const placeCountsStmt = db.prepare(`
    SELECT count(*) AS total,
           coalesce(sum(status NOT IN ('closed', 'rejected')), 0) AS open,
           coalesce(sum(status = 'assigned' AND deadline_ms < @now), 0) AS overdue
    FROM problems WHERE place_id = @placeId`);
  const pointsStmt = db.prepare(`
    SELECT rid, id, lng, lat, category, status, reported_ms, deadline_ms, subdistrict_id, unit_id
    FROM problems ORDER BY rid`);
  const pointsByIdStmt = db.prepare(`
    SELECT rid, id, lng, lat, category, status, reported_ms, deadline_ms, subdistrict_id, unit_id
    FROM problems WHERE id IN (SELECT value FROM json_each(?)) ORDER BY rid`);
  // The status index narrows this to the assigned problems.
  const nextDeadlineStmt = db.prepare("SELECT min(deadline_ms) FROM problems WHERE status = 'assigned' AND deadline_ms >= @now").pluck();
  const extentStmt = db.prepare<[], { w: number | null; s: number; e: number; n: number; total: number; minMs: number; maxMs: number }>(`
    SELECT min(lng) AS w, min(lat) AS s, max(lng) AS e, max(lat) AS n, count(*) AS total,
           min(reported_ms) AS minMs, max(reported_ms) AS maxMs FROM problems`);
  const densityStmt = db.prepare(`
    SELECT min(@g - 1, CAST((lng - @w) / @cw AS INTEGER)) AS gx, min(@g - 1, CAST((lat - @s) / @ch AS INTEGER)) AS gy,
           count(*) AS n
    FROM problems GROUP BY gx, gy`);

  // Kept in the settings table beside the import's stamp: the pass takes ~3 s at a million problems, and
  // every start and every pool worker would otherwise make it again.
  const savedDensity = db.prepare<[], { value: string }>("SELECT value FROM settings WHERE key = 'problem-density'");
  const saveDensity = db.prepare(
    "INSERT INTO settings (key, value, updated_at) VALUES ('problem-density', ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
  );
  const readSavedDensity = (stamp: string | null): Density | null => {
    const row = savedDensity.get();
    if (!row || stamp === null) return null;
    const saved = JSON.parse(row.value) as { stamp: string; value: Omit<Density, 'counts'> & { counts: number[] } };
    return saved.stamp === stamp ? { ...saved.value, counts: Float64Array.from(saved.value.counts) } : null;
  };
  const keepDensity = (stamp: string, value: Density) => {
    try {
      saveDensity.run(JSON.stringify({ stamp, value: { ...value, counts: [...value.counts] } }), new Date().toISOString());
      return true;
    } catch (err) {
      // A busy moment (another connection writing) only costs the next start the pass again.
      if ((err as { code?: string }).code === 'SQLITE_BUSY') return false;
      throw err;
    }
  };
  let density: { stamp: string | null; value: Density | null; kept: boolean } = { stamp: null, value: null, kept: false };
  /** The density grid of the current city, computed once per import (one pass over the table); `keep` saves it (the server's own connection only: workers read). */
  const currentDensity = (keep = false): Density | null => {
    const stamp = cityStamp();
    if (density.stamp !== stamp || !density.value) {
      const saved = readSavedDensity(stamp);
      density = { stamp, value: saved ?? computeDensity(), kept: saved !== null };
    }
    if (keep && !density.kept && stamp !== null && density.value) density.kept = keepDensity(stamp, density.value);
    return density.value;
  };
  const computeDensity = (): Density | null => {
    const ext = extentStmt.get();
    if (!ext || ext.w === null || ext.total === 0) return null;
    const cellW = Math.max((ext.e - ext.w) / DENSITY_GRID, 1e-9);
    const cellH = Math.max((ext.n - ext.s) / DENSITY_GRID, 1e-9);
    const counts = new Float64Array(DENSITY_GRID * DENSITY_GRID);
    const rows = densityStmt.all({ g: DENSITY_GRID, w: ext.w, s: ext.s, cw: cellW, ch: cellH }) as { gx: number; gy: number; n: number }[];
    for (const r of rows) counts[r.gy * DENSITY_GRID + r.gx] += r.n;
    return { w: ext.w, s: ext.s, cellW, cellH, counts, total: ext.total, minMs: ext.minMs, maxMs: ext.maxMs };
  };

  /**
   * True when walking the R*Tree and sorting what it finds is cheaper than walking the newest-first
   * index and skipping problems outside the bbox: the first costs the problems in the box, the second
   * about limit × total / inBox rows (capped by the rows in the time range).
   */
  const preferRTree = (f: ProblemFilter, bbox: BBox, limit: number): boolean => {
    const d = currentDensity();
    if (!d) return true;
    const inBox = estimateInBBox(d, bbox);
    if (inBox < 1) return true;
    const span = d.maxMs - d.minMs;
    const from = Math.max(f.fromMs ?? -Infinity, d.minMs);
    const to = Math.min(f.toMs ?? Infinity, d.maxMs);
    const timeShare = span > 0 ? Math.max(0, Math.min(1, (to - from) / span)) : 1;
    const scanRows = Math.min(d.total * timeShare, (limit * d.total) / inBox);
    return inBox * RTREE_ROW_COST < scanRows;
  };

  type PageOpts = { limit: number; cursor?: ProblemCursor; nowMs: number };
  /** FROM and WHERE of one page's query, and its parameters (`@limit` is the page size plus one). */
  const pageQuery = (filter: ProblemFilter, opts: PageOpts): { from: string; where: string; params: Record<string, unknown> } => {
    const params: Record<string, unknown> = { now: opts.nowMs, limit: opts.limit + 1 };
    const where = problemFilterSql(filter, params);
    if (opts.cursor) {
      // The redundant `<=` lets SQLite start the index range at the cursor.
      where.push('p.reported_ms <= @curMs AND (p.reported_ms < @curMs OR p.id < @curId)');
      params.curMs = opts.cursor.reportedMs;
      params.curId = opts.cursor.id;
    }
    let from = 'problems p';
    const b = filter.bbox;
    if (b) {
      Object.assign(params, { w: b[0], s: b[1], e: b[2], n: b[3] });
      where.push('p.lng BETWEEN @w AND @e AND p.lat BETWEEN @s AND @n');
      if (preferRTree(filter, b, opts.limit)) {
        from = 'problems_rtree r CROSS JOIN problems p ON p.rid = r.rid';
        where.push('r.min_x <= @e AND r.max_x >= @w AND r.min_y <= @n AND r.max_y >= @s');
      }
    }
    return { from, where: where.length ? `WHERE ${where.join(' AND ')}` : '', params };
  };
  /** Cuts a page fetched one row long to `limit`; the cursor of the next page, or null on the last. */
  const cut = <R extends [number, string, ...unknown[]]>(rows: R[], limit: number): ProblemCursor | null => {
    if (rows.length <= limit) return null;
    rows.length = limit;
    const last = rows[limit - 1];
    return { reportedMs: last[0], id: last[1] };
  };
  // The JSON of given problems, joined with commas in the order of `@rids` (a JSON array of rids), as bytes.
  // NOTE: group_concat joins in the order rows reach it, which here is json_each's array order (CROSS JOIN
  // keeps json_each the outer loop); SQLite documents that order as arbitrary without an ORDER BY inside
  // the aggregate, but that ORDER BY sorts the whole 1.2 MB again, a fifth of the query. The API tests
  // compare pages with the text path's, which sorts in SQL.
  const joinedJsonStmt = (redact: boolean) =>
    db
      .prepare(
        `SELECT CAST(group_concat(${redact ? FEATURE_JSON_REDACTED : FEATURE_JSON}, ',') AS BLOB)
         FROM json_each(@rids) AS j CROSS JOIN problems p ON p.rid = j.value`,
      )
      .pluck();
  const joinedJson = { plain: joinedJsonStmt(false), redacted: joinedJsonStmt(true) };

  return {
    /**
     * One page of problems matching `filter`, newest first (reportedAt desc, id desc), starting after
     * `cursor`, each as the JSON text of its API Feature (ProblemFeature). `nowMs` decides which assigned
     * problems are overdue. `next` is the cursor of the next page, or null on the last one.
     */
    queryProblems(
      filter: ProblemFilter,
      opts: { limit: number; cursor?: ProblemCursor; nowMs: number; redact?: boolean },
    ): { features: string[]; next: ProblemCursor | null } {
      const { from, where, params } = pageQuery(filter, opts);
      // Pick the page by rowid first, then write JSON for those rows only: SQLite's sorter would
      // otherwise carry (and build) the JSON of every problem in the bbox.
      const sql = `SELECT p.reported_ms, p.id, ${opts.redact ? FEATURE_JSON_REDACTED : FEATURE_JSON}
        FROM (SELECT p.rid FROM ${from} ${where} ORDER BY p.reported_ms DESC, p.id DESC LIMIT @limit) AS page
        CROSS JOIN problems p ON p.rid = page.rid
        ORDER BY p.reported_ms DESC, p.id DESC`;
      const rows = stmt(sql).all(params) as PageRow[];
      const next = cut(rows, opts.limit);
      return { features: rows.map((r) => r[2]), next };
    },

    /**
     * The same page as `queryProblems`, its features' JSON joined with commas, as UTF-8 bytes (empty for
     * no features). For answers that go out as they are: as a JS string a 2,000-feature page (1.2 MB,
     * much of it Chinese) cost more to decode from SQLite, join, measure and encode again than SQLite
     * takes to write it. The page is picked first (rids and cursor keys only); SQLite then writes and
     * joins the JSON of those rows in one BLOB, so no per-feature value reaches JS either.
     */
    queryProblemsBytes(
      filter: ProblemFilter,
      opts: { limit: number; cursor?: ProblemCursor; nowMs: number; redact?: boolean },
    ): { json: Uint8Array; next: ProblemCursor | null } {
      const { from, where, params } = pageQuery(filter, opts);
      const sql = `SELECT p.reported_ms, p.id, p.rid FROM ${from} ${where} ORDER BY p.reported_ms DESC, p.id DESC LIMIT @limit`;
      const rows = stmt(sql).all(params) as [reportedMs: number, id: string, rid: number][];
      const next = cut(rows, opts.limit);
      if (rows.length === 0) return { json: new Uint8Array(0), next };
      const rids = JSON.stringify(rows.map((r) => r[2]));
      const json = (opts.redact ? joinedJson.redacted : joinedJson.plain).get({ rids, now: opts.nowMs }) as Uint8Array;
      return { json, next };
    },

    /**
     * The first instant at or after `nowMs` at which an assigned problem's deadline falls, or null: until
     * then (inclusive) no problem turns overdue, so every answer that depends on the clock only through
     * `overdue` stays the same.
     */
    nextDeadlineMs(nowMs: number): number | null {
      return (nextDeadlineStmt.get({ now: nowMs }) as number | null | undefined) ?? null;
    },

    /** One problem by id, or null. */
    getProblem(id: string, nowMs: number): ProblemFeature | null {
      const json = byIdStmt.get({ id, now: nowMs }) as string | undefined;
      return json === undefined ? null : (JSON.parse(json) as ProblemFeature);
    },

    /** The unit a problem is assigned to now: null for none, undefined when there is no such problem. */
    problemUnit(id: string): string | null | undefined {
      return unitOfStmt.get(id)?.unit_id;
    },

    /** The subdistrict a problem lies in: null for none, undefined when there is no such problem. */
    problemSubdistrict(id: string): string | null | undefined {
      return subdistrictOfStmt.get(id)?.subdistrict_id;
    },

    /** Earliest and latest reportedAt as stored, or null without problems. */
    problemTimeRange(): { from: string; to: string } | null {
      const r = rangeStmt.get();
      return r && r.from !== null && r.to !== null ? { from: r.from, to: r.to } : null;
    },

    /** Problem counts of one place: all, not closed, overdue at `nowMs`. */
    placeProblemCounts(placeId: string, nowMs: number): ProblemCounts {
      return placeCountsStmt.get({ placeId, now: nowMs }) as ProblemCounts;
    },

    /** Every problem's position and filter fields, in rowid order, for building in-memory indexes. */
    iterateProblemPoints(): IterableIterator<ProblemPointRow> {
      return pointsStmt.raw(true).iterate() as IterableIterator<ProblemPointRow>;
    },

    /** The same fields for the problems `ids` that exist, in rowid order (what the indexes patch after a write). */
    problemPointsByIds(ids: readonly string[]): ProblemPointRow[] {
      return pointsByIdStmt.raw(true).all(JSON.stringify(ids)) as ProblemPointRow[];
    },

    /** Computes the bbox estimate grid now (one pass over the problems, kept for the next start and the workers) instead of on the first bbox query. */
    warmProblemEstimates(): void {
      currentDensity(true);
    },
  };
}
