import { cellToParent, gridDisk, latLngToCell } from 'h3-js';
import { csrFromLists } from '../../analytics/gi-star';
import { projectLocal, RecurringSites } from '../../analytics/recurring';
import { cityDay } from '../../contract/city-time';
import { worldXToLng, worldYToLat } from '../../geo/mercator';
import type { Store } from '../../store/index';
import type { ProblemAnalyticsRow } from '../../store/analytics';
import { buildProblemIndex, joinToBytes, type PackedProblemIndex, ProblemIndex, type ProblemIndexPatch, splitBytes, splitBytesInSlices } from './problem-index';

/** Each problem's H3 cell as a code into `ids`, and each cell's neighbours (itself and its ring) that hold problems. */
export interface H3Assignment {
  res: number;
  cellOf: Uint32Array;
  ids: string[];
  /** CSR over cell codes: the neighbours of cell c are ringTargets[ringOffsets[c] … ringOffsets[c + 1] − 1], c included, ascending. */
  ringOffsets: Uint32Array;
  ringTargets: Uint32Array;
}

/** Finest H3 resolution the API offers; points are assigned at it once, coarser cells are its parents. */
export const H3_FINEST = 10;
export const DEFAULT_RADIUS_M = 30;

const EMPTY_ORDER = new Uint32Array(0);

/** AnalyticsIndex.pack()'s output: opaque, for AnalyticsIndex.unpack(). */
export interface PackedAnalyticsIndex {
  base: PackedProblemIndex;
  fields: object;
  assignments: (Omit<H3Assignment, 'ids'> & { ids: Uint8Array })[];
  rec: object | null;
}

type TimeOrdered = { x: Float64Array; y: Float64Array; category: Uint16Array; reportedMs: Float64Array; closedMs: Float64Array };

/**
 * Everything the hotspot and recurring-site queries read, in flat arrays by the slots of the tile index
 * (`base`, services/problems/problem-index.ts, whose filter compiler they share). The slow parts (reading
 * SQLite, assigning H3 cells with h3-js at about 2 µs a point) happen once; after that a report, a
 * transition or a merge patches the few slots it touched (`patch`), so a query after a write costs its
 * loops over typed arrays, not a rebuild. What a patch cannot keep exactly (the recurring sites, whose
 * every later report depends on an earlier close) is dropped and recomputed on next use.
 */
export class AnalyticsIndex {
  readonly base: ProblemIndex;
  lng: Float64Array;
  lat: Float64Array;
  /** Metres on a plane tangent at `origin` (recurring sites measure distances there). */
  xM: Float64Array;
  yM: Float64Array;
  /** NaN when not rectified / closed. */
  rectifiedMs: Float64Array;
  closedMs: Float64Array;
  /** Code into placeNames; 0 = no place. */
  place: Uint32Array;
  readonly placeNames: (string | null)[] = [null];
  /** Day of each report: days since 1970-01-01 in city time (contract/city-time cityDay). */
  day: Int32Array;
  /** Slots ascending by report time (ties by slot, i.e. store rowid), the order recurring sites are found in. */
  byTime: Uint32Array;

  private readonly origin: [number, number];
  private readonly placeCodes = new Map<string | null, number>([[null, 0]]);
  private readonly assignments = new Map<number, H3Assignment>();
  /** Cell id → code of each assignment, made by its first patch and kept by the next ones (a Map of 300,000 cells costs ~50 ms to make). */
  private readonly cellCodes = new WeakMap<H3Assignment, Map<string, number>>();
  private recurring: Uint8Array | null = null;
  private ordered: TimeOrdered | null = null;
  /** The sites behind `recurring`, over `ordered`'s positions, kept by patches. */
  private rec: RecurringSites | null = null;
  /** Slot → position in `ordered` (valid while `ordered` is). */
  private inv = new Int32Array(0);

