import type Database from 'better-sqlite3';
import type { BBox } from '../contract/geo';
import type { ProblemProps, ProblemStatus } from '../contract/problems';
import type { HistoryAction } from '../contract/workflow';
import type { RejectReason } from '../contract/problem-status';
import type { NearbyProblem } from '../workflow/nearby';
import type { WorkflowState } from '../workflow/state-machine';
import { bumpRevision } from './revisions';
import { searchTokens } from './search-text';

/** A problem row with its workflow extras. `strikes` is null while the problem has no workflow row. */
export interface WorkflowRow {
  rid: number;
  lng: number;
  lat: number;
  props: ProblemProps;
  strikes: number | null;
  mergedInto: string | null;
  hasHistory: boolean;
  /** Held: the review date (epoch ms); rejected: why. */
  reviewMs: number | null;
  rejectReason: RejectReason | null;
}

/** A history row as stored. */
export interface StoredHistoryRow {
  seq: number;
  problemId: string;
  at: string;
  atMs: number;
  action: HistoryAction;
  from: ProblemStatus | null;
  to: ProblemStatus;
  actor: string;
  note: string;
  unitId: string | null;
  deadline: string | null;
  data: Record<string, unknown> | null;
  derived: boolean;
}

export type NewHistoryRow = Omit<StoredHistoryRow, 'seq'>;

/** A new problem as intake writes it. */
export interface ProblemInsert {
  lng: number;
  lat: number;
  props: ProblemProps;
  /** Text the ledger's full-text search finds it by besides the description (place name, address). */
  location: string;
}

/** A place near a point, for linking a new report. */
export interface PlaceCandidate {
  id: string;
  kind: 'market' | 'community' | 'back-street';
  name: string;
  address: string | null;
  subdistrictId: string | null;
  unitId: string | null;
  geometry: string;
}

const PROBLEM_COLUMNS = `p.rid, p.id, p.lng, p.lat, p.category, p.description, p.status, p.reported_at, p.assigned_at, p.deadline,
  p.rectified_at, p.closed_at, p.subdistrict_id, p.unit_id, p.place_id, p.recurrence_of, p.notice_no, p.source, p.reporter`;

type ProblemRow = {
  rid: number;
  id: string;
  lng: number;
  lat: number;
  category: string;
  description: string;
  status: ProblemStatus;
  reported_at: string;
  assigned_at: string | null;
  deadline: string | null;
  rectified_at: string | null;
  closed_at: string | null;
  subdistrict_id: string | null;
  unit_id: string | null;
  place_id: string | null;
  recurrence_of: string | null;
  notice_no: string | null;
  source: ProblemProps['source'];
  reporter: string;
};

function toProps(r: ProblemRow): ProblemProps {
  return {
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
  };
}

