import type Database from 'better-sqlite3';
import type { RequestKind, RequestStatus } from '../contract/workflow';

/** A request as stored (times as the ISO text written, `untilMs` epoch ms). */
export interface RequestRecord {
  id: number;
  problemId: string;
  kind: RequestKind;
  reason: string;
  untilMs: number | null;
  unitId: string | null;
  askedBy: string;
  askedAt: string;
  askedMs: number;
  status: RequestStatus;
  decidedBy: string | null;
  decidedAt: string | null;
  note: string | null;
  historySeq: number | null;
}

/** What a new request is stored with. */
export type NewRequest = Pick<RequestRecord, 'problemId' | 'kind' | 'reason' | 'untilMs' | 'unitId' | 'askedBy' | 'askedAt' | 'askedMs'>;

const COLUMNS = `r.id, r.problem_id AS problemId, r.kind, r.reason, r.until_ms AS untilMs, r.unit_id AS unitId, r.asked_by AS askedBy,
  r.asked_at AS askedAt, r.asked_ms AS askedMs, r.status, r.decided_by AS decidedBy, r.decided_at AS decidedAt, r.note, r.history_seq AS historySeq`;

/** 延期, 申诉 and 退单 requests (migration 18). Writes run inside the caller's transaction. */
export function requestQueries(db: Database.Database) {
  const insert = db.prepare<NewRequest>(
    `INSERT INTO problem_requests (problem_id, kind, reason, until_ms, unit_id, asked_by, asked_at, asked_ms)
     VALUES (@problemId, @kind, @reason, @untilMs, @unitId, @askedBy, @askedAt, @askedMs)`,
  );
  const byId = db.prepare<[number], RequestRecord>(`SELECT ${COLUMNS} FROM problem_requests r WHERE r.id = ?`);
  const ofProblem = db.prepare<[string], RequestRecord>(`SELECT ${COLUMNS} FROM problem_requests r WHERE r.problem_id = ? ORDER BY r.id`);
  const decideStmt = db.prepare<{ id: number; status: RequestStatus; by: string; at: string; note: string; seq: number | null }>(
    `UPDATE problem_requests SET status = @status, decided_by = @by, decided_at = @at, note = @note, history_seq = @seq WHERE id = @id AND status = 'open'`,
  );
  const lapseStmt = db.prepare<{ problemId: string; kinds: string; at: string; note: string }>(
    `UPDATE problem_requests SET status = 'lapsed', decided_by = NULL, decided_at = @at, note = @note
      WHERE problem_id = @problemId AND status = 'open' AND kind IN (SELECT value FROM json_each(@kinds))`,
  );
  // `sds`: a district account's subdistricts (JSON), or NULL for the whole city.
  const listStmt = db.prepare<{ status: RequestStatus; kind: RequestKind | null; unit: string | null; sds: string | null }, RequestRecord>(
    `SELECT ${COLUMNS} FROM problem_requests r
       JOIN problems p ON p.id = r.problem_id
      WHERE r.status = @status AND (@kind IS NULL OR r.kind = @kind) AND (@unit IS NULL OR p.unit_id = @unit OR r.unit_id = @unit)
        AND (@sds IS NULL OR p.subdistrict_id IN (SELECT value FROM json_each(@sds)))
      ORDER BY r.asked_ms, r.id LIMIT 500`,
  );
  const countStmt = db.prepare<{ status: RequestStatus; unit: string | null; sds: string | null }, { kind: RequestKind; n: number }>(
    `SELECT r.kind, count(*) AS n FROM problem_requests r JOIN problems p ON p.id = r.problem_id
      WHERE r.status = @status AND (@unit IS NULL OR p.unit_id = @unit OR r.unit_id = @unit) AND (@sds IS NULL OR p.subdistrict_id IN (SELECT value FROM json_each(@sds))) GROUP BY r.kind`,
  );
  const reviewsDue = db.prepare<
    { now: number; unit: string | null; sds: string | null },
    { problemId: string; reviewMs: number; unitId: string | null; plan: string | null }
  >(
    `SELECT p.id AS problemId, w.review_ms AS reviewMs, p.unit_id AS unitId,
        (SELECT h.note FROM problem_history h WHERE h.problem_id = p.id AND h.action = 'hold' ORDER BY h.seq DESC LIMIT 1) AS plan
       FROM problems p JOIN problem_workflow w ON w.problem_id = p.id
      WHERE p.status = 'held' AND w.review_ms IS NOT NULL AND w.review_ms <= @now AND (@unit IS NULL OR p.unit_id = @unit) AND (@sds IS NULL OR p.subdistrict_id IN (SELECT value FROM json_each(@sds)))
      ORDER BY w.review_ms, p.id LIMIT 500`,
  );
  return {
    /** Held (挂账) cases whose review date has come, the earliest first, with the plan they were held with; at most 500. */
    heldReviewsDue(nowMs: number, unit: string | null = null, subdistricts: readonly string[] | null = null) {
      return reviewsDue.all({ now: nowMs, unit, sds: subdistricts && JSON.stringify(subdistricts) });
    },
    /** Stores a new open request; answers its id. */
    addRequest(r: NewRequest): number {
      return Number(insert.run(r).lastInsertRowid);
    },
    getRequest(id: number): RequestRecord | null {
      return byId.get(id) ?? null;
    },
    /** A case's requests, oldest first. */
    problemRequests(problemId: string): RequestRecord[] {
      return ofProblem.all(problemId);
    },
    /** Closes an open request with the decision; false when it was no longer open. */
    decideRequest(id: number, d: { status: 'approved' | 'refused'; by: string; at: string; note: string; seq: number | null }): boolean {
      return decideStmt.run({ id, ...d }).changes > 0;
    },
    /** Lapses the case's open requests of `kinds` (the case moved on); answers how many. */
    lapseRequests(problemId: string, kinds: readonly RequestKind[], at: string, note: string): number {
      return lapseStmt.run({ problemId, kinds: JSON.stringify(kinds), at, note }).changes;
    },
    /** Requests in `status` (of one kind, of one unit's cases), oldest first, at most 500; and the counts by kind. */
    listRequests(q: { status: RequestStatus; kind?: RequestKind; unit?: string | null; subdistricts?: readonly string[] | null }): {
      rows: RequestRecord[];
      counts: Record<RequestKind, number>;
    } {
      const unit = q.unit ?? null;
      const sds = q.subdistricts ? JSON.stringify(q.subdistricts) : null;
      const counts: Record<RequestKind, number> = { extension: 0, appeal: 0, return: 0 };
      for (const c of countStmt.all({ status: q.status, unit, sds })) counts[c.kind] = c.n;
      return { rows: listStmt.all({ status: q.status, kind: q.kind ?? null, unit, sds }), counts };
    },
  };
}
