import type Database from 'better-sqlite3';
import { STRIKES_SQL } from './rankings';

import type { DeductionKind } from '../contract/deductions';

/** A 目标考核 entry as stored. */
export interface DeductionRecord {
  id: number;
  unitId: string;
  year: number;
  kind: DeductionKind;
  points: number;
  reason: string;
  problemId: string | null;
  reverses: number | null;
  reversedBy: number | null;
  at: string;
  atMs: number;
  actor: string;
}

export type NewDeduction = Omit<DeductionRecord, 'id' | 'reversedBy'>;

export interface VetoRecord {
  id: number;
  unitId: string;
  year: number;
  reason: string;
  at: string;
  actor: string;
  liftedAt: string | null;
  liftedBy: string | null;
  liftReason: string | null;
}

export interface NoticeRecord {
  id: number;
  no: string;
  year: number;
  seq: number;
  unitId: string;
  reason: string;
  issuedAt: string;
  issuedBy: string;
  /** The notice's content as issued (JSON text; the service owns its shape). */
  facts: string;
}

/** Per unit and year: its deductions (net of reversals), the entries standing by kind, and how many entries in all. */
export interface DeductionTotals {
  unitId: string;
  deducted: number;
  supervision: number;
  summons: number;
  manual: number;
  entries: number;
}

const DEDUCTION = `d.id, d.unit_id AS unitId, d.year, d.kind, d.points, d.reason, d.problem_id AS problemId, d.reverses,
  d.reversed_by AS reversedBy, d.at, d.at_ms AS atMs, d.actor`;
const VETO = `v.id, v.unit_id AS unitId, v.year, v.reason, v.at, v.actor, v.lifted_at AS liftedAt, v.lifted_by AS liftedBy, v.lift_reason AS liftReason`;
const NOTICE = `n.id, n.no, n.year, n.seq, n.unit_id AS unitId, n.reason, n.issued_at AS issuedAt, n.issued_by AS issuedBy, n.facts`;

/**
 * 目标考核: the per-unit ledger of deductions, the 一票否决 flags and the 问责通报 (migration 20). The ledger is
 * append-only: an entry is cancelled by a reversal entry, never edited (only its `reversed_by` is set).
 * Writes run inside the caller's transaction.
 */
