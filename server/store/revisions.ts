import type Database from 'better-sqlite3';

/**
 * Revision counters: a number per kind of data that every write of that kind bumps in the same
 * transaction. Caches (problem tiles, hotspot statistics) compare it to the one they were built at,
 * which is cheaper and surer than watching row counts or timestamps.
 */
export type RevisionName = 'problems';

/** Bumps `name`; call inside the transaction that writes the data it counts. For store modules only. */
export function bumpRevision(db: Database.Database, name: RevisionName): void {
  db.prepare('INSERT INTO revisions (name, value) VALUES (?, 1) ON CONFLICT (name) DO UPDATE SET value = value + 1').run(name);
}

export function revisionQueries(db: Database.Database) {
  const get = db.prepare<[string], { value: number }>('SELECT value FROM revisions WHERE name = ?');
  return {
    /** Changes whenever any problem is added, changed or removed (an import included). */
    problemsRevision(): number {
      return get.get('problems')?.value ?? 0;
    },
  };
}
