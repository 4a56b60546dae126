/**
 * Recurring sites (反复): places where a problem of the same category came back after it was closed.
 *
 * Sites are found by leader clustering, in report order: a report joins the nearest site of its
 * category whose seed (the site's first report) lies within `radiusM`, or founds a new site. Unlike
 * single-linkage clustering this cannot chain a whole busy street into one site; a site is at most
 * 2 · radiusM across.
 *
 * A report is a *recurrence* when every earlier report of its site had been closed before it came in
 * (the site was clean, and the problem came back). Its time to come back is its report time minus the
 * latest close time of those earlier reports. A report that arrives while an earlier one is still open
 * (not closed, or closed later) is a repeat, not a recurrence.
 *
 * Pure: flat typed arrays in, flat typed arrays out; positions in metres on a local plane.
 */
export interface RecurringInput {
  /** Metres east / north on a local plane (see `projectLocal`). */
  x: Float64Array;
  y: Float64Array;
  category: Uint16Array;
  reportedMs: Float64Array;
  /** NaN when the problem is not closed. */
  closedMs: Float64Array;
  /** The problems to consider, in ascending report time. */
  order: Uint32Array;
}

export interface RecurringResult {
  siteCount: number;
  /** Per problem: its site, −1 when not in `order`. */
  siteOf: Int32Array;
  /** Per problem: 1 when it is a recurrence. */
  recurrence: Uint8Array;
  /** Per problem: ms from the site's last close to this report (recurrences only, else NaN). */
  returnMs: Float64Array;
  /** Per site: the founding problem, the number of reports and of recurrences, and the summed return ms. */
  siteSeed: Uint32Array;
  siteReports: Uint32Array;
  siteRecurrences: Uint32Array;
  siteReturnMsSum: Float64Array;
}

const EARTH_M_PER_DEG_LAT = 110_574;
/** Hash slot: category, cell x, cell y, newest site in the cell. */
const SLOT = 4;

function hashCell(cat: number, cx: number, cy: number): number {
  return (Math.imul(cx, 73_856_093) ^ Math.imul(cy, 19_349_663) ^ Math.imul(cat + 1, 83_492_791)) >>> 0;
}
const EARTH_M_PER_DEG_LNG_EQUATOR = 111_320;

/** Projects lng/lat to metres on a plane tangent at `origin` (equirectangular; fine across a city). */
export function projectLocal(lng: Float64Array, lat: Float64Array, origin: [number, number]): { x: Float64Array; y: Float64Array } {
  const kx = EARTH_M_PER_DEG_LNG_EQUATOR * Math.cos((origin[1] * Math.PI) / 180);
  const x = new Float64Array(lng.length);
  const y = new Float64Array(lat.length);
  for (let i = 0; i < lng.length; i++) {
    x[i] = (lng[i] - origin[0]) * kx;
    y[i] = (lat[i] - origin[1]) * EARTH_M_PER_DEG_LAT;
  }
  return { x, y };
}

/** Finds recurring sites among the problems in `input.order` (see the module comment for the rules). */
export function findRecurringSites(input: RecurringInput, radiusM = 30): RecurringResult {
  const sites = new RecurringSites(input, radiusM);
  for (let k = 0; k < input.order.length; k++) sites.push(input.order[k]);
  return sites.result();
}

/** `a` with room for `need` entries, the new ones `fill`. */
function room<T extends Int32Array | Uint32Array | Float64Array | Uint8Array>(a: T, need: number, fill = 0): T {
  if (need <= a.length) return a;
  const b = new (a.constructor as new (length: number) => T)(Math.max(need, Math.ceil(a.length * 1.5) + 64));
  b.set(a);
  if (fill !== 0) b.fill(fill, a.length);
  return b;
}

/**
 * The leader clustering as a state that reports are pushed into one by one in report-time order, so a
 * new report (the latest) joins in O(1) and a report closed later re-reads only its own site
 * (`refreshSite`): what keeps the heat map's "recurrences" current without a pass over a million
 * reports. The grid of seeds is anchored at the plane's origin, not at the data, so the sites do not
 * depend on which reports came first.
 *
 * The input arrays may be replaced by longer ones holding the same values (`grow`) as reports arrive.
 */
