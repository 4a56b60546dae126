import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { basename, extname } from 'node:path';
import { booleanPointInPolygon, circle, distance, pointToLineDistance } from '@turf/turf';
import { parse } from 'csv-parse';
import ExcelJS from 'exceljs';
import gcoord from 'gcoord';
import type { Feature, LineString, MultiLineString, Position } from 'geojson';
import { locator, type Layers } from './build-layers';
import type { SkipLog } from './elements';
import { ImportError } from './errors';
import { COMMUNITY_POINT_RADIUS_M } from './map-tags';

export type PlaceKind = 'market' | 'community' | 'back-street';
export type Crs = 'wgs84' | 'gcj02' | 'bd09';

/** One spreadsheet row, coordinates already in WGS84. `row` is the 1-based row in the sheet (header = 1). */
export interface PointRow {
  row: number;
  name: string;
  kind: PlaceKind;
  at: [number, number];
  address: string | null;
}

const HEADERS = {
  name: ['name', '名称', '名字', '点位名称', '点位'],
  kind: ['kind', 'type', '类型', '类别', '点位类型'],
  lng: ['lng', 'lon', 'longitude', 'x', '经度', '东经'],
  lat: ['lat', 'latitude', 'y', '纬度', '北纬'],
  address: ['address', '地址'],
  /** One column with both numbers, "lng,lat" (or "lat,lng": told apart by their ranges). */
  both: ['坐标', '经纬度', '坐标(经度,纬度)', '坐标（经度，纬度）', 'coordinates', 'coordinate', 'lnglat', 'lng,lat', 'location'],
};
/** A title row ("东昌区创文实地考察点位表") or two may stand above the header; the header is looked for this far down. */
const HEADER_SEARCH_ROWS = 10;

const KIND_WORDS: Record<string, PlaceKind> = {
  market: 'market',
  市场: 'market',
  农贸市场: 'market',
  菜市场: 'market',
  集贸市场: 'market',
  community: 'community',
  社区: 'community',
  小区: 'community',
  住宅小区: 'community',
  'back-street': 'back-street',
  backstreet: 'back-street',
  背街小巷: 'back-street',
  小巷: 'back-street',
  背街: 'back-street',
};

/** Converts [lng, lat] from a Chinese web-map CRS to WGS84 with gcoord. */
export function toWgs84(at: [number, number], crs: Crs): [number, number] {
  if (crs === 'wgs84') return at;
  const [lng, lat] = gcoord.transform(at, crs === 'gcj02' ? gcoord.GCJ02 : gcoord.BD09, gcoord.WGS84) as [number, number];
  return [Math.round(lng * 1e7) / 1e7, Math.round(lat * 1e7) / 1e7];
}

/**
 * Reads a CSV or XLSX point list (first sheet; headers in English or Chinese: name/名称, kind/类型,
 * longitude/经度, latitude/纬度 or one 坐标 column, address/地址; other columns are ignored) and converts
 * the coordinates from `crs` to WGS84. The header is the first row naming a name and the coordinates:
 * title rows above it, as sheets handed round an office have, are skipped.
 *
 * @throws ImportError naming the row (and column) of a missing name, unknown kind or bad coordinate.
 */
