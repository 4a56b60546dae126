import type Database from 'better-sqlite3';
import { analyticsQueries } from './analytics';
import { cityQueries } from './city';
import { openDatabase } from './db';
import { Gate } from './gate';
import { layerQueries } from './layers';
import { placeQueries } from './places';
import { authQueries } from './auth';
import { planQueries } from './plans';
import { problemQueries } from './problems';
import { revisionQueries } from './revisions';
import { eventQueries } from './events';
import { mediaQueries } from './media';
import { ledgerQueries } from './ledger';
import { workflowQueries } from './workflow';
import { rankingQueries } from './rankings';
import { settingsQueries } from './settings';
import { checkQueries } from './checks';
import { assessmentQueries } from './assessment';
import { mockQueries } from './assessment-mocks';
import { catalogVersionQueries } from './assessment-catalogs';
import { gridQueries } from './grids';
import { requestQueries } from './requests';
import { consequenceQueries } from './consequences';
import { trackQueries } from './tracks';

export type { AuditEntry, SessionRecord, TokenRecord, UserRecord } from './auth';
export type { CityRecord } from './city';
export type { PlaceRecord } from './places';
export type { GridRecord } from './grids';
export type { ProblemPointRow } from './problems';
export type { ProblemAnalyticsRow } from './analytics';
export type { TrackPointRow } from './tracks';
export { SCHEMA_VERSION } from './migrations';

/** The queries of the SQLite implementation, each synchronous over the one connection. */
type SqliteQueries = ReturnType<typeof cityQueries> &
  ReturnType<typeof layerQueries> &
  ReturnType<typeof problemQueries> &
  ReturnType<typeof placeQueries> &
  ReturnType<typeof revisionQueries> &
  ReturnType<typeof authQueries> &
  ReturnType<typeof planQueries> &
  ReturnType<typeof analyticsQueries> &
  Omit<ReturnType<typeof workflowQueries>, 'transaction'> &
  ReturnType<typeof ledgerQueries> &
  ReturnType<typeof rankingQueries> &
  ReturnType<typeof mediaQueries> &
  ReturnType<typeof eventQueries> &
  ReturnType<typeof settingsQueries> &
  ReturnType<typeof checkQueries> &
  ReturnType<typeof assessmentQueries> &
  ReturnType<typeof mockQueries> &
  ReturnType<typeof catalogVersionQueries> &
  ReturnType<typeof gridQueries> &
  ReturnType<typeof requestQueries> &
  ReturnType<typeof consequenceQueries> &
  ReturnType<typeof trackQueries>;

/** Rows a cursor hands over per batch: one await per batch, not per row (a thousand awaits for a million rows), and few enough that a streamed export starts at once. */
export const CURSOR_BATCH = 1000;

/**
 * A query as the store interface offers it: a promise of its answer, or for a cursor (a generator over
 * rows) the rows in batches.
 */
type Asynchronous<F> = F extends (...args: infer A) => Iterator<infer Row>
  ? (...args: A) => AsyncIterable<Row[]>
  : F extends (...args: infer A) => infer R
    ? (...args: A) => Promise<R>
    : never;

export type StoreQueries = { [K in keyof SqliteQueries]: Asynchronous<SqliteQueries[K]> };

/**
 * The store: the only module that runs SQL, behind an asynchronous interface so that a store over the
 * network (PostgreSQL) can stand in for the embedded one. Every query answers a promise; cursors answer
 * batches of rows. The SQLite implementation runs each call synchronously at once when nothing holds
 * its connection (see Gate), so its behaviour and speed are what they were.
 */
export interface Store extends StoreQueries {
  /** Path of the database file. */
  readonly file: string;
  /** NOTE: for modules under server/store only; everything else goes through the methods. */
  readonly db: Database.Database;
  /**
   * Runs `fn` in one write transaction: every store call `fn` makes (awaited inside it) is part of it,
   * other callers wait until it commits; a throw rolls every write back. Nested calls are savepoints.
   */
  transaction<T>(fn: () => Promise<T> | T): Promise<T>;
  /**
   * Runs `fn` over one consistent view of the store (a read transaction): its reads see the store as it
   * was at the first of them, whatever is written meanwhile. Writes are not allowed inside.
   */
  snapshot<T>(fn: () => Promise<T>): Promise<T>;
  /** Closes the database; the store is unusable afterwards. */
  close(): Promise<void>;
}