  /**
   * @param origin the local plane's centre (lng, lat): the city's centre, so a patched index and a fresh
   *   build measure in the same metres; null → the problems' mean position.
   */
  constructor(base: ProblemIndex, rows: Iterable<ProblemAnalyticsRow>, origin: [number, number] | null) {
    this.base = base;
    const n = base.size;
    this.rectifiedMs = new Float64Array(n).fill(NaN);
    this.closedMs = new Float64Array(n).fill(NaN);
    this.place = new Uint32Array(n);
    for (const row of rows) {
      const i = base.slotOf(row[0]);
      if (i >= 0) this.writeRow(i, row); // a row written after the tile fields were read is patched in later
    }
    this.lng = new Float64Array(n);
    this.lat = new Float64Array(n);
    let sumLng = 0;
    let sumLat = 0;
    for (let i = 0; i < n; i++) {
      this.lng[i] = worldXToLng(base.x[i]);
      this.lat[i] = worldYToLat(base.y[i]);
      sumLng += this.lng[i];
      sumLat += this.lat[i];
    }
    this.origin = origin ?? (n > 0 ? [sumLng / n, sumLat / n] : [0, 0]);
    const local = projectLocal(this.lng, this.lat, this.origin);
    this.xM = local.x;
    this.yM = local.y;
    this.day = new Int32Array(n);
    for (let i = 0; i < n; i++) this.day[i] = cityDay(base.reportedMs[i]);
    this.byTime = sortByTime(base);
  }

  /** The index over `base` with the rows of the store's cursor (`iterateProblemAnalytics`). */
  static async read(base: ProblemIndex, batches: AsyncIterable<ProblemAnalyticsRow[]>, origin: [number, number] | null): Promise<AnalyticsIndex> {
    const index = new AnalyticsIndex(base, [], origin);
    for await (const rows of batches) {
      for (const row of rows) {
        const i = base.slotOf(row[0]);
        if (i >= 0) index.writeRow(i, row);
      }
    }
    return index;
  }

  /**
   * The index as data for another thread (the build runs in a worker, services/problems/live-index.ts).
   * What it computed lazily (cells, recurring sites) goes along; the cell-code maps are made again by
   * the next patch that needs them.
   */
  pack(): PackedAnalyticsIndex {
    const { base, cellCodes: _codes, assignments, rec, ...fields } = this;
    return {
      base: base.pack(),
      fields,
      // Cell ids are 15 hex digits: joined as bytes, they cross as one transferred buffer.
      assignments: [...assignments.values()].map(({ ids, ...a }) => ({ ...a, ids: joinToBytes(ids, ',') })),
      rec: rec ? { ...rec } : null,
    };
  }

  /** The index `pack()` made, in this thread. */
  static unpack(p: PackedAnalyticsIndex): AnalyticsIndex {
    return AnalyticsIndex.assemble(
      p,
      ProblemIndex.unpack(p.base),
      p.assignments.map((a) => splitBytes(a.ids, ',')),
    );
  }

  /** As unpack, letting the event loop through while the ids are split (the main thread receiving a worker's build). */
  static async unpackInSlices(p: PackedAnalyticsIndex): Promise<AnalyticsIndex> {
    const base = await ProblemIndex.unpackInSlices(p.base);
    const cellIds: string[][] = [];
    for (const a of p.assignments) cellIds.push(await splitBytesInSlices(a.ids, ','));
    return AnalyticsIndex.assemble(p, base, cellIds);
  }

  private static assemble(p: PackedAnalyticsIndex, base: ProblemIndex, cellIds: string[][]): AnalyticsIndex {
    const index = Object.create(AnalyticsIndex.prototype) as AnalyticsIndex;
    const assignments = new Map<number, H3Assignment>(p.assignments.map(({ ids: _bytes, ...a }, k) => [a.res, { ...a, ids: cellIds[k] } as H3Assignment]));
    const rec = p.rec ? (Object.setPrototypeOf(p.rec, RecurringSites.prototype) as RecurringSites) : null;
    return Object.assign(index, p.fields, { base, assignments, cellCodes: new WeakMap(), rec });
  }

  /**
   * Applies a patch of `base` (done by the caller just before) and the analytics rows of the slots it
   * touched. Appends arrive in slot order, so every per-slot array grows at its end.
   */
  patch(p: ProblemIndexPatch, rows: readonly ProblemAnalyticsRow[]): void {
    const base = this.base;
    const n = base.size;
    if (p.added.length > 0) {
      this.rectifiedMs = extend(this.rectifiedMs, n, NaN);
      this.closedMs = extend(this.closedMs, n, NaN);
      this.place = extend(this.place, n, 0);
      this.lng = extend(this.lng, n, 0);
      this.lat = extend(this.lat, n, 0);
      this.xM = extend(this.xM, n, 0);
      this.yM = extend(this.yM, n, 0);
      this.day = extend(this.day, n, 0);
    }
    for (const row of rows) {
      const i = base.slotOf(row[0]);
      if (i >= 0) this.writeRow(i, row);
    }
    const placed = [...p.added, ...p.moved];
    if (placed.length > 0) {
      const lng = new Float64Array(placed.length);
      const lat = new Float64Array(placed.length);
      placed.forEach((i, k) => {
        lng[k] = this.lng[i] = worldXToLng(base.x[i]);
        lat[k] = this.lat[i] = worldYToLat(base.y[i]);
      });
      const local = projectLocal(lng, lat, this.origin);
      placed.forEach((i, k) => {
        this.xM[i] = local.x[k];
        this.yM[i] = local.y[k];
      });
    }
    for (const i of [...p.added, ...p.changed]) this.day[i] = cityDay(base.reportedMs[i]);
    this.byTime = insertByTime(this.byTime, base, p.added);
    // No write moves a report's time today; should one, the order is made again rather than left wrong.
    if (p.changed.length > 0 && !inTimeOrder(this.byTime, base)) this.byTime = sortByTime(base);
    if (p.moved.length > 0) this.assignments.clear();
    else if (p.added.length > 0) this.assignCells(p.added);
    this.patchRecurring(p);
  }

