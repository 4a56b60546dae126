import {
  POINTS_BIN_BYTES_PER_POINT,
  POINTS_BIN_FIXED_HEADER,
  POINTS_BIN_HEADER as H,
  POINTS_BIN_MAGIC,
  POINTS_BIN_STATUSES,
  POINTS_BIN_VERSION,
  pointsColumns,
  pointsHeaderBytes,
} from '../../contract/points-bin';
import { cityDay, DAY_MS, dayDate } from '../../contract/city-time';
import type { AnalyticsIndex } from '../problems/analytics-index';
import { STATUS_ASSIGNED } from '../problems/problem-index';

const OVERDUE_CODE = POINTS_BIN_STATUSES.indexOf('overdue');

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
