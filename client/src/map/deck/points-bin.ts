/**
 * Decodes `GET /api/hotspots/points.bin` version 1 (layout: server/routes/hotspots/points-bin.md) into
 * typed-array views over the response buffer (no copy), plus the GPU attributes the hotspot layers
 * use. Pure: no fetch, no deck.gl.
 */
import {
  POINTS_BIN_BYTES_PER_POINT,
  POINTS_BIN_FIXED_HEADER,
  POINTS_BIN_HEADER as H,
  POINTS_BIN_MAGIC,
  POINTS_BIN_VERSION,
  POINTS_DELTA_BYTES_PER_ROW,
  POINTS_DELTA_MAGIC,
  POINTS_DELTA_VERSION,
  deltaSlots,
  copyPointRow,
  pointsColumns,
  type PointsColumns,
  type PointsDeltaDictionary,
  type PointsDictionary,
} from '../../../../server/contract/points-bin';
import { inFilterArea, listMask, statusMask, toProblemFilter, type FilterArea } from '../../../../server/contract/problem-filter';
import type { StatusFilter } from '../../../../server/contract/problem-status';

/** Every problem as columns; entry i of each column is problem i. */
export interface ProblemPoints extends PointsColumns {
  count: number;
  dictionary: PointsDictionary;
  /** Days from the Monday on or before baseDate to baseDate (0 when baseDate is a Monday). */
  weekOffset: number;
  /** Number of weeks the data spans (Monday-based). */
  weeks: number;
}

/** What the week arithmetic reads of the points: their span in Monday-based weeks from `baseDate`. */
export type WeekCalendar = Pick<ProblemPoints, 'weekOffset' | 'weeks'> & { dictionary: Pick<PointsDictionary, 'baseDate'> };

/**
 * The fixed header and dictionary of a points.bin or a points delta, checked: its magic, version and
 * length, each failure a sentence saying what to do.
 */
function readHeader<D>(buffer: ArrayBuffer, f: { what: string; magic: number; tag: string; version: number; bytesPerRow: number }) {
  const view = new DataView(buffer);
  if (buffer.byteLength < POINTS_BIN_FIXED_HEADER || view.getUint32(H.magic, true) !== f.magic) {
    throw new Error(`The ${f.what} are not in the expected format (no ${f.tag} header); reload the page, and update the server if it keeps happening.`);
  }
  const version = view.getUint16(H.version, true);
  if (version !== f.version) {
    throw new Error(`The ${f.what} are format version ${version}, this page reads version ${f.version}; reload the page to get the matching client.`);
  }
  const header = view.getUint16(H.headerBytes, true);
  const n = view.getUint32(H.count, true);
  const expected = header + f.bytesPerRow * n;
  if (buffer.byteLength !== expected) throw new Error(`The ${f.what} are truncated (${buffer.byteLength} of ${expected} bytes); reload the page.`);
  const dictionary = JSON.parse(new TextDecoder().decode(new Uint8Array(buffer, POINTS_BIN_FIXED_HEADER, view.getUint32(H.dictionaryBytes, true)))) as D;
  return { view, header, n, dictionary };
}

/** Reads a points.bin buffer; throws a sentence saying what to do when it is not one. */
export function decodePoints(buffer: ArrayBuffer): ProblemPoints {
  const { header, n, dictionary } = readHeader<PointsDictionary>(buffer, {
    what: 'problem points',
    magic: POINTS_BIN_MAGIC,
    tag: 'XCPB',
    version: POINTS_BIN_VERSION,
    bytesPerRow: POINTS_BIN_BYTES_PER_POINT,
  });
  const columns = pointsColumns(buffer, header, n);
  // getUTCDay of a date at noon: 0 Sunday … 6 Saturday; Monday-based offset.
  const weekOffset = (new Date(`${dictionary.baseDate}T12:00:00Z`).getUTCDay() + 6) % 7;
  return { count: n, dictionary, ...columns, weekOffset, weeks: weeksOf(columns.day, n, weekOffset) };
}

function weeksOf(day: Uint16Array, n: number, weekOffset: number): number {
  let maxDay = 0;
  for (let i = 0; i < n; i++) if (day[i] > maxDay) maxDay = day[i];
  return n > 0 ? Math.floor((maxDay + weekOffset) / 7) + 1 : 0;
}

/** A decoded `GET /api/hotspots/points.delta`: the changed rows as columns, each with its slot. */
export interface PointsDelta extends PointsColumns {
  dictionary: PointsDeltaDictionary;
  /** Days since 1970-01-01 (city time) of the rows' day 0; a delta over another origin cannot be applied. */
  baseDay: number;
  /** Rows in the delta. */
  rows: number;
  slot: Uint32Array;
}

