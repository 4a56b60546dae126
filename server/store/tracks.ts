import type Database from 'better-sqlite3';

/** One stored GPS fix of a team walking a plan (migration 23). */
export interface TrackPointRow {
  id: string;
  planId: string;
  team: number;
  userId: number;
  atMs: number;
  lng: number;
  lat: number;
  accuracyM: number;
}

interface RawRow {
  id: string;
  plan_id: string;
  team: number;
  user_id: number;
  at_ms: number;
  lng: number;
  lat: number;
  accuracy_m: number;
}

const fromRaw = (r: RawRow): TrackPointRow => ({
  id: r.id,
  planId: r.plan_id,
  team: r.team,
  userId: r.user_id,
  atMs: r.at_ms,
  lng: r.lng,
  lat: r.lat,
  accuracyM: r.accuracy_m,
});

/** The track_points table: raw fixes, kept as sent (simplified only when drawn), deleted by age or with their account. */
export function trackQueries(db: Database.Database) {
  const insert = db.prepare(
    `INSERT OR IGNORE INTO track_points (id, plan_id, team, user_id, at_ms, lng, lat, accuracy_m, received_ms)
     VALUES (@id, @planId, @team, @userId, @atMs, @lng, @lat, @accuracyM, @receivedMs)`,
  );
  const known = db.prepare<[string], { id: string }>('SELECT id FROM track_points WHERE id = ?');
  const ofPlan = db.prepare<[string], RawRow>('SELECT * FROM track_points WHERE plan_id = ? ORDER BY team, user_id, at_ms, id');
  const around = db.prepare<[string, number, number, number, number], RawRow>(
    'SELECT * FROM track_points WHERE plan_id = ? AND team = ? AND user_id = ? AND at_ms BETWEEN ? AND ? ORDER BY at_ms, id',
  );
  // The newest fix of each team since a moment: SQLite gives the bare columns of the row holding MAX().
  const latest = db.prepare<[number], RawRow>(
    'SELECT id, plan_id, team, user_id, MAX(at_ms) AS at_ms, lng, lat, accuracy_m FROM track_points WHERE at_ms >= ? GROUP BY plan_id, team',
  );
  const latestOfTeam = db.prepare<[string, number], RawRow>('SELECT * FROM track_points WHERE plan_id = ? AND team = ? ORDER BY at_ms DESC LIMIT 1');
  const deleteUser = db.prepare<[number]>('DELETE FROM track_points WHERE user_id = ?');
  const deleteBefore = db.prepare<[number]>('DELETE FROM track_points WHERE at_ms < ?');
  const insertAll = db.transaction((rows: readonly TrackPointRow[], receivedMs: number) => {
    let stored = 0;
    for (const r of rows) stored += insert.run({ ...r, receivedMs }).changes;
    return stored;
  });
  return {
    /** Which of `ids` are stored already (a resent batch). */
    knownTrackPoints(ids: readonly string[]): Set<string> {
      return new Set(ids.filter((id) => known.get(id)));
    },
    /** Stores the fixes in one transaction; an id already stored is left as it is. Returns how many were new. */
    insertTrackPoints(rows: readonly TrackPointRow[], receivedMs: number): number {
      return insertAll(rows, receivedMs);
    },
    /** Every fix of a plan, by team, account and time. */
    trackPointsOfPlan(planId: string): TrackPointRow[] {
      return ofPlan.all(planId).map(fromRaw);
    },
    /** One account's fixes for a team between two moments, by time (the neighbours a new batch is checked against). */
    trackPointsAround(planId: string, team: number, userId: number, fromMs: number, toMs: number): TrackPointRow[] {
      return around.all(planId, team, userId, fromMs, toMs).map(fromRaw);
    },
    /** The newest fix of every team with a fix since `sinceMs`. */
    latestTrackPoints(sinceMs: number): TrackPointRow[] {
      return latest.all(sinceMs).map(fromRaw);
    },
    /** The newest fix of one team. */
    latestTrackPointOf(planId: string, team: number): TrackPointRow | null {
      const r = latestOfTeam.get(planId, team);
      return r ? fromRaw(r) : null;
    },
    /** Deletes every fix an account sent; returns how many. */
    deleteTracksOfUser(userId: number): number {
      return deleteUser.run(userId).changes;
    },
    /** Deletes the fixes taken before `ms` (the retention sweep); returns how many. */
    deleteTracksBefore(ms: number): number {
      return deleteBefore.run(ms).changes;
    },
  };
}
