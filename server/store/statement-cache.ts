import type Database from 'better-sqlite3';

/**
 * Prepared statements for SQL built per request (filters, sorts, category lists), kept by their text.
 * Bounded, least recently used out: the text varies with what callers send (a ledger search with a
 * long category list is a new text each time), so an unbounded map grows with every distinct request.
 * The common shapes stay prepared; a rare one is prepared again when it comes back.
 */
export const STATEMENT_CACHE_SIZE = 200;

export interface StatementCache {
  /** The statement for `sql`, prepared (and `setup` applied) on first use or after it fell out. */
  get(sql: string): Database.Statement;
  /** How many statements it holds now. */
  readonly size: number;
}

// Every cache of a database, so that the bound can be checked from outside (tests, diagnostics).
const caches = new WeakMap<Database.Database, Set<StatementCache>>();

/** How many per-request statements the caches of `db` hold together. */
export function cachedStatementCount(db: Database.Database): number {
  let n = 0;
  for (const c of caches.get(db) ?? []) n += c.size;
  return n;
}

export function statementCache(
  db: Database.Database,
  setup: (s: Database.Statement) => Database.Statement = (s) => s,
  max = STATEMENT_CACHE_SIZE,
): StatementCache {
  // A Map iterates in insertion order: re-inserting on a hit makes the first key the least recently used.
  const cache = new Map<string, Database.Statement>();
  const out: StatementCache = {
    get(sql) {
      let s = cache.get(sql);
      if (s) {
        cache.delete(sql);
      } else {
        s = setup(db.prepare(sql));
        if (cache.size >= max) cache.delete(cache.keys().next().value as string);
      }
      cache.set(sql, s);
      return s;
    },
    get size() {
      return cache.size;
    },
  };
  if (!caches.has(db)) caches.set(db, new Set());
  caches.get(db)!.add(out);
  return out;
}
