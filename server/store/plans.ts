import type Database from 'better-sqlite3';
import { OVERDUE_SQL } from './problems';
import type { PlaceInput, ProblemInput } from '../planner/stops';
import type { Geometry } from '../contract/geojson';
import type { Plan, PlanSummary } from '../contract/plans';

/**
 * Saved route plans (one JSON document per plan, listed by date) and the reads the planner's stop
 * selection needs over places and problems.
 */
export function planQueries(db: Database.Database) {
  const insert = db.prepare(
    'INSERT INTO plans (id, date, name, created_at, updated_at, body, created_by) VALUES (@id, @date, @name, @createdAt, @updatedAt, @body, @createdBy)',
  );
  const ownerOf = db.prepare<[string], { created_by: number | null }>('SELECT created_by FROM plans WHERE id = ?');
  const update = db.prepare('UPDATE plans SET date = @date, name = @name, updated_at = @updatedAt, body = @body WHERE id = @id');
  const byId = db.prepare<[string], { body: string }>('SELECT body FROM plans WHERE id = ?');
  const del = db.prepare('DELETE FROM plans WHERE id = ?');
  type ListRow = { body: string; created_by: number | null };
  const listAll = db.prepare<[], ListRow>('SELECT body, created_by FROM plans ORDER BY date DESC, updated_at DESC, id DESC');
  const listDate = db.prepare<[string], ListRow>('SELECT body, created_by FROM plans WHERE date = ? ORDER BY updated_at DESC, id DESC');
  const placesStmt = db.prepare<[], Record<string, unknown> & { id: string; kind: PlaceInput['kind']; name: string; geometry: string }>(
    'SELECT id, kind, name, subdistrict_id, unit_id, address, entrance, length_m, geometry FROM places WHERE retired_at IS NULL ORDER BY id',
  );
  const problemCols = `p.id, p.lng, p.lat, p.category, p.description, p.status, p.subdistrict_id, p.unit_id, p.place_id,
    ${OVERDUE_SQL} AS overdue`;
  const openStmt = db.prepare(`SELECT ${problemCols} FROM problems p WHERE p.status NOT IN ('closed', 'rejected') ORDER BY p.id`);
  const overdueStmt = db.prepare(`SELECT ${problemCols} FROM problems p WHERE ${OVERDUE_SQL} ORDER BY p.id`);
  const problemById = db.prepare(`SELECT ${problemCols} FROM problems p WHERE p.id = @id`);
  const recurringStmt = db.prepare<[], { placeId: string; count: number }>(`
    SELECT place_id AS placeId, count(*) AS count FROM problems
    WHERE recurrence_of IS NOT NULL AND place_id IS NOT NULL
    GROUP BY place_id ORDER BY count DESC, place_id ASC`);

  const toProblem = (r: Record<string, unknown>): ProblemInput => ({
    id: r.id as string,
    lngLat: [r.lng as number, r.lat as number],
    category: r.category as string,
    description: r.description as string,
    status: r.status as string,
    overdue: r.overdue === 1,
    subdistrictId: (r.subdistrict_id as string | null) ?? null,
    unitId: (r.unit_id as string | null) ?? null,
    placeId: (r.place_id as string | null) ?? null,
  });
  const summary = (p: Plan): Omit<PlanSummary, 'mayChange'> => ({
    id: p.id,
    name: p.name,
    date: p.date,
    profile: p.profile,
    teams: p.teams.length,
    served: p.totals.served,
    dropped: p.totals.dropped,
    updatedAt: p.updatedAt,
  });

  return {
    /** Saves a new plan (its `id` must be new); `createdBy` is the author's account id. */
    insertPlan(plan: Plan, createdBy: number | null = null): void {
      insert.run({
        id: plan.id,
        date: plan.date,
        name: plan.name,
        createdAt: plan.createdAt,
        updatedAt: plan.updatedAt,
        body: JSON.stringify(plan),
        createdBy,
      });
    },
    /** The author's account id: null for a plan without one, undefined when there is no such plan. */
    planOwner(id: string): number | null | undefined {
      return ownerOf.get(id)?.created_by;
    },
    /** Replaces a saved plan; false when there is none with that id. */
    updatePlan(plan: Plan): boolean {
      return update.run({ id: plan.id, date: plan.date, name: plan.name, updatedAt: plan.updatedAt, body: JSON.stringify(plan) }).changes > 0;
    },
    /** One saved plan, or null. */
    getPlan(id: string): Plan | null {
      const r = byId.get(id);
      return r ? (JSON.parse(r.body) as Plan) : null;
    },
    /** Deletes a plan and the tracks walked against its teams; false when there was none. */
    deletePlan(id: string): boolean {
      return db.transaction(() => {
        db.prepare('DELETE FROM track_points WHERE plan_id = ?').run(id);
        return del.run(id).changes > 0;
      })();
    },
    /**
     * Saved plans, newest first, each with its author's account id (null: none) and the plan itself (for
     * the caller's scope: whose stops it holds); with `date`, only that day's.
     */
    listPlans(date?: string): (Omit<PlanSummary, 'mayChange'> & { owner: number | null; plan: Plan })[] {
      const rows = date ? listDate.all(date) : listAll.all();
      return rows.map((r) => {
        const plan = JSON.parse(r.body) as Plan;
        return { ...summary(plan), owner: r.created_by, plan };
      });
    },
    /** Every market, community and back street, by id. */
    plannerPlaces(): PlaceInput[] {
      return placesStmt.all().map((r) => ({
        id: r.id,
        kind: r.kind,
        name: r.name,
        subdistrictId: (r.subdistrict_id as string | null) ?? null,
        unitId: (r.unit_id as string | null) ?? null,
        address: (r.address as string | null) ?? null,
        entrance: r.entrance ? (JSON.parse(r.entrance as string) as [number, number]) : null,
        lengthM: (r.length_m as number | null) ?? null,
        geometry: JSON.parse(r.geometry) as Geometry,
      }));
    },
    /** The problems with these ids that exist. */
    plannerProblemsByIds(ids: readonly string[], nowMs: number): ProblemInput[] {
      const out: ProblemInput[] = [];
      for (const id of ids) {
        const r = problemById.get({ id, now: nowMs }) as Record<string, unknown> | undefined;
        if (r) out.push(toProblem(r));
      }
      return out;
    },
    /** Problems not closed (or only overdue ones at `nowMs`), by id. */
    plannerOpenProblems(overdueOnly: boolean, nowMs: number): ProblemInput[] {
      return ((overdueOnly ? overdueStmt : openStmt).all({ now: nowMs }) as Record<string, unknown>[]).map(toProblem);
    },
    /** Places whose problems came back after closing, most recurrences first. */
    recurringPlaces(): { placeId: string; count: number }[] {
      return recurringStmt.all();
    },
  };
}
