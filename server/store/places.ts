import type Database from 'better-sqlite3';
import type { Geometry } from '../contract/geojson';
import type { PlaceKind } from '../contract/layers';
import { placeProps } from './layers';

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
  subdistrictName: string | null;
  unitName: string | null;
}

/** Reads of single places, and of the registry as a list. */
export function placeQueries(db: Database.Database) {
  const byIdStmt = db.prepare<[string], Record<string, unknown> & { id: string; geometry: string; kind: PlaceKind; name: string }>(
    'SELECT * FROM places WHERE id = ?',
  );
  const registryStmt = db.prepare<{ kind: string | null; subdistrict: string | null }, RegistryRecord>(
    `SELECT p.id, p.kind, p.name, p.address, p.entrance, p.geometry, s.name AS subdistrictName, u.name AS unitName
       FROM places p LEFT JOIN subdistricts s ON s.id = p.subdistrict_id LEFT JOIN units u ON u.id = p.unit_id
      WHERE (@kind IS NULL OR p.kind = @kind) AND (@subdistrict IS NULL OR p.subdistrict_id = @subdistrict)
      ORDER BY p.subdistrict_id, p.kind, p.name, p.id`,
  );
  return {
    /** Every inspection point (of `kind`, in `subdistrict` when given) with its names, for the 点位信息表. */
    registryRows(f: { kind?: string; subdistrict?: string }): RegistryRecord[] {
      return registryStmt.all({ kind: f.kind ?? null, subdistrict: f.subdistrict ?? null });
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
