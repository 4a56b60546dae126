import type Database from 'better-sqlite3';
import type { BBox, LngLat } from '../contract/geo';
import type { LayerCounts } from '../contract/meta';
import type { DistrictKind } from '../contract/layers';

/** The loaded city as stored (city.json plus import bookkeeping). */
export interface CityRecord {
  name: string;
  nameEn: string;
  center: LngLat;
  bbox: BBox;
  source: string;
  attribution: string;
  generator: { name: string; seed: number; scale: number; end: string } | null;
  createdAt: string | null;
  importedAt: string;
  layersDir: string;
  /** Changes on every import: caches built from the store key on it. */
  stamp: string;
}

interface CityRow {
  name: string;
  name_en: string;
  center: string;
  bbox: string;
  source: string;
  attribution: string;
  generator: string | null;
  created_at: string | null;
  imported_at: string;
  layers_dir: string;
  stamp: string;
}

/** Queries over the city row, the per-layer counts and the id → name lookups. */
export function cityQueries(db: Database.Database) {
  const cityStmt = db.prepare<[], CityRow>('SELECT * FROM city WHERE singleton = 1');
  const stampStmt = db.prepare<[], { stamp: string }>('SELECT stamp FROM city WHERE singleton = 1');
  const countsStmt = db.prepare<[], LayerCounts>(`
    SELECT
      (SELECT count(*) FROM roads) AS roads,
      (SELECT count(*) FROM water) AS water,
      (SELECT count(*) FROM districts) AS districts,
      (SELECT count(*) FROM subdistricts) AS subdistricts,
      (SELECT count(*) FROM units) AS units,
      (SELECT count(*) FROM places WHERE kind = 'market' AND retired_at IS NULL) AS markets,
      (SELECT count(*) FROM places WHERE kind = 'community' AND retired_at IS NULL) AS communities,
      (SELECT count(*) FROM places WHERE kind = 'back-street' AND retired_at IS NULL) AS backStreets,
      (SELECT count(*) FROM places WHERE kind NOT IN ('market', 'community', 'back-street') AND retired_at IS NULL) AS points,
      (SELECT count(*) FROM problems) AS problems`);
  const districtsStmt = db.prepare<[], { id: string; name: string; code: string; kind: DistrictKind }>(
    'SELECT id, name, code, kind FROM districts ORDER BY code, id',
  );
  const subdistrictsStmt = db.prepare<[], { id: string; name: string; code: string; districtId: string | null }>(
    'SELECT id, name, code, district_id AS districtId FROM subdistricts ORDER BY code, id',
  );
  const unitsStmt = db.prepare<[], { id: string; name: string; type: string; subdistrictId: string | null; districtId: string | null }>(
    'SELECT id, name, type, subdistrict_id AS subdistrictId, district_id AS districtId FROM units ORDER BY id',
  );
  const districtSubdistrictsStmt = db.prepare<[string], { id: string }>(
    'SELECT id FROM subdistricts WHERE district_id IN (SELECT value FROM json_each(?)) ORDER BY id',
  );
  const subdistrictNameStmt = db.prepare<[string], { name: string }>('SELECT name FROM subdistricts WHERE id = ?');
  const unitNameStmt = db.prepare<[string], { name: string }>('SELECT name FROM units WHERE id = ?');

  return {
    /** True once a city has been imported. */
    hasCity(): boolean {
      return stampStmt.get() !== undefined;
    },
    /** The import stamp, or null with no city; one indexed row read, cheap enough per request. */
    cityStamp(): string | null {
      return stampStmt.get()?.stamp ?? null;
    },
    /** The loaded city, or null. */
    getCity(): CityRecord | null {
      const r = cityStmt.get();
      if (!r) return null;
      return {
        name: r.name,
        nameEn: r.name_en,
        center: JSON.parse(r.center) as LngLat,
        bbox: JSON.parse(r.bbox) as BBox,
        source: r.source,
        attribution: r.attribution,
        generator: r.generator === null ? null : JSON.parse(r.generator),
        createdAt: r.created_at,
        importedAt: r.imported_at,
        layersDir: r.layers_dir,
        stamp: r.stamp,
      };
    },
    /** Feature count of every layer. */
    counts(): LayerCounts {
      return countsStmt.get() as LayerCounts;
    },
    /** All districts (区/县/开发区), by code. */
    listDistricts() {
      return districtsStmt.all();
    },
    /** All subdistricts, by code. */
    listSubdistricts() {
      return subdistrictsStmt.all();
    },
    /** All responsible units, by id. */
    listUnits() {
      return unitsStmt.all();
    },
    /** Ids of the subdistricts of districts `ids`; an id that is no district adds none. */
    districtSubdistricts(ids: readonly string[]): string[] {
      return districtSubdistrictsStmt.all(JSON.stringify(ids)).map((r) => r.id);
    },
    /** Name of a subdistrict, or null if there is none with that id. */
    subdistrictName(id: string | null): string | null {
      return id === null ? null : (subdistrictNameStmt.get(id)?.name ?? null);
    },
    /** Name of a unit, or null if there is none with that id. */
    unitName(id: string | null): string | null {
      return id === null ? null : (unitNameStmt.get(id)?.name ?? null);
    },
  };
}
