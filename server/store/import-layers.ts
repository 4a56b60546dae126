import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { z } from 'zod';
import { StoreError } from '../errors';
import { coordsBBox } from '../geo/bbox';
import { CityFile } from '../contract/city';
import { gridQueries } from './grids';
import { DISTRICTS_FILE, GRIDS_FILE, GridLayerFeature, LAYER_FILES, type LayerName } from '../contract/layers';
import { assignDistricts, type Area } from '../geo/districts';
import { assignUnitDistricts, insertWholeCityDistrict } from './districts';
import type { LayerCounts } from '../contract/meta';
import { CheckBody } from '../contract/checks';
import { ProblemLine } from '../contract/problems';
import type { Store } from './index';
import { readLines } from './read-lines';
import { bumpPlacesRevision, bumpRevision } from './revisions';
import { checkQueries, checkRowOf } from './checks';

/** Files a layers folder must have; the others may be missing (a city without water, or no problems yet). */
const REQUIRED_LAYERS: readonly LayerName[] = ['roads', 'subdistricts'];
const PROBLEMS_FILE = 'problems.ndjson';
const CHECKS_FILE = 'checks.ndjson';
const PROGRESS_EVERY = 100_000;

/** Import options. */
export interface ImportOptions {
  /** Called with a short line per step ("roads: 1234"). */
  onProgress?(msg: string): void;
}

/**
 * Replaces the store's city with the normalized layers folder `layersDir` (data/README.md), atomically:
 * everything is validated and written in one transaction, so on any error the previous city is left
 * exactly as it was. problems.ndjson is streamed line by line and may be of any size; so is the optional
 * checks.ndjson (a history of check results, e.g. the demo city's), which replaces the stored results.
 *
 * @returns the number of features imported per layer (`roads`, `water`, `subdistricts`, `units`,
 *   `markets`, `communities`, `backStreets`, `problems`).
 * @throws StoreError naming the file (and line or feature) that is wrong and what is expected.
 * @example
 * const { counts } = importLayers(openStore('var/xuncha.db'), 'var/layers', { onProgress: console.log });
 */
