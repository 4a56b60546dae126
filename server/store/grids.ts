import type Database from 'better-sqlite3';
import type { Geometry } from '../contract/geojson';
import { filterArea, type FilterArea } from '../contract/problem-filter';

/** A grid as stored. */
export interface GridRecord {
  id: string;
  name: string;
  member: string | null;
  phone: string | null;
  subdistrictId: string | null;
  geometry: Geometry;
  version: number;
  updatedAt: string;
  updatedBy: string;
}

interface Row {
  id: string;
  name: string;
  member: string | null;
  phone: string | null;
  subdistrict_id: string | null;
  geometry: string;
  version: number;
  updated_at: string;
  updated_by: string;
}

const recordOf = (r: Row): GridRecord => ({
  id: r.id,
  name: r.name,
  member: r.member,
  phone: r.phone,
  subdistrictId: r.subdistrict_id,
  geometry: JSON.parse(r.geometry) as Geometry,
  version: r.version,
  updatedAt: r.updated_at,
  updatedBy: r.updated_by,
});

/** 网格: a few hundred polygons a city, read whole (no spatial index needed at that count). */
export function gridQueries(db: Database.Database) {
  const listStmt = db.prepare<[], Row>('SELECT * FROM grids ORDER BY subdistrict_id, name, id');
  const byIdStmt = db.prepare<[string], Row>('SELECT * FROM grids WHERE id = ?');
  const namesStmt = db.prepare<[], { id: string; name: string; subdistrictId: string | null }>(
    'SELECT id, name, subdistrict_id AS subdistrictId FROM grids ORDER BY subdistrict_id, name, id',
  );
  const insertStmt = db.prepare(`INSERT INTO grids (id, name, member, phone, subdistrict_id, geometry, version, updated_at, updated_by)
    VALUES (@id, @name, @member, @phone, @subdistrictId, @geometry, 1, @at, @actor)`);
  const updateStmt = db.prepare(`UPDATE grids SET name = @name, member = @member, phone = @phone, subdistrict_id = @subdistrictId,
      geometry = @geometry, version = version + 1, updated_at = @at, updated_by = @actor WHERE id = @id AND version = @version`);
  const deleteStmt = db.prepare('DELETE FROM grids WHERE id = ?');
  type Write = Omit<GridRecord, 'version' | 'updatedAt' | 'updatedBy' | 'geometry'> & { geometry: Geometry; at: string; actor: string };
  const params = (g: Write) => ({ ...g, geometry: JSON.stringify(g.geometry) });

  return {
    /** Every grid, by subdistrict and name. */
    listGrids(): GridRecord[] {
      return listStmt.all().map(recordOf);
    },
    /** Every grid's id, name and subdistrict, without its outline (the filters' choices). */
    gridNames(): { id: string; name: string; subdistrictId: string | null }[] {
      return namesStmt.all();
    },
    getGrid(id: string): GridRecord | null {
      const r = byIdStmt.get(id);
      return r ? recordOf(r) : null;
    },
    insertGrid(g: Write): void {
      insertStmt.run(params(g));
    },
    /** Writes the grid read at `version`; false when it changed since (or is gone). */
    updateGrid(g: Write & { version: number }): boolean {
      return updateStmt.run({ ...params(g), version: g.version }).changes === 1;
    },
    deleteGrid(id: string): boolean {
      return deleteStmt.run(id).changes === 1;
    },
    /**
     * The outlines of grids `ids` as a problem filter's area, keyed by ids and versions. An id that is no
     * grid adds nothing, as an unknown subdistrict matches nothing.
     */
    gridArea(ids: readonly string[]): FilterArea {
      const outlines: Extract<Geometry, { type: 'Polygon' | 'MultiPolygon' }>[] = [];
      const key: string[] = [];
      for (const id of [...new Set(ids)].sort()) {
        const r = byIdStmt.get(id);
        key.push(`${id}@${r?.version ?? 0}`);
        const g = r ? (JSON.parse(r.geometry) as Geometry) : null;
        if (g && (g.type === 'Polygon' || g.type === 'MultiPolygon')) outlines.push(g);
      }
      return filterArea(outlines, key.join(','));
    },
  };
}
