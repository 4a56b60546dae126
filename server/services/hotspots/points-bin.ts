import { listMask } from '../../contract/problem-filter';
import { randomBytes } from 'node:crypto';
import {
  deltaSlots,
  POINTS_BIN_BYTES_PER_POINT,
  POINTS_BIN_FIXED_HEADER,
  POINTS_BIN_HEADER as H,
  POINTS_BIN_MAGIC,
  POINTS_BIN_STATUSES,
  POINTS_BIN_VERSION,
  POINTS_DELTA_BYTES_PER_ROW,
  POINTS_DELTA_MAGIC,
  POINTS_DELTA_VERSION,
  copyPointRow,
  pointsColumns,
  pointsHeaderBytes,
  type PointsColumns,
  type PointsDeltaDictionary,
  type PointsDictionary,
} from '../../contract/points-bin';
import { cityDay, DAY_MS, dayDate } from '../../contract/city-time';
import type { AnalyticsIndex } from '../problems/analytics-index';
import { STATUS_ASSIGNED } from '../problems/problem-index';

const OVERDUE_CODE = POINTS_BIN_STATUSES.indexOf('overdue');

/**
 * What points.bin is made of, copied out of the index at one moment (so a write that patches the index
 * meanwhile cannot mix into the body) into buffers of its own that can move to a worker: 50 MB at a
 * million problems, copied in some 10 ms; the pass that makes the body (~150 ms) then runs there.
 */
export interface PointsBinInput {
  nowMs: number;
  categoryNames: string[];
  subdistrictNames: (string | null)[];
  unitNames: (string | null)[];
  lng: Float64Array;
  lat: Float64Array;
  day: Int32Array;
  category: Uint16Array;
  subdistrict: Uint16Array;
  unit: Uint16Array;
  deadlineMs: Float64Array;
  rectifiedMs: Float64Array;
  closedMs: Float64Array;
  status: Uint8Array;
  recurrence: Uint8Array;
}

/** The snapshot of `index` that `encodePointsBinFrom` turns into points.bin (the recurrences computed if they were not). */
export function pointsBinInput(index: AnalyticsIndex, nowMs: number): PointsBinInput {
  const base = index.base;
  const n = base.size;
  return {
    nowMs,
    categoryNames: [...base.categoryNames],
    subdistrictNames: [...base.subdistrictNames],
    unitNames: [...base.unitNames],
    lng: index.lng.slice(0, n),
    lat: index.lat.slice(0, n),
    day: index.day.slice(0, n),
    category: base.category.slice(0, n),
    subdistrict: base.subdistrict.slice(0, n),
    unit: base.unit.slice(0, n),
    deadlineMs: base.deadlineMs.slice(0, n),
    rectifiedMs: index.rectifiedMs.slice(0, n),
    closedMs: index.closedMs.slice(0, n),
    status: base.status.slice(0, n),
    recurrence: index.recurrences().slice(0, n),
  };
}

/** The problems of `input` in `subdistricts` only, the dictionaries kept whole (codes stay valid). */
export function pointsBinSubset(input: PointsBinInput, subdistricts: readonly string[]): PointsBinInput {
  const wanted = listMask(input.subdistrictNames, subdistricts)!;
  const keep: number[] = [];
  for (let i = 0; i < input.subdistrict.length; i++) if (wanted[input.subdistrict[i]] === 1) keep.push(i);
  const pick = <A extends Float64Array | Int32Array | Uint16Array | Uint8Array>(a: A): A => {
    const out = new (a.constructor as new (n: number) => A)(keep.length);
    keep.forEach((from, to) => (out[to] = a[from]));
    return out;
  };
  return {
    ...input,
    lng: pick(input.lng),
    lat: pick(input.lat),
    day: pick(input.day),
    category: pick(input.category),
    subdistrict: pick(input.subdistrict),
    unit: pick(input.unit),
    deadlineMs: pick(input.deadlineMs),
    rectifiedMs: pick(input.rectifiedMs),
    closedMs: pick(input.closedMs),
    status: pick(input.status),
    recurrence: pick(input.recurrence),
  };
}

