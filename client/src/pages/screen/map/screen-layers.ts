/** The big screen map's deck.gl layers: the period's heat, the hot cells outlined by class, today's routes and their trips. */
import { TripsLayer } from '@deck.gl/geo-layers';
import { GeoJsonLayer, PathLayer } from '@deck.gl/layers';
import type { Layer } from '@deck.gl/core';
import { CLASS_COLORS, heatLayer, type HeatData } from '../../../map/deck/layers';
import { LABELS_BEFORE_ID } from '../../../map/MapView';
import type { PeriodPoints } from './period-points';
import { cellClass, type CellFeature, type HotCells, type LegendClass } from './screen-data';
import type { TripsDay } from './trips';

/** Trail behind a team, in seconds of the working day (half an hour). */
const TRAIL_S = 1800;
const HEAT_RADIUS_PX = 28;
const CLUSTER_COLOR: [number, number, number] = [255, 112, 67];

/** The colour of a legend class (a significant cluster without an emerging class: orange). */
export const legendColor = (c: LegendClass) => (c === 'cluster' ? CLUSTER_COLOR : CLASS_COLORS[c]);

export interface ScreenLayersInput {
  pp: PeriodPoints | null;
  cells: HotCells | null;
  trips: TripsDay | null;
  /** The wall's design factor: radii and widths grow with it. */
  factor: number;
  /** Weeks of the period (the heat's colour domain is per week). */
  weeks: number;
}

/** The static layers, each with a stable id (a refresh is new props for the same layers). */
export function screenLayers({ pp, cells, trips, factor, weeks }: ScreenLayersInput): Layer[] {
  const layers: Layer[] = [
    heatLayer({
      id: 'screen-heat',
      data: pp ? screenHeat(pp) : EMPTY_HEAT,
      dayRange: null,
      weeks,
      measure: 'count',
      radiusPx: HEAT_RADIUS_PX * factor,
      opacity: 0.7,
      beforeId: LABELS_BEFORE_ID,
    }),
    new GeoJsonLayer<CellFeature['properties']>({
      id: 'screen-hot-cells',
      data: (cells?.hot ?? EMPTY_FC) as never,
      filled: true,
      stroked: true,
      getFillColor: (f) => [...legendColor(cellClass(f.properties)), 40] as [number, number, number, number],
      getLineColor: (f) => [...legendColor(cellClass(f.properties)), 255] as [number, number, number, number],
      getLineWidth: 2.5 * factor,
      lineWidthUnits: 'pixels',
      beforeId: LABELS_BEFORE_ID,
    } as ConstructorParameters<typeof GeoJsonLayer<CellFeature['properties']>>[0]),
  ];
  if (trips && trips.trips.length > 0) {
    layers.push(
      new PathLayer({
        id: 'screen-routes',
        data: trips.trips,
        getPath: (d: TripsDay['trips'][number]) => d.path,
        getColor: (d: TripsDay['trips'][number]) => [...d.color, 110] as [number, number, number, number],
        getWidth: 4 * factor,
        widthUnits: 'pixels',
        capRounded: true,
        jointRounded: true,
        beforeId: LABELS_BEFORE_ID,
      } as ConstructorParameters<typeof PathLayer>[0]),
    );
  }
  return layers;
}

const EMPTY_FC = { type: 'FeatureCollection', features: [] };
const EMPTY_HEAT: HeatData = { length: 0, attributes: { getPosition: { value: new Float32Array(0), size: 2 } } };

/** The period's problems as deck.gl binary input (every weight 1, no day filter: the points are the period's). */
function screenHeat(pp: PeriodPoints): HeatData {
  return { length: pp.count, attributes: { getPosition: { value: pp.position, size: 2 } } };
}

/** Today's trips at `currentTime` (seconds of the working day). */
export function tripsLayer(day: TripsDay, currentTime: number, factor: number) {
  return new TripsLayer({
    id: 'screen-trips',
    data: day.trips,
    getPath: (d: TripsDay['trips'][number]) => d.path,
    getTimestamps: (d: TripsDay['trips'][number]) => d.timestamps,
    getColor: (d: TripsDay['trips'][number]) => d.color,
    widthUnits: 'pixels',
    getWidth: 9 * factor,
    capRounded: true,
    jointRounded: true,
    fadeTrail: true,
    trailLength: TRAIL_S,
    currentTime,
    beforeId: LABELS_BEFORE_ID,
  } as ConstructorParameters<typeof TripsLayer>[0]);
}