  /**
   * Keeps the time-ordered copy and the recurring sites current: new reports later than every other
   * join the end (the usual case: a report is stamped now), and a changed close re-reads its site.
   * Anything else (a back-dated report, a moved one) drops them, and the next use computes them again.
   */
  private patchRecurring(p: ProblemIndexPatch): void {
    const o = this.ordered;
    if (!o) {
      this.rec = null;
      this.recurring = null;
      return;
    }
    const base = this.base;
    const old = o.x.length;
    const appended = p.moved.length === 0 && this.byTime.length === old + p.added.length && p.added.every((i) => this.timeSlot(i) >= old);
    const sameSites = p.changed.every((i) => o.category[this.inv[i]] === base.category[i] && o.reportedMs[this.inv[i]] === base.reportedMs[i]);
    if (!appended || !sameSites) {
      this.ordered = null;
      this.rec = null;
      this.recurring = null;
      return;
    }
    const n = base.size;
    const next: TimeOrdered = {
      x: extend(o.x, n, 0),
      y: extend(o.y, n, 0),
      category: extend(o.category, n, 0),
      reportedMs: extend(o.reportedMs, n, 0),
      closedMs: extend(o.closedMs, n, NaN),
    };
    this.inv = extend(this.inv, n, -1);
    for (let k = old; k < n; k++) {
      const i = this.byTime[k];
      next.x[k] = this.xM[i];
      next.y[k] = this.yM[i];
      next.category[k] = base.category[i];
      next.reportedMs[k] = base.reportedMs[i];
      next.closedMs[k] = this.closedMs[i];
      this.inv[i] = k;
    }
    const touched: number[] = [];
    for (const i of p.changed) {
      const k = this.inv[i];
      if (Object.is(next.closedMs[k], this.closedMs[i])) continue;
      next.closedMs[k] = this.closedMs[i];
      touched.push(k);
    }
    this.ordered = next;
    const rec = this.rec;
    if (!rec || !this.recurring) return;
    rec.grow({ ...next, order: EMPTY_ORDER });
    // Closes first (their sites are read again whole), then the new reports join at the end.
    for (const s of new Set(touched.map((k) => rec.siteOf[k]))) for (const k of rec.refreshSite(s)) this.recurring[this.byTime[k]] = rec.recurrence[k];
    this.recurring = extend(this.recurring, n, 0);
    for (let k = old; k < n; k++) {
      rec.push(k);
      this.recurring[this.byTime[k]] = rec.recurrence[k];
    }
  }

  /** Position of slot `i` in the time order (a scan: for the few slots a patch adds). */
  private timeSlot(i: number): number {
    for (let k = this.byTime.length - 1; k >= 0; k--) if (this.byTime[k] === i) return k;
    return -1;
  }

  /** H3 cells per problem at `res`, computed on first use (finest first, coarser ones from its parents). */
  cells(res: number): H3Assignment {
    let a = this.assignments.get(res);
    if (!a) {
      a = withRings(res === H3_FINEST ? assignFinest(this.lng, this.lat) : parentsOf(this.cells(H3_FINEST), res));
      this.assignments.set(res, a);
    }
    return a;
  }

  /**
   * The fields recurring-site detection reads, copied into report-time order (entry k is problem
   * byTime[k]), so its pass over a million problems reads memory in sequence instead of at random.
   */
  timeOrdered(): TimeOrdered {
    if (!this.ordered) {
      const n = this.base.size;
      const { byTime, xM, yM, closedMs } = this;
      const base = this.base;
      const o: TimeOrdered = {
        x: new Float64Array(n),
        y: new Float64Array(n),
        category: new Uint16Array(n),
        reportedMs: new Float64Array(n),
        closedMs: new Float64Array(n),
      };
      this.inv = new Int32Array(n);
      for (let k = 0; k < n; k++) {
        const i = byTime[k];
        this.inv[i] = k;
        o.x[k] = xM[i];
        o.y[k] = yM[i];
        o.category[k] = base.category[i];
        o.reportedMs[k] = base.reportedMs[i];
        o.closedMs[k] = closedMs[i];
      }
      this.ordered = o;
    }
    return this.ordered;
  }

