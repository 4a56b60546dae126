/**
 * What a problem filter means, written once for every place that applies one: the store's SQL
 * (store/problems.ts `problemFilterSql`, also under the ledger), the tile and hotspot index
 * (services/problems/problem-index.ts) and the browser's points.bin mask (client/src/map/deck/points-bin.ts).
 * Pure and zod-free, so the client may import values from it.
 *
 * - **Statuses.** A problem passes when its stored status is listed, or when `overdue` is asked for and
 *   it is overdue (assigned and past its deadline now: `isOverdue`). So `assigned` includes the overdue
 *   ones and `overdue` alone keeps only them. No list: every status passes; an empty list without
 *   `overdue`: none does.
 * - **Time.** `fromMs` and `toMs` are inclusive bounds on the report time.
 * - **Lists** (categories, subdistricts, units): the problem's id is listed. A problem without a
 *   subdistrict or unit (null) passes no list. No list: everything passes.
 * - **Districts** (区/县): a problem is in a district through its subdistrict, so a district list becomes the
 *   list of the districts' subdistricts (narrowed to the subdistricts asked for, when both are): resolved by
 *   the side that knows the subdistricts, like grids. A district with none keeps nothing.
 * - **bbox**: west ≤ lng ≤ east and south ≤ lat ≤ north.
 * - **Grids** (网格): the problem lies inside one of the grids' outlines as they are drawn now (a grid is an
 *   area, not a label: redraw it and the problems inside it are its own). The side that holds the grids
 *   resolves their ids into an `area` (the server from its store, the browser from `GET /api/grids`).
 */
import { pointInPolygon, type BBox } from './geo';
import type { PROBLEM_STATUSES, StatusFilter } from './problem-status';

type ProblemStatus = (typeof PROBLEM_STATUSES)[number];

/** A validated filter, as the store, the tile index and the hotspot analysis take it. */
export interface ProblemFilter {
  bbox?: BBox;
  fromMs?: number;
  toMs?: number;
  categories?: string[];
  /** Stored statuses to keep; undefined keeps every status (unless `overdue` narrows it). */
  statuses?: ProblemStatus[];
  /** Also keep assigned problems past their deadline (the `overdue` status filter). */
  overdue?: boolean;
  subdistricts?: string[];
  units?: string[];
  /** The grids' outlines to keep problems inside; undefined: anywhere. */
  area?: FilterArea;
}

/** Polygons (GeoJSON rings: outer, then holes), their bounding box, and a key naming them as drawn now. */
export interface FilterArea {
  polygons: (readonly (readonly number[])[])[][];
  bbox: BBox;
  /** Changes whenever an outline does (ids and versions): caches and ETags key on it. */
  key: string;
}

/** Polygonal geometries, structurally. */
type Polygonal =
  | { type: 'Polygon'; coordinates: readonly (readonly (readonly number[])[])[] }
  | { type: 'MultiPolygon'; coordinates: readonly (readonly (readonly (readonly number[])[])[])[] };

/** The area of some outlines; `key` names them (e.g. grid ids with their versions). */
export function filterArea(outlines: readonly Polygonal[], key: string): FilterArea {
  const polygons = outlines.flatMap((g) => (g.type === 'Polygon' ? [g.coordinates] : g.coordinates)).map((rings) => rings.map((r) => [...r]));
  const bbox: BBox = [Infinity, Infinity, -Infinity, -Infinity];
  for (const rings of polygons) {
    for (const [x, y] of rings[0] ?? []) {
      if (x < bbox[0]) bbox[0] = x;
      if (y < bbox[1]) bbox[1] = y;
      if (x > bbox[2]) bbox[2] = x;
      if (y > bbox[3]) bbox[3] = y;
    }
  }
  return { polygons, bbox, key };
}

