import type Database from 'better-sqlite3';

/**
 * Revision counters: a number per kind of data that every write of that kind bumps in the same
 * transaction. Caches (problem tiles, hotspot statistics) compare it to the one they were built at,
 * which is cheaper and surer than watching row counts or timestamps.
 *
 * Beside the counter, this process keeps a journal of which problems each revision touched, so the
 * in-memory indexes can patch the few rows a report or a transition changed instead of reading a million
 * again. The journal only knows this process's writes: a revision it has no entry for (another process
 * wrote, e.g. `npm run import` while the server runs, or the entry aged out) makes `problemChangesSince`
 * answer null, and the reader rebuilds whole. A rolled-back transaction leaves its entry behind and the
 * next write reuses the revision number: entries are unions, and readers re-read the rows they name,
 * so naming a row that did not change costs a read and nothing else.
 */
export type RevisionName = 'problems';

/** What one revision of the problems touched: problem ids, or everything (an import). */
type Touched = Set<string> | 'all';

/** Revisions kept in the journal; an index further behind than this rebuilds whole. */
const JOURNAL_REVISIONS = 20_000;

const journals = new WeakMap<Database.Database, Map<number, Touched>>();
const bumps = new WeakMap<Database.Database, Database.Statement<[string], { value: number }>>();

/**
 * Bumps `name` and notes what the new revision touched: one problem's id, or 'all' when a write replaces
 * or deletes problems wholesale. Call inside the transaction that writes the data it counts. For store
 * modules only.
 */
export function bumpRevision(db: Database.Database, name: RevisionName, touched: string | 'all'): void {
  let bump = bumps.get(db);
  if (!bump) {
    bump = db.prepare('INSERT INTO revisions (name, value) VALUES (?, 1) ON CONFLICT (name) DO UPDATE SET value = value + 1 RETURNING value');
    bumps.set(db, bump);
  }
  const value = (bump.get(name) as { value: number }).value;
  let journal = journals.get(db);
  if (!journal) journals.set(db, (journal = new Map()));
  const entry = journal.get(value);
  if (touched === 'all' || entry === 'all') journal.set(value, 'all');
  else if (entry) entry.add(touched);
  else journal.set(value, new Set([touched]));
  if (journal.size > JOURNAL_REVISIONS) journal.delete(journal.keys().next().value as number);
}

/**
 * Bumps the registry's revision (a point added, edited, retired or restored, or a city imported): what
 * is drawn from the places — basemap tiles, scores — is rebuilt when it moved. No journal: a registry
 * has thousands of points, not millions, and its readers rebuild whole. For store modules only.
 */
export function bumpPlacesRevision(db: Database.Database): void {
  db.prepare("INSERT INTO revisions (name, value) VALUES ('places', 1) ON CONFLICT (name) DO UPDATE SET value = value + 1").run();
}

export function revisionQueries(db: Database.Database) {
  const get = db.prepare<[string], { value: number }>('SELECT value FROM revisions WHERE name = ?');
  const problemsRevision = (): number => get.get('problems')?.value ?? 0;
  return {
    /** Changes whenever a point of the registry is added, edited, retired or restored (an import included). */
    placesRevision(): number {
      return get.get('places')?.value ?? 0;
    },
    /** Changes whenever any problem is added, changed or removed (an import included). */
    problemsRevision,

    /**
     * The ids of the problems written after revision `since` up to now, or null when the journal cannot
     * say (a wholesale write, another process's write, or too far back): then read everything again.
     */
    problemChangesSince(since: number): { revision: number; ids: string[] } | null {
      const revision = problemsRevision();
      if (since > revision) return null;
      const journal = journals.get(db);
      const ids = new Set<string>();
      for (let r = since + 1; r <= revision; r++) {
        const entry = journal?.get(r);
        if (entry === undefined || entry === 'all') return null;
        for (const id of entry) ids.add(id);
      }
      return { revision, ids: [...ids] };
    },
  };
}