export async function readPointRows(path: string, opts: { crs: Crs; kind?: PlaceKind }): Promise<PointRow[]> {
  const ext = extname(path).toLowerCase();
  const file = basename(path);
  const rows = ext === '.xlsx' ? await xlsxRows(path) : ext === '.csv' || ext === '.txt' ? await csvRows(path) : null;
  if (!rows) throw new ImportError(`${file}: point lists must be .csv or .xlsx`);
  if (rows.length === 0) throw new ImportError(`${file}: empty; the first row must be a header (名称,类型,经度,纬度)`);
  const headerOf = (cells: string[]) => cells.map((h) => h.trim().toLowerCase().replace(/\s+/g, ''));
  const columns = (header: string[]) => {
    const col = (names: string[]) => header.findIndex((h) => names.includes(h));
    return {
      name: col(HEADERS.name),
      kind: col(HEADERS.kind),
      lng: col(HEADERS.lng),
      lat: col(HEADERS.lat),
      address: col(HEADERS.address),
      both: col(HEADERS.both),
    };
  };
  // The header is the first row that names a name column and the coordinates; rows above it are titles.
  const at0 = rows.slice(0, HEADER_SEARCH_ROWS).findIndex(({ cells }) => {
    const c = columns(headerOf(cells));
    return c.name >= 0 && ((c.lng >= 0 && c.lat >= 0) || c.both >= 0);
  });
  // Without one, the row naming a name column is the header meant (else the first), and its message says what it lacks.
  const named = rows.slice(0, HEADER_SEARCH_ROWS).findIndex(({ cells }) => columns(headerOf(cells)).name >= 0);
  const headerRow = rows[at0 >= 0 ? at0 : Math.max(named, 0)];
  const header = headerOf(headerRow.cells);
  const c = columns(header);
  if (at0 < 0) {
    const need = c.name < 0 ? `a name column (${HEADERS.name.join(' / ')})` : `the coordinates: 经度 and 纬度 columns, or one 坐标 column ("经度,纬度")`;
    throw new ImportError(
      `${file}: row ${headerRow.row}: no header row found in the first ${HEADER_SEARCH_ROWS} rows; it needs ${need} (row ${headerRow.row} has: ${headerRow.cells.filter((h) => h.trim()).join(', ') || 'nothing'})`,
    );
  }
  if (c.kind < 0 && !opts.kind)
    throw new ImportError(`${file}: row ${headerRow.row}: no kind column (类型); add one or pass --kind market|community|back-street`);
  const split = c.lng < 0 || c.lat < 0;
  const out: PointRow[] = [];
  for (const { row, cells } of rows.slice(at0 + 1)) {
    if (cells.every((v) => v.trim() === '')) continue;
    const at = (i: number) => (cells[i] ?? '').trim();
    const name = at(c.name);
    if (!name) throw new ImportError(`${file}: row ${row}: the name (名称) is empty`);
    const kindText = c.kind >= 0 ? at(c.kind) : '';
    const kind = kindText ? KIND_WORDS[kindText.toLowerCase()] : opts.kind;
    if (!kind) {
      throw new ImportError(
        `${file}: row ${row}: kind "${kindText}" is not one of market/市场, community/社区/小区, back-street/背街小巷${opts.kind ? '' : ' (or pass --kind)'}`,
      );
    }
    const [lngText, latText] = split ? coordinatePair(file, row, at(c.both)) : [at(c.lng), at(c.lat)];
    const lng = Number(lngText);
    const lat = Number(latText);
    if (lngText === '' || !Number.isFinite(lng) || lng < -180 || lng > 180)
      throw new ImportError(`${file}: row ${row}: longitude (经度) "${lngText}" is not a number in -180…180`);
    if (latText === '' || !Number.isFinite(lat) || lat < -90 || lat > 90)
      throw new ImportError(`${file}: row ${row}: latitude (纬度) "${latText}" is not a number in -90…90; are the columns swapped?`);
    out.push({ row, name, kind, at: toWgs84([lng, lat], opts.crs), address: c.address >= 0 ? at(c.address) || null : null });
  }
  return out;
}

/**
 * The two numbers of a 坐标 cell ("115.98,36.45", "36.45, 115.98", "115.98，36.45", "115.98 36.45") as
 * [longitude, latitude]: a number beyond ±90 can only be the longitude, so either order is read.
 */
