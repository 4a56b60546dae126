import { latToWorldY, lngToWorldX, worldXToLng, worldYToLat } from '../../geo/mercator';
import { PROBLEM_STATUSES, STATUS_FILTERS, type ProblemFilter, type ProblemStatus } from '../../contract/problems';
import { inFilterArea, listMask, statusMask, type FilterArea } from '../../contract/problem-filter';
import type { ProblemPointRow, Store } from '../../store/index';

type Column = Float64Array | Uint32Array | Uint16Array | Uint8Array | Int32Array;

/** `a` with room for at least `need` entries (grown by half again, so appends cost O(1) amortised). */
function room<T extends Column>(a: T, need: number): T {
  if (need <= a.length) return a;
  const b = new (a.constructor as new (length: number) => T)(Math.max(need, Math.ceil(a.length * 1.5) + 64));
  b.set(a);
  return b;
}

/** What a patch did, in slots: appended (new problems), changed in place, and, of those, moved. */
export interface ProblemIndexPatch {
  added: number[];
  changed: number[];
  moved: number[];
}

/** ProblemIndex.pack()'s output: opaque, for ProblemIndex.unpack(). */
export interface PackedProblemIndex {
  fields: object;
  ids: Uint8Array | string[];
}
/** Joins the ids of a packed index; an id holding it (never one Xuncha makes) sends them as an array. */
const ID_SEPARATOR = '\u001f';

/**
 * Strings joined by `sep` as UTF-8 bytes. A million ids cross threads as one transferred buffer; as a
 * string they would be copied (~0.25 s for the index's two lists), and as an array cloned one by one.
 */
export function joinToBytes(list: readonly string[], sep: string): Uint8Array {
  return new TextEncoder().encode(list.join(sep));
}

/** joinToBytes's strings back, at once. */
export function splitBytes(bytes: Uint8Array, sep: string): string[] {
  return bytes.length === 0 ? [] : new TextDecoder().decode(bytes).split(sep);
}

/** Strings split off per slice before the event loop is let through: about 10 ms of work on this machine. */
const SPLIT_SLICE = 40_000;

/**
 * joinToBytes's strings back, `SPLIT_SLICE` at a time with the event loop let through in between: split
 * at once, a million ids hold the main thread for ~0.3 s (and the cell ids as long again).
 */
