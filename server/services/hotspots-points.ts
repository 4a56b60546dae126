import { PROBLEM_STATUSES } from '../schemas/problems';
import { cityDay, dayDate, type AnalyticsIndex } from './hotspots-index';
import { STATUS_ASSIGNED } from './problem-index';

/** `XCPB` little-endian, the first four bytes of points.bin. */
export const POINTS_BIN_MAGIC = 0x42504358;
export const POINTS_BIN_VERSION = 1;
/** Codes of the status column: the stored statuses, then `overdue`. */
export const POINTS_BIN_STATUSES = [...PROBLEM_STATUSES, 'overdue'] as const;
const OVERDUE_CODE = POINTS_BIN_STATUSES.indexOf('overdue');
const FIXED_HEADER = 20;
const DAY_MS = 86_400_000;

/** Encodes every problem of `index` as points.bin version 1 (server/routes/hotspots/points-bin.md). */
export function encodePointsBin(index: AnalyticsIndex, nowMs: number): Uint8Array {
  const base = index.base;
  const n = base.size;
  let baseDay = Infinity;
  for (let i = 0; i < n; i++) baseDay = Math.min(baseDay, index.day[i]);
  if (n === 0) baseDay = cityDay(nowMs);
  const dictionary = new TextEncoder().encode(
    JSON.stringify({
      baseDate: dayDate(baseDay),
      nowDate: dayDate(cityDay(nowMs)),
      categories: base.categoryNames,
      subdistricts: base.subdistrictNames,
      units: base.unitNames,
      statuses: POINTS_BIN_STATUSES,
    }),
  );
  const headerBytes = Math.ceil((FIXED_HEADER + dictionary.length) / 8) * 8;
  const bytes = new Uint8Array(headerBytes + 20 * n);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, POINTS_BIN_MAGIC, true);
  view.setUint16(4, POINTS_BIN_VERSION, true);
  view.setUint16(6, headerBytes, true);
  view.setUint32(8, n, true);
  view.setInt32(12, baseDay, true);
  view.setUint32(16, dictionary.length, true);
  bytes.set(dictionary, FIXED_HEADER);

  let offset = headerBytes;
  const position = new Float32Array(bytes.buffer, offset, 2 * n);
  offset += 8 * n;
  const u16 = () => {
    const a = new Uint16Array(bytes.buffer, offset, n);
    offset += 2 * n;
    return a;
  };
  const day = u16();
  const category = u16();
  const subdistrict = u16();
  const unit = u16();
  const lateDays = u16();
  const status = new Uint8Array(bytes.buffer, offset, n);
  const recurrence = new Uint8Array(bytes.buffer, offset + n, n);
  const rec = index.recurrences();

  for (let i = 0; i < n; i++) {
    position[2 * i] = index.lng[i];
    position[2 * i + 1] = index.lat[i];
    day[i] = index.day[i] - baseDay;
    category[i] = base.category[i];
    subdistrict[i] = base.subdistrict[i];
    unit[i] = base.unit[i];
    const deadline = base.deadlineMs[i];
    const doneMs = Number.isNaN(index.rectifiedMs[i]) ? (Number.isNaN(index.closedMs[i]) ? nowMs : index.closedMs[i]) : index.rectifiedMs[i];
    lateDays[i] = deadline < doneMs ? Math.min(65_535, Math.floor((doneMs - deadline) / DAY_MS)) : 0;
    const s = base.status[i];
    status[i] = s === STATUS_ASSIGNED && deadline < nowMs ? OVERDUE_CODE : s;
    recurrence[i] = rec[i];
  }
  return bytes;
}