export class RecurringSites {
  siteCount = 0;
  siteOf: Int32Array;
  recurrence: Uint8Array;
  returnMs: Float64Array;
  private input: RecurringInput;
  private readonly r2: number;
  private readonly cell: number;
  private cap = 1 << 12;
  private table = new Int32Array(this.cap * SLOT).fill(-1);
  private used = 0;
  private siteNext = new Int32Array(0);
  private siteSeed = new Uint32Array(0);
  private siteX = new Float64Array(0);
  private siteY = new Float64Array(0);
  private siteMaxEnd = new Float64Array(0);
  private siteReports = new Uint32Array(0);
  private siteRecurrences = new Uint32Array(0);
  private siteReturnMsSum = new Float64Array(0);
  /** Each site's reports in push order: first, last, and the next of each report. */
  private siteFirst = new Int32Array(0);
  private siteLast = new Int32Array(0);
  private memberNext = new Int32Array(0);

  constructor(input: RecurringInput, radiusM = 30) {
    if (!(radiusM > 0)) throw new RangeError(`findRecurringSites: radiusM must be a positive number of metres (got ${radiusM}).`);
    this.input = input;
    this.r2 = radiusM * radiusM;
    // Grid of cell size 2·radiusM over site seeds: a seed within radiusM of a point lies in the 2 × 2
    // cells of the quadrant the point is in. Open-addressing hash (category, cx, cy) → the newest site in
    // that cell (sites chain through siteNext), one stride-4 slot per key so a probe reads one cache line.
    this.cell = 2 * radiusM;
    const size = input.x.length;
    this.siteOf = new Int32Array(size).fill(-1);
    this.recurrence = new Uint8Array(size);
    this.returnMs = new Float64Array(size).fill(NaN);
  }

  /** Takes longer input arrays (the same values, more problems after them). */
  grow(input: RecurringInput): void {
    this.input = input;
    const size = input.x.length;
    this.siteOf = room(this.siteOf, size, -1);
    this.recurrence = room(this.recurrence, size);
    this.returnMs = room(this.returnMs, size, NaN);
  }

  /** Adds problem `i`, which must be reported no earlier than every problem pushed before it. */
  push(i: number): void {
    const { x, y, category, reportedMs, closedMs } = this.input;
    const cat = category[i];
    const px = x[i];
    const py = y[i];
    const fx = px / this.cell;
    const fy = py / this.cell;
    const cx = Math.floor(fx);
    const cy = Math.floor(fy);
    // The neighbour column/row on the side of the cell the point is nearer to.
    const nx = fx - cx < 0.5 ? cx - 1 : cx + 1;
    const ny = fy - cy < 0.5 ? cy - 1 : cy + 1;
    let best = -1;
    let bestD2 = this.r2;
    for (let q = 0; q < 4; q++) {
      const h = this.find(cat, q & 1 ? nx : cx, q & 2 ? ny : cy);
      if (this.table[h * SLOT] === -1) continue;
      for (let st = this.table[h * SLOT + 3]; st !== -1; st = this.siteNext[st]) {
        const ddx = this.siteX[st] - px;
        const ddy = this.siteY[st] - py;
        const d2 = ddx * ddx + ddy * ddy;
        if (d2 <= bestD2) {
          bestD2 = d2;
          best = st;
        }
      }
    }
    const end = Number.isNaN(closedMs[i]) ? Infinity : closedMs[i];
    if (best === -1) {
      best = this.found(cat, cx, cy, i, px, py, end);
    } else {
      const lastEnd = this.siteMaxEnd[best];
      if (lastEnd <= reportedMs[i]) {
        this.recurrence[i] = 1;
        this.returnMs[i] = reportedMs[i] - lastEnd;
        this.siteRecurrences[best]++;
        this.siteReturnMsSum[best] += this.returnMs[i];
      }
      if (end > lastEnd) this.siteMaxEnd[best] = end;
      this.memberNext[this.siteLast[best]] = i;
    }
    this.siteOf[i] = best;
    this.siteLast[best] = i;
    this.memberNext = room(this.memberNext, i + 1, -1);
    this.memberNext[i] = -1;
    this.siteReports[best]++;
  }

