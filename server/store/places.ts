import type Database from 'better-sqlite3';
import type { Geometry } from '../contract/geojson';
import type { LngLat } from '../contract/geo';
import type { PlaceKind } from '../contract/layers';
import { coordsBBox } from '../geo/bbox';
import { placeProps } from './layers';
import { bumpPlacesRevision } from './revisions';

/** The fields of a point its editors change, as one value: what each version of its history holds. */
export interface PlaceState {
  kind: string;
  name: string;
  geometry: Geometry;
  entrance: LngLat | null;
  address: string | null;
  subdistrictId: string | null;
  unitId: string | null;
  leaderId: number | null;
  keeper: string | null;
  contact: string | null;
  phone: string | null;
  notes: string | null;
  /** Photos of the point (media hashes), in the order shown. */
  photos: string[];
  retired: { at: string; reason: string } | null;
}

/** One edit of a point: its version after the edit, the state before (null for an addition) and after. */
export interface PlaceEdit {
  version: number;
  action: 'create' | 'update' | 'retire' | 'restore' | 'undo' | 'import' | 'merge';
  at: string;
  actor: string;
  before: PlaceState | null;
  after: PlaceState;
}

type PlaceRow = Record<string, unknown> & {
  rid: number;
  id: string;
  kind: string;
  name: string;
  geometry: string;
  entrance: string | null;
  address: string | null;
  subdistrict_id: string | null;
  unit_id: string | null;
  leader_id: number | null;
  keeper: string | null;
  contact: string | null;
  phone: string | null;
  notes: string | null;
  photos: string | null;
  version: number;
  retired_at: string | null;
  retired_reason: string | null;
};

function stateOf(r: PlaceRow): PlaceState {
  return {
    kind: r.kind,
    name: r.name,
    geometry: JSON.parse(r.geometry) as Geometry,
    entrance: r.entrance === null ? null : (JSON.parse(r.entrance) as LngLat),
    address: r.address,
    subdistrictId: r.subdistrict_id,
    unitId: r.unit_id,
    leaderId: r.leader_id,
    keeper: r.keeper,
    contact: r.contact,
    phone: r.phone,
    notes: r.notes,
    photos: r.photos === null ? [] : (JSON.parse(r.photos) as string[]),
    retired: r.retired_at === null ? null : { at: r.retired_at, reason: r.retired_reason ?? '' },
  };
}

/** A state as the history recorded it: versions written before points had photos have none. */
function recordedState(json: string): PlaceState {
  const s = JSON.parse(json) as PlaceState;
  return { ...s, photos: s.photos ?? [] };
}

/** The row's columns of a state; `length_m` is the caller's (it measures lines). */
function columnsOf(s: PlaceState, lengthM: number | null) {
  return {
    kind: s.kind,
    name: s.name,
    geometry: JSON.stringify(s.geometry),
    entrance: s.entrance ? JSON.stringify(s.entrance) : null,
    address: s.address,
    subdistrict_id: s.subdistrictId,
    unit_id: s.unitId,
    leader_id: s.leaderId,
    keeper: s.keeper,
    contact: s.contact,
    phone: s.phone,
    notes: s.notes,
    photos: s.photos.length ? JSON.stringify(s.photos) : null,
    retired_at: s.retired?.at ?? null,
    retired_reason: s.retired?.reason ?? null,
    length_m: lengthM,
  };
}

/** A market, community or back street as stored. */
export interface PlaceRecord {
  id: string;
  kind: PlaceKind;
  name: string;
  geometry: Geometry;
  /** The layer properties of its kind (data/README.md). */
  properties: Record<string, unknown> & { id: string; name: string; kind: PlaceKind; subdistrictId: string | null; unitId: string | null };
}

/** A point of the registry with the names the 点位信息表 shows; `geometry` and `entrance` as stored (JSON). */
export interface RegistryRecord {
  id: string;
  kind: string;
  name: string;
  address: string | null;
  entrance: string | null;
  geometry: string;
  subdistrictId: string | null;
  subdistrictName: string | null;
  unitName: string | null;
  leaderName: string | null;
  keeper: string | null;
  contact: string | null;
  phone: string | null;
}