export function consequenceQueries(db: Database.Database) {
  const insert = db.prepare<NewDeduction>(
    `INSERT INTO unit_deductions (unit_id, year, kind, points, reason, problem_id, reverses, at, at_ms, actor)
     VALUES (@unitId, @year, @kind, @points, @reason, @problemId, @reverses, @at, @atMs, @actor)`,
  );
  const markReversed = db.prepare<[number, number]>('UPDATE unit_deductions SET reversed_by = ? WHERE id = ? AND reversed_by IS NULL');
  const byId = db.prepare<[number], DeductionRecord>(`SELECT ${DEDUCTION} FROM unit_deductions d WHERE d.id = ?`);
  const activeAuto = db.prepare<[string], DeductionRecord>(
    `SELECT ${DEDUCTION} FROM unit_deductions d WHERE d.problem_id = ? AND d.kind IN ('supervision', 'summons') AND d.reversed_by IS NULL ORDER BY d.id`,
  );
  const ofUnit = db.prepare<[string, number, number], DeductionRecord>(
    `SELECT ${DEDUCTION} FROM unit_deductions d WHERE d.unit_id = ? AND d.year = ? ORDER BY d.at_ms DESC, d.id DESC LIMIT ?`,
  );
  const standingOfKind = db.prepare<[string, number, string, number], DeductionRecord>(
    `SELECT ${DEDUCTION} FROM unit_deductions d WHERE d.unit_id = ? AND d.year = ? AND d.kind = ? AND d.reversed_by IS NULL
      ORDER BY d.at_ms DESC, d.id DESC LIMIT ?`,
  );
  const TOTALS = 'unit_id AS unitId, deducted, supervision, summons, manual, entries FROM unit_deduction_totals';
  const totals = db.prepare<[number], DeductionTotals>(`SELECT ${TOTALS} WHERE year = ?`);
  const unitTotals = db.prepare<[string, number], DeductionTotals>(`SELECT ${TOTALS} WHERE unit_id = ? AND year = ?`);
  const years = db.prepare<[], { year: number }>('SELECT DISTINCT year FROM unit_deduction_totals UNION SELECT DISTINCT year FROM unit_vetoes ORDER BY 1');

  const activeVeto = db.prepare<[string, number], VetoRecord>(`SELECT ${VETO} FROM unit_vetoes v WHERE v.unit_id = ? AND v.year = ? AND v.lifted_at IS NULL`);
  const vetoesOfYear = db.prepare<[number], VetoRecord>(`SELECT ${VETO} FROM unit_vetoes v WHERE v.year = ? ORDER BY v.id`);
  const vetoesOfUnit = db.prepare<[string, number], VetoRecord>(`SELECT ${VETO} FROM unit_vetoes v WHERE v.unit_id = ? AND v.year = ? ORDER BY v.id`);
  const insertVeto = db.prepare<{ unitId: string; year: number; reason: string; at: string; actor: string }>(
    'INSERT INTO unit_vetoes (unit_id, year, reason, at, actor) VALUES (@unitId, @year, @reason, @at, @actor)',
  );
  const liftVetoStmt = db.prepare<{ id: number; at: string; by: string; reason: string }>(
    'UPDATE unit_vetoes SET lifted_at = @at, lifted_by = @by, lift_reason = @reason WHERE id = @id AND lifted_at IS NULL',
  );

  const nextSeq = db.prepare<[number], { seq: number }>('SELECT coalesce(max(seq), 0) + 1 AS seq FROM accountability_notices WHERE year = ?');
  const insertNotice = db.prepare<Omit<NoticeRecord, 'id'>>(
    `INSERT INTO accountability_notices (no, year, seq, unit_id, reason, issued_at, issued_by, facts)
     VALUES (@no, @year, @seq, @unitId, @reason, @issuedAt, @issuedBy, @facts)`,
  );
  const noticeById = db.prepare<[number], NoticeRecord>(`SELECT ${NOTICE} FROM accountability_notices n WHERE n.id = ?`);
  const noticesOfUnit = db.prepare<[string, number], NoticeRecord>(
    `SELECT ${NOTICE} FROM accountability_notices n WHERE n.unit_id = ? AND n.year = ? ORDER BY n.seq`,
  );
  const noticeCounts = db.prepare<[number], { unitId: string; n: number }>(
    'SELECT unit_id AS unitId, count(*) AS n FROM accountability_notices WHERE year = ? GROUP BY unit_id',
  );

  const sweepMark = db.prepare<[], { sweptMs: number; maxRowid: number }>(
    'SELECT swept_ms AS sweptMs, max_rowid AS maxRowid FROM consequence_sweep WHERE id = 1',
  );
  const putSweepMark = db.prepare<[number, number]>(
    'INSERT INTO consequence_sweep (id, swept_ms, max_rowid) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET swept_ms = excluded.swept_ms, max_rowid = excluded.max_rowid',
  );
  const maxRowid = db.prepare<[], { m: number | null }>('SELECT max(rowid) AS m FROM problems');
  // Cases whose deadline passed since the last sweep, and problems stored since (an import brings cases
  // already late), at the escalation level they have now; the ones without an active entry of that level.
  const escalatedSince = db.prepare<
    { since: number; now: number; rowid: number; level: number; kind: string },
    { problemId: string; unitId: string; deadlineMs: number | null }
  >(`
    SELECT p.id AS problemId, p.unit_id AS unitId, p.deadline_ms AS deadlineMs
      FROM problems p LEFT JOIN problem_workflow w ON w.problem_id = p.id
     WHERE p.rowid IN (SELECT rowid FROM problems WHERE deadline_ms > @since AND deadline_ms <= @now
                       UNION SELECT rowid FROM problems WHERE rowid > @rowid)
       AND p.unit_id IS NOT NULL AND w.merged_into IS NULL AND p.status <> 'rejected'
       AND ${STRIKES_SQL} >= @level
       AND NOT EXISTS (SELECT 1 FROM unit_deductions d WHERE d.problem_id = p.id AND d.kind = @kind AND d.reversed_by IS NULL)`);

  return {
    addDeduction(d: NewDeduction): number {
      return Number(insert.run(d).lastInsertRowid);
    },
    getDeduction(id: number): DeductionRecord | null {
      return byId.get(id) ?? null;
    },
    /** Writes the reversal `r` of entry `r.reverses` and marks that entry (the caller checked it stands). */
    reverseDeduction(r: NewDeduction & { reverses: number }): number {
      const id = Number(insert.run(r).lastInsertRowid);
      if (markReversed.run(id, r.reverses).changes === 0) throw new Error(`deduction ${r.reverses} is reversed already`);
      return id;
    },
    /** A case's automatic entries that stand (not reversed), oldest first. */
    activeEscalationDeductions(problemId: string): DeductionRecord[] {
      return activeAuto.all(problemId);
    },
    /** A unit's latest `limit` entries of a year, newest first. */
    unitDeductions(unitId: string, year: number, limit: number): DeductionRecord[] {
      return ofUnit.all(unitId, year, limit);
    },
    /** A unit's latest `limit` entries of `kind` that stand (not reversed), newest first. */
    standingDeductions(unitId: string, year: number, kind: DeductionKind, limit: number): DeductionRecord[] {
      return standingOfKind.all(unitId, year, kind, limit);
    },
    /** Every unit's totals of a year (units without entries are absent). */
    deductionTotals(year: number): DeductionTotals[] {
      return totals.all(year);
    },
    /** One unit's totals of a year, or null without entries. */
    unitDeductionTotals(unitId: string, year: number): DeductionTotals | null {
      return unitTotals.get(unitId, year) ?? null;
    },
    /** Years with entries or flags, ascending. */
    consequenceYears(): number[] {
      return years.all().map((r) => r.year);
    },
    activeVeto(unitId: string, year: number): VetoRecord | null {
      return activeVeto.get(unitId, year) ?? null;
    },
    vetoesOfYear(year: number): VetoRecord[] {
      return vetoesOfYear.all(year);
    },
    vetoesOfUnit(unitId: string, year: number): VetoRecord[] {
      return vetoesOfUnit.all(unitId, year);
    },
    addVeto(v: { unitId: string; year: number; reason: string; at: string; actor: string }): number {
      return Number(insertVeto.run(v).lastInsertRowid);
    },
    liftVeto(id: number, at: string, by: string, reason: string): boolean {
      return liftVetoStmt.run({ id, at, by, reason }).changes > 0;
    },
    /** The next 问责通报 number of `year` (call inside the transaction that stores it). */
    nextNoticeSeq(year: number): number {
      return nextSeq.get(year)!.seq;
    },
    addNotice(n: Omit<NoticeRecord, 'id'>): number {
      return Number(insertNotice.run(n).lastInsertRowid);
    },
    getNotice(id: number): NoticeRecord | null {
      return noticeById.get(id) ?? null;
    },
    unitNotices(unitId: string, year: number): NoticeRecord[] {
      return noticesOfUnit.all(unitId, year);
    },
    noticeCounts(year: number): Map<string, number> {
      return new Map(noticeCounts.all(year).map((r) => [r.unitId, r.n]));
    },
    /** Where the last deadline sweep stopped; null before the first. */
    sweepMark(): { sweptMs: number; maxRowid: number } | null {
      return sweepMark.get() ?? null;
    },
    setSweepMark(sweptMs: number, maxRowid: number): void {
      putSweepMark.run(sweptMs, maxRowid);
    },
    maxProblemRowid(): number {
      return maxRowid.get()?.m ?? 0;
    },
    /**
     * Cases at escalation `level` (1 督办, 2 约谈) or above as of `now` among those whose deadline passed in
     * (since, now] or stored after `rowid`, without an active entry of `kind`.
     */
    escalatedSince(q: {
      since: number;
      now: number;
      rowid: number;
      level: 1 | 2;
      kind: 'supervision' | 'summons';
    }): { problemId: string; unitId: string; deadlineMs: number | null }[] {
      return escalatedSince.all(q);
    },
  };
}