  /** Recurring sites over all problems at the default radius, by slot (the heat map's "recurrences" weight). */
  recurrences(): Uint8Array {
    if (!this.recurring) {
      const n = this.base.size;
      const rec = new RecurringSites({ ...this.timeOrdered(), order: EMPTY_ORDER }, DEFAULT_RADIUS_M);
      for (let k = 0; k < n; k++) rec.push(k);
      const recurring = new Uint8Array(n);
      for (let k = 0; k < n; k++) recurring[this.byTime[k]] = rec.recurrence[k];
      this.rec = rec;
      this.recurring = recurring;
    }
    return this.recurring;
  }

  private writeRow(i: number, [, rectified, closed, placeId]: ProblemAnalyticsRow): void {
    this.rectifiedMs[i] = rectified ?? NaN;
    this.closedMs[i] = closed ?? NaN;
    let c = this.placeCodes.get(placeId);
    if (c === undefined) {
      c = this.placeNames.length;
      this.placeCodes.set(placeId, c);
      this.placeNames.push(placeId);
    }
    this.place[i] = c;
  }

  /**
   * Assigns the new slots `added` at every resolution already computed: the finest by position, the
   * coarser ones as its parents (as a fresh build does: H3 cells do not nest exactly, so the parent of a
   * point's fine cell is not always the coarse cell the point lies in). A new cell joins the end of the
   * codes, as in a fresh build, and the rings of it and its neighbours are rebuilt.
   */
  private assignCells(added: readonly number[]): void {
    const fine = this.assignments.get(H3_FINEST);
    if (!fine) {
      this.assignments.clear();
      return;
    }
    const fineCells = added.map((i) => latLngToCell(this.lat[i], this.lng[i], H3_FINEST));
    for (const [res, a] of this.assignments) {
      let codes = this.cellCodes.get(a);
      if (!codes) codes = new Map(a.ids.map((h, c) => [h, c]));
      const before = a.ids.length;
      const cellOf = extend(a.cellOf, this.base.size, 0);
      added.forEach((i, k) => {
        const h = res === H3_FINEST ? fineCells[k] : cellToParent(fineCells[k], res);
        let c = codes.get(h);
        if (c === undefined) {
          c = a.ids.length;
          codes.set(h, c);
          a.ids.push(h);
        }
        cellOf[i] = c;
      });
      const ring = before === a.ids.length ? a : withNewRings(a, before, codes);
      const next = { ...ring, cellOf };
      this.assignments.set(res, next);
      this.cellCodes.set(next, codes);
    }
  }
}

/**
 * `a` grown to `n` entries, the new ones `fill`: a longer view of the same buffer while it has room, else
 * a copy into one half as big again (so a report a second costs no million-entry copies).
 */
function extend<T extends Float64Array | Uint32Array | Int32Array | Uint16Array | Uint8Array>(a: T, n: number, fill: number): T {
  if (a.length >= n) return a;
  const Ctor = a.constructor as { new (length: number): T; new (buffer: ArrayBufferLike, offset: number, length: number): T };
  const room = a.byteOffset === 0 ? a.buffer.byteLength / a.BYTES_PER_ELEMENT : 0;
  let b: T;
  if (room >= n) b = new Ctor(a.buffer, 0, n);
  else {
    b = new Ctor(new Ctor(Math.max(n, Math.ceil(a.length * 1.5) + 64)).buffer, 0, n);
    b.set(a);
  }
  b.fill(fill, a.length);
  return b;
}

/** Builds the analytics index from the store (one pass for the tile fields, one for the rest). */
export async function buildAnalyticsIndex(store: Store): Promise<AnalyticsIndex> {
  const base = await buildProblemIndex(store);
  return AnalyticsIndex.read(base, store.iterateProblemAnalytics(), (await store.getCity())?.center ?? null);
}

/**
 * Slots ascending by report time, ties by slot. A million-element comparator sort takes about a second;
 * packing (whole seconds, slot) into one float64 key and sorting a Float64Array takes a tenth of that.
 * Sub-second times are ordered by the fallback only when they do not fit the packing.
 */