export function importLayers(store: Store, layersDir: string, opts: ImportOptions = {}): { counts: LayerCounts } {
  const dir = resolve(layersDir);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new StoreError(
      `The layers folder ${dir} does not exist. Generate one with \`npm run demo -- --out ${layersDir}\`, or point at a folder written by an importer.`,
    );
  }
  const progress = opts.onProgress ?? (() => {});
  const db = store.db;

  const city = parseWhole(join(dir, 'city.json'), CityFile, 'city.json');

  const counts: LayerCounts = {
    roads: 0,
    water: 0,
    districts: 0,
    subdistricts: 0,
    units: 0,
    markets: 0,
    communities: 0,
    backStreets: 0,
    points: 0,
    problems: 0,
  };

  const insert = {
    roads: db.prepare('INSERT INTO roads (rid, id, name, class, oneway, maxspeed_kmh, access, bridge, tunnel, geometry) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)'),
    water: db.prepare('INSERT INTO water (rid, id, name, kind, geometry) VALUES (?, ?, ?, ?, ?)'),
    districts: db.prepare('INSERT INTO districts (rid, id, name, code, kind, geometry) VALUES (?, ?, ?, ?, ?, ?)'),
    subdistricts: db.prepare('INSERT INTO subdistricts (rid, id, name, code, geometry) VALUES (?, ?, ?, ?, ?)'),
    units: db.prepare('INSERT INTO units (rid, id, name, type, subdistrict_id, phone, geometry) VALUES (?, ?, ?, ?, ?, ?, ?)'),
    places: db.prepare(
      'INSERT INTO places (rid, id, kind, name, subdistrict_id, unit_id, address, entrance, length_m, geometry) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    // Problems are staged, then copied in time order: rowid order = reportedAt order keeps the rows of
    // a newest-first page together on disk (3× faster pages than rows scattered by input order).
    problems: () =>
      db.prepare(`INSERT INTO problems_import (line, id, lng, lat, category, description, status, reported_at, reported_ms,
        assigned_at, deadline, deadline_ms, rectified_at, closed_at, subdistrict_id, unit_id, place_id, recurrence_of,
        notice_no, source, reporter) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
    city: db.prepare(`INSERT INTO city (singleton, name, name_en, center, bbox, source, attribution, generator, created_at,
      imported_at, layers_dir, stamp) VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
  };
  const rtree = (table: string) => db.prepare(`INSERT INTO ${table} (rid, min_x, max_x, min_y, max_y) VALUES (?, ?, ?, ?, ?)`);
  const rtrees = {
    roads: rtree('roads_rtree'),
    water: rtree('water_rtree'),
    districts: rtree('districts_rtree'),
    subdistricts: rtree('subdistricts_rtree'),
    units: rtree('units_rtree'),
    places: rtree('places_rtree'),
  };

  const run = db.transaction(() => {
    bumpRevision(db, 'problems', 'all');
    bumpPlacesRevision(db);
    // A new city's points are not the old ones: their edit history goes with them.
    db.exec('DELETE FROM place_history');
    for (const table of ['roads', 'water', 'districts', 'subdistricts', 'units', 'places', 'problems', 'city']) {
      db.exec(`DELETE FROM ${table}`);
      if (table !== 'city') db.exec(`DELETE FROM ${table}_rtree`);
    }

    let placeRid = 0;
    for (const layer of ['roads', 'water', 'districts', 'subdistricts', 'units', 'markets', 'communities', 'back-streets', 'points'] as const) {
      const { file, feature } = LAYER_FILES[layer];
      const path = join(dir, file);
      if (!existsSync(path)) {
        if (REQUIRED_LAYERS.includes(layer)) {
          throw new StoreError(`${path} is missing. A layers folder needs ${file} (see data/README.md).`);
        }
        progress(`${layer}: no ${file}, 0 imported`);
        continue;
      }
      const features = readFeatures(path, file);
      let rid = 0;
      features.forEach((raw, i) => {
        const parsed = feature.safeParse(raw);
        if (!parsed.success) throw new StoreError(`${file}: feature ${i + 1}${idHint(raw)} ${describeIssues(parsed.error)}`);
        const f = parsed.data;
        const geometry = JSON.stringify(f.geometry);
        const box = coordsBBox(f.geometry.coordinates);
        if (!box) throw new StoreError(`${file}: feature ${i + 1} (${f.properties.id}) has an empty geometry`);
        const isPlace = layer === 'markets' || layer === 'communities' || layer === 'back-streets' || layer === 'points';
        const thisRid = isPlace ? ++placeRid : ++rid;
        try {
          writeFeature(layer, thisRid, f, geometry);
        } catch (err) {
          throw duplicateOr(
            err,
            `${file}: feature ${i + 1} has id "${f.properties.id}", already used by another ${isPlace ? 'place' : 'feature'}; ids must be unique`,
          );
        }
        rtrees[isPlace ? 'places' : (layer as 'roads' | 'water' | 'districts' | 'subdistricts' | 'units')].run(thisRid, box[0], box[2], box[1], box[3]);
      });
      counts[layer === 'back-streets' ? 'backStreets' : layer] = features.length;
      progress(`${layer}: ${features.length}`);
    }
    if (counts.districts === 0) {
      insertWholeCityDistrict(db, city.name, city.bbox);
      counts.districts = 1;
    }
    deriveDistricts();

    const problemsPath = join(dir, PROBLEMS_FILE);
    if (existsSync(problemsPath)) {
      counts.problems = importProblems(problemsPath);
      progress(`problems: ${counts.problems}`);
    } else {
      progress(`problems: no ${PROBLEMS_FILE}, 0 imported`);
    }

    const checksPath = join(dir, CHECKS_FILE);
    if (existsSync(checksPath)) progress(`checks: ${importChecks(checksPath)}`);

    // Deleting the city above emptied the grids (a trigger): a new city's grids are its own.
    const gridsPath = join(dir, GRIDS_FILE);
    if (existsSync(gridsPath)) progress(`grids: ${importGrids(gridsPath)}`);

    const importedAt = new Date().toISOString();
    insert.city.run(
      city.name,
      city.nameEn,
      JSON.stringify(city.center),
      JSON.stringify(city.bbox),
      city.source,
      city.attribution,
      city.generator ? JSON.stringify(city.generator) : null,
      city.createdAt ?? null,
      importedAt,
      dir,
      `${importedAt}/${randomUUID()}`,
    );
    // Fresh statistics let the planner choose between the R*Tree and the filter indexes.
    db.exec('ANALYZE');
  });

  function writeFeature(layer: LayerName, rid: number, f: { properties: Record<string, unknown> }, geometry: string) {
    const p = f.properties as Record<string, never>;
    switch (layer) {
      case 'roads':
        insert.roads.run(rid, p.id, p.name, p.class, p.oneway, p.maxspeedKmh, p.access, p.bridge ? 1 : 0, p.tunnel ? 1 : 0, geometry);
        return;
      case 'water':
        insert.water.run(rid, p.id, p.name, p.kind, geometry);
        return;
      case 'districts':
        insert.districts.run(rid, p.id, p.name, p.code, p.kind, geometry);
        return;
      case 'subdistricts':
        insert.subdistricts.run(rid, p.id, p.name, p.code, geometry);
        return;
      case 'units':
        insert.units.run(rid, p.id, p.name, p.type, p.subdistrictId, p.phone, geometry);
        return;
      default: {
        const q = f.properties as { entrance?: unknown; address?: string | null; lengthM?: number };
        insert.places.run(
          rid,
          p.id,
          p.kind,
          p.name,
          p.subdistrictId,
          p.unitId,
          q.address ?? null,
          q.entrance ? JSON.stringify(q.entrance) : null,
          q.lengthM ?? null,
          geometry,
        );
      }
    }
  }

  function importProblems(path: string): number {
    db.exec(`CREATE TABLE problems_import (
      line INTEGER PRIMARY KEY, id TEXT, lng REAL, lat REAL, category TEXT, description TEXT, status TEXT,
      reported_at TEXT, reported_ms INTEGER, assigned_at TEXT, deadline TEXT, deadline_ms INTEGER, rectified_at TEXT,
      closed_at TEXT, subdistrict_id TEXT, unit_id TEXT, place_id TEXT, recurrence_of TEXT, notice_no TEXT,
      source TEXT, reporter TEXT)`);
    const stage = insert.problems();
    let lineNo = 0;
    let n = 0;
    for (const line of readLines(path)) {
      lineNo++;
      if (line.trim() === '') continue;
      let raw: unknown;
      try {
        raw = JSON.parse(line);
      } catch (err) {
        throw new StoreError(`${PROBLEMS_FILE}:${lineNo}: not valid JSON (${(err as Error).message}). Each line must be one GeoJSON Point Feature.`, {
          cause: err,
        });
      }
      const parsed = ProblemLine.safeParse(raw);
      if (!parsed.success) throw new StoreError(`${PROBLEMS_FILE}:${lineNo}:${idHint(raw)} ${describeIssues(parsed.error)}`);
      const { geometry, properties: p } = parsed.data;
      stage.run(
        lineNo,
        p.id,
        geometry.coordinates[0],
        geometry.coordinates[1],
        p.category,
        p.description,
        p.status,
        p.reportedAt,
        Date.parse(p.reportedAt),
        p.assignedAt,
        p.deadline,
        p.deadline === null ? null : Date.parse(p.deadline),
        p.rectifiedAt,
        p.closedAt,
        p.subdistrictId,
        p.unitId,
        p.placeId,
        p.recurrenceOf,
        p.noticeNo,
        p.source,
        p.reporter,
      );
      n++;
      if (n % PROGRESS_EVERY === 0) progress(`problems: ${n} read …`);
    }

    // Building the indexes once after the copy beats updating them row by row.
    const indexes = db
      .prepare<[], { name: string; sql: string }>("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'problems' AND sql IS NOT NULL")
      .all();
    for (const { name } of indexes) db.exec(`DROP INDEX "${name}"`);
    const columns = `id, lng, lat, category, description, status, reported_at, reported_ms, assigned_at, deadline,
      deadline_ms, rectified_at, closed_at, subdistrict_id, unit_id, place_id, recurrence_of, notice_no, source, reporter`;
    try {
      db.exec(`INSERT INTO problems (${columns}) SELECT ${columns} FROM problems_import ORDER BY reported_ms, id`);
    } catch (err) {
      const dup = db
        .prepare<[], { id: string; first: number; again: number }>(
          'SELECT id, min(line) AS first, max(line) AS again FROM problems_import GROUP BY id HAVING count(*) > 1 ORDER BY again LIMIT 1',
        )
        .get();
      throw duplicateOr(
        err,
        dup
          ? `${PROBLEMS_FILE}:${dup.again}: problem id "${dup.id}" is already used on line ${dup.first}; ids must be unique`
          : `${PROBLEMS_FILE}: problem ids must be unique`,
      );
    }
    db.exec('INSERT INTO problems_rtree (rid, min_x, max_x, min_y, max_y) SELECT rid, lng, lng, lat, lat FROM problems');
    db.exec('DROP TABLE problems_import');
    for (const { sql } of indexes) db.exec(sql);
    return n;
  }

  /**
   * checks.ndjson: one `POST /api/checks` body per line with the `inspector` who sent it. The catalog's
   * items are not known to the store; the scores pass over item ids no version has.
   */
  function importChecks(path: string): number {
    // Deleting the city (above) emptied check_results by its trigger; these replace them.
    const { insertCheck } = checkQueries(db);
    const isPlace = db.prepare<[string], { one: number }>('SELECT 1 AS one FROM places WHERE id = ?').pluck();
    const isProblem = db.prepare<[string], { one: number }>('SELECT 1 AS one FROM problems WHERE id = ?').pluck();
    let lineNo = 0;
    let n = 0;
    for (const line of readLines(path)) {
      lineNo++;
      if (line.trim() === '') continue;
      let raw: Record<string, unknown>;
      try {
        raw = JSON.parse(line) as Record<string, unknown>;
      } catch (err) {
        throw new StoreError(`${CHECKS_FILE}:${lineNo}: not valid JSON (${(err as Error).message}). Each line must be one check record.`, { cause: err });
      }
      const { inspector, ...body } = raw ?? {};
      if (typeof inspector !== 'string' || inspector.trim() === '') {
        throw new StoreError(`${CHECKS_FILE}:${lineNo}: inspector: give who recorded the check (a name), beside the POST /api/checks body`);
      }
      const parsed = CheckBody.safeParse(body);
      if (!parsed.success) throw new StoreError(`${CHECKS_FILE}:${lineNo}: ${describeIssues(parsed.error)}`);
      const c = parsed.data;
      if (!isPlace.get(c.pointId) && !isProblem.get(c.pointId)) {
        throw new StoreError(`${CHECKS_FILE}:${lineNo}: pointId "${c.pointId}" is no place or problem of this city; a check names the place it was made at`);
      }
      try {
        // Received when it was made: the history comes from another system, not from a phone now.
        insertCheck(checkRowOf(c, inspector, c.at));
      } catch (err) {
        throw duplicateOr(err, `${CHECKS_FILE}:${lineNo}: check id "${c.id}" is used twice; each record has its own UUID`);
      }
      n++;
    }
    return n;
  }

  /**
   * Each subdistrict's district from the geometry, and each unit's through its subdistrict (a district-wide
   * department: the district its office lies in). Districts that overlap or leave a subdistrict out refuse
   * the whole import, every such place named with how much.
   */
  function deriveDistricts(): void {
    const read = (table: string) =>
      db
        .prepare<[], { id: string; name: string; geometry: string }>(`SELECT id, name, geometry FROM ${table} ORDER BY rid`)
        .all()
        .map((r): Area => ({ id: r.id, name: r.name, geometry: JSON.parse(r.geometry) as Area['geometry'] }));
    const districts = read('districts');
    const { districtOf, problems } = assignDistricts(districts, read('subdistricts'));
    if (problems.length) {
      const shown = problems.slice(0, 10).join('; ');
      throw new StoreError(
        `${DISTRICTS_FILE}: the districts must tile the city without overlaps and hold every subdistrict, but ${shown}` +
          `${problems.length > 10 ? ` (and ${problems.length - 10} more)` : ''}. Nothing was imported: correct the boundaries and import again.`,
      );
    }
    const setSubdistrict = db.prepare('UPDATE subdistricts SET district_id = ? WHERE id = ?');
    for (const [sd, d] of districtOf) setSubdistrict.run(d, sd);
    assignUnitDistricts(db);
  }

  function importGrids(path: string): number {
    const { insertGrid } = gridQueries(db);
    const at = new Date().toISOString();
    const features = readFeatures(path, GRIDS_FILE);
    features.forEach((raw, i) => {
      const parsed = GridLayerFeature.safeParse(raw);
      if (!parsed.success) throw new StoreError(`${GRIDS_FILE}: feature ${i + 1}${idHint(raw)} ${describeIssues(parsed.error)}`);
      const { id, ...props } = parsed.data.properties;
      try {
        insertGrid({ id, ...props, geometry: parsed.data.geometry, at, actor: 'import' });
      } catch (err) {
        throw duplicateOr(err, `${GRIDS_FILE}: feature ${i + 1} has id "${id}", already used by another grid; ids must be unique`);
      }
    });
    return features.length;
  }

  run();
  return { counts };
}

/** Reads a FeatureCollection file and returns its raw features (validated one by one by the caller). */
function readFeatures(path: string, file: string): unknown[] {
  const json = readJson(path, file) as { type?: unknown; features?: unknown };
  if (json?.type !== 'FeatureCollection' || !Array.isArray(json.features)) {
    throw new StoreError(`${file}: must be a GeoJSON FeatureCollection ({"type":"FeatureCollection","features":[…]})`);
  }
  return json.features;
}

function parseWhole<S extends z.ZodType>(path: string, schema: S, file: string): z.output<S> {
  if (!existsSync(path)) throw new StoreError(`${path} is missing. A layers folder needs ${file} (see data/README.md).`);
  const parsed = schema.safeParse(readJson(path, file));
  if (!parsed.success) throw new StoreError(`${file}: ${describeIssues(parsed.error)}`);
  return parsed.data;
}

function readJson(path: string, file: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8').replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new StoreError(`${file}: not valid JSON (${(err as Error).message})`, { cause: err });
  }
}

/** "roads.geojson: feature 3 (r12): properties.class: …" — the id helps find the feature in the file. */
function idHint(raw: unknown): string {
  const id = (raw as { properties?: { id?: unknown } } | null)?.properties?.id;
  return typeof id === 'string' ? ` (${id})` : '';
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`)
    .join('; ');
}

function duplicateOr(err: unknown, message: string): unknown {
  if ((err as { code?: unknown })?.code === 'SQLITE_CONSTRAINT_UNIQUE' || (err as { code?: unknown })?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
    return new StoreError(message, { cause: err });
  }
  return err;
}
