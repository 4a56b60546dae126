import type Database from 'better-sqlite3';
import type { ScoringCheck, ScoringPoint, ScoringProblem } from '../analytics/assessment-score';

/** The rows assessment scoring reads (server/analytics/assessment-score.ts): points, checks, problems at points. */
export function assessmentQueries(db: Database.Database) {
  const pointsStmt = db.prepare<[], ScoringPoint>(
    'SELECT id, name, kind AS typeId, subdistrict_id AS subdistrictId, unit_id AS unitId FROM places WHERE retired_at IS NULL ORDER BY rid',
  );
  const checksStmt = db.prepare<[number, number], { id: string; pointId: string; atMs: number; items: string }>(
    'SELECT id, point_id AS pointId, at_ms AS atMs, items FROM check_results WHERE at_ms >= ? AND at_ms <= ? ORDER BY at_ms, id',
  );
  // Reported by the window's end and not closed before its start: the ones that can be open in it.
  const problemsStmt = db.prepare<[number], { id: string; pointId: string; category: string; reportedMs: number; closedAt: string | null }>(
    `SELECT id, place_id AS pointId, category, reported_ms AS reportedMs, closed_at AS closedAt
     FROM problems WHERE place_id IS NOT NULL AND reported_ms <= ?`,
  );
  const atPointStmt = db.prepare<[string, number], { id: string; pointId: string; category: string; reportedMs: number; closedAt: string | null }>(
    `SELECT id, place_id AS pointId, category, reported_ms AS reportedMs, closed_at AS closedAt
     FROM problems WHERE place_id = ? AND reported_ms <= ?`,
  );
  const lastVisitStmt = db.prepare<[number], { pointId: string; atMs: number }>(
    'SELECT point_id AS pointId, MAX(at_ms) AS atMs FROM check_results WHERE at_ms <= ? GROUP BY point_id',
  );
  const visitsAtStmt = db.prepare<[string, number, number], { pointId: string; visits: number; lastMs: number }>(
    `SELECT point_id AS pointId, count(*) AS visits, MAX(at_ms) AS lastMs FROM check_results
     WHERE point_id IN (SELECT value FROM json_each(?)) AND at_ms >= ? AND at_ms <= ? GROUP BY point_id`,
  );
  const lastCheckStmt = db.prepare<[string, number], { atMs: number; inspector: string }>(
    'SELECT at_ms AS atMs, inspector FROM check_results WHERE point_id = ? AND at_ms <= ? ORDER BY at_ms DESC LIMIT 1',
  );
  const markStmt = db.prepare<[], { checks: number | null; places: number | null }>(
    "SELECT (SELECT max(rowid) FROM check_results) AS checks, (SELECT value FROM revisions WHERE name = 'places') AS places",
  );
  const geometryStmt = db.prepare<[], { id: string; geometry: string; entrance: string | null }>(
    'SELECT id, geometry, entrance FROM places WHERE retired_at IS NULL ORDER BY rid',
  );
  const photosStmt = db.prepare<[string], { hash: string }>("SELECT hash FROM problem_media WHERE problem_id = ? AND role = 'before' ORDER BY id LIMIT 4");
  return {
    /** Every inspection point as scoring sees it (its kind is its point type). */
    scoringPoints(): ScoringPoint[] {
      return pointsStmt.all();
    },
    /** Check results recorded in [fromMs, toMs]. */
    scoringChecks(fromMs: number, toMs: number): ScoringCheck[] {
      return checksStmt.all(fromMs, toMs).map((r) => ({ id: r.id, pointId: r.pointId, atMs: r.atMs, items: JSON.parse(r.items) as ScoringCheck['items'] }));
    },
    /** Problems at inspection points that may be open at some time in [fromMs, toMs]. */
    *scoringProblems(fromMs: number, toMs: number): Generator<ScoringProblem> {
      for (const r of problemsStmt.iterate(toMs)) {
        const closedMs = r.closedAt === null ? Infinity : Date.parse(r.closedAt);
        if (closedMs >= fromMs) yield { id: r.id, pointId: r.pointId, category: r.category, reportedMs: r.reportedMs, closedMs };
      }
    },
    /** Problems at these points reported by `atMs` and not closed before it (a mock's few points, by the place index). */
    scoringProblemsAt(pointIds: readonly string[], atMs: number): ScoringProblem[] {
      const out: ScoringProblem[] = [];
      for (const id of pointIds)
        for (const r of atPointStmt.iterate(id, atMs)) {
          const closedMs = r.closedAt === null ? Infinity : Date.parse(r.closedAt);
          if (closedMs > atMs) out.push({ id: r.id, pointId: r.pointId, category: r.category, reportedMs: r.reportedMs, closedMs });
        }
      return out;
    },
    /** Each point's latest check result up to `toMs` (epoch ms), one row per point checked (by the point index). */
    lastVisits(toMs: number): Map<string, number> {
      return new Map(lastVisitStmt.all(toMs).map((r) => [r.pointId, r.atMs]));
    },
    /**
     * What the scoring reads besides the problems, as a mark that changes when it does: check results are
     * only ever added (the newest rowid), the points with the registry's revision (an import or an edit).
     * Two index reads.
     */
    scoringMark(): string {
      const m = markStmt.get()!;
      return `${m.checks ?? 0}/${m.places ?? 0}`;
    },
    /** Every point's geometry (GeoJSON text) and a community's entrance (JSON [lng, lat] or null), in import order. */
    pointGeometries(): { id: string; geometry: string; entrance: string | null }[] {
      return geometryStmt.all();
    },
    /** Check results recorded at these points in [fromMs, toMs]: how many, and the latest (by the point index). */
    visitsAt(pointIds: readonly string[], fromMs: number, toMs: number): Map<string, { visits: number; lastMs: number }> {
      return new Map(visitsAtStmt.all(JSON.stringify(pointIds), fromMs, toMs).map((r) => [r.pointId, { visits: r.visits, lastMs: r.lastMs }]));
    },
    /** Each point's latest check up to `toMs` and who made it (by the point index; points never checked are absent). */
    lastChecksAt(pointIds: readonly string[], toMs: number): Map<string, { atMs: number; inspector: string }> {
      const out = new Map<string, { atMs: number; inspector: string }>();
      for (const id of pointIds) {
        const r = lastCheckStmt.get(id, toMs);
        if (r) out.set(id, r);
      }
      return out;
    },
    /** The first photos taken when a problem was reported (content hashes, for /api/media/:hash). */
    problemPhotos(problemId: string): string[] {
      return photosStmt.all(problemId).map((r) => r.hash);
    },
  };
}