function sortByTime(base: ProblemIndex): Uint32Array {
  const n = base.size;
  const byTime = new Uint32Array(n);
  const INDEX_BITS = 2 ** 21;
  let fits = n < INDEX_BITS;
  for (let i = 0; fits && i < n; i++) if (base.reportedMs[i] % 1000 !== 0 || base.reportedMs[i] < 0 || base.reportedMs[i] / 1000 >= 2 ** 32) fits = false;
  if (fits) {
    const keys = new Float64Array(n);
    for (let i = 0; i < n; i++) keys[i] = (base.reportedMs[i] / 1000) * INDEX_BITS + i;
    keys.sort();
    for (let k = 0; k < n; k++) byTime[k] = keys[k] % INDEX_BITS;
    return byTime;
  }
  for (let i = 0; i < n; i++) byTime[i] = i;
  byTime.sort((a, b) => base.reportedMs[a] - base.reportedMs[b] || a - b);
  return byTime;
}

function inTimeOrder(byTime: Uint32Array, base: ProblemIndex): boolean {
  const t = base.reportedMs;
  for (let k = 1; k < byTime.length; k++) {
    const a = byTime[k - 1];
    const b = byTime[k];
    if (t[a] > t[b] || (t[a] === t[b] && a > b)) return false;
  }
  return true;
}

/** `byTime` with the new slots `added` (the highest ones) merged in by report time: new reports go near the end. */
function insertByTime(byTime: Uint32Array, base: ProblemIndex, added: readonly number[]): Uint32Array {
  if (added.length === 0) return byTime;
  const t = base.reportedMs;
  const inserts = [...added].sort((a, b) => t[a] - t[b] || a - b);
  const out = new Uint32Array(byTime.length + inserts.length);
  let i = byTime.length - 1;
  let w = out.length - 1;
  for (let j = inserts.length - 1; j >= 0; j--) {
    const s = inserts[j];
    while (i >= 0 && (t[byTime[i]] > t[s] || (t[byTime[i]] === t[s] && byTime[i] > s))) out[w--] = byTime[i--];
    out[w--] = s;
  }
  out.set(byTime.subarray(0, i + 1));
  return out;
}

type Cells = Omit<H3Assignment, 'ringOffsets' | 'ringTargets'>;

/** Adds each cell's ring of neighbours that hold problems (h3 gridDisk once per cell and revision). */
function withRings(a: Cells): H3Assignment {
  const code = new Map(a.ids.map((h, c) => [h, c]));
  const { offsets, targets } = csrFromLists(a.ids.map((h) => ringOf(h, code)));
  return { ...a, ringOffsets: offsets, ringTargets: targets };
}

/** The codes of `h` and its neighbours that hold problems, ascending (one order for a fresh build and a patch). */
function ringOf(h: string, code: ReadonlyMap<string, number>): number[] {
  return gridDisk(h, 1)
    .flatMap((nb) => (code.has(nb) ? [code.get(nb) as number] : []))
    .sort((p, q) => p - q);
}

/**
 * `a`'s rings after cells `from` … were added: theirs computed, and each added to its neighbours' rings.
 * Written straight into typed arrays (a city has hundreds of thousands of fine cells; a new report adds one).
 */
function withNewRings(a: H3Assignment, from: number, code: ReadonlyMap<string, number>): H3Assignment {
  const C = a.ids.length;
  const added = new Map<number, number[]>();
  const fresh: number[][] = [];
  for (let c = from; c < C; c++) {
    const ring = ringOf(a.ids[c], code);
    fresh.push(ring);
    for (const nb of ring) if (nb < from) (added.get(nb) ?? added.set(nb, []).get(nb))?.push(c);
  }
  const offsets = new Uint32Array(C + 1);
  for (let c = 0; c < C; c++) {
    const len = c < from ? a.ringOffsets[c + 1] - a.ringOffsets[c] + (added.get(c)?.length ?? 0) : fresh[c - from].length;
    offsets[c + 1] = offsets[c] + len;
  }
  const targets = new Uint32Array(offsets[C]);
  for (let c = 0; c < from; c++) {
    const old = a.ringTargets.subarray(a.ringOffsets[c], a.ringOffsets[c + 1]);
    targets.set(old, offsets[c]);
    const more = added.get(c);
    if (more) {
      targets.set(more, offsets[c] + old.length);
      targets.subarray(offsets[c], offsets[c + 1]).sort();
    }
  }
  for (let c = from; c < C; c++) targets.set(fresh[c - from], offsets[c]);
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