export async function splitBytesInSlices(bytes: Uint8Array, sep: string): Promise<string[]> {
  if (bytes.length === 0) return [];
  const text = new TextDecoder().decode(bytes);
  const out: string[] = [];
  let from = 0;
  for (;;) {
    for (let n = 0; n < SPLIT_SLICE; n++) {
      const at = text.indexOf(sep, from);
      if (at < 0) {
        out.push(text.slice(from));
        return out;
      }
      out.push(text.slice(from, at));
      from = at + sep.length;
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/**
 * Every problem's position and filter fields in flat typed arrays, one slot per problem in store-rowid
 * order, plus a view sorted by world x (`byX`, `sortedX`, `sortedY`) so the problems of a tile are one
 * contiguous slab found by binary search and scanned in sequence (build once, query many times, as in
 * kdbush/flatbush). Tiles read this instead of SQLite because a low-zoom tile aggregates the whole city:
 * a tight loop over typed arrays does 1,000,000 problems in milliseconds, a SQL GROUP BY does not.
 *
 * Slots are stable: a new problem (the highest rowid) is appended, a transition rewrites its slot, so
 * the index after any number of patches holds what a fresh build from the store would, slot for slot.
 * The arrays are views over buffers with room to grow and are replaced by a patch: read them from the
 * index on each use, do not keep them.
 *
 * Codes: `category`, `subdistrict` and `unit` index into the matching `*Names` arrays; code 0 of
 * `subdistrict` and `unit` means null. `status` indexes PROBLEM_STATUSES.
 */
export class ProblemIndex {
  size = 0;
  /** Web-Mercator world coordinates in [0, 1). */
  x = new Float64Array(0);
  y = new Float64Array(0);
  reportedMs = new Float64Array(0);
  /** Infinity when there is no deadline. */
  deadlineMs = new Float64Array(0);
  category = new Uint16Array(0);
  status = new Uint8Array(0);
  subdistrict = new Uint16Array(0);
  unit = new Uint16Array(0);
  /** Store rowids, ascending: stable integer ids for MVT features. */
  rid = new Float64Array(0);
  readonly ids: string[] = [];
  readonly categoryNames: string[] = [];
  readonly subdistrictNames: (string | null)[] = [null];
  readonly unitNames: (string | null)[] = [null];
  /** Slots ascending by x (ties by slot), and their x and y in that order. */
  byX = new Uint32Array(0);
  sortedX = new Float64Array(0);
  sortedY = new Float64Array(0);
  /**
   * In the same order, what an unfiltered cluster counts: 1 when not closed, and the deadline of an
   * assigned problem (Infinity otherwise: overdue ⇔ sortedDue < now). The low-zoom tiles loop over the
   * whole city; reading these in sequence instead of through `byX` keeps them as fast as before slots.
   */
  sortedOpen = new Uint8Array(0);
  sortedDue = new Float64Array(0);
  /** World bbox of all problems [minX, minY, maxX, maxY]; empty index → [1, 1, 0, 0]. */
  readonly bounds: [number, number, number, number] = [1, 1, 0, 0];

  /** The buffers behind the views, with room to grow. */
  private buf = {
    x: this.x,
    y: this.y,
    reportedMs: this.reportedMs,
    deadlineMs: this.deadlineMs,
    category: this.category,
    status: this.status,
    subdistrict: this.subdistrict,
    unit: this.unit,
    rid: this.rid,
    byX: this.byX,
    sortedX: this.sortedX,
    sortedY: this.sortedY,
    sortedOpen: this.sortedOpen,
    sortedDue: this.sortedDue,
  };
  /** Slot → its position in the x order. */
  private posInX = new Uint32Array(0);
  private slotOfRid = new Int32Array(0).fill(-1);
  private readonly codes = {
    category: new Map<string, number>(),
    subdistrict: new Map<string | null, number>([[null, 0]]),
    unit: new Map<string | null, number>([[null, 0]]),
  };

  /** Reads every problem from `rows` (store rowid order, as `store.iterateProblemPoints()` gives them). */
  static build(rows: Iterable<ProblemPointRow>, expected = 0): ProblemIndex {
    const index = new ProblemIndex();
    index.reserve(expected);
    for (const row of rows) index.append(row);
    return index.sealed();
  }

  /** `build` over the batches of the store's cursor (`iterateProblemPoints`). */
  static async read(batches: AsyncIterable<ProblemPointRow[]>, expected = 0): Promise<ProblemIndex> {
    const index = new ProblemIndex();
    index.reserve(expected);
    for await (const rows of batches) for (const row of rows) index.append(row);
    return index.sealed();
  }

  /** Sorts the appended problems by x: the index is then ready for queries. */
  private sealed(): ProblemIndex {
    const n = this.size;
    const order = new Uint32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    const x = this.buf.x;
    order.sort((a, b) => x[a] - x[b] || a - b);
    this.roomInX(n);
    this.buf.byX.set(order);
    for (let k = 0; k < n; k++) this.writeX(k, order[k]);
    this.sortedCount = n;
    this.refreshViews();
    return this;
  }

  /**
   * The index as data for another thread (structured clone; views that share a buffer stay shared). The
   * ids go as one string: a million strings cost the receiving thread ~0.4 s to clone, one string a copy.
   */
  pack(): PackedProblemIndex {
    const { ids, ...fields } = this;
    const joinable = !ids.some((id) => id.includes(ID_SEPARATOR));
    return { fields, ids: joinable ? joinToBytes(ids, ID_SEPARATOR) : ids };
  }

  /** The index `pack()` made, in this thread. */
  static unpack(p: PackedProblemIndex): ProblemIndex {
    return ProblemIndex.withIds(p, Array.isArray(p.ids) ? p.ids : splitBytes(p.ids, ID_SEPARATOR));
  }

  /** As unpack, letting the event loop through while the ids are split (the main thread receiving a worker's build). */
  static async unpackInSlices(p: PackedProblemIndex): Promise<ProblemIndex> {
    return ProblemIndex.withIds(p, Array.isArray(p.ids) ? p.ids : await splitBytesInSlices(p.ids, ID_SEPARATOR));
  }

  private static withIds(p: PackedProblemIndex, ids: string[]): ProblemIndex {
    return Object.assign(Object.create(ProblemIndex.prototype) as ProblemIndex, p.fields, { ids });
  }

  /** Slot of store rowid `rid`, or −1. */
  slotOf(rid: number): number {
    return rid < this.slotOfRid.length ? this.slotOfRid[rid] : -1;
  }

  /**
   * Writes the current state of the problems in `rows` (each a problem that was added or changed since
   * the index was built; store rowid order) into the index. Returns what changed, or null when the rows
   * cannot be patched in (a new problem whose rowid is below the highest held, i.e. not the next in
   * order): then build afresh.
   */
  patch(rows: readonly ProblemPointRow[]): ProblemIndexPatch | null {
    const lastRid = this.size > 0 ? this.buf.rid[this.size - 1] : 0;
    for (const row of rows) if (this.slotOf(row[0]) < 0 && row[0] <= lastRid) return null;
    const out: ProblemIndexPatch = { added: [], changed: [], moved: [] };
    for (const row of rows) {
      const slot = this.slotOf(row[0]);
      if (slot < 0) {
        out.added.push(this.append(row));
        continue;
      }
      const b = this.buf;
      const wx = lngToWorldX(row[2]);
      const wy = latToWorldY(row[3]);
      if (wx !== b.x[slot] || wy !== b.y[slot]) {
        b.x[slot] = wx;
        b.y[slot] = wy;
        this.extendBounds(wx, wy);
        out.moved.push(slot);
      }
      this.writeFields(slot, row);
      out.changed.push(slot);
    }
    this.resort(out.added, out.moved);
    for (const slot of out.changed) this.writeX(this.posInX[slot], slot);
    this.refreshViews();
    return out;
  }

  /** Slots sorted into byX so far (build sorts all at once, patches merge the rest in). */
  private sortedCount = 0;

  private reserve(n: number): void {
    const b = this.buf;
    b.x = room(b.x, n);
    b.y = room(b.y, n);
    b.reportedMs = room(b.reportedMs, n);
    b.deadlineMs = room(b.deadlineMs, n);
    b.category = room(b.category, n);
    b.status = room(b.status, n);
    b.subdistrict = room(b.subdistrict, n);
    b.unit = room(b.unit, n);
    b.rid = room(b.rid, n);
  }

  private append(row: ProblemPointRow): number {
    const slot = this.size++;
    this.reserve(this.size);
    const b = this.buf;
    const wx = lngToWorldX(row[2]);
    const wy = latToWorldY(row[3]);
    b.x[slot] = wx;
    b.y[slot] = wy;
    b.rid[slot] = row[0];
    this.ids[slot] = row[1];
    this.extendBounds(wx, wy);
    this.writeFields(slot, row);
    if (row[0] >= this.slotOfRid.length) {
      const grown = new Int32Array(Math.max(row[0] + 1, Math.ceil(this.slotOfRid.length * 1.5) + 64)).fill(-1);
      grown.set(this.slotOfRid);
      this.slotOfRid = grown;
    }
    this.slotOfRid[row[0]] = slot;
    return slot;
  }

  private writeFields(slot: number, row: ProblemPointRow): void {
    const b = this.buf;
    b.category[slot] = code(this.codes.category, this.categoryNames, row[4]);
    b.status[slot] = STATUS_CODES.get(row[5]) ?? 0;
    b.reportedMs[slot] = row[6];
    b.deadlineMs[slot] = row[7] ?? Infinity;
    b.subdistrict[slot] = code(this.codes.subdistrict, this.subdistrictNames, row[8]);
    b.unit[slot] = code(this.codes.unit, this.unitNames, row[9]);
  }

  private extendBounds(wx: number, wy: number): void {
    const bounds = this.bounds;
    if (wx < bounds[0]) bounds[0] = wx;
    if (wy < bounds[1]) bounds[1] = wy;
    if (wx > bounds[2]) bounds[2] = wx;
    if (wy > bounds[3]) bounds[3] = wy;
  }

  /**
   * Takes `moved` out of the x order and merges them and `added` back in: one backward merge, which
   * touches only the entries after the first insertion point (a new report costs a memmove, not a sort).
   */
  private resort(added: readonly number[], moved: readonly number[]): void {
    const b = this.buf;
    let m = this.sortedCount;
    let first = m; // the first position whose entry changed
    if (moved.length > 0) {
      const out = new Uint8Array(this.size);
      for (const s of moved) out[s] = 1;
      let w = 0;
      for (let k = 0; k < m; k++) {
        const s = b.byX[k];
        if (out[s]) {
          first = Math.min(first, k);
          continue;
        }
        if (w !== k) this.copyX(k, w);
        w++;
      }
      m = w;
    }
    const inserts = [...moved, ...added].sort((p, q) => b.x[p] - b.x[q] || p - q);
    const total = m + inserts.length;
    this.roomInX(total);
    let i = m - 1;
    let w = total - 1;
    for (let j = inserts.length - 1; j >= 0; j--) {
      const s = inserts[j];
      const sx = b.x[s];
      while (i >= 0 && (b.sortedX[i] > sx || (b.sortedX[i] === sx && b.byX[i] > s))) this.copyX(i--, w--);
      b.byX[w] = s;
      this.writeX(w, s);
      w--;
    }
    first = Math.min(first, w + 1);
    this.sortedCount = total;
    for (let k = first; k < total; k++) this.posInX[b.byX[k]] = k;
  }

  private roomInX(n: number): void {
    const b = this.buf;
    b.byX = room(b.byX, n);
    b.sortedX = room(b.sortedX, n);
    b.sortedY = room(b.sortedY, n);
    b.sortedOpen = room(b.sortedOpen, n);
    b.sortedDue = room(b.sortedDue, n);
    this.posInX = room(this.posInX, Math.max(n, this.size));
  }

  /** Writes slot `s`'s x-ordered copies at position `k` (byX[k] is set by the caller). */
  private writeX(k: number, s: number): void {
    const b = this.buf;
    b.sortedX[k] = b.x[s];
    b.sortedY[k] = b.y[s];
    b.sortedOpen[k] = isFinishedCode(b.status[s]) ? 0 : 1;
    b.sortedDue[k] = b.status[s] === STATUS_ASSIGNED ? b.deadlineMs[s] : Infinity;
    this.posInX[s] = k;
  }

  private copyX(from: number, to: number): void {
    const b = this.buf;
    b.byX[to] = b.byX[from];
    b.sortedX[to] = b.sortedX[from];
    b.sortedY[to] = b.sortedY[from];
    b.sortedOpen[to] = b.sortedOpen[from];
    b.sortedDue[to] = b.sortedDue[from];
  }

  private refreshViews(): void {
    const b = this.buf;
    const n = this.size;
    this.x = b.x.subarray(0, n);
    this.y = b.y.subarray(0, n);
    this.reportedMs = b.reportedMs.subarray(0, n);
    this.deadlineMs = b.deadlineMs.subarray(0, n);
    this.category = b.category.subarray(0, n);
    this.status = b.status.subarray(0, n);
    this.subdistrict = b.subdistrict.subarray(0, n);
    this.unit = b.unit.subarray(0, n);
    this.rid = b.rid.subarray(0, n);
    this.byX = b.byX.subarray(0, n);
    this.sortedX = b.sortedX.subarray(0, n);
    this.sortedY = b.sortedY.subarray(0, n);
    this.sortedOpen = b.sortedOpen.subarray(0, n);
    this.sortedDue = b.sortedDue.subarray(0, n);
  }
}

const STATUS_CODES = new Map<ProblemStatus, number>(PROBLEM_STATUSES.map((s, i) => [s, i]));

/** The code of `key`, appending it to `names` the first time it is seen. */
function code<K>(map: Map<K, number>, names: K[], key: K): number {
  let c = map.get(key);
  if (c === undefined) {
    c = names.length;
    map.set(key, c);
    names.push(key);
  }
  return c;
}

export const STATUS_ASSIGNED = PROBLEM_STATUSES.indexOf('assigned');
export const STATUS_CLOSED = PROBLEM_STATUSES.indexOf('closed');
export const STATUS_REJECTED = PROBLEM_STATUSES.indexOf('rejected');
export const STATUS_HELD = PROBLEM_STATUSES.indexOf('held');
/** A status code of a finished problem (contract FINISHED_STATUSES): closed, or rejected at 立案. */
export const isFinishedCode = (code: number): boolean => code === STATUS_CLOSED || code === STATUS_REJECTED;
/** The derived status's code in a status mask (after the stored ones, as in STATUS_FILTERS). */
export const STATUS_OVERDUE = STATUS_FILTERS.indexOf('overdue');

/** Reads every problem from the store into a ProblemIndex. */
export async function buildProblemIndex(store: Store): Promise<ProblemIndex> {
  const expected = (await store.counts()).problems;
  return ProblemIndex.read(store.iterateProblemPoints(), expected);
}

/** First position in the x order whose x is ≥ `value`. */
export function lowerBoundX(index: ProblemIndex, value: number): number {
  let lo = 0;
  let hi = index.size;
  const x = index.sortedX;
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
  /** The grids' area, and its bbox in world coordinates (y grows southwards) to test first. */
  area: { area: FilterArea; x0: number; y0: number; x1: number; y1: number } | null;
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
    area: filter.area
      ? {
          area: filter.area,
          x0: lngToWorldX(filter.area.bbox[0]),
          x1: lngToWorldX(filter.area.bbox[2]),
          y0: latToWorldY(filter.area.bbox[3]),
          y1: latToWorldY(filter.area.bbox[1]),
        }
      : null,
  };
  const all = f.fromMs === -Infinity && f.toMs === Infinity && !f.category && !f.status && !f.subdistrict && !f.unit && !f.area;
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
  if (f.area !== null) {
    const a = f.area;
    const x = index.x[i];
    const y = index.y[i];
    if (x < a.x0 || x > a.x1 || y < a.y0 || y > a.y1 || !inFilterArea(a.area, worldXToLng(x), worldYToLat(y))) return false;
  }
  return true;
}
