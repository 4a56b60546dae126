import type Database from 'better-sqlite3';
import type { FilterArea } from '../contract/problem-filter';
import { areaCondition, areaSql } from './area-sql';
import { OVERDUE_SQL } from './problems';

/** Counts per subdistrict or unit over problems reported in a period (rankings.ts service turns them into rates). */
export interface RankingCounts {
  id: string;
  found: number;
  recurrences: number;
  /** Assigned problems whose deadline has passed or that were rectified: the ones that could be on time. */
  due: number;
  onTime: number;
  /** Due problems rectified (in time or not). */
  handled: number;
  overdue: number;
  /** Closed problems (a look-back passed) and failed look-backs. */
  passes: number;
  fails: number;
  /** Problems at 督办单 (1+ strikes) and at 约谈 (2+ strikes) now. */
  supervision: number;
  summons: number;
  /** Cases with an approved extension, and approved returns (by the unit that returned: the one asked of). */
  extensions: number;
  returns: number;
}

/** Problem strikes now, in SQL (the state machine's `escalation`, for imported and stored rows alike). */
export const STRIKES_SQL = `(coalesce(w.strikes, CASE WHEN p.rectified_at IS NOT NULL AND p.deadline_ms IS NOT NULL
    AND unixepoch(p.rectified_at) * 1000 > p.deadline_ms THEN 1 ELSE 0 END)
  + ${OVERDUE_SQL})`;

/** Group-by queries behind GET /api/rankings. */
export function rankingQueries(db: Database.Database) {
  const counts = (column: 'subdistrict_id' | 'unit_id', area = '1') =>
    db.prepare<Record<string, unknown>, Omit<RankingCounts, 'extensions' | 'returns'>>(`
      SELECT p.${column} AS id, count(*) AS found,
        coalesce(sum(p.recurrence_of IS NOT NULL), 0) AS recurrences,
        coalesce(sum(p.deadline_ms IS NOT NULL AND (p.rectified_at IS NOT NULL OR p.deadline_ms < @now)), 0) AS due,
        coalesce(sum(p.rectified_at IS NOT NULL AND p.deadline_ms IS NOT NULL AND unixepoch(p.rectified_at) * 1000 <= p.deadline_ms), 0) AS onTime,
        coalesce(sum(p.rectified_at IS NOT NULL AND p.deadline_ms IS NOT NULL), 0) AS handled,
        coalesce(sum(${OVERDUE_SQL}), 0) AS overdue,
        coalesce(sum(p.status = 'closed'), 0) AS passes,
        coalesce(sum((SELECT count(*) FROM problem_history h WHERE h.problem_id = p.id AND h.action = 'fail')), 0) AS fails,
        coalesce(sum(${STRIKES_SQL} >= 1), 0) AS supervision,
        coalesce(sum(${STRIKES_SQL} >= 2), 0) AS summons
      FROM problems p LEFT JOIN problem_workflow w ON w.problem_id = p.id
      WHERE p.reported_ms >= @from AND p.reported_ms <= @to AND p.${column} IS NOT NULL
        -- A duplicate merged into another problem is not a problem of its own, nor is a report not filed.
        AND w.merged_into IS NULL AND p.status <> 'rejected' AND ${area}
      GROUP BY p.${column}`);
  // A returned case is the returning unit's figure, whoever has it now; an extension the case's group's.
  const decided = (group: string, area = '1') =>
    db.prepare<Record<string, unknown>, { id: string; extensions: number; returns: number }>(`
      SELECT ${group} AS id,
        count(DISTINCT CASE WHEN r.kind = 'extension' THEN p.id END) AS extensions,
        coalesce(sum(r.kind = 'return'), 0) AS returns
      FROM problem_requests r JOIN problems p ON p.id = r.problem_id
      WHERE r.status = 'approved' AND r.kind IN ('extension', 'return') AND p.reported_ms >= @from AND p.reported_ms <= @to
        AND ${group} IS NOT NULL AND ${area}
      GROUP BY ${group}`);
  const decidedBy = {
    subdistrict: decided('p.subdistrict_id'),
    unit: decided('r.unit_id'),
    inAreaSubdistrict: decided('p.subdistrict_id', areaCondition()),
    inAreaUnit: decided('r.unit_id', areaCondition()),
  };
  const bySubdistrict = counts('subdistrict_id');
  const byUnit = counts('unit_id');
  const inAreaBySubdistrict = counts('subdistrict_id', areaCondition());
  const inAreaByUnit = counts('unit_id', areaCondition());
  const pointsBySubdistrict = db.prepare<[], { id: string; n: number }>(
    'SELECT subdistrict_id AS id, count(*) AS n FROM places WHERE subdistrict_id IS NOT NULL AND retired_at IS NULL GROUP BY subdistrict_id',
  );
  const pointsByUnit = db.prepare<[], { id: string; n: number }>(
    'SELECT unit_id AS id, count(*) AS n FROM places WHERE unit_id IS NOT NULL AND retired_at IS NULL GROUP BY unit_id',
  );
  const visits = (column: 'subdistrict_id' | 'unit_id') =>
    db.prepare<[number, number], { id: string; n: number }>(`
      SELECT pl.${column} AS id, count(*) AS n FROM check_results c JOIN places pl ON pl.id = c.point_id
      WHERE c.at_ms >= ? AND c.at_ms <= ? AND pl.${column} IS NOT NULL GROUP BY pl.${column}`);
  const visitsBySubdistrict = visits('subdistrict_id');
  const visitsByUnit = visits('unit_id');
  return {
    /** Check results recorded at the group's inspection points in [fromMs, toMs]: how often they were walked. */
    visitCounts(by: 'subdistrict' | 'unit', fromMs: number, toMs: number): Map<string, number> {
      return new Map((by === 'subdistrict' ? visitsBySubdistrict : visitsByUnit).all(fromMs, toMs).map((r) => [r.id, r.n]));
    },
    /**
     * Counts per group of problems reported in [fromMs, toMs] (and inside `area`, when given), with overdue
     * and strikes as of `nowMs`.
     */
    rankingCounts(by: 'subdistrict' | 'unit', fromMs: number, toMs: number, nowMs: number, area?: FilterArea): RankingCounts[] {
      const params: Record<string, unknown> = { from: fromMs, to: toMs, now: nowMs };
      if (area && areaSql(area, params) === '0') return [];
      const rows = (area ? (by === 'subdistrict' ? inAreaBySubdistrict : inAreaByUnit) : by === 'subdistrict' ? bySubdistrict : byUnit).all(params);
      const requests = (area ? decidedBy[by === 'subdistrict' ? 'inAreaSubdistrict' : 'inAreaUnit'] : decidedBy[by]).all(params);
      const byId = new Map(rows.map((r) => [r.id, { ...r, extensions: 0, returns: 0 }]));
      for (const q of requests) {
        const row = byId.get(q.id);
        if (row) Object.assign(row, { extensions: q.extensions, returns: q.returns });
        // A unit that returned every case it was given has none left in the period, but its returns count.
        else
          byId.set(q.id, {
            found: 0,
            recurrences: 0,
            due: 0,
            onTime: 0,
            handled: 0,
            overdue: 0,
            passes: 0,
            fails: 0,
            supervision: 0,
            summons: 0,
            ...q,
          });
      }
      return [...byId.values()];
    },
    /** Inspection points (markets, communities, back streets) per subdistrict or per unit. */
    pointCounts(by: 'subdistrict' | 'unit'): Map<string, number> {
      return new Map((by === 'subdistrict' ? pointsBySubdistrict : pointsByUnit).all().map((r) => [r.id, r.n]));
    },
  };
}
