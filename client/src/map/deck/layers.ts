/**
 * deck.gl layer factories for the hotspot page: props in, layer out, each with a stable id
 * (deck.gl performance.md). Colours and domains are constants here so the legend can show the same.
 */
import { HeatmapLayer } from '@deck.gl/aggregation-layers';
import { DataFilterExtension } from '@deck.gl/extensions';
import { GeoJsonLayer, ScatterplotLayer } from '@deck.gl/layers';
import type { HotspotClassName, HotspotCollection, RecurringCollection } from '../../../../server/contract/hotspots';
import { FilteredHeatmapLayer } from './filtered-heatmap-layer';
import type { HeatWeight } from './points-bin';

type Rgb = [number, number, number];
type Rgba = [number, number, number, number];

/** Heat colours, cool to hot (ColorBrewer YlOrRd, 6 classes). */
export const HEAT_COLORS: Rgb[] = [
  [255, 255, 178],
  [254, 217, 118],
  [254, 178, 76],
  [253, 141, 60],
  [240, 59, 32],
  [189, 0, 38],
];

/**
 * Fixed heat colour domain per measure and week of window: the map's colours mean the same wherever it
 * is panned, and the layer scales the domain by the window's length, so playback week by week and the
 * whole two years share one legend. The numbers are deck.gl's SUM weight units (problems, recurrences
 * or overdue days within the heat radius, as deck.gl scales them by the ground size of a pixel),
 * calibrated on the demo city; the legend shows them as low → high.
 */
export const HEAT_DOMAIN: Record<HeatWeight, [number, number]> = {
  count: [3, 150],
  recurrences: [0.3, 15],
  lateDays: [6, 300],
};
/** Domain units per HEAT_DOMAIN unit (keeps the table readable). */
const DOMAIN_SCALE = 1e-3;

/** Fill colour of each emerging hot-spot class (hot: reds and oranges; cold: blues; none: grey). */
export const CLASS_COLORS: Record<HotspotClassName, Rgb> = {
  'new-hot': [255, 140, 105],
  'consecutive-hot': [250, 90, 60],
  'intensifying-hot': [200, 0, 20],
  'persistent-hot': [150, 0, 30],
  'diminishing-hot': [245, 150, 40],
  'sporadic-hot': [250, 190, 120],
  'oscillating-hot': [220, 120, 170],
  'historical-hot': [200, 165, 120],
  'new-cold': [150, 200, 240],
  'consecutive-cold': [110, 170, 230],
  'intensifying-cold': [20, 80, 180],
  'persistent-cold': [30, 60, 140],
  'diminishing-cold': [120, 190, 220],
  'sporadic-cold': [170, 210, 235],
  'oscillating-cold': [150, 150, 220],
  'historical-cold': [160, 180, 200],
  'no-pattern': [200, 200, 200],
};

const DATA_FILTER = new DataFilterExtension({ filterSize: 1 });

/** deck.gl's binary data form for the heat map. Build it with `heatData` and keep it (memoize): a new
 * object means new data to deck.gl, and every attribute is uploaded again. Without weights every
 * problem weighs 1; without filter values the layer has no day filter. */
export interface HeatData {
  length: number;
  attributes: {
    getPosition: { value: Float32Array; size: 2 };
    getWeight?: { value: Float32Array; size: 1 };
    getFilterValue?: { value: Float32Array; size: 1 };
  };
}

/** Problems as binary attributes: [lng, lat] positions, weights and the report day (the filter value). */
export function heatData(count: number, position: Float32Array, weights: Float32Array, day: Float32Array): HeatData {
  return {
    length: count,
    attributes: {
      getPosition: { value: position, size: 2 },
      getWeight: { value: weights, size: 1 },
      getFilterValue: { value: day, size: 1 },
    },
  };
}

export interface HeatLayerProps {
  /** Default `problem-heat`. */
  id?: string;
  data: HeatData;
  /** Inclusive report-day window (a GPU filter over `getFilterValue`); null: no filter, the data is the window. */
  dayRange: [number, number] | null;
  /** Weeks the window spans, for the colour domain; default: the weeks of `dayRange`. */
  weeks?: number;
  measure: HeatWeight;
  visible?: boolean;
  /** Default 28 (the big screen scales it for the wall). */
  radiusPx?: number;
  /** Default 0.75. */
  opacity?: number;
  beforeId: string;
}

const HEAT_RADIUS_PX = 28;

/**
 * Heat map of problems, weighted per `measure`, its colour domain fixed per week of window (HEAT_DOMAIN).
 * With a `dayRange` the day window is a GPU filter (moving it uploads nothing). Binary input
 * (`data.attributes`) needs deck.gl ≥ 9.2 (visgl/deck.gl#9787).
 */