/** Encodes every problem of `index` as points.bin version 1 (server/routes/hotspots/points-bin.md). */
export function encodePointsBin(index: AnalyticsIndex, nowMs: number): Uint8Array {
  return encodePointsBinFrom(pointsBinInput(index, nowMs));
}

/** points.bin version 1 of a snapshot (pure: runs in a worker). */
export function encodePointsBinFrom(input: PointsBinInput): Uint8Array {
  const { nowMs } = input;
  const n = input.lng.length;
  let baseDay = Infinity;
  for (let i = 0; i < n; i++) baseDay = Math.min(baseDay, input.day[i]);
  if (n === 0) baseDay = cityDay(nowMs);
  const dictionary = new TextEncoder().encode(
    JSON.stringify({
      baseDate: dayDate(baseDay),
      nowDate: dayDate(cityDay(nowMs)),
      categories: input.categoryNames,
      subdistricts: input.subdistrictNames,
      units: input.unitNames,
      statuses: POINTS_BIN_STATUSES,
    }),
  );
  const headerBytes = pointsHeaderBytes(dictionary.length);
  const bytes = new Uint8Array(headerBytes + POINTS_BIN_BYTES_PER_POINT * n);
  const view = new DataView(bytes.buffer);
  view.setUint32(H.magic, POINTS_BIN_MAGIC, true);
  view.setUint16(H.version, POINTS_BIN_VERSION, true);
  view.setUint16(H.headerBytes, headerBytes, true);
  view.setUint32(H.count, n, true);
  view.setInt32(H.baseDay, baseDay, true);
  view.setUint32(H.dictionaryBytes, dictionary.length, true);
  bytes.set(dictionary, POINTS_BIN_FIXED_HEADER);

  const { position, day, category, subdistrict, unit, lateDays, status, recurrence } = pointsColumns(bytes.buffer, headerBytes, n);
  const { rectifiedMs, closedMs, deadlineMs } = input;
  for (let i = 0; i < n; i++) {
    position[2 * i] = input.lng[i];
    position[2 * i + 1] = input.lat[i];
    day[i] = input.day[i] - baseDay;
    category[i] = input.category[i];
    subdistrict[i] = input.subdistrict[i];
    unit[i] = input.unit[i];
    const deadline = deadlineMs[i];
    const doneMs = Number.isNaN(rectifiedMs[i]) ? (Number.isNaN(closedMs[i]) ? nowMs : closedMs[i]) : rectifiedMs[i];
    lateDays[i] = deadline < doneMs ? Math.min(65_535, Math.floor((doneMs - deadline) / DAY_MS)) : 0;
    const s = input.status[i];
    status[i] = s === STATUS_ASSIGNED && deadline < nowMs ? OVERDUE_CODE : s;
    recurrence[i] = input.recurrence[i];
  }
  return bytes;
}

/** A delta of more than this share of the rows is answered "reload": the whole file is then as cheap. */
const DELTA_MAX_SHARE = 0.5;
/** Points revisions remembered (one per new points.bin body); a caller further behind reloads. */
const REVISIONS_KEPT = 100_000;

/** One points.bin body as the feed compares it. */
interface Encoded {
  bytes: Uint8Array;
  n: number;
  baseDay: number;
  dictionary: PointsDictionary;
  columns: PointsColumns;
}