function coordinatePair(file: string, row: number, text: string): [string, string] {
  const parts = text.split(/\s*[,，;；\s]\s*/).filter(Boolean);
  if (parts.length !== 2 || parts.some((p) => !Number.isFinite(Number(p)))) {
    throw new ImportError(`${file}: row ${row}: 坐标 "${text}" is not two numbers; write it as 经度,纬度 (e.g. 115.98,36.45)`);
  }
  const [a, b] = parts.map(Number);
  if (Math.abs(a) <= 90 && Math.abs(b) > 90) return [parts[1], parts[0]];
  if (Math.abs(a) <= 90 && Math.abs(b) <= 90) {
    throw new ImportError(`${file}: row ${row}: 坐标 "${text}": cannot tell longitude from latitude (both within ±90); use separate 经度 and 纬度 columns`);
  }
  return [parts[0], parts[1]];
}

async function csvRows(path: string): Promise<{ row: number; cells: string[] }[]> {
  const out: { row: number; cells: string[] }[] = [];
  const parser = createReadStream(path).pipe(parse({ bom: true, relax_column_count: true, skip_empty_lines: false }));
  try {
    for await (const cells of parser) out.push({ row: out.length + 1, cells: (cells as unknown[]).map((v) => String(v ?? '')) });
  } catch (err) {
    throw new ImportError(`${basename(path)}: row ${out.length + 1}: not valid CSV (${(err as Error).message})`, { cause: err });
  }
  return out;
}

async function xlsxRows(path: string): Promise<{ row: number; cells: string[] }[]> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.readFile(path);
  } catch (err) {
    throw new ImportError(`${basename(path)}: not a readable .xlsx workbook (${(err as Error).message}); save it again as Excel .xlsx`, { cause: err });
  }
  const sheet = wb.worksheets[0];
  if (!sheet) throw new ImportError(`${basename(path)}: the workbook has no sheet`);
  const out: { row: number; cells: string[] }[] = [];
  sheet.eachRow({ includeEmpty: false }, (r, rowNumber) => {
    const cells: string[] = [];
    r.eachCell({ includeEmpty: true }, (cell, colNumber) => {
      const v = cell.value;
      cells[colNumber - 1] = cellText(v);
    });
    for (let i = 0; i < cells.length; i++) cells[i] ??= '';
    out.push({ row: rowNumber, cells });
  });
  return out;
}

/** Text of an exceljs cell value: formulas give their result, rich text and hyperlinks their text. */
function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString();
  if (typeof v !== 'object') return String(v);
  if ('result' in v) return v.result === undefined || v.result === null ? '' : String(v.result);
  if ('richText' in v) return v.richText.map((t) => t.text).join('');
  if ('text' in v) return String((v as { text: unknown }).text ?? '');
  return '';
}

const PLACE_LAYER = { market: 'markets', community: 'communities', 'back-street': 'backStreets' } as const;
const ID_PREFIX = { market: 'mk', community: 'cm', 'back-street': 'bs' } as const;
const STREET_SNAP_M = 100;
const SAME_NAME_STREET_M = 1000;
/** Points farther than this outside the city bbox are not of this city (wrong --crs, wrong file). */
const OUTSIDE_MARGIN_KM = 2;

/**
 * Adds spreadsheet points to the city's layers (or, with `replace`, first removes every place of the kinds
 * the file has). A point replaces a place of the same kind and name. Markets are points; a community
 * becomes a circle of COMMUNITY_POINT_RADIUS_M with the point as entrance; a back street takes the
 * geometry of the streets of the same name within 1 km, else of the nearest street within 100 m.
 */
