/**
 * The big screen map's deck.gl layers: the period's heat, the hot cells outlined by class, today's
 * routes, the tracks walked so far and their trips, and the teams' latest positions with their names.
 */
import { TripsLayer } from '@deck.gl/geo-layers';
import { GeoJsonLayer, PathLayer, ScatterplotLayer, TextLayer } from '@deck.gl/layers';
import type { Layer } from '@deck.gl/core';
import { CLASS_COLORS, heatLayer, type HeatData } from '../../../map/deck/layers';
import { LABELS_BEFORE_ID } from '../../../map/MapView';
import type { PeriodPoints } from './period-points';
import { FADED_ALPHA, FADED_RGB } from '../../../lib/team-positions';
import type { TeamMarker } from './positions';
import { cellClass, type CellFeature, type HotCells, type LegendClass } from './screen-data';
import type { Trip, TripsDay } from './trips';

/** Trail behind a team, in seconds of the working day (half an hour). */
const TRAIL_S = 1800;
const HEAT_RADIUS_PX = 28;
const CLUSTER_COLOR: [number, number, number] = [255, 112, 67];
const POSITION_RADIUS_PX = 11;
const NAME_SIZE_PX = 18;
const FADED_RGBA: [number, number, number, number] = [...FADED_RGB, Math.round(FADED_ALPHA * 255)];
const WHITE: [number, number, number, number] = [255, 255, 255, 255];

/** The colour of a legend class (a significant cluster without an emerging class: orange). */
export const legendColor = (c: LegendClass) => (c === 'cluster' ? CLUSTER_COLOR : CLASS_COLORS[c]);

export interface ScreenLayersInput {
  pp: PeriodPoints | null;
  cells: HotCells | null;
  /** The wall's design factor: radii and widths grow with it. */
  factor: number;
  /** Weeks of the period (the heat's colour domain is per week). */
  weeks: number;
}

/** The heat and the hot cells, each with a stable id (a refresh is new props for the same layers). */
export function screenLayers({ pp, cells, factor, weeks }: ScreenLayersInput): Layer[] {
  return [
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
}

/**
 * Today's planned routes (faint) and the tracks walked so far: apart from screenLayers, so new tracks
 * give the heat no new props (its data would be uploaded again).
 */
export function routeLayers(trips: TripsDay | null, factor: number): Layer[] {
  const layers: Layer[] = [];
  if (trips && trips.planned.length > 0) {
    layers.push(
      new PathLayer({
        id: 'screen-routes',
        data: trips.planned,
        getPath: (d: Trip) => d.path,
        getColor: (d: Trip) => [...d.color, 110] as [number, number, number, number],
        getWidth: 4 * factor,
        widthUnits: 'pixels',
        capRounded: true,
        jointRounded: true,
        beforeId: LABELS_BEFORE_ID,
      } as ConstructorParameters<typeof PathLayer>[0]),
    );
  }
  const walked = trips?.trips.filter((t) => t.walked) ?? [];
  if (walked.length > 0) {
    // Where the teams went stays drawn between the replay's passes, brighter than the plan beneath.
    layers.push(
      new PathLayer({
        id: 'screen-walked',
        data: walked,
        getPath: (d: Trip) => d.path,
        getColor: (d: Trip) => [...d.color, 210] as [number, number, number, number],
        getWidth: 3 * factor,
        widthUnits: 'pixels',
        capRounded: true,
        jointRounded: true,
        beforeId: LABELS_BEFORE_ID,
      } as ConstructorParameters<typeof PathLayer>[0]),
    );
  }
  return layers;
}

/**
 * The teams' positions: a dot in the team colour and the name on a tag of that colour beside it, grey
 * and see-through once faded. Always present (empty when nobody walks: stable ids) and without
 * beforeId, so they lie over the street labels and the trips as a marker should. Apart from the
 * others, so a fade or a move gives them no new props.
 */
export function positionLayers(markers: readonly TeamMarker[], factor: number): Layer[] {
  const fill = (m: TeamMarker) => (m.faded ? FADED_RGBA : ([...m.color, 255] as [number, number, number, number]));
  return [
    new ScatterplotLayer<TeamMarker>({
      id: 'screen-positions',
      data: markers,
      getPosition: (m) => m.lngLat,
      getFillColor: fill,
      getLineColor: (m) => (m.faded ? FADED_RGBA : WHITE),
      getRadius: POSITION_RADIUS_PX * factor,
      radiusUnits: 'pixels',
      stroked: true,
      lineWidthUnits: 'pixels',
      getLineWidth: 3 * factor,
    }),
    new TextLayer<TeamMarker>({
      id: 'screen-position-names',
      data: markers,
      getPosition: (m) => m.lngLat,
      getText: (m) => m.name,
      // Every character of the names (Chinese ones too) into the atlas, drawn from the page's own fonts.
      characterSet: 'auto',
      fontFamily: 'Noto Sans CJK SC, Noto Sans SC, PingFang SC, Microsoft YaHei, sans-serif',
      fontWeight: 700,
      getSize: NAME_SIZE_PX * factor,
      sizeUnits: 'pixels',
      getColor: (m) => (m.faded ? [226, 232, 240, 230] : WHITE),
      background: true,
      getBackgroundColor: fill,
      backgroundPadding: [6 * factor, 3 * factor],
      getTextAnchor: 'start',
      getAlignmentBaseline: 'center',
      getPixelOffset: [(POSITION_RADIUS_PX + 8) * factor, 0],
    }),
  ];
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
    getPath: (d: Trip) => d.path,
    getTimestamps: (d: Trip) => d.timestamps,
    getColor: (d: Trip) => d.color,
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