/**
 * Names the points.bin bodies the server hands out (a points revision each) and answers deltas between
 * them (points-bin.md, "Deltas").
 *
 * Exact by construction: each new body is compared column by column, row by row, with the body before
 * it, and every row that differs is stamped with the new revision. A delta since revision r is then the
 * rows stamped after r, read from the current body; so whatever moved a row — a report, a transition, a
 * merge, another row's close turning its recurrence flag, the clock turning it overdue or adding a late
 * day, an index rebuild — the caller ends up with the bytes a fresh GET would give it. The journal of
 * problem writes (store/revisions.ts) could name the written rows, but not the rows a write or the clock
 * changes besides them; comparing costs one pass over the columns per new body (milliseconds at a
 * million), and the body itself is made once per problems revision anyway.
 */
export interface PointsFeed {
  /** The points revision of `bytes` (a points.bin body from encodePointsBin), comparing it with the last one first when new. */
  revisionOf(bytes: Uint8Array): string;
  /** The delta from points revision `since` to `bytes` (the current body), or a reload answer. */
  delta(since: string, bytes: Uint8Array): Uint8Array;
}

export function createPointsFeed(): PointsFeed {
  // This feed's own start, in every revision: another process (a restart) or another app numbers its own.
  const boot = randomBytes(5).toString('hex');
  let seq = 0;
  let last: Encoded | null = null;
  /** Revisions before this one cannot be brought forward (the codes or baseDay changed, rows went away). */
  let resetAt = 1;
  /** Per slot, the revision that last changed its row. */
  let stamps = new Uint32Array(0);
  /** Per revision, the length of each code list then: what a delta from it appends. */
  const lengthsAt = new Map<number, [number, number, number]>();

  function observe(bytes: Uint8Array): number {
    if (last && last.bytes === bytes) return seq;
    const next = parse(bytes);
    seq++;
    const d = next.dictionary;
    lengthsAt.set(seq, [d.categories.length, d.subdistricts.length, d.units.length]);
    if (lengthsAt.size > REVISIONS_KEPT) lengthsAt.delete(lengthsAt.keys().next().value as number);
    if (stamps.length < next.n) {
      const grown = new Uint32Array(Math.max(next.n, Math.ceil(stamps.length * 1.25)));
      grown.set(stamps);
      stamps = grown;
    }
    if (last && carriesOver(last, next)) stampChanges(last, next, stamps, seq);
    else resetAt = seq;
    last = next;
    return seq;
  }

  return {
    revisionOf: (bytes) => `${boot}.${observe(bytes)}`,
    delta(since, bytes) {
      const now = observe(bytes);
      const cur = last as Encoded;
      const [from, fromSeqText] = since.split('.');
      const fromSeq = Number(fromSeqText);
      const had = lengthsAt.get(fromSeq);
      if (from !== boot || !had || fromSeq < resetAt || fromSeq > now) return encodeDelta({ reload: true }, cur, []);
      const rows: number[] = [];
      for (let i = 0; i < cur.n; i++) if (stamps[i] > fromSeq) rows.push(i);
      if (rows.length > Math.max(16, cur.n * DELTA_MAX_SHARE)) return encodeDelta({ reload: true }, cur, []);
      const d = cur.dictionary;
      return encodeDelta(
        {
          reload: false,
          revision: `${boot}.${now}`,
          count: cur.n,
          baseDate: d.baseDate,
          nowDate: d.nowDate,
          append: { categories: d.categories.slice(had[0]), subdistricts: d.subdistricts.slice(had[1]), units: d.units.slice(had[2]) },
          lengths: { categories: d.categories.length, subdistricts: d.subdistricts.length, units: d.units.length },
        },
        cur,
        rows,
      );
    },
  };
}

function parse(bytes: Uint8Array): Encoded {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerBytes = view.getUint16(H.headerBytes, true);
  const n = view.getUint32(H.count, true);
  const dictionaryBytes = view.getUint32(H.dictionaryBytes, true);
  const dictionary = JSON.parse(
    new TextDecoder().decode(bytes.subarray(POINTS_BIN_FIXED_HEADER, POINTS_BIN_FIXED_HEADER + dictionaryBytes)),
  ) as PointsDictionary;
  // encodePointsBin's bodies own their buffer from offset 0, which pointsColumns' views need.
  const columns = pointsColumns(bytes.buffer as ArrayBuffer, bytes.byteOffset + headerBytes, n);
  return { bytes, n, baseDay: view.getInt32(H.baseDay, true), dictionary, columns };
}

