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
  const { x, y, category, reportedMs, closedMs, order } = input;
  if (!(radiusM > 0)) throw new RangeError(`findRecurringSites: radiusM must be a positive number of metres (got ${radiusM}).`);
  const size = x.length;
  const n = order.length;
  const siteOf = new Int32Array(size).fill(-1);
  const recurrence = new Uint8Array(size);
  const returnMs = new Float64Array(size).fill(NaN);

  let minX = Infinity;
  let minY = Infinity;
  for (let k = 0; k < n; k++) {
    const i = order[k];
    if (x[i] < minX) minX = x[i];
    if (y[i] < minY) minY = y[i];
  }

  // Grid of cell size 2·radiusM over site seeds: a seed within radiusM of a point lies in the 2 × 2
  // cells of the quadrant the point is in. Open-addressing hash (category, cx, cy) → the newest site in
  // that cell (sites chain through siteNext), one stride-4 slot per key so a probe reads one cache line.
  const cell = 2 * radiusM;
  let cap = 1 << 12;
  let table = new Int32Array(cap * SLOT).fill(-1);
  let used = 0;
  const siteNext = new Int32Array(n);
  const siteSeed = new Uint32Array(n);
  const siteX = new Float64Array(n);
  const siteY = new Float64Array(n);
  const siteMaxEnd = new Float64Array(n);
  const siteReports = new Uint32Array(n);
  const siteRecurrences = new Uint32Array(n);
  const siteReturnMsSum = new Float64Array(n);
  let siteCount = 0;
  const r2 = radiusM * radiusM;

  for (let k = 0; k < n; k++) {
    const i = order[k];
    const cat = category[i];
    const px = x[i];
    const py = y[i];
    const fx = (px - minX) / cell;
    const fy = (py - minY) / cell;
    const cx = Math.floor(fx);
    const cy = Math.floor(fy);
    // The neighbour column/row on the side of the cell the point is nearer to.
    const nx = fx - cx < 0.5 ? cx - 1 : cx + 1;
    const ny = fy - cy < 0.5 ? cy - 1 : cy + 1;
    let best = -1;
    let bestD2 = r2;
    for (let q = 0; q < 4; q++) {
      const qx = q & 1 ? nx : cx;
      const qy = q & 2 ? ny : cy;
      let h = hashCell(cat, qx, qy) & (cap - 1);
      while (table[h * SLOT] !== -1 && (table[h * SLOT] !== cat || table[h * SLOT + 1] !== qx || table[h * SLOT + 2] !== qy)) h = (h + 1) & (cap - 1);
      if (table[h * SLOT] === -1) continue;
      for (let st = table[h * SLOT + 3]; st !== -1; st = siteNext[st]) {
        const ddx = siteX[st] - px;
        const ddy = siteY[st] - py;
        const d2 = ddx * ddx + ddy * ddy;
        if (d2 <= bestD2) {
          bestD2 = d2;
          best = st;
        }
      }
    }
    const end = Number.isNaN(closedMs[i]) ? Infinity : closedMs[i];
    if (best === -1) {
      best = siteCount++;
      if (used * 2 >= cap) {
        // Keep the table at most half full: double it and re-insert every key.
        const old = table;
        cap *= 2;
        table = new Int32Array(cap * SLOT).fill(-1);
        for (let o = 0; o < old.length; o += SLOT) {
          if (old[o] === -1) continue;
          let h = hashCell(old[o], old[o + 1], old[o + 2]) & (cap - 1);
          while (table[h * SLOT] !== -1) h = (h + 1) & (cap - 1);
          table.set(old.subarray(o, o + SLOT), h * SLOT);
        }
      }
      let h = hashCell(cat, cx, cy) & (cap - 1);
      while (table[h * SLOT] !== -1 && (table[h * SLOT] !== cat || table[h * SLOT + 1] !== cx || table[h * SLOT + 2] !== cy)) h = (h + 1) & (cap - 1);
      if (table[h * SLOT] === -1) {
        table[h * SLOT] = cat;
        table[h * SLOT + 1] = cx;
        table[h * SLOT + 2] = cy;
        table[h * SLOT + 3] = -1;
        used++;
      }
      siteNext[best] = table[h * SLOT + 3];
      table[h * SLOT + 3] = best;
      siteSeed[best] = i;
      siteX[best] = px;
      siteY[best] = py;
      siteMaxEnd[best] = end;
    } else {
      const lastEnd = siteMaxEnd[best];
      if (lastEnd <= reportedMs[i]) {
        recurrence[i] = 1;
        returnMs[i] = reportedMs[i] - lastEnd;
        siteRecurrences[best]++;
        siteReturnMsSum[best] += returnMs[i];
      }
      if (end > lastEnd) siteMaxEnd[best] = end;
    }
    siteOf[i] = best;
    siteReports[best]++;
  }

  return {
    siteCount,
    siteOf,
    recurrence,
    returnMs,
    siteSeed: siteSeed.slice(0, siteCount),
    siteReports: siteReports.slice(0, siteCount),
    siteRecurrences: siteRecurrences.slice(0, siteCount),
    siteReturnMsSum: siteReturnMsSum.slice(0, siteCount),
  };
}
