/**
 * Which coordinate system a point sheet is in, judged by the city's streets. Sheets made on 高德, 腾讯 or
 * 百度 maps are in GCJ-02 or BD-09, which sit some 300–700 m off WGS84 in China; imported as WGS84 their
 * markets land in courtyards and rivers, silently. Inspection points lie by streets, so the system that
 * puts them closest to the mapped streets is the one they were taken in.
 */
import type { Feature, LineString } from 'geojson';
import { type Crs, toWgs84 } from './points';

/** Median distances (m) of a sample of points to the nearest street, per system they are read in. */
export type StreetDistances = Record<Crs, number>;

const CELL_M = 250;
/** Beyond this a point has no street near it at all (a wrong city): counted as this far. */
const SEARCH_M = 2000;
const SAMPLE = 200;
/** WGS84 is questioned only when its points sit this far from streets (m, median) … */
const OFF_STREET_M = 120;
/** … and another system brings them at least this many times closer. */
const CLOSER_BY = 3;

/** Median street distance of `points` read as WGS84, GCJ-02 and BD-09. */
export function streetDistances(roads: readonly Feature<LineString>[], points: readonly [number, number][]): StreetDistances {
  const sample = points.length <= SAMPLE ? points : Array.from({ length: SAMPLE }, (_, i) => points[Math.floor((i * points.length) / SAMPLE)]);
  const index = new SegmentGrid(roads);
  const median = (crs: Crs) => {
    const d = sample.map((p) => index.distance(toWgs84(p, crs))).sort((a, b) => a - b);
    return d.length === 0 ? 0 : Math.round(d[Math.floor(d.length / 2)]);
  };
  return { wgs84: median('wgs84'), gcj02: median('gcj02'), bd09: median('bd09') };
}

/** The system the points were likely taken in when it is not WGS84, or null when WGS84 fits (or nothing fits better). */
export function likelyCrs(d: StreetDistances): Exclude<Crs, 'wgs84'> | null {
  if (d.wgs84 < OFF_STREET_M) return null;
  const best = d.gcj02 <= d.bd09 ? 'gcj02' : 'bd09';
  return d[best] * CLOSER_BY <= d.wgs84 ? best : null;
}

/** Street segments bucketed in a grid of local metres, for nearest-segment distances. */
class SegmentGrid {
  private readonly cells = new Map<string, number[]>();
  private readonly segs: number[] = [];
  private readonly lat0: number;
  private readonly lng0: number;
  private readonly kx: number;
  private readonly ky = 111_195;

  constructor(roads: readonly Feature<LineString>[]) {
    const first = roads[0]?.geometry.coordinates[0] ?? [0, 0];
    [this.lng0, this.lat0] = first;
    this.kx = this.ky * Math.cos((this.lat0 * Math.PI) / 180);
    for (const r of roads) {
      const c = r.geometry.coordinates;
      for (let i = 1; i < c.length; i++) {
        const [ax, ay] = this.xy(c[i - 1]);
        const [bx, by] = this.xy(c[i]);
        const s = this.segs.length / 4;
        this.segs.push(ax, ay, bx, by);
        for (let gx = Math.floor(Math.min(ax, bx) / CELL_M); gx <= Math.floor(Math.max(ax, bx) / CELL_M); gx++) {
          for (let gy = Math.floor(Math.min(ay, by) / CELL_M); gy <= Math.floor(Math.max(ay, by) / CELL_M); gy++) {
            const key = `${gx},${gy}`;
            const list = this.cells.get(key);
            if (list) list.push(s);
            else this.cells.set(key, [s]);
          }
        }
      }
    }
  }

  private xy(p: readonly number[]): [number, number] {
    return [(p[0] - this.lng0) * this.kx, (p[1] - this.lat0) * this.ky];
  }

  /** Metres from `p` to the nearest segment, at most SEARCH_M. */
  distance(p: readonly number[]): number {
    const [x, y] = this.xy(p);
    const cx = Math.floor(x / CELL_M);
    const cy = Math.floor(y / CELL_M);
    let best = SEARCH_M;
    // Rings of cells outwards until no nearer segment can lie beyond the ring reached.
    for (let ring = 0; ring * CELL_M <= SEARCH_M + CELL_M; ring++) {
      if ((ring - 1) * CELL_M > best) break;
      for (let gx = cx - ring; gx <= cx + ring; gx++) {
        for (let gy = cy - ring; gy <= cy + ring; gy++) {
          if (Math.max(Math.abs(gx - cx), Math.abs(gy - cy)) !== ring) continue;
          for (const s of this.cells.get(`${gx},${gy}`) ?? []) best = Math.min(best, this.toSegment(x, y, s));
        }
      }
    }
    return best;
  }

  private toSegment(x: number, y: number, s: number): number {
    const g = this.segs;
    const ax = g[s * 4];
    const ay = g[s * 4 + 1];
    const bx = g[s * 4 + 2];
    const by = g[s * 4 + 3];
    const dx = bx - ax;
    const dy = by - ay;
    const len2 = dx * dx + dy * dy;
    const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / len2));
    return Math.hypot(x - ax - t * dx, y - ay - t * dy);
  }
}