/** Whether rows of `prev` keep their meaning in `next`: same day origin and statuses, codes only appended, no row gone. */
function carriesOver(prev: Encoded, next: Encoded): boolean {
  const a = prev.dictionary;
  const b = next.dictionary;
  const prefix = <T>(x: readonly T[], y: readonly T[]) => x.length <= y.length && x.every((v, i) => v === y[i]);
  return (
    next.n >= prev.n &&
    prev.baseDay === next.baseDay &&
    prefix(a.categories, b.categories) &&
    prefix(a.subdistricts, b.subdistricts) &&
    prefix(a.units, b.units) &&
    a.statuses.length === b.statuses.length &&
    prefix(a.statuses, b.statuses)
  );
}

/** Stamps with `seq` every slot whose row differs between `prev` and `next` (new slots included). */
function stampChanges(prev: Encoded, next: Encoded, stamps: Uint32Array, seq: number): void {
  const p = prev.columns;
  const q = next.columns;
  const n = prev.n;
  // Positions compared as bits (a float compare would call NaN unequal to itself), two words a row.
  const pp = new Uint32Array(p.position.buffer, p.position.byteOffset, 2 * n);
  const qp = new Uint32Array(q.position.buffer, q.position.byteOffset, 2 * n);
  for (let k = 0; k < 2 * n; k++) if (pp[k] !== qp[k]) stamps[k >> 1] = seq;
  // One column at a time, each a loop over two arrays in sequence (about 13 ms for all at a million rows).
  stampColumn(p.day, q.day, n, stamps, seq);
  stampColumn(p.category, q.category, n, stamps, seq);
  stampColumn(p.subdistrict, q.subdistrict, n, stamps, seq);
  stampColumn(p.unit, q.unit, n, stamps, seq);
  stampColumn(p.lateDays, q.lateDays, n, stamps, seq);
  stampColumn(p.status, q.status, n, stamps, seq);
  stampColumn(p.recurrence, q.recurrence, n, stamps, seq);
  for (let i = n; i < next.n; i++) stamps[i] = seq;
}

function stampColumn(a: Uint16Array | Uint8Array, b: Uint16Array | Uint8Array, n: number, stamps: Uint32Array, seq: number): void {
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) stamps[i] = seq;
}

/** A delta body (points-bin.md, "Deltas"): `rows` of `cur` with their slots, under `dictionary`. */
function encodeDelta(dictionary: PointsDeltaDictionary, cur: Encoded, rows: readonly number[]): Uint8Array {
  const dict = new TextEncoder().encode(JSON.stringify(dictionary));
  const headerBytes = pointsHeaderBytes(dict.length);
  const n = rows.length;
  const bytes = new Uint8Array(headerBytes + POINTS_DELTA_BYTES_PER_ROW * n);
  const view = new DataView(bytes.buffer);
  view.setUint32(H.magic, POINTS_DELTA_MAGIC, true);
  view.setUint16(H.version, POINTS_DELTA_VERSION, true);
  view.setUint16(H.headerBytes, headerBytes, true);
  view.setUint32(H.count, n, true);
  view.setInt32(H.baseDay, cur.baseDay, true);
  view.setUint32(H.dictionaryBytes, dict.length, true);
  bytes.set(dict, POINTS_BIN_FIXED_HEADER);
  const out = pointsColumns(bytes.buffer, headerBytes, n);
  const slot = deltaSlots(bytes.buffer, headerBytes, n);
  const c = cur.columns;
  for (let k = 0; k < n; k++) {
    const i = rows[k];
    slot[k] = i;
    copyPointRow(out, k, c, i);
  }
  return bytes;
}
