import { cellToParent, gridDisk, latLngToCell } from 'h3-js';
import { csrFromLists } from '../../analytics/gi-star';
import { findRecurringSites, projectLocal } from '../../analytics/recurring';
import { cityDay } from '../../contract/city-time';
import { worldXToLng, worldYToLat } from '../../geo/mercator';
import type { Store } from '../../store/index';
import { buildProblemIndex, type ProblemIndex } from '../problems/problem-index';

/**
 * Everything the hotspot and recurring-site queries read, in flat arrays aligned with the tile index
 * (`base`, services/problems/problem-index.ts, whose filter compiler they share): built once per problems
 * revision. Per-query work is then loops over typed arrays; the slow parts (reading SQLite, assigning
 * H3 cells with h3-js at about 2 µs a point) happen here, once.
 */
export interface AnalyticsIndex {
  base: ProblemIndex;
  lng: Float64Array;
  lat: Float64Array;
  /** Metres on a plane tangent at the problems' centre (recurring sites measure distances there). */
  xM: Float64Array;
  yM: Float64Array;
  /** NaN when not rectified / closed. */
  rectifiedMs: Float64Array;
  closedMs: Float64Array;
  /** Code into placeNames; 0 = no place. */
  place: Uint32Array;
  placeNames: (string | null)[];
  /** Day of each report: days since 1970-01-01 in city time (contract/city-time cityDay). */
  day: Int32Array;
  /** Indices ascending by report time (ties by id), the order recurring sites are found in. */
  byTime: Uint32Array;
  /**
   * The fields recurring-site detection reads, copied into report-time order (entry k is problem
   * byTime[k]), so its pass over a million problems reads memory in sequence instead of at random.
   */
  timeOrdered(): { x: Float64Array; y: Float64Array; category: Uint16Array; reportedMs: Float64Array; closedMs: Float64Array };
  /** H3 cells per problem at `res`, computed on first use (finest first, coarser ones from its parents). */
  cells(res: number): H3Assignment;
  /** Recurring sites over all problems at the default radius, indexed like the base arrays (the heat map's "recurrences" weight). */
  recurrences(): Uint8Array;
}

/** Each problem's H3 cell as a code into `ids`, and each cell's neighbours (itself and its ring) that hold problems. */
export interface H3Assignment {
  res: number;
  cellOf: Uint32Array;
  ids: string[];
  /** CSR over cell codes: the neighbours of cell c are ringTargets[ringOffsets[c] … ringOffsets[c + 1] − 1], c included. */
  ringOffsets: Uint32Array;
  ringTargets: Uint32Array;
}

/** Finest H3 resolution the API offers; points are assigned at it once, coarser cells are its parents. */
export const H3_FINEST = 10;
export const DEFAULT_RADIUS_M = 30;

/** Builds the analytics index from the store (one pass for the tile fields, one for the rest). */
export function buildAnalyticsIndex(store: Store): AnalyticsIndex {
  const base = buildProblemIndex(store);
  const n = base.size;
  let maxRid = 0;
  for (let i = 0; i < n; i++) if (base.rid[i] > maxRid) maxRid = base.rid[i];
  const posOfRid = new Int32Array(maxRid + 1).fill(-1);
  for (let i = 0; i < n; i++) posOfRid[base.rid[i]] = i;

  const rectifiedMs = new Float64Array(n).fill(NaN);
  const closedMs = new Float64Array(n).fill(NaN);
  const place = new Uint32Array(n);
  const placeCodes = new Map<string | null, number>([[null, 0]]);
  for (const [rid, rectified, closed, placeId] of store.iterateProblemAnalytics()) {
    const i = rid <= maxRid ? posOfRid[rid] : -1;
    if (i < 0) continue; // written after the tile fields were read; the next revision picks it up
    if (rectified !== null) rectifiedMs[i] = rectified;
    if (closed !== null) closedMs[i] = closed;
    let code = placeCodes.get(placeId);
    if (code === undefined) placeCodes.set(placeId, (code = placeCodes.size));
    place[i] = code;
  }

  const lng = new Float64Array(n);
  const lat = new Float64Array(n);
  let sumLng = 0;
  let sumLat = 0;
  for (let i = 0; i < n; i++) {
    lng[i] = worldXToLng(base.x[i]);
    lat[i] = worldYToLat(base.y[i]);
    sumLng += lng[i];
    sumLat += lat[i];
  }
  const { x: xM, y: yM } = projectLocal(lng, lat, n > 0 ? [sumLng / n, sumLat / n] : [0, 0]);

  const byTime = sortByTime(base, posOfRid);

  const day = new Int32Array(n);
  for (let i = 0; i < n; i++) day[i] = cityDay(base.reportedMs[i]);

  const assignments = new Map<number, H3Assignment>();
  let recurring: Uint8Array | null = null;
  let ordered: ReturnType<AnalyticsIndex['timeOrdered']> | null = null;
  const index: AnalyticsIndex = {
    base,
    lng,
    lat,
    xM,
    yM,
    rectifiedMs,
    closedMs,
    place,
    placeNames: [...placeCodes.keys()],
    day,
    byTime,
    cells(res) {
      let a = assignments.get(res);
      if (!a) {
        a = withRings(res === H3_FINEST ? assignFinest(lng, lat) : parentsOf(index.cells(H3_FINEST), res));
        assignments.set(res, a);
      }
      return a;
    },
    timeOrdered() {
      if (!ordered) {
        const x = new Float64Array(n);
        const y = new Float64Array(n);
        const category = new Uint16Array(n);
        const reported = new Float64Array(n);
        const closed = new Float64Array(n);
        for (let k = 0; k < n; k++) {
          const i = byTime[k];
          x[k] = xM[i];
          y[k] = yM[i];
          category[k] = base.category[i];
          reported[k] = base.reportedMs[i];
          closed[k] = closedMs[i];
        }
        ordered = { x, y, category, reportedMs: reported, closedMs: closed };
      }
      return ordered;
    },
    recurrences() {
      if (!recurring) {
        const all = new Uint32Array(n);
        for (let k = 0; k < n; k++) all[k] = k;
        const found = findRecurringSites({ ...index.timeOrdered(), order: all }, DEFAULT_RADIUS_M);
        recurring = new Uint8Array(n);
        for (let k = 0; k < n; k++) recurring[byTime[k]] = found.recurrence[k];
      }
      return recurring;
    },
  };
  return index;
}

