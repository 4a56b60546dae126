import type Database from 'better-sqlite3';
import { bboxCoverage, type BBox } from '../geo/bbox';
import type { ProblemCounts } from '../schemas/places';
import type { ProblemCursor, ProblemFeature, ProblemFilter, ProblemStatus } from '../schemas/problems';

/**
 * Below this share of the city's area a bbox query walks the R*Tree and sorts what it finds; above it,
 * walking the newest-first index and skipping points outside the box reaches `limit` rows sooner.
 * (With N problems and a page of L, the two cost the same near a share of sqrt(L / N); 5 % fits
 * 5,000 of 1,000,000.)
 */
const RTREE_MAX_COVERAGE = 0.05;

interface ProblemRow {
  rid: number;
  id: string;
  lng: number;
  lat: number;
  category: string;
  description: string;
  status: ProblemStatus;
  reported_at: string;
  reported_ms: number;
  assigned_at: string | null;
  deadline: string | null;
  rectified_at: string | null;
  closed_at: string | null;
  subdistrict_id: string | null;
  unit_id: string | null;
  place_id: string | null;
  recurrence_of: string | null;
  notice_no: string | null;
  source: ProblemFeature['properties']['source'];
  reporter: string;
  overdue: 0 | 1;
}

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

const SELECT_COLUMNS = `p.rid, p.id, p.lng, p.lat, p.category, p.description, p.status, p.reported_at, p.reported_ms,
  p.assigned_at, p.deadline, p.rectified_at, p.closed_at, p.subdistrict_id, p.unit_id, p.place_id,
  p.recurrence_of, p.notice_no, p.source, p.reporter,
  (p.status = 'assigned' AND p.deadline_ms < @now) AS overdue`;

/** Problem row → API feature (data/README.md properties plus `overdue`). */
function toFeature(r: ProblemRow): ProblemFeature {
  return {
    type: 'Feature',
    id: r.id,
    geometry: { type: 'Point', coordinates: [r.lng, r.lat] },
    properties: {
      id: r.id,
      category: r.category,
      description: r.description,
      status: r.status,
      reportedAt: r.reported_at,
      assignedAt: r.assigned_at,
      deadline: r.deadline,
      rectifiedAt: r.rectified_at,
      closedAt: r.closed_at,
      subdistrictId: r.subdistrict_id,
      unitId: r.unit_id,
      placeId: r.place_id,
      recurrenceOf: r.recurrence_of,
      noticeNo: r.notice_no,
      source: r.source,
      reporter: r.reporter,
      overdue: r.overdue === 1,
    },
  };
}

/**
 * SQL conditions and named parameters for a filter (bbox excluded: the caller picks R*Tree or columns).
 * Every value is a bound parameter; lists get numbered names.
 */
function filterSql(f: ProblemFilter, params: Record<string, unknown>): string[] {
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
  if (f.statuses || f.overdue) {
    const parts: string[] = [];
    if (f.statuses?.length) parts.push(`p.status IN (${list('st', f.statuses)})`);
    if (f.overdue) parts.push(`(p.status = 'assigned' AND p.deadline_ms < @now)`);
    where.push(parts.length ? `(${parts.join(' OR ')})` : '0');
  }
  return where;
}

/** Reads of the problems table. */
export function problemQueries(db: Database.Database, cityBBox: () => BBox | null) {
  const statements = new Map<string, Database.Statement>();
  const stmt = (sql: string) => {
    let s = statements.get(sql);
    if (!s) statements.set(sql, (s = db.prepare(sql)));
    return s;
  };
  const byIdStmt = db.prepare(`SELECT ${SELECT_COLUMNS} FROM problems p WHERE p.id = @id`);
  const rangeStmt = db.prepare<[], { from: string | null; to: string | null }>(`
    SELECT (SELECT reported_at FROM problems ORDER BY reported_ms ASC, id ASC LIMIT 1) AS "from",
           (SELECT reported_at FROM problems ORDER BY reported_ms DESC, id DESC LIMIT 1) AS "to"`);
  const placeCountsStmt = db.prepare(`
    SELECT count(*) AS total,
           coalesce(sum(status <> 'closed'), 0) AS open,
           coalesce(sum(status = 'assigned' AND deadline_ms < @now), 0) AS overdue
    FROM problems WHERE place_id = @placeId`);
  const pointsStmt = db.prepare(`
    SELECT rid, id, lng, lat, category, status, reported_ms, deadline_ms, subdistrict_id, unit_id
    FROM problems ORDER BY rid`);

  return {
    /**
     * One page of problems matching `filter`, newest first (reportedAt desc, id desc), starting after
     * `cursor`. `nowMs` decides which assigned problems are overdue. `next` is the cursor of the next page,
     * or null on the last one.
     */
    queryProblems(
      filter: ProblemFilter,
      opts: { limit: number; cursor?: ProblemCursor; nowMs: number },
    ): { features: ProblemFeature[]; next: ProblemCursor | null } {
      const params: Record<string, unknown> = { now: opts.nowMs, limit: opts.limit + 1 };
      const where = filterSql(filter, params);
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
        const city = cityBBox();
        if (city && bboxCoverage(b, city) < RTREE_MAX_COVERAGE) {
          from = 'problems_rtree r CROSS JOIN problems p ON p.rid = r.rid';
          where.push('r.min_x <= @e AND r.max_x >= @w AND r.min_y <= @n AND r.max_y >= @s');
        }
      }
      const sql = `SELECT ${SELECT_COLUMNS} FROM ${from}
        ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY p.reported_ms DESC, p.id DESC LIMIT @limit`;
      const rows = stmt(sql).all(params) as ProblemRow[];
      let next: ProblemCursor | null = null;
      if (rows.length > opts.limit) {
        rows.length = opts.limit;
        const last = rows[rows.length - 1];
        next = { reportedMs: last.reported_ms, id: last.id };
      }
      return { features: rows.map(toFeature), next };
    },

    /** One problem by id, or null. */
    getProblem(id: string, nowMs: number): ProblemFeature | null {
      const row = byIdStmt.get({ id, now: nowMs }) as ProblemRow | undefined;
      return row ? toFeature(row) : null;
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
  };
}
