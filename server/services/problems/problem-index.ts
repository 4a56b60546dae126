import { latToWorldY, lngToWorldX } from '../../geo/mercator';
import { PROBLEM_STATUSES, STATUS_FILTERS, type ProblemFilter, type ProblemStatus } from '../../contract/problems';
import { listMask, statusMask } from '../../contract/problem-filter';
import type { ProblemPointRow, Store } from '../../store/index';

/**
 * Every problem's position and filter fields in flat typed arrays, sorted by world x, so the problems
 * of a tile are one contiguous slab found by binary search (build once, query many times, as in
 * kdbush/flatbush). Tiles read this instead of SQLite because a low-zoom tile aggregates the whole
 * city: a tight loop over typed arrays does 1,000,000 problems in milliseconds, a SQL GROUP BY does not.
 *
 * Codes: `category`, `subdistrict` and `unit` index into the matching `*Names` arrays; code 0 of
 * `subdistrict` and `unit` means null. `status` indexes PROBLEM_STATUSES.
 */
export interface ProblemIndex {
  readonly size: number;
  /** Web-Mercator world coordinates in [0, 1); `x` ascending. */
  readonly x: Float64Array;
  readonly y: Float64Array;
  readonly reportedMs: Float64Array;
  /** Infinity when there is no deadline. */
  readonly deadlineMs: Float64Array;
  readonly category: Uint16Array;
  readonly status: Uint8Array;
  readonly subdistrict: Uint16Array;
  readonly unit: Uint16Array;
  /** Store rowids: stable integer ids for MVT features. */
  readonly rid: Float64Array;
  readonly ids: string[];
  readonly categoryNames: string[];
  readonly subdistrictNames: (string | null)[];
  readonly unitNames: (string | null)[];
  /** World bbox of all problems [minX, minY, maxX, maxY]; empty index → [1, 1, 0, 0]. */
  readonly bounds: [number, number, number, number];
}

export const STATUS_ASSIGNED = PROBLEM_STATUSES.indexOf('assigned');
export const STATUS_CLOSED = PROBLEM_STATUSES.indexOf('closed');
/** The derived status's code in a status mask (after the stored ones, as in STATUS_FILTERS). */
export const STATUS_OVERDUE = STATUS_FILTERS.indexOf('overdue');

/** Reads every problem from the store into a ProblemIndex. */
export function buildProblemIndex(store: Store): ProblemIndex {
  const cap = store.counts().problems;
  const rawX = new Float64Array(cap);
  const rawY = new Float64Array(cap);
  const rawRows: ProblemPointRow[] = new Array(cap);
  let n = 0;
  for (const row of store.iterateProblemPoints()) {
    if (n >= cap) break;
    rawX[n] = lngToWorldX(row[2]);
    rawY[n] = latToWorldY(row[3]);
    rawRows[n] = row;
    n++;
  }
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => rawX[a] - rawX[b]);

  const x = new Float64Array(n);
  const y = new Float64Array(n);
  const reportedMs = new Float64Array(n);
  const deadlineMs = new Float64Array(n);
  const category = new Uint16Array(n);
  const status = new Uint8Array(n);
  const subdistrict = new Uint16Array(n);
  const unit = new Uint16Array(n);
  const rid = new Float64Array(n);
  const ids: string[] = new Array(n);
  const categoryCodes = new Map<string, number>();
  const subdistrictCodes = new Map<string | null, number>([[null, 0]]);
  const unitCodes = new Map<string | null, number>([[null, 0]]);
  const statusCodes = new Map<ProblemStatus, number>(PROBLEM_STATUSES.map((s, i) => [s, i]));
  const code = <K>(map: Map<K, number>, key: K) => {
    let c = map.get(key);
    if (c === undefined) map.set(key, (c = map.size));
    return c;
  };
  const bounds: [number, number, number, number] = [1, 1, 0, 0];

  for (let i = 0; i < n; i++) {
    const from = order[i];
    const row = rawRows[from];
    const wx = rawX[from];
    const wy = rawY[from];
    x[i] = wx;
    y[i] = wy;
    if (wx < bounds[0]) bounds[0] = wx;
    if (wy < bounds[1]) bounds[1] = wy;
    if (wx > bounds[2]) bounds[2] = wx;
    if (wy > bounds[3]) bounds[3] = wy;
    rid[i] = row[0];
    ids[i] = row[1];
    category[i] = code(categoryCodes, row[4]);
    status[i] = statusCodes.get(row[5]) ?? 0;
    reportedMs[i] = row[6];
    deadlineMs[i] = row[7] ?? Infinity;
    subdistrict[i] = code(subdistrictCodes, row[8]);
    unit[i] = code(unitCodes, row[9]);
  }

  return {
    size: n,
    x,
    y,
    reportedMs,
    deadlineMs,
    category,
    status,
    subdistrict,
    unit,
    rid,
    ids,
    categoryNames: [...categoryCodes.keys()],
    subdistrictNames: [...subdistrictCodes.keys()],
    unitNames: [...unitCodes.keys()],
    bounds,
  };
}

/** First index whose x is ≥ `value` (x is sorted ascending). */
export function lowerBoundX(index: ProblemIndex, value: number): number {
  let lo = 0;
  let hi = index.size;
  const x = index.x;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (x[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * A ProblemFilter turned into lookup masks over the index codes, so the hot loop only reads arrays. The
 * masks mean what contract/problem-filter.ts says; `status` is over STATUS_FILTERS (the stored codes,
 * then `overdue`), the code `passes` reads for a problem at `nowMs`.
 */
export interface CompiledFilter {
  fromMs: number;
  toMs: number;
  /** null = every value passes. */
  category: Uint8Array | null;
  status: Uint8Array | null;
  subdistrict: Uint8Array | null;
  unit: Uint8Array | null;
  /** True when nothing is filtered, so loops can skip the checks. */
  all: boolean;
}

/** Compiles `filter` (bbox ignored) against the codes of `index`. Unknown ids simply match nothing. */
export function compileFilter(index: ProblemIndex, filter: ProblemFilter): CompiledFilter {
  const f = {
    fromMs: filter.fromMs ?? -Infinity,
    toMs: filter.toMs ?? Infinity,
    category: listMask(index.categoryNames, filter.categories),
    status: statusMask(STATUS_FILTERS, filter),
    subdistrict: listMask(index.subdistrictNames, filter.subdistricts),
    unit: listMask(index.unitNames, filter.units),
  };
  const all = f.fromMs === -Infinity && f.toMs === Infinity && !f.category && !f.status && !f.subdistrict && !f.unit;
  return { ...f, all };
}

/** True when problem `i` passes `f` at time `nowMs`. */
export function passes(index: ProblemIndex, f: CompiledFilter, i: number, nowMs: number): boolean {
  if (f.all) return true;
  const t = index.reportedMs[i];
  if (t < f.fromMs || t > f.toMs) return false;
  if (f.category !== null && f.category[index.category[i]] === 0) return false;
  if (f.subdistrict !== null && f.subdistrict[index.subdistrict[i]] === 0) return false;
  if (f.unit !== null && f.unit[index.unit[i]] === 0) return false;
  if (f.status !== null) {
    const s = index.status[i];
    if (f.status[s === STATUS_ASSIGNED && index.deadlineMs[i] < nowMs ? STATUS_OVERDUE : s] === 0) return false;
  }
  return true;
}