export function mergePoints(
  layers: Layers,
  rows: PointRow[],
  opts: { replace: boolean },
  skipped: SkipLog,
): { added: number; updated: number; removed: number } {
  const locate = locator(layers.subdistricts, layers.units);
  let removed = 0;
  if (opts.replace) {
    for (const kind of new Set(rows.map((r) => r.kind))) {
      removed += layers[PLACE_LAYER[kind]].length;
      layers[PLACE_LAYER[kind]] = [];
    }
  }
  const [w, s, e, n] = layers.city.bbox;
  let added = 0;
  let updated = 0;
  for (const r of rows) {
    const where = `row ${r.row} (${r.name})`;
    const [x, y] = r.at;
    const outside = Math.max(0, w - x, x - e) * 111 * Math.cos((y * Math.PI) / 180) + Math.max(0, s - y, y - n) * 111;
    if (outside > OUTSIDE_MARGIN_KM) {
      skipped.add(`point more than ${OUTSIDE_MARGIN_KM} km outside the city (wrong --crs, swapped columns or another city?)`, where);
      continue;
    }
    const base = `${ID_PREFIX[r.kind]}x${createHash('sha1').update(r.name).digest('hex').slice(0, 10)}`;
    const props = { id: base, name: r.name, kind: r.kind, ...locate(r.at) };
    let f: Feature;
    if (r.kind === 'market') {
      f = { type: 'Feature', geometry: { type: 'Point', coordinates: r.at }, properties: { ...props, address: r.address } };
    } else if (r.kind === 'community') {
      const inside = layers.communities.find((c) => c.properties.name === r.name && booleanPointInPolygon(r.at, c.geometry));
      const geometry = inside ? inside.geometry : circle(r.at, COMMUNITY_POINT_RADIUS_M / 1000, { steps: 24 }).geometry;
      f = { type: 'Feature', geometry, properties: { ...props, entrance: r.at } };
    } else {
      const geometry = streetAt(layers, r);
      if (!geometry) {
        skipped.add(`back street with no street of its name within ${SAME_NAME_STREET_M} m and no street within ${STREET_SNAP_M} m`, where);
        continue;
      }
      const lengthM =
        Math.round((geometry.type === 'LineString' ? [geometry.coordinates] : geometry.coordinates).reduce((sum, line) => sum + lineLengthM(line), 0) * 10) /
        10;
      f = { type: 'Feature', geometry, properties: { ...props, lengthM } };
    }
    const list = layers[PLACE_LAYER[r.kind]] as Feature[];
    const same = list.findIndex((p) => p.properties?.name === r.name);
    if (same >= 0) {
      f.properties!.id = list[same].properties!.id;
      list[same] = f;
      updated++;
    } else {
      const used = new Set(list.map((p) => p.properties?.id));
      let id = base;
      for (let i = 2; used.has(id); i++) id = `${base}-${i}`;
      f.properties!.id = id;
      list.push(f);
      added++;
    }
  }
  return { added, updated, removed };
}

function lineLengthM(line: Position[]): number {
  let m = 0;
  for (let i = 1; i < line.length; i++) m += distance(line[i - 1], line[i]) * 1000;
  return m;
}

function streetAt(layers: Layers, r: PointRow): LineString | MultiLineString | null {
  // A cheap box test first: a city has thousands of road pieces and a sheet hundreds of rows.
  const dLat = SAME_NAME_STREET_M / 111_195;
  const dLng = dLat / Math.cos((r.at[1] * Math.PI) / 180);
  const [px, py] = r.at;
  const near = layers.roads.filter((road) => {
    let w = Infinity;
    let s = Infinity;
    let e = -Infinity;
    let n = -Infinity;
    for (const [x, y] of road.geometry.coordinates) [w, s, e, n] = [Math.min(w, x), Math.min(s, y), Math.max(e, x), Math.max(n, y)];
    return px >= w - dLng && px <= e + dLng && py >= s - dLat && py <= n + dLat;
  });
  const named = near.filter((road) => road.properties.name === r.name && pointToLineDistance(r.at, road.geometry) * 1000 <= SAME_NAME_STREET_M);
  if (named.length === 1) return named[0].geometry;
  if (named.length > 1) return { type: 'MultiLineString', coordinates: named.map((road) => road.geometry.coordinates) };
  let best: LineString | null = null;
  let bestM = STREET_SNAP_M;
  for (const road of near) {
    const m = pointToLineDistance(r.at, road.geometry) * 1000;
    if (m <= bestM) [best, bestM] = [road.geometry, m];
  }
  return best;
}
