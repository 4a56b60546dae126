import type Database from 'better-sqlite3';
import type { AssessmentCatalog } from '../contract/assessment';

/** The assessment_catalogs table (migration 12): catalog versions imported by the administrator. */
export function catalogVersionQueries(db: Database.Database) {
  const insert = db.prepare(
    'INSERT INTO assessment_catalogs (version, effective_from, body, created_at, created_by) VALUES (@version, @effectiveFrom, @body, @createdAt, @createdBy)',
  );
  const all = db.prepare<[], { body: string }>('SELECT body FROM assessment_catalogs ORDER BY effective_from');
  // Rows are only ever added: their count says whether a reader's copy is current.
  const count = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM assessment_catalogs');
  return {
    insertCatalogVersion(c: AssessmentCatalog, createdAt: string, createdBy: string): void {
      insert.run({ version: c.version, effectiveFrom: c.effectiveFrom, body: JSON.stringify(c), createdAt, createdBy });
    },
    /** Imported versions, oldest effective day first. */
    storedCatalogVersions(): AssessmentCatalog[] {
      return all.all().map((r) => JSON.parse(r.body) as AssessmentCatalog);
    },
    storedCatalogCount(): number {
      return count.get()!.n;
    },
  };
}
