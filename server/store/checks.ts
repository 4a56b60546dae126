import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { CheckBody } from '../contract/checks';

/** A check_results row as the service reads and writes it (JSON columns already parsed). */
export interface CheckRow {
  id: string;
  fingerprint: string;
  planId: string | null;
  pointId: string;
  at: string;
  atMs: number;
  lngLat: [number, number] | null;
  items: { itemId: string; result: 'pass' | 'fail' | 'na'; value?: number; note?: string }[];
  problemRefs: string[];
  inspector: string;
  receivedAt: string;
}

interface RawRow {
  id: string;
  fingerprint: string;
  plan_id: string | null;
  point_id: string;
  at: string;
  at_ms: number;
  lng: number | null;
  lat: number | null;
  items: string;
  problem_refs: string;
  inspector: string;
  received_at: string;
}

const fromRaw = (r: RawRow): CheckRow => ({
  id: r.id,
  fingerprint: r.fingerprint,
  planId: r.plan_id,
  pointId: r.point_id,
  at: r.at,
  atMs: r.at_ms,
  lngLat: r.lng === null || r.lat === null ? null : [r.lng, r.lat],
  items: JSON.parse(r.items) as CheckRow['items'],
  problemRefs: JSON.parse(r.problem_refs) as string[],
  inspector: r.inspector,
  receivedAt: r.received_at,
});

/** The same record sent twice has the same fingerprint whatever the key order or missing optionals. */
function fingerprintOf(b: CheckBody): string {
  const canonical = {
    id: b.id,
    planId: b.planId ?? null,
    pointId: b.pointId,
    items: b.items.map((i) => ({ itemId: i.itemId, result: i.result, note: i.note ?? '', value: i.value })),
    atMs: Date.parse(b.at),
    lngLat: b.lngLat ?? null,
    problemIds: b.problemIds ?? [],
  };
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
}

/**
 * The row a record is stored as, from the API (`receivedAt` now) or an imported history (its own time):
 * the same record gets the same row, so a phone resending it after an import is a harmless replay.
 */
export function checkRowOf(body: CheckBody, inspector: string, receivedAt: string): CheckRow {
  return {
    id: body.id,
    fingerprint: fingerprintOf(body),
    planId: body.planId ?? null,
    pointId: body.pointId,
    at: body.at,
    atMs: Date.parse(body.at),
    lngLat: body.lngLat ?? null,
    items: body.items.map((i) => ({
      itemId: i.itemId,
      result: i.result,
      ...(i.value === undefined ? {} : { value: i.value }),
      ...(i.note ? { note: i.note } : {}),
    })),
    problemRefs: body.problemIds ?? [],
    inspector,
    receivedAt,
  };
}

/** Most rows one read returns (a day of a whole city's inspections is a few hundred). */
export const CHECKS_READ_MAX = 2000;

/** The check_results table (migration 7): the field page's check results, one row per client UUID. */
export function checkQueries(db: Database.Database) {
  const byId = db.prepare<[string], RawRow>('SELECT * FROM check_results WHERE id = ?');
  const insert = db.prepare(
    `INSERT INTO check_results (id, fingerprint, plan_id, point_id, at, at_ms, lng, lat, items, problem_refs, inspector, received_at)
     VALUES (@id, @fingerprint, @planId, @pointId, @at, @atMs, @lng, @lat, @items, @problemRefs, @inspector, @receivedAt)`,
  );
  const query = db.prepare<Record<string, unknown>, RawRow>(
    `SELECT * FROM check_results
     WHERE (@planId IS NULL OR plan_id = @planId) AND (@pointId IS NULL OR point_id = @pointId)
       AND (@fromMs IS NULL OR at_ms >= @fromMs) AND (@toMs IS NULL OR at_ms < @toMs)
     ORDER BY at_ms DESC, id DESC LIMIT ${CHECKS_READ_MAX}`,
  );
  return {
    /** The stored record with client id `id`, or null. */
    checkById(id: string): CheckRow | null {
      const r = byId.get(id);
      return r ? fromRaw(r) : null;
    },
    /** Stores a new record; the caller has checked that `id` is free (inside one synchronous handler). */
    insertCheck(row: CheckRow): void {
      insert.run({
        ...row,
        lng: row.lngLat?.[0] ?? null,
        lat: row.lngLat?.[1] ?? null,
        items: JSON.stringify(row.items),
        problemRefs: JSON.stringify(row.problemRefs),
      });
    },
    /** Records matching every given filter (`fromMs` ≤ at < `toMs`), newest first, at most CHECKS_READ_MAX. */
    listChecks(f: { planId?: string; pointId?: string; fromMs?: number; toMs?: number }): CheckRow[] {
      return query.all({ planId: f.planId ?? null, pointId: f.pointId ?? null, fromMs: f.fromMs ?? null, toMs: f.toMs ?? null }).map(fromRaw);
    },
  };
}
