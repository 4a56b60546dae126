import type Database from 'better-sqlite3';
import type { BBox } from '../contract/geo';
import type { DistrictKind } from '../contract/layers';
import { pointInPolygon } from '../contract/geo';
import type { MultiPolygon, Polygon } from 'geojson';

/** The id of the district a one-district city is given (by the migration, or an import without districts). */
export const WHOLE_CITY_DISTRICT = 'dt01';

/**
 * Inserts a one-district city's district: named after the city, over the city's bbox and every
 * subdistrict's (so none lies outside it), coded with the 6-digit prefix its subdistricts share (371599001 →
 * 371599) when they do. The migration of a city stored before districts calls it too: keep it so.
 */
export function insertWholeCityDistrict(db: Database.Database, cityName: string, cityBbox: BBox): void {
  const extent = db
    .prepare<[], { w: number | null; s: number | null; e: number | null; n: number | null }>(
      'SELECT min(min_x) AS w, min(min_y) AS s, max(max_x) AS e, max(max_y) AS n FROM subdistricts_rtree',
    )
    .get();
  const w = Math.min(cityBbox[0], extent?.w ?? Infinity);
  const s = Math.min(cityBbox[1], extent?.s ?? Infinity);
  const e = Math.max(cityBbox[2], extent?.e ?? -Infinity);
  const n = Math.max(cityBbox[3], extent?.n ?? -Infinity);
  const ring = [
    [w, s],
    [e, s],
    [e, n],
    [w, n],
    [w, s],
  ];
  const prefixes = db.prepare<[], { p: string }>('SELECT DISTINCT substr(code, 1, 6) AS p FROM subdistricts WHERE length(code) >= 9').all();
  const code = prefixes.length === 1 ? prefixes[0].p : '';
  const kind: DistrictKind = 'district';
  db.prepare('INSERT INTO districts (rid, id, name, code, kind, geometry) VALUES (1, ?, ?, ?, ?, ?)').run(
    WHOLE_CITY_DISTRICT,
    cityName,
    code,
    kind,
    JSON.stringify({ type: 'Polygon', coordinates: [ring] }),
  );
  db.prepare('INSERT INTO districts_rtree (rid, min_x, max_x, min_y, max_y) VALUES (1, ?, ?, ?, ?)').run(w, e, s, n);
}

/**
 * Each unit's district: its subdistrict's, or for a district-wide department (no subdistrict) the district
 * its office lies in. Units already given one keep it.
 */
export function assignUnitDistricts(db: Database.Database): void {
  db.exec('UPDATE units SET district_id = (SELECT s.district_id FROM subdistricts s WHERE s.id = units.subdistrict_id) WHERE subdistrict_id IS NOT NULL');
  const districts = db
    .prepare<[], { id: string; geometry: string }>('SELECT id, geometry FROM districts ORDER BY rid')
    .all()
    .map((d) => ({ id: d.id, geometry: JSON.parse(d.geometry) as Polygon | MultiPolygon }));
  const setUnit = db.prepare('UPDATE units SET district_id = ? WHERE id = ?');
  for (const u of db.prepare<[], { id: string; geometry: string }>('SELECT id, geometry FROM units WHERE district_id IS NULL').all()) {
    const at = (JSON.parse(u.geometry) as { coordinates: number[] }).coordinates;
    const d = districts.find((x) =>
      (x.geometry.type === 'Polygon' ? [x.geometry.coordinates] : x.geometry.coordinates).some((rings) => pointInPolygon(at, rings)),
    );
    if (d) setUnit.run(d.id, u.id);
  }
}
