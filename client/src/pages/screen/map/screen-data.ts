/**
 * What the big screen's map makes of its data, pure: the hot cells it draws and the legend classes
 * present, the tour's candidate cells and sites with their captions' facts, the areas' boxes and the
 * box the map opens on.
 */
import type { HotspotCollection, RecurringCollection } from '../../../../../server/contract/hotspots';
import type { BBox, LngLat, Meta } from '../../../api/types';
import type { ProblemPoints } from '../../../map/deck/points-bin';
import type { ScreenPin } from '../screen-url';
import { isHotCell, topHotCells, type TourCell, type TourSite } from '../tour';
import { cellMix, type PeriodPoints } from './period-points';

export type CellFeature = HotspotCollection['features'][number];

/**
 * Legend entries of the hot cells, in order of concern: the hot emerging classes, and `cluster` for a
 * significant Gi* cluster without one (the demo city's 12 weeks rarely make an emerging class).
 */
export const LEGEND_CLASSES = [
  'intensifying-hot',
  'persistent-hot',
  'consecutive-hot',
  'new-hot',
  'oscillating-hot',
  'sporadic-hot',
  'diminishing-hot',
  'historical-hot',
  'cluster',
] as const;
export type LegendClass = (typeof LEGEND_CLASSES)[number];
export const cellClass = (p: CellFeature['properties']): LegendClass => (p.class === 'no-pattern' ? 'cluster' : (p.class as LegendClass));
/** Top hot cells given captions: more than the tour shows, so ties do not leave it short. */
export const TOUR_CANDIDATES = 6;

/** A subdistrict's or district's name and box. */
export interface Shape {
  name: string;
  bbox: BBox;
}

/** The box around a geometry's coordinates. */
export function bboxOf(g: GeoJSON.Geometry): BBox {
  const box: BBox = [Infinity, Infinity, -Infinity, -Infinity];
  const walk = (c: unknown): void => {
    if (Array.isArray(c) && typeof c[0] === 'number') {
      box[0] = Math.min(box[0], c[0]);
      box[1] = Math.min(box[1], c[1] as number);
      box[2] = Math.max(box[2], c[0]);
      box[3] = Math.max(box[3], c[1] as number);
    } else if (Array.isArray(c)) c.forEach(walk);
  };
  if (g.type !== 'GeometryCollection') walk(g.coordinates);
  return box;
}

/**
 * Where the map opens: a district's own shape (its subdistricts' boxes together when the districts
 * layer lacks it), a subdistrict's shape, the city when nothing is pinned or the shapes cannot be
 * loaded; undefined while the shapes it needs are on their way.
 */
export function homeBox(
  pin: ScreenPin | null,
  subdistricts: Map<string, Shape> | null | undefined,
  districts: Map<string, Shape> | null | undefined,
  city: BBox,
): BBox | undefined {
  if (!pin) return city;
  if (subdistricts === undefined || (pin.level === 'district' && districts === undefined)) return undefined;
  if (pin.level === 'district') {
    const own = districts?.get(pin.id)?.bbox;
    if (own) return own;
  }
  const boxes = pin.subdistricts.map((id) => subdistricts?.get(id)?.bbox).filter((b): b is BBox => b !== undefined);
  return boxes.length ? unionBox(boxes) : city;
}

function unionBox(boxes: readonly BBox[]): BBox {
  return boxes.reduce<BBox>(
    (u, b) => [Math.min(u[0], b[0]), Math.min(u[1], b[1]), Math.max(u[2], b[2]), Math.max(u[3], b[3])],
    [Infinity, Infinity, -Infinity, -Infinity],
  );
}

export interface HotCells {
  /** Significant hot cells (the classes drawn). */
  hot: HotspotCollection;
  classes: LegendClass[];
  tourCells: TourCell[];
}

/**
 * The significant hot cells to draw, the classes present (for the legend), and the top cells for the
 * tour with their commonest category and subdistrict (a scan of the period's points per top cell).
 */
export function hotCells(cells: HotspotCollection, pp: PeriodPoints | null, points: ProblemPoints | null, meta: Meta): HotCells {
  const hot = { ...cells, features: cells.features.filter((f) => isHotCell(f.properties)) };
  const present = new Set<string>(hot.features.map((f) => cellClass(f.properties)));
  const classes = LEGEND_CLASSES.filter((c) => present.has(c));
  const candidates: TourCell[] = hot.features.map((f) => ({
    h3: f.properties.h3,
    center: f.properties.center as LngLat,
    count: f.properties.count,
    class: f.properties.class,
    hotWeeks: f.properties.hotWeeks,
    z: f.properties.z,
    significant: f.properties.significant,
    topCategory: null,
    subdistrictName: null,
  }));
  const top = topHotCells(candidates, TOUR_CANDIDATES);
  if (pp && points) {
    const ring = (h3: string) => hot.features.find((f) => f.properties.h3 === h3)!.geometry.coordinates[0] as LngLat[];
    const mixes = cellMix(
      pp,
      top.map((c) => ring(c.h3)),
    );
    top.forEach((c, i) => {
      const m = mixes[i];
      const catId = m.category === null ? null : points.dictionary.categories[m.category];
      const cat = catId ? meta.categories.find((x) => x.id === catId) : undefined;
      if (cat) c.topCategory = { zh: cat.zh, en: cat.en, count: m.categoryCount };
      const sdId = m.subdistrict === null ? null : points.dictionary.subdistricts[m.subdistrict];
      c.subdistrictName = sdId ? (meta.subdistricts.find((x) => x.id === sdId)?.name ?? null) : null;
    });
  }
  return { hot, classes, tourCells: top };
}

/** The recurring sites as the tour's captions need them. */
export function tourSites(fc: RecurringCollection, meta: Meta): TourSite[] {
  return fc.features.map((f) => {
    const p = f.properties;
    const cat = meta.categories.find((c) => c.id === p.category);
    return {
      id: p.id,
      lngLat: f.geometry.coordinates as LngLat,
      recurrences: p.recurrences,
      reports: p.reports,
      category: cat ? { zh: cat.zh, en: cat.en } : null,
      subdistrictName: p.subdistrictId ? (meta.subdistricts.find((s) => s.id === p.subdistrictId)?.name ?? null) : null,
    };
  });
}