/** Reads and writes of the workflow: problem state, history, intake lookups. The writes run inside `transaction`. */
export function workflowQueries(db: Database.Database, cityStamp: () => string | null) {
  const rowStmt = db.prepare<
    [string],
    ProblemRow & { strikes: number | null; merged_into: string | null; has_history: number; review_ms: number | null; reject_reason: RejectReason | null }
  >(`
    SELECT ${PROBLEM_COLUMNS}, w.strikes, w.merged_into, w.review_ms, w.reject_reason,
      EXISTS (SELECT 1 FROM problem_history h WHERE h.problem_id = p.id) AS has_history
    FROM problems p LEFT JOIN problem_workflow w ON w.problem_id = p.id WHERE p.id = ?`);
  const historyStmt = db.prepare<[string], Record<string, unknown>>('SELECT * FROM problem_history WHERE problem_id = ? ORDER BY seq');
  const insertHistory = db.prepare(`INSERT INTO problem_history
    (problem_id, at, at_ms, action, from_status, to_status, actor, note, unit_id, deadline, data, derived)
    VALUES (@problemId, @at, @atMs, @action, @from, @to, @actor, @note, @unitId, @deadline, @data, @derived)`);
  const updateProblem = db.prepare(`UPDATE problems SET status = @status, unit_id = @unitId, assigned_at = @assignedAt,
    deadline = @deadline, deadline_ms = @deadlineMs, rectified_at = @rectifiedAt, closed_at = @closedAt, notice_no = @noticeNo
    WHERE id = @id`);
  const upsertWorkflow = db.prepare(`INSERT INTO problem_workflow (problem_id, strikes, merged_into, review_ms, reject_reason)
    VALUES (@id, @strikes, @mergedInto, @reviewMs, @rejectReason)
    ON CONFLICT (problem_id) DO UPDATE SET strikes = excluded.strikes, merged_into = coalesce(excluded.merged_into, merged_into),
      review_ms = excluded.review_ms, reject_reason = excluded.reject_reason`);
  const noticePrefixStmt = db.prepare<[], { notice_no: string }>(
    'SELECT notice_no FROM problems WHERE notice_no IS NOT NULL ORDER BY assigned_at DESC LIMIT 1',
  );
  const noticeScanStmt = db.prepare<{ head: string }, { n: number | null }>(
    "SELECT max(CAST(substr(notice_no, length(@head) + 1) AS INTEGER)) AS n FROM problems WHERE notice_no LIKE @head || '%'",
  );
  const counterGet = db.prepare<[string], { last: number }>('SELECT last FROM notice_counters WHERE head = ?');
  const counterPut = db.prepare('INSERT INTO notice_counters (head, last) VALUES (?, ?) ON CONFLICT (head) DO UPDATE SET last = excluded.last');
  // The notice prefix of the imported city (`DC`, `JK` …): read once per import.
  let noticePrefix: { stamp: string | null; prefix: string } | null = null;
  const maxIdStmt = db.prepare<[], { n: number | null; w: number | null }>(
    "SELECT max(CAST(substr(id, 2) AS INTEGER)) AS n, max(length(id)) - 1 AS w FROM problems WHERE id GLOB 'p[0-9]*'",
  );
  const insertProblem = db.prepare(`INSERT INTO problems (id, lng, lat, category, description, status, reported_at, reported_ms,
    assigned_at, deadline, deadline_ms, rectified_at, closed_at, subdistrict_id, unit_id, place_id, recurrence_of, notice_no, source, reporter)
    VALUES (@id, @lng, @lat, @category, @description, @status, @reportedAt, @reportedMs, @assignedAt, @deadline, @deadlineMs,
    @rectifiedAt, @closedAt, @subdistrictId, @unitId, @placeId, @recurrenceOf, @noticeNo, @source, @reporter)`);
  const insertRtree = db.prepare('INSERT INTO problems_rtree (rid, min_x, max_x, min_y, max_y) VALUES (?, ?, ?, ?, ?)');
  const insertSearch = db.prepare('INSERT INTO problems_search (rowid, t) VALUES (?, ?)');
  const nearbyStmt = db.prepare<
    Record<string, number>,
    { id: string; category: string; status: ProblemStatus; lng: number; lat: number; closed_at: string | null }
  >(`
    SELECT p.id, p.category, p.status, p.lng, p.lat, p.closed_at FROM problems_rtree r CROSS JOIN problems p ON p.rid = r.rid
    WHERE r.min_x <= @e AND r.max_x >= @w AND r.min_y <= @n AND r.max_y >= @s`);
  const subdistrictStmt = db.prepare<Record<string, number>, { id: string; geometry: string }>(`
    SELECT t.id, t.geometry FROM subdistricts_rtree r CROSS JOIN subdistricts t ON t.rid = r.rid
    WHERE r.min_x <= @x AND r.max_x >= @x AND r.min_y <= @y AND r.max_y >= @y ORDER BY t.rid`);
  const placesStmt = db.prepare<
    Record<string, number>,
    { id: string; kind: PlaceCandidate['kind']; name: string; address: string | null; subdistrict_id: string | null; unit_id: string | null; geometry: string }
  >(`
    SELECT t.id, t.kind, t.name, t.address, t.subdistrict_id, t.unit_id, t.geometry FROM places_rtree r CROSS JOIN places t ON t.rid = r.rid
    WHERE r.min_x <= @e AND r.max_x >= @w AND r.min_y <= @n AND r.max_y >= @s AND t.retired_at IS NULL ORDER BY t.rid`);
  const unitsOfStmt = db.prepare<[string], { id: string; type: string }>('SELECT id, type FROM units WHERE subdistrict_id = ? ORDER BY id');
  const unitStmt = db.prepare<[string], { id: string }>('SELECT id FROM units WHERE id = ?');
  const lookBacksStmt = db.prepare<
    [],
    { id: string; lng: number; lat: number; category: string; place_id: string | null; unit_id: string | null; rectified_at: string }
  >("SELECT id, lng, lat, category, place_id, unit_id, rectified_at FROM problems WHERE status = 'rectified' ORDER BY rectified_at, id");
  const idemGet = db.prepare<[string], { status: number; body: string; fingerprint: string }>(
    'SELECT status, body, fingerprint FROM idempotency_keys WHERE key = ?',
  );
  const idemPut = db.prepare('INSERT INTO idempotency_keys (key, fingerprint, status, body, created_at) VALUES (?, ?, ?, ?, ?)');

  return {
    /** Runs `fn` in one write transaction (BEGIN IMMEDIATE): reads inside see a state no one else changes. */
    transaction<T>(fn: () => T): T {
      return db.transaction(fn).immediate();
    },

    /** One problem with its workflow extras, or null. */
    workflowRow(id: string): WorkflowRow | null {
      const r = rowStmt.get(id);
      if (!r) return null;
      return {
        rid: r.rid,
        lng: r.lng,
        lat: r.lat,
        props: toProps(r),
        strikes: r.strikes,
        mergedInto: r.merged_into,
        hasHistory: r.has_history === 1,
        reviewMs: r.review_ms,
        rejectReason: r.reject_reason,
      };
    },

    /** A problem's stored history, oldest first (empty for an imported problem never changed here). */
    storedHistory(id: string): StoredHistoryRow[] {
      return historyStmt.all(id).map((r) => ({
        seq: r.seq as number,
        problemId: r.problem_id as string,
        at: r.at as string,
        atMs: r.at_ms as number,
        action: r.action as HistoryAction,
        from: r.from_status as ProblemStatus | null,
        to: r.to_status as ProblemStatus,
        actor: r.actor as string,
        note: r.note as string,
        unitId: r.unit_id as string | null,
        deadline: r.deadline as string | null,
        data: r.data === null ? null : (JSON.parse(r.data as string) as Record<string, unknown>),
        derived: r.derived === 1,
      }));
    },

    /** Appends one history row; returns its seq. Call inside `transaction`. */
    appendHistory(row: NewHistoryRow): number {
      const info = insertHistory.run({ ...row, data: row.data === null ? null : JSON.stringify(row.data), derived: row.derived ? 1 : 0 });
      return Number(info.lastInsertRowid);
    },

    /**
     * Writes a problem's new workflow state (problems row, strikes, merge) and bumps the problems
     * revision. Call inside `transaction`.
     */
    writeWorkflowState(id: string, s: WorkflowState, iso: (ms: number | null) => string | null, mergedInto: string | null = null): void {
      updateProblem.run({
        id,
        status: s.status,
        unitId: s.unitId,
        assignedAt: iso(s.assignedMs),
        deadline: iso(s.deadlineMs),
        deadlineMs: s.deadlineMs,
        rectifiedAt: iso(s.rectifiedMs),
        closedAt: iso(s.closedMs),
        noticeNo: s.noticeNo,
      });
      upsertWorkflow.run({ id, strikes: s.strikes, mergedInto, reviewMs: s.reviewMs, rejectReason: s.rejectReason });
      bumpRevision(db, 'problems', id);
    },

    /**
     * The next 整改通知单 number of `year`: the prefix of the latest notice in the store (`DC`, `JK` …;
     * `ZG` when there is none) and one more than the highest number of that prefix and year. Call inside
     * the transaction that assigns (the counter it moves rolls back with it).
     */
    nextNoticeNo(year: number): string {
      const stamp = cityStamp();
      if (!noticePrefix || noticePrefix.stamp !== stamp) {
        const latest = noticePrefixStmt.get()?.notice_no;
        noticePrefix = { stamp, prefix: latest && /^[A-Z]+-\d{4}-\d+$/.test(latest) ? latest.split('-')[0] : 'ZG' };
      }
      const head = `${noticePrefix.prefix}-${year}-`;
      // The first number of a prefix and year after an import scans the table once; later ones use the counter.
      const last = counterGet.get(head)?.last ?? noticeScanStmt.get({ head })?.n ?? 0;
      counterPut.run(head, last + 1);
      return `${head}${String(last + 1).padStart(6, '0')}`;
    },

    /** The next problem id: `p` and one more than the highest number, as wide as the existing ids (at least 6). */
    nextProblemId(): string {
      const r = maxIdStmt.get();
      const n = (r?.n ?? 0) + 1;
      return `p${String(n).padStart(Math.max(6, r?.w ?? 0), '0')}`;
    },

    /** Inserts a new problem (row, R*Tree, full-text) and bumps the revision. Call inside `transaction`. */
    insertProblem(p: ProblemInsert): number {
      const q = p.props;
      const info = insertProblem.run({
        ...q,
        lng: p.lng,
        lat: p.lat,
        reportedMs: Date.parse(q.reportedAt),
        deadlineMs: q.deadline === null ? null : Date.parse(q.deadline),
      });
      const rid = Number(info.lastInsertRowid);
      insertRtree.run(rid, p.lng, p.lng, p.lat, p.lat);
      insertSearch.run(rid, searchTokens(q.description, p.location));
      bumpRevision(db, 'problems', q.id);
      return rid;
    },

    /** Problems inside `bbox` (R*Tree), with what duplicate and recurrence checks need. */
    problemsNear(bbox: BBox): NearbyProblem[] {
      return nearbyStmt.all({ w: bbox[0], s: bbox[1], e: bbox[2], n: bbox[3] }).map((r) => ({
        id: r.id,
        category: r.category,
        status: r.status,
        lng: r.lng,
        lat: r.lat,
        closedMs: r.closed_at === null ? null : Date.parse(r.closed_at),
      }));
    },

    /** Subdistricts whose bbox holds the point (R*Tree); the caller tests the polygons. */
    subdistrictCandidates(lng: number, lat: number): { id: string; geometry: string }[] {
      return subdistrictStmt.all({ x: lng, y: lat });
    },

    /** Markets, communities and back streets whose bbox meets `bbox`. */
    placeCandidates(bbox: BBox): PlaceCandidate[] {
      return placesStmt.all({ w: bbox[0], s: bbox[1], e: bbox[2], n: bbox[3] }).map((r) => ({
        id: r.id,
        kind: r.kind,
        name: r.name,
        address: r.address,
        subdistrictId: r.subdistrict_id,
        unitId: r.unit_id,
        geometry: r.geometry,
      }));
    },

    /** Units of one subdistrict (office, squad, …). */
    unitsOfSubdistrict(subdistrictId: string): { id: string; type: string }[] {
      return unitsOfStmt.all(subdistrictId);
    },

    /** Rectified problems waiting for their look-back, longest waiting first. */
    lookBacksDue(): { id: string; lngLat: [number, number]; category: string; placeId: string | null; unitId: string | null; rectifiedAt: string }[] {
      return lookBacksStmt
        .all()
        .map((r) => ({ id: r.id, lngLat: [r.lng, r.lat], category: r.category, placeId: r.place_id, unitId: r.unit_id, rectifiedAt: r.rectified_at }));
    },

    /** The first response stored under an Idempotency-Key, or null. */
    idempotentResponse(key: string): { status: number; body: string; fingerprint: string } | null {
      return idemGet.get(key) ?? null;
    },

    /** Stores the response of a key's first request; call inside the transaction that made it. */
    putIdempotentResponse(key: string, fingerprint: string, status: number, body: string, at: string): void {
      idemPut.run(key, fingerprint, status, body, at);
    },

    /** True when a unit with this id exists. */
    unitExists(id: string): boolean {
      return unitStmt.get(id) !== undefined;
    },
  };
}
