/**
 * The problems of the screen's period (and pinned area) out of `points.bin` (every problem, as
 * columns): what the heat layer is fed, and per hot cell its commonest category and subdistrict for the
 * tour's captions. Pure: typed arrays in, typed arrays out.
 */
import type { ProblemPoints } from '../../../map/deck/points-bin';
import type { ScreenPeriod } from '../screen-url';
import type { LngLat } from '../../../../../server/contract/geo';

const DAY_MS = 86_400_000;

/** The period's problems: positions for the GPU and the codes the captions need. */
export interface PeriodPoints {
  count: number;
  /** [lng, lat] interleaved. */
  position: Float32Array;
  /** Codes into the points' dictionary. */
  category: Uint16Array;
  subdistrict: Uint16Array;
}

/** Day index (since `baseDate`) of a `YYYY-MM-DD`. */
function dayIndex(points: ProblemPoints, iso: string): number {
  return Math.round((Date.parse(`${iso}T00:00:00Z`) - Date.parse(`${points.dictionary.baseDate}T00:00:00Z`)) / DAY_MS);
}

/**
 * The problems reported in `period` (days inclusive, city time), in the pinned area's `subdistricts`
 * when one is pinned (a district's, or the one subdistrict; null: the whole city).
 */
export function periodPoints(points: ProblemPoints, period: Pick<ScreenPeriod, 'from' | 'to'>, subdistricts: readonly string[] | null): PeriodPoints {
  const first = dayIndex(points, period.from);
  const last = dayIndex(points, period.to);
  // A mask over the dictionary's subdistrict codes; ids the points do not know keep nothing.
  let inArea: Uint8Array | null = null;
  if (subdistricts !== null) {
    const wanted = new Set(subdistricts);
    inArea = Uint8Array.from(points.dictionary.subdistricts, (id) => (id !== null && wanted.has(id) ? 1 : 0));
  }
  let n = 0;
  for (let i = 0; i < points.count; i++) if (keep(points, i, first, last, inArea)) n++;
  const position = new Float32Array(2 * n);
  const category = new Uint16Array(n);
  const subdistrict = new Uint16Array(n);
  let j = 0;
  for (let i = 0; i < points.count; i++) {
    if (!keep(points, i, first, last, inArea)) continue;
    position[2 * j] = points.position[2 * i];
    position[2 * j + 1] = points.position[2 * i + 1];
    category[j] = points.category[i];
    subdistrict[j] = points.subdistrict[i];
    j++;
  }
  return { count: n, position, category, subdistrict };
}

function keep(points: ProblemPoints, i: number, first: number, last: number, inArea: Uint8Array | null): boolean {
  const d = points.day[i];
  if (d < first || d > last) return false;
  return inArea === null || inArea[points.subdistrict[i]] === 1;
}

/** What lies inside one cell: its commonest category (with its count) and subdistrict, as codes. */
export interface CellMix {
  category: number | null;
  categoryCount: number;
  subdistrict: number | null;
}

/**
 * For each polygon (an H3 cell's ring), the commonest category and subdistrict of the period's problems
 * inside it. A few cells against the period's points: a bbox test, then the ring.
 */
export function cellMix(pp: PeriodPoints, rings: readonly (readonly LngLat[])[]): CellMix[] {
  return rings.map((ring) => {
    const box = ringBox(ring);
    const cats = new Map<number, number>();
    const sds = new Map<number, number>();
    for (let i = 0; i < pp.count; i++) {
      const x = pp.position[2 * i];
      const y = pp.position[2 * i + 1];
      if (x < box[0] || x > box[2] || y < box[1] || y > box[3] || !inRing(ring, x, y)) continue;
      cats.set(pp.category[i], (cats.get(pp.category[i]) ?? 0) + 1);
      sds.set(pp.subdistrict[i], (sds.get(pp.subdistrict[i]) ?? 0) + 1);
    }
    const topCat = top(cats);
    const topSd = top(sds);
    return { category: topCat?.[0] ?? null, categoryCount: topCat?.[1] ?? 0, subdistrict: topSd?.[0] ?? null };
  });
}

function top(m: Map<number, number>): [number, number] | null {
  let best: [number, number] | null = null;
  // Ties go to the lower code, so the caption does not flicker between refreshes.
  for (const [k, v] of m) if (!best || v > best[1] || (v === best[1] && k < best[0])) best = [k, v];
  return best;
}

function ringBox(ring: readonly LngLat[]): [number, number, number, number] {
  let w = Infinity;
  let s = Infinity;
  let e = -Infinity;
  let n = -Infinity;
  for (const [x, y] of ring) {
    w = Math.min(w, x);
    s = Math.min(s, y);
    e = Math.max(e, x);
    n = Math.max(n, y);
  }
  return [w, s, e, n];
}

/** Even-odd ray casting. */
function inRing(ring: readonly LngLat[], x: number, y: number): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}