/** Reads of single places, and of the registry as a list. */
export function placeQueries(db: Database.Database) {
  const byIdStmt = db.prepare<[string], Record<string, unknown> & { id: string; geometry: string; kind: PlaceKind; name: string }>(
    'SELECT * FROM places WHERE id = ?',
  );
  const registryStmt = db.prepare<{ kind: string | null; subdistrict: string | null; within: string | null }, RegistryRecord>(
    `SELECT p.id, p.kind, p.name, p.address, p.entrance, p.geometry, p.subdistrict_id AS subdistrictId, s.name AS subdistrictName, u.name AS unitName,
            a.display_name AS leaderName, p.keeper, p.contact, p.phone
       FROM places p LEFT JOIN subdistricts s ON s.id = p.subdistrict_id LEFT JOIN units u ON u.id = p.unit_id
       LEFT JOIN users a ON a.id = p.leader_id
      WHERE p.retired_at IS NULL AND (@kind IS NULL OR p.kind = @kind) AND (@subdistrict IS NULL OR p.subdistrict_id = @subdistrict)
        AND (@within IS NULL OR p.subdistrict_id IN (SELECT value FROM json_each(@within)))
      ORDER BY p.subdistrict_id, p.kind, p.name, p.id`,
  );
  const rowStmt = db.prepare<[string], PlaceRow>('SELECT * FROM places WHERE id = ?');
  const listStmt = db.prepare<{ kind: string | null; subdistrict: string | null; q: string | null; status: string; leader: number | null }, PlaceRow>(
    `SELECT * FROM places
      WHERE (@kind IS NULL OR kind = @kind) AND (@subdistrict IS NULL OR subdistrict_id = @subdistrict)
        AND (@leader IS NULL OR leader_id = @leader)
        AND (@q IS NULL OR instr(name, @q) > 0 OR instr(coalesce(address, ''), @q) > 0)
        AND (@status = 'all' OR (@status = 'retired') = (retired_at IS NOT NULL))
      ORDER BY subdistrict_id, kind, name, id`,
  );
  const leadersStmt = db.prepare<[], { id: number; displayName: string; username: string }>(
    "SELECT id, display_name AS displayName, username FROM users WHERE role IN ('leader', 'admin') AND disabled = 0 ORDER BY display_name, id",
  );
  const nextRid = db.prepare<[], { rid: number }>('SELECT coalesce(max(rid), 0) + 1 AS rid FROM places');
  const insertStmt = db.prepare(`INSERT INTO places (rid, id, kind, name, subdistrict_id, unit_id, address, entrance, length_m, geometry,
      leader_id, keeper, contact, phone, notes, photos, version, retired_at, retired_reason)
    VALUES (@rid, @id, @kind, @name, @subdistrict_id, @unit_id, @address, @entrance, @length_m, @geometry,
      @leader_id, @keeper, @contact, @phone, @notes, @photos, 1, @retired_at, @retired_reason)`);
  const updateStmt = db.prepare(`UPDATE places SET kind = @kind, name = @name, subdistrict_id = @subdistrict_id, unit_id = @unit_id,
      address = @address, entrance = @entrance, length_m = @length_m, geometry = @geometry, leader_id = @leader_id, keeper = @keeper,
      contact = @contact, phone = @phone, notes = @notes, photos = @photos, version = @version, retired_at = @retired_at, retired_reason = @retired_reason
    WHERE id = @id`);
  const rtreeInsert = db.prepare('INSERT INTO places_rtree (rid, min_x, max_x, min_y, max_y) VALUES (?, ?, ?, ?, ?)');
  const rtreeUpdate = db.prepare('UPDATE places_rtree SET min_x = ?, max_x = ?, min_y = ?, max_y = ? WHERE rid = ?');
  const historyInsert = db.prepare(
    'INSERT INTO place_history (place_id, version, action, at, actor, before, after) VALUES (@placeId, @version, @action, @at, @actor, @before, @after)',
  );
  const historyStmt = db.prepare<[string], { version: number; action: PlaceEdit['action']; at: string; actor: string; before: string | null; after: string }>(
    'SELECT version, action, at, actor, before, after FROM place_history WHERE place_id = ? ORDER BY version DESC',
  );
  const lastEditStmt = db.prepare<[string], { version: number; action: PlaceEdit['action']; at: string; actor: string; before: string | null; after: string }>(
    'SELECT version, action, at, actor, before, after FROM place_history WHERE place_id = ? ORDER BY version DESC LIMIT 1',
  );
  const sameNameStmt = db.prepare<{ kind: string; name: string; id: string; w: number; s: number; e: number; n: number }, PlaceRow>(
    `SELECT t.* FROM places_rtree r CROSS JOIN places t ON t.rid = r.rid
      WHERE r.min_x <= @e AND r.max_x >= @w AND r.min_y <= @n AND r.max_y >= @s
        AND t.kind = @kind AND t.name = @name AND t.id <> @id AND t.retired_at IS NULL`,
  );
  const idTaken = db.prepare<[string], { one: number }>('SELECT 1 AS one FROM places WHERE id = ?');
  const leadBusiestStmt = db.prepare<{ userId: number; n: number }>(
    `UPDATE places SET leader_id = @userId WHERE id IN (
       SELECT pl.id FROM places pl JOIN problems p ON p.place_id = pl.id
        WHERE pl.retired_at IS NULL AND pl.leader_id IS NULL GROUP BY pl.id ORDER BY count(*) DESC, pl.id LIMIT @n)`,
  );
  const historyMarkStmt = db.prepare<[]>('SELECT coalesce(max(id), 0) FROM place_history').pluck();
  const editsSinceStmt = db.prepare<[number], { id: number; placeId: string }>('SELECT id, place_id AS placeId FROM place_history WHERE id > ? ORDER BY id');
  const placesOfStmt = db.prepare<{ userId: number; name: string }, { id: string; leader: number; keeper: number }>(
    `SELECT id, leader_id = @userId AS leader, keeper = @name AS keeper FROM places
      WHERE retired_at IS NULL AND (leader_id = @userId OR keeper = @name) ORDER BY subdistrict_id, kind, name, id`,
  );
  const toEdit = (r: { version: number; action: PlaceEdit['action']; at: string; actor: string; before: string | null; after: string }): PlaceEdit => ({
    version: r.version,
    action: r.action,
    at: r.at,
    actor: r.actor,
    before: r.before === null ? null : recordedState(r.before),
    after: recordedState(r.after),
  });
  const boxOf = (g: Geometry) => {
    const b = coordsBBox(g.coordinates)!;
    return [b[0], b[2], b[1], b[3]] as const;
  };

  return {
    /** Points of the registry by the list's filters, each with its state and version. */
    listPlaces(f: { kind?: string; subdistrict?: string; q?: string; status: 'in-use' | 'retired' | 'all'; leader?: number }) {
      return listStmt
        .all({ kind: f.kind ?? null, subdistrict: f.subdistrict ?? null, q: f.q ?? null, status: f.status, leader: f.leader ?? null })
        .map((r) => ({ id: r.id, state: stateOf(r), version: r.version }));
    },
    /** Accounts in use that may be a point's 包抓领导. */
    registryLeaders(): { id: number; displayName: string; username: string }[] {
      return leadersStmt.all();
    },
    /** A point's editable state and version, or null when there is no such point. */
    placeState(id: string): { state: PlaceState; version: number } | null {
      const r = rowStmt.get(id);
      return r ? { state: stateOf(r), version: r.version } : null;
    },
    /** Is the id in use (by a point in use or retired)? */
    placeIdTaken(id: string): boolean {
      return idTaken.get(id) !== undefined;
    },
    /** Points in use of `kind` named `name` whose bbox meets [w, s, e, n], other than `exceptId`: the duplicate check's candidates. */
    sameNamedPlaces(kind: string, name: string, bbox: readonly [number, number, number, number], exceptId = ''): { id: string; state: PlaceState }[] {
      return sameNameStmt.all({ kind, name, id: exceptId, w: bbox[0], s: bbox[1], e: bbox[2], n: bbox[3] }).map((r) => ({ id: r.id, state: stateOf(r) }));
    },
    /** Adds a point at version 1 and its first history entry, in one transaction. */
    insertPlace(id: string, state: PlaceState, lengthM: number | null, at: string, actor: string, action: 'create' | 'import' | 'merge' = 'create'): void {
      db.transaction(() => {
        const rid = nextRid.get()!.rid;
        insertStmt.run({ rid, id, ...columnsOf(state, lengthM) });
        const [minX, maxX, minY, maxY] = boxOf(state.geometry);
        rtreeInsert.run(rid, minX, maxX, minY, maxY);
        historyInsert.run({ placeId: id, version: 1, action, at, actor, before: null, after: JSON.stringify(state) });
        bumpPlacesRevision(db);
      }).immediate();
    },
    /**
     * Writes a new state of a point read at `readVersion`, with its history entry, in one transaction.
     * Answers the new version, or the edit that came in between when the point moved past `readVersion`
     * (the caller's 409), or null when there is no such point.
     */
    writePlace(
      id: string,
      readVersion: number | undefined,
      next: PlaceState,
      lengthM: number | null,
      edit: { action: PlaceEdit['action']; at: string; actor: string },
    ): { version: number } | { conflict: PlaceEdit | null; version: number } | null {
      return db
        .transaction(() => {
          const r = rowStmt.get(id);
          if (!r) return null;
          if (readVersion !== undefined && readVersion !== r.version) {
            const last = lastEditStmt.get(id);
            return { conflict: last ? toEdit(last) : null, version: r.version };
          }
          const version = r.version + 1;
          updateStmt.run({ id, version, ...columnsOf(next, lengthM) });
          const [minX, maxX, minY, maxY] = boxOf(next.geometry);
          rtreeUpdate.run(minX, maxX, minY, maxY, r.rid);
          historyInsert.run({
            placeId: id,
            version,
            action: edit.action,
            at: edit.at,
            actor: edit.actor,
            before: JSON.stringify(stateOf(r)),
            after: JSON.stringify(next),
          });
          bumpPlacesRevision(db);
          return { version };
        })
        .immediate();
    },
    /** Points in use an account answers for: as their 包抓领导 (its id), or as 点位长 (its name, as the registry records the keeper). */
    placesOf(userId: number, displayName: string): { id: string; leader: boolean; keeper: boolean }[] {
      return placesOfStmt.all({ userId, name: displayName }).map((r) => ({ id: r.id, leader: r.leader === 1, keeper: r.keeper === 1 }));
    },
    /**
     * Makes account `userId` the 包抓领导 of the `n` points in use with the most problems that have none
     * (the demo city's leader, so 我的点位 has something to show); answers how many. Set as data, not as an
     * edit: the points' history starts with the city's own.
     */
    leadBusiestPlaces(userId: number, n: number): number {
      const changed = leadBusiestStmt.run({ userId, n }).changes;
      if (changed > 0) bumpPlacesRevision(db);
      return changed;
    },
    /**
     * The latest history row, and the points edited since history row `mark` with the mark to ask from next
     * time: what the basemap tiles redraw after an edit instead of the whole registry.
     */
    placeHistoryMark(): number {
      return historyMarkStmt.get() as number;
    },
    placeEditsSince(mark: number): { mark: number; ids: string[] } {
      const rows = editsSinceStmt.all(mark);
      return { mark: rows.length ? rows[rows.length - 1].id : mark, ids: [...new Set(rows.map((r) => r.placeId))] };
    },
    /** What replacing the whole city (import-layers.ts) would remove that no layers folder holds: the rows made in the app. */
    replaceLosses(): { problems: number; checks: number; placeEdits: number } {
      const n = (table: string) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
      return { problems: n('problems'), checks: n('check_results'), placeEdits: n('place_history') };
    },
    /** A point's edits, newest first (empty for a point as imported and never edited). */
    placeHistory(id: string): PlaceEdit[] {
      return historyStmt.all(id).map(toEdit);
    },
    /** The point's latest edit, or null. */
    lastPlaceEdit(id: string): PlaceEdit | null {
      const r = lastEditStmt.get(id);
      return r ? toEdit(r) : null;
    },
    /** Every inspection point (of `kind`, in `subdistrict` when given) with its names, for the 点位信息表. */
    registryRows(f: { kind?: string; subdistrict?: string; within?: readonly string[] }): RegistryRecord[] {
      return registryStmt.all({ kind: f.kind ?? null, subdistrict: f.subdistrict ?? null, within: f.within ? JSON.stringify(f.within) : null });
    },
    /** One place by id, or null. */
    getPlace(id: string): PlaceRecord | null {
      const r = byIdStmt.get(id);
      if (!r) return null;
      return {
        id: r.id,
        kind: r.kind,
        name: r.name,
        geometry: JSON.parse(r.geometry) as Geometry,
        properties: placeProps(r) as PlaceRecord['properties'],
      };
    },
  };
}