/** Reads a points delta buffer (points-bin.md, "Deltas"); throws a sentence saying what to do when it is not one. */
export function decodePointsDelta(buffer: ArrayBuffer): PointsDelta {
  const { view, header, n, dictionary } = readHeader<PointsDeltaDictionary>(buffer, {
    what: 'problem updates',
    magic: POINTS_DELTA_MAGIC,
    tag: 'XCPD',
    version: POINTS_DELTA_VERSION,
    bytesPerRow: POINTS_DELTA_BYTES_PER_ROW,
  });
  return { dictionary, baseDay: view.getInt32(H.baseDay, true), rows: n, ...pointsColumns(buffer, header, n), slot: deltaSlots(buffer, header, n) };
}

/** Column buffers this module allocated with room to grow (the decoded ones share the response's buffer, packed). */
const GROWABLE = new WeakSet<ArrayBufferLike>();

/** `a` as a view of `n` entries over a buffer with room to grow: the same buffer while it has room. */
function grown<T extends Float32Array | Uint16Array | Uint8Array>(a: T, n: number): T {
  const Ctor = a.constructor as { new (length: number): T; new (buffer: ArrayBufferLike, offset: number, length: number): T };
  if (GROWABLE.has(a.buffer) && a.byteOffset === 0 && a.buffer.byteLength >= n * a.BYTES_PER_ELEMENT) return new Ctor(a.buffer, 0, n);
  const room = new Ctor(Math.max(n, Math.ceil(a.length * 1.25) + 64));
  GROWABLE.add(room.buffer);
  const out = new Ctor(room.buffer, 0, n);
  out.set(a);
  return out;
}

/**
 * Applies `delta` to `points`: changed rows are written into their slots in place, new ones appended (the
 * columns then move to buffers with room, once in a while), and the code lists take the appended names.
 * Returns the points after it — `points` itself when nothing changed, otherwise a new object over the
 * updated columns, so memoised layers see a change — or null when the delta cannot be applied to these
 * points (a reload answer, another day origin, codes or slots that do not follow on): fetch points.bin whole.
 */
export function applyPointsDelta(points: ProblemPoints, delta: PointsDelta): ProblemPoints | null {
  const d = delta.dictionary;
  if (d.reload || d.count === undefined || !d.append || !d.lengths || d.baseDate !== points.dictionary.baseDate) return null;
  const dict = points.dictionary;
  const fits = (have: readonly unknown[], add: readonly unknown[], total: number) => have.length + add.length === total;
  if (
    !fits(dict.categories, d.append.categories, d.lengths.categories) ||
    !fits(dict.subdistricts, d.append.subdistricts, d.lengths.subdistricts) ||
    !fits(dict.units, d.append.units, d.lengths.units) ||
    d.count < points.count
  ) {
    return null;
  }
  // Every new slot must come with its row, or the appended tail would hold zeros.
  const n = d.count;
  let appended = 0;
  for (let k = 0; k < delta.rows; k++) {
    if (delta.slot[k] >= n) return null;
    if (delta.slot[k] >= points.count) appended++;
  }
  if (appended !== n - points.count) return null;
  const sameDict = d.append.categories.length + d.append.subdistricts.length + d.append.units.length === 0 && d.nowDate === dict.nowDate;
  if (delta.rows === 0 && sameDict) return points;

  const cols: PointsColumns =
    n === points.count
      ? points
      : {
          position: grown(points.position, 2 * n),
          day: grown(points.day, n),
          category: grown(points.category, n),
          subdistrict: grown(points.subdistrict, n),
          unit: grown(points.unit, n),
          lateDays: grown(points.lateDays, n),
          status: grown(points.status, n),
          recurrence: grown(points.recurrence, n),
        };
  for (let k = 0; k < delta.rows; k++) {
    copyPointRow(cols, delta.slot[k], delta, k);
  }
  const dictionary: PointsDictionary = sameDict
    ? dict
    : {
        ...dict,
        nowDate: d.nowDate ?? dict.nowDate,
        categories: [...dict.categories, ...d.append.categories],
        subdistricts: [...dict.subdistricts, ...d.append.subdistricts],
        units: [...dict.units, ...d.append.units],
      };
  const { position, day, category, subdistrict, unit, lateDays, status, recurrence } = cols;
  return {
    count: n,
    dictionary,
    position,
    day,
    category,
    subdistrict,
    unit,
    lateDays,
    status,
    recurrence,
    weekOffset: points.weekOffset,
    weeks: weeksOf(day, n, points.weekOffset),
  };
}

/** Week index (0 = the week holding baseDate) of a day index. */
export function weekOfDay(points: WeekCalendar, day: number): number {
  return Math.floor((day + points.weekOffset) / 7);
}

