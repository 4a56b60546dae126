import type Database from 'better-sqlite3';
import type { MockReport } from '../contract/assessment-mocks';

/** What a mock keeps from its creation on (the rest of the Mock answer is read live). */
export interface MockBody {
  name: string;
  seed: number;
  catalogVersion: string;
  createdBy: string;
  teams: { name: string; members: string[] }[];
  quotas: { typeId: string; typeName: string; quota: number; available: number }[];
  points: { id: string; typeId: string }[];
}

export interface MockRow {
  id: string;
  date: string;
  planId: string;
  createdAt: string;
  body: MockBody;
  finishedAt: string | null;
  report: MockReport | null;
}

interface RawRow {
  id: string;
  date: string;
  plan_id: string;
  created_at: string;
  body: string;
  finished_at: string | null;
  report: string | null;
}

const fromRaw = (r: RawRow): MockRow => ({
  id: r.id,
  date: r.date,
  planId: r.plan_id,
  createdAt: r.created_at,
  body: JSON.parse(r.body) as MockBody,
  finishedAt: r.finished_at,
  report: r.report === null ? null : (JSON.parse(r.report) as MockReport),
});

/** The assessment_mocks table (migration 11). */
export function mockQueries(db: Database.Database) {
  const insert = db.prepare('INSERT INTO assessment_mocks (id, date, plan_id, created_at, body) VALUES (@id, @date, @planId, @createdAt, @body)');
  const byId = db.prepare<[string], RawRow>('SELECT * FROM assessment_mocks WHERE id = ?');
  const byPlan = db.prepare<[string], RawRow>('SELECT * FROM assessment_mocks WHERE plan_id = ?');
  const all = db.prepare<[], RawRow>('SELECT * FROM assessment_mocks ORDER BY created_at DESC, id DESC');
  // Only an unfinished mock is finished: two last checks arriving together score it once.
  const finish = db.prepare('UPDATE assessment_mocks SET finished_at = @finishedAt, report = @report WHERE id = @id AND finished_at IS NULL');
  const lastFinished = db.prepare<[string, string], RawRow>(
    'SELECT * FROM assessment_mocks WHERE finished_at IS NOT NULL AND finished_at <= ? AND id <> ? ORDER BY finished_at DESC, created_at DESC LIMIT 1',
  );
  return {
    insertMock(m: Omit<MockRow, 'finishedAt' | 'report'>): void {
      insert.run({ id: m.id, date: m.date, planId: m.planId, createdAt: m.createdAt, body: JSON.stringify(m.body) });
    },
    mockById(id: string): MockRow | null {
      const r = byId.get(id);
      return r ? fromRaw(r) : null;
    },
    /** The mock whose routes are plan `planId`, or null for an ordinary plan. */
    mockByPlan(planId: string): MockRow | null {
      const r = byPlan.get(planId);
      return r ? fromRaw(r) : null;
    },
    /** Every mock, newest first. */
    listMocks(): MockRow[] {
      return all.all().map(fromRaw);
    },
    /** Stores the report of an unfinished mock; false when it was finished already. */
    finishMock(id: string, finishedAt: string, report: MockReport): boolean {
      return finish.run({ id, finishedAt, report: JSON.stringify(report) }).changes > 0;
    },
    /** The mock other than `id` finished last by `finishedAt`, or null. */
    mockFinishedBefore(finishedAt: string, id: string): MockRow | null {
      const r = lastFinished.get(finishedAt, id);
      return r ? fromRaw(r) : null;
    },
  };
}