export function heatLayer(p: HeatLayerProps) {
  const weeks = p.weeks ?? (p.dayRange ? Math.max(1, (p.dayRange[1] - p.dayRange[0] + 1) / 7) : 1);
  const [lo, hi] = HEAT_DOMAIN[p.measure];
  const colorDomain: [number, number] = [lo * weeks * DOMAIN_SCALE, hi * weeks * DOMAIN_SCALE];
  const props = {
    id: p.id ?? 'problem-heat',
    // NOTE: deck.gl's types expect an iterable; `{ length, attributes }` is its documented binary form.
    data: p.data,
    radiusPixels: p.radiusPx ?? HEAT_RADIUS_PX,
    intensity: 1,
    threshold: 0.04,
    aggregation: 'SUM' as const,
    colorRange: HEAT_COLORS,
    colorDomain,
    opacity: p.opacity ?? 0.75,
    visible: p.visible ?? true,
    beforeId: p.beforeId,
  };
  if (!p.dayRange) return new HeatmapLayer(props as ConstructorParameters<typeof HeatmapLayer>[0]);
  return new FilteredHeatmapLayer({ ...props, extensions: [DATA_FILTER], filterRange: p.dayRange } as ConstructorParameters<typeof FilteredHeatmapLayer>[0]);
}

type CellFeature = HotspotCollection['features'][number];

export interface HexLayerProps {
  cells: HotspotCollection | null;
  colorBy: 'class' | 'count';
  extruded: boolean;
  selected: string | null;
  visible: boolean;
  beforeId: string;
}

/** H3 cells from /api/hotspots, coloured by emerging class or by count, optionally extruded by count. */
export function hexLayer(p: HexLayerProps) {
  const maxCount = p.cells?.features.reduce((m, f) => Math.max(m, f.properties.count), 1) ?? 1;
  return new GeoJsonLayer<CellFeature['properties']>({
    id: 'hotspot-cells',
    data: (p.cells ?? { type: 'FeatureCollection', features: [] }) as never,
    filled: true,
    stroked: true,
    extruded: p.extruded,
    wireframe: p.extruded,
    opacity: p.extruded ? 0.85 : 0.55,
    getFillColor: (f) => fillOf(f.properties, p.colorBy, maxCount),
    getLineColor: (f) => (f.properties.h3 === p.selected ? [20, 30, 50, 255] : [255, 255, 255, 140]),
    getLineWidth: (f) => (f.properties.h3 === p.selected ? 3 : 1),
    lineWidthUnits: 'pixels',
    getElevation: (f) => (f.properties.count / maxCount) * 1500,
    pickable: true,
    autoHighlight: true,
    highlightColor: [255, 255, 255, 90],
    updateTriggers: { getFillColor: [p.colorBy, maxCount], getLineColor: p.selected, getLineWidth: p.selected, getElevation: maxCount },
    visible: p.visible,
    beforeId: p.beforeId,
  } as ConstructorParameters<typeof GeoJsonLayer<CellFeature['properties']>>[0]);
}

function fillOf(props: CellFeature['properties'], colorBy: 'class' | 'count', maxCount: number): Rgba {
  if (colorBy === 'class') {
    const [r, g, b] = CLASS_COLORS[props.class];
    return [r, g, b, props.class === 'no-pattern' ? 70 : 220];
  }
  const t = Math.sqrt(props.count / maxCount);
  const [r, g, b] = HEAT_COLORS[Math.min(HEAT_COLORS.length - 1, Math.floor(t * HEAT_COLORS.length))];
  return [r, g, b, 200];
}

type SiteFeature = RecurringCollection['features'][number];

/** Recurring sites as rings sized by recurrences. */
export function sitesLayer(p: { sites: RecurringCollection | null; selected: string | null; visible: boolean; beforeId: string }) {
  return new ScatterplotLayer<SiteFeature>({
    id: 'recurring-sites',
    data: p.sites?.features ?? [],
    getPosition: (f) => f.geometry.coordinates as [number, number],
    getRadius: (f) => Math.min(14, 4 + Math.sqrt(f.properties.recurrences) * 1.2),
    radiusUnits: 'pixels',
    stroked: true,
    filled: true,
    getFillColor: (f) => (f.id === p.selected ? [29, 59, 100, 240] : [255, 255, 255, 215]),
    getLineColor: [29, 59, 100, 255],
    lineWidthUnits: 'pixels',
    getLineWidth: 2,
    pickable: true,
    updateTriggers: { getFillColor: p.selected },
    visible: p.visible,
    beforeId: p.beforeId,
  } as ConstructorParameters<typeof ScatterplotLayer<SiteFeature>>[0]);
}
