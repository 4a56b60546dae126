import type Database from 'better-sqlite3';

/**
 * The problem fields the analytics need beyond the tile index (services/problems/problem-index.ts): when a problem
 * was rectified and closed, and its linked place. Times as epoch ms (SQLite's unixepoch reads the
 * stored ISO text with its offset), null when it has not happened.
 */
export type ProblemAnalyticsRow = [rid: number, rectifiedMs: number | null, closedMs: number | null, placeId: string | null];

/** Read-only queries for server/analytics (hotspots, recurring sites). */
export function analyticsQueries(db: Database.Database) {
  const rowsStmt = db.prepare(`
    SELECT rid, unixepoch(rectified_at) * 1000, unixepoch(closed_at) * 1000, place_id FROM problems ORDER BY rid`);
  const byIdStmt = db.prepare(`
    SELECT rid, unixepoch(rectified_at) * 1000, unixepoch(closed_at) * 1000, place_id FROM problems
    WHERE id IN (SELECT value FROM json_each(?)) ORDER BY rid`);
  return {
    /** Every problem's rectified and closed time and place, in rid order (streams; 1,000,000 rows are fine). */
    iterateProblemAnalytics(): IterableIterator<ProblemAnalyticsRow> {
      return rowsStmt.raw(true).iterate() as IterableIterator<ProblemAnalyticsRow>;
    },
    /** The same fields for the problems `ids` that exist, in rid order. */
    problemAnalyticsByIds(ids: readonly string[]): ProblemAnalyticsRow[] {
      return byIdStmt.raw(true).all(JSON.stringify(ids)) as ProblemAnalyticsRow[];
    },
  };
}