/**
 * Problem indices ascending by report time, ties by store rowid. A million-element comparator sort takes
 * about a second; packing (whole seconds, index) into one float64 key and sorting a Float64Array takes a
 * tenth of that. Sub-second times are ordered by the fallback only when they do not fit the packing.
 */
function sortByTime(base: ProblemIndex, posOfRid: Int32Array): Uint32Array {
  const n = base.size;
  const byTime = new Uint32Array(n);
  const INDEX_BITS = 2 ** 21;
  let fits = n < INDEX_BITS;
  for (let i = 0; fits && i < n; i++) if (base.reportedMs[i] % 1000 !== 0 || base.reportedMs[i] < 0 || base.reportedMs[i] / 1000 >= 2 ** 32) fits = false;
  if (fits) {
    // Within a second, ties go by rowid: rank the indices by rowid first (rowids are small integers).
    const byRid = new Uint32Array(n);
    let r = 0;
    for (let rid = 0; rid < posOfRid.length; rid++) if (posOfRid[rid] >= 0) byRid[r++] = posOfRid[rid];
    const keys = new Float64Array(n);
    for (let k = 0; k < n; k++) keys[k] = (base.reportedMs[byRid[k]] / 1000) * INDEX_BITS + k;
    keys.sort();
    for (let k = 0; k < n; k++) byTime[k] = byRid[keys[k] % INDEX_BITS];
    return byTime;
  }
  for (let i = 0; i < n; i++) byTime[i] = i;
  byTime.sort((a, b) => base.reportedMs[a] - base.reportedMs[b] || base.rid[a] - base.rid[b]);
  return byTime;
}

type Cells = Omit<H3Assignment, 'ringOffsets' | 'ringTargets'>;

/** Adds each cell's ring of neighbours that hold problems (h3 gridDisk once per cell and revision). */
function withRings(a: Cells): H3Assignment {
  const code = new Map(a.ids.map((h, c) => [h, c]));
  const { offsets, targets } = csrFromLists(a.ids.map((h) => gridDisk(h, 1).flatMap((nb) => (code.has(nb) ? [code.get(nb) as number] : []))));
  return { ...a, ringOffsets: offsets, ringTargets: targets };
}

function assignFinest(lng: Float64Array, lat: Float64Array): Cells {
  const n = lng.length;
  const cellOf = new Uint32Array(n);
  const codes = new Map<string, number>();
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const h = latLngToCell(lat[i], lng[i], H3_FINEST);
    let c = codes.get(h);
    if (c === undefined) {
      c = ids.length;
      codes.set(h, c);
      ids.push(h);
    }
    cellOf[i] = c;
  }
  return { res: H3_FINEST, cellOf, ids };
}

function parentsOf(fine: Cells, res: number): Cells {
  const codes = new Map<string, number>();
  const ids: string[] = [];
  const parentCode = new Uint32Array(fine.ids.length);
  fine.ids.forEach((h, k) => {
    const p = cellToParent(h, res);
    let c = codes.get(p);
    if (c === undefined) {
      c = ids.length;
      codes.set(p, c);
      ids.push(p);
    }
    parentCode[k] = c;
  });
  const cellOf = new Uint32Array(fine.cellOf.length);
  for (let i = 0; i < cellOf.length; i++) cellOf[i] = parentCode[fine.cellOf[i]];
  return { res, cellOf, ids };
}
