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

/** Reads of single places. */
export function placeQueries(db: Database.Database) {
  const byIdStmt = db.prepare<[string], Record<string, unknown> & { id: string; geometry: string; kind: PlaceKind; name: string }>(
    'SELECT * FROM places WHERE id = ?',
  );
  return {
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
