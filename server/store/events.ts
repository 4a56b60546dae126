import type Database from 'better-sqlite3';

/** One logged event (the JSON `data` kept as text, sent as it is). */
export interface EventRow {
  seq: number;
  type: string;
  at: string;
  data: string;
}

/** The event log behind `GET /api/events`: every write appends in its own transaction, readers replay by seq. */
export function eventQueries(db: Database.Database) {
  const insert = db.prepare('INSERT INTO events (type, at, data) VALUES (?, ?, ?)');
  const after = db.prepare<[number, number], EventRow>('SELECT seq, type, at, data FROM events WHERE seq > ? ORDER BY seq LIMIT ?');
  const last = db.prepare<[], { seq: number | null }>('SELECT max(seq) AS seq FROM events');
  return {
    /** Logs an event; call inside the transaction of the write it reports. Returns its id. */
    appendEvent(type: string, at: string, data: unknown): number {
      return Number(insert.run(type, at, JSON.stringify(data)).lastInsertRowid);
    },
    /** Events after `seq`, oldest first, at most `limit`. */
    eventsAfter(seq: number, limit: number): EventRow[] {
      return after.all(seq, limit);
    },
    /** The id of the latest event, 0 with none. */
    lastEventSeq(): number {
      return last.get()?.seq ?? 0;
    },
  };
}
