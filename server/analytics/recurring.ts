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

  // Grid of cell size radiusM over site seeds: a seed within radiusM lies in the 3 × 3 cells around.
  // Open-addressing hash (category, cx, cy) → first site in that cell; sites chain through siteNext.
  let cap = 16;
  while (cap < n * 2) cap *= 2;
  const mask = cap - 1;
  const keyCat = new Int32Array(cap).fill(-1);
  const keyX = new Int32Array(cap);
  const keyY = new Int32Array(cap);
  const head = new Int32Array(cap).fill(-1);
  const siteNext = new Int32Array(n);
  const siteSeed = new Uint32Array(n);
  const siteMaxEnd = new Float64Array(n);
  const siteReports = new Uint32Array(n);
  const siteRecurrences = new Uint32Array(n);
  const siteReturnMsSum = new Float64Array(n);
  let siteCount = 0;
  const r2 = radiusM * radiusM;

  const slot = (cat: number, cx: number, cy: number): number => {
    let h = (Math.imul(cx, 73_856_093) ^ Math.imul(cy, 19_349_663) ^ Math.imul(cat + 1, 83_492_791)) & mask;
    while (keyCat[h] !== -1 && (keyCat[h] !== cat || keyX[h] !== cx || keyY[h] !== cy)) h = (h + 1) & mask;
    return h;
  };

  for (let k = 0; k < n; k++) {
    const i = order[k];
    const cat = category[i];
    const cx = Math.floor((x[i] - minX) / radiusM);
    const cy = Math.floor((y[i] - minY) / radiusM);
    let best = -1;
    let bestD2 = r2;
    for (let dx = -1; dx <= 1; dx++) {
      for (let dy = -1; dy <= 1; dy++) {
        const h = slot(cat, cx + dx, cy + dy);
        for (let s = keyCat[h] === -1 ? -1 : head[h]; s !== -1; s = siteNext[s]) {
          const seed = siteSeed[s];
          const ddx = x[seed] - x[i];
          const ddy = y[seed] - y[i];
          const d2 = ddx * ddx + ddy * ddy;
          if (d2 <= bestD2) {
            bestD2 = d2;
            best = s;
          }
        }
      }
    }
    const end = Number.isNaN(closedMs[i]) ? Infinity : closedMs[i];
    if (best === -1) {
      best = siteCount++;
      const h = slot(cat, cx, cy);
      if (keyCat[h] === -1) {
        keyCat[h] = cat;
        keyX[h] = cx;
        keyY[h] = cy;
      }
      siteNext[best] = head[h];
      head[h] = best;
      siteSeed[best] = i;
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
