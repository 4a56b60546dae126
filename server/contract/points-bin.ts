/**
 * The layout of `GET /api/hotspots/points.bin` version 1 (server/routes/hotspots/points-bin.md): the
 * server's encoder and the browser's decoder both take their offsets and column views from here, so the
 * two cannot disagree about where a column starts. Pure: no I/O, no zod.
 */
import { STATUS_FILTERS } from './problem-status';

/** `XCPB` little-endian, the first four bytes. */
export const POINTS_BIN_MAGIC = 0x42504358;
export const POINTS_BIN_VERSION = 1;
/** Bytes before the dictionary: magic, version, header length, N, baseDay, dictionary length. */
export const POINTS_BIN_FIXED_HEADER = 20;
/** Bytes per problem over all columns (8 position + 5 × 2 + 2 × 1). */
export const POINTS_BIN_BYTES_PER_POINT = 20;

/** Byte offsets of the fixed header's fields. */
export const POINTS_BIN_HEADER = { magic: 0, version: 4, headerBytes: 6, count: 8, baseDay: 12, dictionaryBytes: 16 } as const;

/** Codes of the status column: the stored statuses, then `overdue` (an assigned problem past its deadline now). */
export const POINTS_BIN_STATUSES = STATUS_FILTERS;

/** The dictionary that gives the column codes their meaning (UTF-8 JSON after the fixed header). */
export interface PointsDictionary {
  baseDate: string;
  nowDate: string;
  categories: string[];
  subdistricts: (string | null)[];
  units: (string | null)[];
  statuses: string[];
}

/** The columns as typed-array views; entry i of each column is problem i. */
export interface PointsColumns {
  /** [lng, lat] interleaved, float32. */
  position: Float32Array;
  /** Report day since the dictionary's baseDate (city time). */
  day: Uint16Array;
  category: Uint16Array;
  subdistrict: Uint16Array;
  unit: Uint16Array;
  lateDays: Uint16Array;
  /** Index into the dictionary's statuses (4 = overdue). */
  status: Uint8Array;
  recurrence: Uint8Array;
}

/** Copies row `from` of `src` into row `to` of `dst` (a delta's rows and the full columns, both ways). */
export function copyPointRow(dst: PointsColumns, to: number, src: PointsColumns, from: number): void {
  dst.position[2 * to] = src.position[2 * from];
  dst.position[2 * to + 1] = src.position[2 * from + 1];
  dst.day[to] = src.day[from];
  dst.category[to] = src.category[from];
  dst.subdistrict[to] = src.subdistrict[from];
  dst.unit[to] = src.unit[from];
  dst.lateDays[to] = src.lateDays[from];
  dst.status[to] = src.status[from];
  dst.recurrence[to] = src.recurrence[from];
}

/** Header length for a dictionary of `dictionaryBytes`: padded to 8 so the float32 column is aligned. */
export function pointsHeaderBytes(dictionaryBytes: number): number {
  return Math.ceil((POINTS_BIN_FIXED_HEADER + dictionaryBytes) / 8) * 8;
}

/**
 * Views over the columns of a buffer whose columns start at `headerBytes`, for `n` problems: the encoder
 * writes through them, the decoder reads them (no copy either way).
 */
export function pointsColumns(buffer: ArrayBuffer, headerBytes: number, n: number): PointsColumns {
  let offset = headerBytes;
  const position = new Float32Array(buffer, offset, 2 * n);
  offset += 8 * n;
  const u16 = () => {
    const a = new Uint16Array(buffer, offset, n);
    offset += 2 * n;
    return a;
  };
  const day = u16();
  const category = u16();
  const subdistrict = u16();
  const unit = u16();
  const lateDays = u16();
  const status = new Uint8Array(buffer, offset, n);
  const recurrence = new Uint8Array(buffer, offset + n, n);
  return { position, day, category, subdistrict, unit, lateDays, status, recurrence };
}

/**
 * `GET /api/hotspots/points.delta` (points-bin.md, "Deltas"): the rows of points.bin that changed since
 * the caller's points revision, each with its slot. `XCPD` little-endian.
 */
export const POINTS_DELTA_MAGIC = 0x44504358;
export const POINTS_DELTA_VERSION = 1;
/** Bytes per changed row: the 20 of points.bin plus its uint32 slot. */
export const POINTS_DELTA_BYTES_PER_ROW = 24;
/** The response header that names the points revision of a points.bin body (the `since` of its next delta). */
export const POINTS_REVISION_HEADER = 'X-Points-Revision';
/** What a points revision looks like: `<server start>.<sequence>`, opaque to the client. */
export const POINTS_REVISION_PATTERN = /^[0-9a-z]{1,16}\.\d{1,12}$/;

/** A delta's dictionary: what a points.bin dictionary becomes, and which revision the rows bring the caller to. */
export interface PointsDeltaDictionary {
  /** True when the caller must fetch points.bin whole (an import, a restart, a revision the server no longer knows). */
  reload: boolean;
  /** The points revision after the delta (absent when `reload`). */
  revision?: string;
  /** Problems after the delta: the caller's count plus the appended slots. */
  count?: number;
  baseDate?: string;
  nowDate?: string;
  /** Names appended to each code list since the caller's revision (codes never change meaning in between). */
  append?: { categories: string[]; subdistricts: (string | null)[]; units: (string | null)[] };
  /** Length of each code list after the delta: the caller's plus `append`'s. */
  lengths?: { categories: number; subdistricts: number; units: number };
}

/** The slot column of a delta: after the 20 bytes a row of the points.bin columns (a multiple of 4). */
export function deltaSlots(buffer: ArrayBuffer, headerBytes: number, n: number): Uint32Array {
  return new Uint32Array(buffer, headerBytes + POINTS_BIN_BYTES_PER_POINT * n, n);
}