/** Is (lng, lat) inside `area`? The bounding box first: most points of a city lie outside a grid's. */
export function inFilterArea(area: FilterArea, lng: number, lat: number): boolean {
  const b = area.bbox;
  if (lng < b[0] || lng > b[2] || lat < b[1] || lat > b[3]) return false;
  const pt = [lng, lat];
  return area.polygons.some((rings) => pointInPolygon(pt, rings));
}

/** A filter as a query or a page writes it: lists with the derived `overdue` among the statuses. */
export interface ProblemFilterQuery {
  bbox?: BBox;
  from?: number;
  to?: number;
  category?: readonly string[];
  status?: readonly StatusFilter[];
  district?: readonly string[];
  subdistrict?: readonly string[];
  unit?: readonly string[];
  grid?: readonly string[];
}

/** What the side applying a filter knows that the query only names: the grids' outlines, the districts' subdistricts. */
export interface FilterResolver {
  gridArea(ids: string[]): FilterArea;
  districtSubdistricts(ids: string[]): string[];
}

const listOrAll = (list: readonly string[] | undefined) => (list?.length ? [...list] : undefined);

/**
 * Turns a query's lists into the filter: an empty list filters nothing, `overdue` becomes its own flag,
 * grid ids become their `area` and district ids their subdistricts through `resolve` (the store's: an id
 * that is no grid adds no outline, one that is no district no subdistrict).
 */
export function toProblemFilter(q: ProblemFilterQuery, resolve?: Partial<FilterResolver>): ProblemFilter {
  const grids = listOrAll(q.grid);
  if (grids && !resolve?.gridArea) throw new Error('toProblemFilter: a grid filter needs the grids to resolve it');
  const districts = listOrAll(q.district);
  if (districts && !resolve?.districtSubdistricts) throw new Error('toProblemFilter: a district filter needs the districts to resolve it');
  const asked = listOrAll(q.subdistrict);
  const inDistricts = districts && resolve?.districtSubdistricts?.(districts);
  const subdistricts = inDistricts ? (asked ? inDistricts.filter((id) => asked.includes(id)) : inDistricts) : asked;
  const statuses = q.status?.filter((s): s is ProblemStatus => s !== 'overdue');
  return {
    bbox: q.bbox,
    fromMs: q.from,
    toMs: q.to,
    categories: listOrAll(q.category),
    statuses: q.status?.length ? statuses : undefined,
    overdue: q.status?.includes('overdue') ?? false,
    subdistricts,
    units: listOrAll(q.unit),
    area: grids && resolve?.gridArea?.(grids),
  };
}

/** Overdue: assigned, and its deadline is before `nowMs`. */
export function isOverdue(status: string, deadlineMs: number | null, nowMs: number): boolean {
  return status === 'assigned' && deadlineMs !== null && deadlineMs < nowMs;
}

/** Does a problem whose status reads `status` (a stored one, or `overdue` for an overdue one) pass? */
function statusPasses(f: Pick<ProblemFilter, 'statuses' | 'overdue'>, status: string): boolean {
  if (status === 'overdue') return (f.overdue ?? false) || (f.statuses?.includes('assigned') ?? false);
  return f.statuses?.includes(status as ProblemStatus) ?? false;
}

/**
 * The status filter as a mask over a status column's codes (`codes[c]` names code c: a stored status,
 * or `overdue` for the problems overdue now), for loops that only read arrays. Null: every status passes.
 */
export function statusMask(codes: readonly string[], f: Pick<ProblemFilter, 'statuses' | 'overdue'>): Uint8Array | null {
  if (!f.statuses && !f.overdue) return null;
  return Uint8Array.from(codes, (s) => (statusPasses(f, s) ? 1 : 0));
}

/** A list filter as a mask over a column's dictionary (`names[c]` names code c). Null: no list, all pass. */
export function listMask(names: readonly (string | null)[], wanted: readonly string[] | undefined): Uint8Array | null {
  if (!wanted) return null;
  const set = new Set(wanted);
  return Uint8Array.from(names, (name) => (name !== null && set.has(name) ? 1 : 0));
}
