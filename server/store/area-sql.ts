/**
 * A problem filter's area (网格 outlines) in SQL: `xc_in_area(lng, lat, @area)`, where `@area` is the key
 * of an area registered here by the query that uses it, in the same thread. The polygons stay in this
 * thread's memory instead of travelling as a parameter, which SQLite would hand to the function again
 * for every row.
 */
import type Database from 'better-sqlite3';
import { inFilterArea, type FilterArea } from '../contract/problem-filter';

/** Areas of the last queries, by key; a city has a few hundred grids, a page asks for a few at a time. */
const AREAS_KEPT = 64;
const areas = new Map<string, FilterArea>();

/** Registers `area` for the statement about to run; answers its `@area` parameter. */
export function areaParam(area: FilterArea): string {
  areas.delete(area.key);
  areas.set(area.key, area);
  if (areas.size > AREAS_KEPT) areas.delete(areas.keys().next().value as string);
  return area.key;
}

/** Declares `xc_in_area` on a connection (every connection a filter may run on: openDatabase does it). */
export function defineAreaFunction(db: Database.Database): void {
  db.function('xc_in_area', { deterministic: true }, (lng: unknown, lat: unknown, key: unknown) => {
    const area = areas.get(String(key));
    if (!area) throw new Error(`xc_in_area: the area ${String(key)} was not registered by the query that uses it (areaParam)`);
    return inFilterArea(area, Number(lng), Number(lat)) ? 1 : 0;
  });
}

/**
 * The SQL condition "inside the area" over the problems row `alias`: the same text for every area, whose
 * polygons are parameters. The R*Tree finds the rows in the area's box (a grid holds a thousandth of a
 * city), the polygons test only those.
 */
export const areaCondition = (alias = 'p') =>
  `(${alias}.rid IN (SELECT rid FROM problems_rtree WHERE min_x <= @areaE AND max_x >= @areaW AND min_y <= @areaN AND max_y >= @areaS)` +
  ` AND xc_in_area(${alias}.lng, ${alias}.lat, @area))`;

/** The SQL condition of `area`, its parameters added to `params`; `0` for an area without outlines (grids that do not exist). */
export function areaSql(area: FilterArea, params: Record<string, unknown>, alias = 'p'): string {
  const [w, s, e, n] = area.bbox;
  if (!(w <= e && s <= n)) return '0';
  Object.assign(params, { areaW: w, areaS: s, areaE: e, areaN: n, area: areaParam(area) });
  return areaCondition(alias);
}