/**
 * Opens the database at `dbPath`, creating and migrating it as needed (WAL mode).
 *
 * @throws StoreError with a sentence naming the file and what to do when it is not a usable database
 *   (e.g. "… is not a usable SQLite database … Move it away (mv …) and start again").
 * @example
 * const store = openStore('var/xuncha.db');
 * if (!(await store.hasCity())) await importLayers(store, 'var/layers');
 */
export function openStore(dbPath: string): Store {
  const db = openDatabase(dbPath);
  const city = cityQueries(db);
  const { transaction: _sync, ...workflow } = workflowQueries(db, city.cityStamp);
  const queries: SqliteQueries = {
    ...city,
    ...layerQueries(db),
    ...problemQueries(db, city.cityStamp),
    ...placeQueries(db),
    ...revisionQueries(db),
    ...authQueries(db),
    ...planQueries(db),
    ...analyticsQueries(db),
    ...workflow,
    ...ledgerQueries(db, city.cityStamp),
    ...rankingQueries(db),
    ...mediaQueries(db),
    ...eventQueries(db),
    ...settingsQueries(db),
    ...checkQueries(db),
    ...assessmentQueries(db),
    ...mockQueries(db),
    ...catalogVersionQueries(db),
    ...gridQueries(db),
    ...requestQueries(db),
    ...consequenceQueries(db),
    ...trackQueries(db),
  };
  const gate = new Gate();
  const methods = {} as Record<string, unknown>;
  for (const [name, query] of Object.entries(queries) as [string, (...args: unknown[]) => unknown][]) {
    methods[name] = CURSORS.has(name) ? cursor(gate, query) : (...args: unknown[]) => gate.call(() => query(...args));
  }
  let savepoints = 0;
  return {
    ...(methods as StoreQueries),
    file: dbPath,
    db,
    transaction: <T>(fn: () => Promise<T> | T) =>
      gate.hold(async () => {
        // Held by the caller already (a transaction inside a transaction): a savepoint, as better-sqlite3 nests.
        const nested = db.inTransaction;
        const name = `xuncha_${++savepoints}`;
        db.exec(nested ? `SAVEPOINT ${name}` : 'BEGIN IMMEDIATE');
        try {
          const out = await fn();
          db.exec(nested ? `RELEASE ${name}` : 'COMMIT');
          return out;
        } catch (err) {
          if (db.inTransaction) db.exec(nested ? `ROLLBACK TO ${name}; RELEASE ${name}` : 'ROLLBACK');
          throw err;
        }
      }),
    snapshot: <T>(fn: () => Promise<T>) =>
      gate.hold(async () => {
        if (db.inTransaction) return fn();
        // Deferred: the first read takes the snapshot, and a reader never holds back the writer (WAL).
        db.exec('BEGIN');
        try {
          return await fn();
        } finally {
          if (db.inTransaction) db.exec('COMMIT');
        }
      }),
    // At once when nothing holds the connection (a script's `finally`), else after the holder.
    close: () =>
      gate.call(() => {
        if (db.open) db.close();
      }),
  };
}

/** Every row of a cursor, in order: for a reader that keeps them all anyway. */
export async function allRows<T>(batches: AsyncIterable<T[]>): Promise<T[]> {
  const out: T[] = [];
  for await (const batch of batches) for (const row of batch) out.push(row);
  return out;
}

/** The queries that are cursors (generators over rows). */
const CURSORS = new Set(['iterateProblemPoints', 'iterateProblemAnalytics', 'iterateLedgerRows', 'scoringProblems']);

/**
 * A cursor's rows in batches, holding the gate from the first batch to the last: the statement stays open
 * on the connection between them. The reader must not call the store while it iterates.
 */
function cursor(gate: Gate, query: (...args: unknown[]) => unknown) {
  return (...args: unknown[]): AsyncIterable<unknown[]> => ({
    async *[Symbol.asyncIterator]() {
      // Inside a transaction or snapshot the holder's gate covers the cursor too.
      const holding = gate.heldHere() ? null : await gate.acquire();
      const rows = query(...args) as Iterator<unknown>;
      try {
        let batch: unknown[] = [];
        for (let next = rows.next(); !next.done; next = rows.next()) {
          batch.push(next.value);
          if (batch.length === CURSOR_BATCH) {
            yield batch;
            batch = [];
          }
        }
        if (batch.length > 0) yield batch;
      } finally {
        rows.return?.();
        if (holding) gate.release(holding);
      }
    },
  });
}
