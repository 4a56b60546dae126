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
  pointsColumns,
  type PointsColumns,
  type PointsDictionary,
} from '../../../../server/contract/points-bin';
import { listMask, statusMask, toProblemFilter } from '../../../../server/contract/problem-filter';
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

/** Reads a points.bin buffer; throws a sentence saying what to do when it is not one. */
export function decodePoints(buffer: ArrayBuffer): ProblemPoints {
  const view = new DataView(buffer);
  if (buffer.byteLength < POINTS_BIN_FIXED_HEADER || view.getUint32(H.magic, true) !== POINTS_BIN_MAGIC) {
    throw new Error('The problem points are not in the expected format (no XCPB header); reload the page, and update the server if it keeps happening.');
  }
  const version = view.getUint16(H.version, true);
  if (version !== POINTS_BIN_VERSION) {
    throw new Error(
      `The problem points are format version ${version}, this page reads version ${POINTS_BIN_VERSION}; reload the page to get the matching client.`,
    );
  }
  const header = view.getUint16(H.headerBytes, true);
  const n = view.getUint32(H.count, true);
  const dictLength = view.getUint32(H.dictionaryBytes, true);
  const expected = header + POINTS_BIN_BYTES_PER_POINT * n;
  if (buffer.byteLength !== expected) {
    throw new Error(`The problem points are truncated (${buffer.byteLength} of ${expected} bytes); reload the page.`);
  }
  const dictionary = JSON.parse(new TextDecoder().decode(new Uint8Array(buffer, POINTS_BIN_FIXED_HEADER, dictLength))) as PointsDictionary;
  const columns = pointsColumns(buffer, header, n);
  // getUTCDay of a date at noon: 0 Sunday … 6 Saturday; Monday-based offset.
  const weekOffset = (new Date(`${dictionary.baseDate}T12:00:00Z`).getUTCDay() + 6) % 7;
  let maxDay = 0;
  for (let i = 0; i < n; i++) if (columns.day[i] > maxDay) maxDay = columns.day[i];
  const weeks = n > 0 ? Math.floor((maxDay + weekOffset) / 7) + 1 : 0;
  return { count: n, dictionary, ...columns, weekOffset, weeks };
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
}

/**
 * Masks for the map's filters, meaning what the API's filter means (server/contract/problem-filter.ts):
 * `assigned` keeps every assigned problem (overdue ones included), `overdue` keeps assigned problems past
 * their deadline (the status column's `overdue` code); an empty list filters nothing.
 */
export function pointMask(
  points: ProblemPoints,
  f: { categories: readonly string[]; statuses: readonly StatusFilter[]; subdistricts: readonly string[]; units: readonly string[] },
): PointMask {
  const d = points.dictionary;
  const filter = toProblemFilter({ category: f.categories, status: f.statuses, subdistrict: f.subdistricts, unit: f.units });
  return {
    category: listMask(d.categories, filter.categories),
    status: statusMask(d.statuses, filter),
    subdistrict: listMask(d.subdistricts, filter.subdistricts),
    unit: listMask(d.units, filter.units),
  };
}

function passesMask(points: ProblemPoints, mask: PointMask, i: number): boolean {
  return (
    (!mask.category || mask.category[points.category[i]] === 1) &&
    (!mask.status || mask.status[points.status[i]] === 1) &&
    (!mask.subdistrict || mask.subdistrict[points.subdistrict[i]] === 1) &&
    (!mask.unit || mask.unit[points.unit[i]] === 1)
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