/** YYYY-MM-DD of the Monday starting week `w`. */
export function weekStartDate(points: WeekCalendar, w: number): string {
  const base = Date.parse(`${points.dictionary.baseDate}T00:00:00Z`);
  return new Date(base + (w * 7 - points.weekOffset) * 86_400_000).toISOString().slice(0, 10);
}

/** Day index range [first, last] covered by weeks `from`…`to` (inclusive). */
export function daysOfWeeks(points: WeekCalendar, from: number, to: number): [number, number] {
  return [from * 7 - points.weekOffset, to * 7 - points.weekOffset + 6];
}

/** What the heat map weighs each problem by. */
export type HeatWeight = 'count' | 'recurrences' | 'lateDays';

/** The report day as a float attribute: the data filter's value, uploaded once per points buffer. */
export function dayAttribute(points: ProblemPoints): Float32Array {
  return Float32Array.from(points.day);
}

/**
 * Heat weights for `measure`, zero for problems the mask leaves out. Rebuilt (one float a problem) only
 * when the measure or a category/status/subdistrict/unit filter changes; the time window is a GPU filter.
 */
export function heatWeights(points: ProblemPoints, measure: HeatWeight, mask: PointMask): Float32Array {
  const out = new Float32Array(points.count);
  for (let i = 0; i < points.count; i++) {
    if (!passesMask(points, mask, i)) continue;
    out[i] = measure === 'count' ? 1 : measure === 'recurrences' ? points.recurrence[i] : points.lateDays[i];
  }
  return out;
}

/** Which problems pass the non-time filters, as masks over each column's codes (null = all pass). */
export interface PointMask {
  category: Uint8Array | null;
  status: Uint8Array | null;
  subdistrict: Uint8Array | null;
  unit: Uint8Array | null;
  /** The 网格 filter's outlines; null = anywhere. */
  area: FilterArea | null;
}

/**
 * Masks for the map's filters, meaning what the API's filter means (server/contract/problem-filter.ts):
 * `assigned` keeps every assigned problem (overdue ones included), `overdue` keeps assigned problems past
 * their deadline (the status column's `overdue` code); an empty list filters nothing.
 */
export function pointMask(
  points: ProblemPoints,
  f: {
    categories: readonly string[];
    statuses: readonly StatusFilter[];
    districts?: readonly string[];
    subdistricts: readonly string[];
    units: readonly string[];
  },
  area: FilterArea | null = null,
  districtSubdistricts?: (ids: string[]) => string[],
): PointMask {
  const d = points.dictionary;
  const filter = toProblemFilter(
    { category: f.categories, status: f.statuses, district: f.districts, subdistrict: f.subdistricts, unit: f.units },
    { districtSubdistricts },
  );
  return {
    category: listMask(d.categories, filter.categories),
    status: statusMask(d.statuses, filter),
    subdistrict: listMask(d.subdistricts, filter.subdistricts),
    unit: listMask(d.units, filter.units),
    area,
  };
}

function passesMask(points: ProblemPoints, mask: PointMask, i: number): boolean {
  return (
    (!mask.category || mask.category[points.category[i]] === 1) &&
    (!mask.status || mask.status[points.status[i]] === 1) &&
    (!mask.subdistrict || mask.subdistrict[points.subdistrict[i]] === 1) &&
    (!mask.unit || mask.unit[points.unit[i]] === 1) &&
    (!mask.area || inFilterArea(mask.area, points.position[2 * i], points.position[2 * i + 1]))
  );
}

/** Weekly counts of the problems passing `mask` (and `inside`, when given, e.g. a clicked cell). */
export function weeklyCounts(points: ProblemPoints, mask: PointMask, inside?: (lng: number, lat: number) => boolean): Uint32Array {
  const out = new Uint32Array(points.weeks);
  for (let i = 0; i < points.count; i++) {
    if (!passesMask(points, mask, i)) continue;
    if (inside && !inside(points.position[2 * i], points.position[2 * i + 1])) continue;
    out[weekOfDay(points, points.day[i])]++;
  }
  return out;
}

/** Problems passing `mask` reported in the inclusive day window: total, open (not closed) and overdue now. */
export function countInWindow(points: ProblemPoints, mask: PointMask, days: [number, number]): { total: number; open: number; overdue: number } {
  const closed = points.dictionary.statuses.indexOf('closed');
  const overdueCode = points.dictionary.statuses.indexOf('overdue');
  let total = 0;
  let open = 0;
  let overdue = 0;
  for (let i = 0; i < points.count; i++) {
    const d = points.day[i];
    if (d < days[0] || d > days[1] || !passesMask(points, mask, i)) continue;
    total++;
    if (points.status[i] !== closed) open++;
    if (points.status[i] === overdueCode) overdue++;
  }
  return { total, open, overdue };
}