  /**
   * Reads site `s` again after the close time of one of its reports changed: which of its reports are
   * recurrences follows from the closes before each. Returns the reports whose flag changed.
   */
  refreshSite(s: number): number[] {
    const { reportedMs, closedMs } = this.input;
    const changed: number[] = [];
    let maxEnd = -Infinity;
    let recurrences = 0;
    let returnSum = 0;
    for (let i = this.siteFirst[s], first = true; i !== -1; i = this.memberNext[i], first = false) {
      const end = Number.isNaN(closedMs[i]) ? Infinity : closedMs[i];
      const was = this.recurrence[i];
      if (!first && maxEnd <= reportedMs[i]) {
        this.recurrence[i] = 1;
        this.returnMs[i] = reportedMs[i] - maxEnd;
        recurrences++;
        returnSum += this.returnMs[i];
      } else {
        this.recurrence[i] = 0;
        this.returnMs[i] = NaN;
      }
      if (this.recurrence[i] !== was) changed.push(i);
      if (end > maxEnd) maxEnd = end;
    }
    this.siteMaxEnd[s] = maxEnd;
    this.siteRecurrences[s] = recurrences;
    this.siteReturnMsSum[s] = returnSum;
    return changed;
  }

  result(): RecurringResult {
    const n = this.siteCount;
    return {
      siteCount: n,
      siteOf: this.siteOf,
      recurrence: this.recurrence,
      returnMs: this.returnMs,
      siteSeed: this.siteSeed.slice(0, n),
      siteReports: this.siteReports.slice(0, n),
      siteRecurrences: this.siteRecurrences.slice(0, n),
      siteReturnMsSum: this.siteReturnMsSum.slice(0, n),
    };
  }

  /** The hash slot of key (cat, cx, cy): where it is, or the empty slot where it would go. */
  private find(cat: number, cx: number, cy: number): number {
    const t = this.table;
    let h = hashCell(cat, cx, cy) & (this.cap - 1);
    while (t[h * SLOT] !== -1 && (t[h * SLOT] !== cat || t[h * SLOT + 1] !== cx || t[h * SLOT + 2] !== cy)) h = (h + 1) & (this.cap - 1);
    return h;
  }

  private found(cat: number, cx: number, cy: number, i: number, px: number, py: number, end: number): number {
    const best = this.siteCount++;
    const n = this.siteCount;
    this.siteNext = room(this.siteNext, n);
    this.siteSeed = room(this.siteSeed, n);
    this.siteX = room(this.siteX, n);
    this.siteY = room(this.siteY, n);
    this.siteMaxEnd = room(this.siteMaxEnd, n);
    this.siteReports = room(this.siteReports, n);
    this.siteRecurrences = room(this.siteRecurrences, n);
    this.siteReturnMsSum = room(this.siteReturnMsSum, n);
    this.siteFirst = room(this.siteFirst, n);
    this.siteLast = room(this.siteLast, n);
    if (this.used * 2 >= this.cap) {
      // Keep the table at most half full: double it and re-insert every key.
      const old = this.table;
      this.cap *= 2;
      this.table = new Int32Array(this.cap * SLOT).fill(-1);
      for (let o = 0; o < old.length; o += SLOT) {
        if (old[o] === -1) continue;
        let h = hashCell(old[o], old[o + 1], old[o + 2]) & (this.cap - 1);
        while (this.table[h * SLOT] !== -1) h = (h + 1) & (this.cap - 1);
        this.table.set(old.subarray(o, o + SLOT), h * SLOT);
      }
    }
    const h = this.find(cat, cx, cy);
    const t = this.table;
    if (t[h * SLOT] === -1) {
      t[h * SLOT] = cat;
      t[h * SLOT + 1] = cx;
      t[h * SLOT + 2] = cy;
      t[h * SLOT + 3] = -1;
      this.used++;
    }
    this.siteNext[best] = t[h * SLOT + 3];
    t[h * SLOT + 3] = best;
    this.siteSeed[best] = i;
    this.siteX[best] = px;
    this.siteY[best] = py;
    this.siteMaxEnd[best] = end;
    this.siteReports[best] = 0;
    this.siteRecurrences[best] = 0;
    this.siteReturnMsSum[best] = 0;
    this.siteFirst[best] = i;
    return best;
  }
}
