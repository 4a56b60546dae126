/**
 * The map style as typed data: a calm basemap drawn from our own vector tiles (/tiles/base) and the
 * problems on top (/tiles/problems). No `glyphs` and no `sprite`: since MapLibre GL JS 5.11, a style
 * without `glyphs` renders every label locally with TinySDF, reading `text-font` as a list of local
 * font names, so the page makes no font request at all (intranet deployments). The market icon is
 * drawn on a canvas by MapView (`MARKET_ICON`).
 */
import type { ExpressionSpecification, FilterSpecification, LayerSpecification, StyleSpecification } from 'maplibre-gl';
import type { BasemapTiles } from '../../../server/contract/basemap-tiles';
import { BASE_MAX_ZOOM, PROBLEMS_MAX_ZOOM } from '../../../server/contract/tile-levels';
import type { BBox } from '../api/types';
import type { LayerToggle } from '../lib/layer-toggles';

export const BASE_SOURCE = 'base';
export const PROBLEM_SOURCE = 'problems';
export const MARKET_ICON = 'market-icon';

/** Local fonts, CJK first: TinySDF draws with the first one the browser has. */
export const FONT_REGULAR = ['Noto Sans CJK SC', 'Noto Sans SC', 'Microsoft YaHei', 'PingFang SC', 'sans-serif'];
// MapLibre sniffs the weight from the first name ("Bold" → 700); the next names are real families.
export const FONT_BOLD = ['Noto Sans CJK SC Bold', 'Noto Sans CJK SC', 'Noto Sans SC', 'Microsoft YaHei', 'PingFang SC', 'sans-serif'];
/** The same stack as a CSS font-family, for the canvas-drawn icon and for MapView's option. */
export const CSS_FONT_FAMILY = FONT_REGULAR.map((f) => (f === 'sans-serif' ? f : `'${f}'`)).join(', ');

export const COLORS = {
  land: '#f4f2ed',
  water: '#aecbe3',
  waterLabel: '#3f6f99',
  subdistrictLine: '#8a7aa8',
  subdistrictLabel: '#5a4a7a',
  communityFill: '#e5ebdc',
  communityLine: '#c2ceb2',
  communityLabel: '#56654a',
  roadCasing: '#d6d0c4',
  road: '#ffffff',
  majorRoad: '#fcefcb',
  majorCasing: '#dcc48c',
  roadLabel: '#4e4a44',
  backStreet: '#d4692f',
  backStreetCasing: '#fbe3d2',
  backStreetLabel: '#9a4317',
  market: '#1d7358',
  marketLabel: '#175d47',
  halo: '#ffffff',
  selected: '#0b57d0',
  cluster: '#3c5878',
  /** Halos behind water labels (soft) and subdistrict names (strong). */
  softHalo: 'rgba(255,255,255,0.7)',
  strongHalo: 'rgba(255,255,255,0.9)',
} as const;

/** The basemap's colours: the day palette (COLORS) for desks and phones, NIGHT_COLORS for the dark wall. */
export type MapPalette = { readonly [K in keyof typeof COLORS]: string };

/**
 * The big screen's basemap: the same map at night, so the heat, the hot cells and the routes carry the
 * colour and the streets recede (a light map on a dark wall glares across a meeting room). Back streets
 * keep a dim orange: they are what the inspectors walk.
 */
export const NIGHT_COLORS: MapPalette = {
  land: '#0d1b2e',
  water: '#16385e',
  waterLabel: '#7fb2e5',
  subdistrictLine: '#7d8fc4',
  subdistrictLabel: '#dfe8f7',
  communityFill: '#13253b',
  communityLine: '#22405f',
  communityLabel: '#8fa6bf',
  roadCasing: '#0d1b2e',
  road: '#2b4566',
  majorRoad: '#3f5f86',
  majorCasing: '#0d1b2e',
  roadLabel: '#b7c6da',
  backStreet: '#9a5a2c',
  backStreetCasing: '#0d1b2e',
  backStreetLabel: '#e0a574',
  market: '#2fa37c',
  marketLabel: '#7fd8b4',
  halo: '#0d1b2e',
  selected: '#5b9bff',
  cluster: '#3c5878',
  softHalo: 'rgba(13,27,46,0.8)',
  strongHalo: 'rgba(13,27,46,0.9)',
};

/** Problem colours by status; `overdue` (assigned and past the deadline) overrides `assigned`. */
export const STATUS_COLORS = {
  reported: '#e3a008',
  assigned: '#2f6eb5',
  overdue: '#d0202e',
  rectified: '#17998a',
  closed: '#8b929b',
  /** 挂账: waiting on works or budget, apart from the open ones. */
  held: '#7b5ea7',
  /** 不予立案: finished, fainter than closed. */
  rejected: '#c4c8ce',
} as const;

/** Colour of each of the catalog's other point types on the map (a type not listed: grey). */
const POINT_TYPE_COLORS: Record<string, string> = {
  'bus-stop': '#1e88e5',
  'public-toilet': '#8d6e63',
  'park-square': '#43a047',
  'school-area': '#fb8c00',
  hospital: '#e53935',
  'construction-site': '#6d4c41',
  'service-window': '#5e35b1',
  'culture-venue': '#d81b60',
  'urban-village': '#795548',
  'main-road': '#546e7a',
  junction: '#263238',
  'commercial-street': '#00897b',
};
const POINT_TYPE_COLOR = ['match', ['get', 'kind'], ...Object.entries(POINT_TYPE_COLORS).flat(), '#78909c'] as unknown as ExpressionSpecification;

/** Style layers behind each layer toggle (visibility is switched with setLayoutProperty). */
export const TOGGLE_LAYERS: Record<LayerToggle, string[]> = {
  subdistricts: ['district-line-halo', 'district-line', 'subdistrict-line-halo', 'subdistrict-line', 'subdistrict-label', 'district-label'],
  communities: ['community-fill', 'community-line', 'community-selected', 'community-label'],
  markets: ['market-selected', 'market-symbol'],
  'back-streets': ['back-street-casing', 'back-street-line', 'back-street-selected', 'back-street-label'],
  points: ['point-circle', 'point-label'],
  problems: ['problem-clusters', 'problem-cluster-count', 'problem-points', 'problem-selected'],
};

/** Layers a click can hit, most specific first: that order decides which feature a click opens. */
// Markets draw above single problems (problems gather around markets), so a click on the icon opens the market.
export const CLICKABLE_LAYERS = ['problem-clusters', 'market-symbol', 'point-circle', 'problem-points', 'back-street-line', 'community-fill'] as const;
export type ClickableLayer = (typeof CLICKABLE_LAYERS)[number];

/** Layers whose filter MapView narrows to the selected feature's id. */
export const SELECTED_LAYERS = ['problem-selected', 'market-selected', 'back-street-selected', 'community-selected'] as const;
export const NOTHING_SELECTED: FilterSpecification = ['==', ['get', 'id'], ''];

/** Base and problem tile URLs. MapLibre needs absolute URLs, so they are built from the page origin. */
export function baseTileUrl(origin: string): string {
  return `${origin}/tiles/base/{z}/{x}/{y}.pbf`;
}

/** Problem tile URL template for a filter query string (from lib/filters `filtersToQuery`). */
export function problemTileUrl(origin: string, query: string): string {
  return `${origin}/tiles/problems/{z}/{x}/{y}.pbf${query ? `?${query}` : ''}`;
}

const ROAD_CLASS = ['get', 'class'] as ExpressionSpecification;
const MAJOR = ['trunk', 'trunk_link', 'primary', 'primary_link', 'secondary', 'secondary_link'];
const MEDIUM = ['tertiary', 'tertiary_link'];
const MINOR = ['residential', 'living_street', 'unclassified', 'service'];
const PATHS = ['pedestrian', 'footway', 'path', 'steps', 'cycleway'];

function byClass(major: number, medium: number, minor: number, path: number): ExpressionSpecification {
  return ['match', ROAD_CLASS, MAJOR, major, MEDIUM, medium, MINOR, minor, PATHS, path, minor];
}

// Road widths in px at z12 / z15 / z18, exponential in between like real road widths.
const ROAD_WIDTH: ExpressionSpecification = [
  'interpolate',
  ['exponential', 1.6],
  ['zoom'],
  12,
  byClass(2.2, 1.2, 0.4, 0),
  15,
  byClass(7, 5, 3, 1.2),
  18,
  byClass(22, 16, 10, 3),
];
const CASING_WIDTH: ExpressionSpecification = [
  'interpolate',
  ['exponential', 1.6],
  ['zoom'],
  12,
  byClass(3.4, 2, 0.8, 0),
  15,
  byClass(9, 6.6, 4.4, 0),
  18,
  byClass(26, 19, 13, 0),
];
// Bigger roads draw over smaller ones where they cross.
const ROAD_SORT: ExpressionSpecification = byClass(3, 2, 1, 0);
const ROAD_VISIBLE_AT: FilterSpecification = [
  'any',
  ['in', ROAD_CLASS, ['literal', [...MAJOR, ...MEDIUM]]],
  ['all', ['in', ROAD_CLASS, ['literal', MINOR]], ['>=', ['zoom'], 13]],
  ['>=', ['zoom'], 15],
];

const IS_CLUSTER: ExpressionSpecification = ['has', 'count'];
const STATUS_COLOR: ExpressionSpecification = [
  'case',
  ['==', ['to-number', ['get', 'overdue']], 1],
  STATUS_COLORS.overdue,
  [
    'match',
    ['get', 'status'],
    'reported',
    STATUS_COLORS.reported,
    'assigned',
    STATUS_COLORS.assigned,
    'rectified',
    STATUS_COLORS.rectified,
    'closed',
    STATUS_COLORS.closed,
    'held',
    STATUS_COLORS.held,
    'rejected',
    STATUS_COLORS.rejected,
    STATUS_COLORS.closed,
  ],
];

function layers(COLORS: MapPalette): LayerSpecification[] {
  const LABEL_HALO = { 'text-halo-color': COLORS.halo, 'text-halo-width': 1.4, 'text-halo-blur': 0.3 } as const;
  const src = { source: BASE_SOURCE } as const;
  return [
    { id: 'background', type: 'background', paint: { 'background-color': COLORS.land } },
    { id: 'water', type: 'fill', ...src, 'source-layer': 'water', paint: { 'fill-color': COLORS.water } },
    {
      id: 'community-fill',
      type: 'fill',
      ...src,
      'source-layer': 'communities',
      minzoom: 12,
      paint: { 'fill-color': COLORS.communityFill, 'fill-opacity': ['interpolate', ['linear'], ['zoom'], 12, 0.5, 15, 0.9] },
    },
    {
      id: 'community-line',
      type: 'line',
      ...src,
      'source-layer': 'communities',
      minzoom: 13.5,
      paint: { 'line-color': COLORS.communityLine, 'line-width': ['interpolate', ['linear'], ['zoom'], 14, 0.6, 18, 1.5] },
    },
    {
      id: 'community-selected',
      type: 'line',
      ...src,
      'source-layer': 'communities',
      filter: NOTHING_SELECTED,
      paint: { 'line-color': COLORS.selected, 'line-width': 2.5 },
    },
    {
      id: 'road-casing',
      type: 'line',
      ...src,
      'source-layer': 'roads',
      minzoom: 11,
      filter: ROAD_VISIBLE_AT,
      layout: { 'line-cap': 'round', 'line-join': 'round', 'line-sort-key': ROAD_SORT },
      paint: {
        'line-color': ['match', ROAD_CLASS, MAJOR, COLORS.majorCasing, COLORS.roadCasing],
        'line-width': CASING_WIDTH,
      },
    },
    {
      id: 'road',
      type: 'line',
      ...src,
      'source-layer': 'roads',
      minzoom: 10,
      filter: ROAD_VISIBLE_AT,
      layout: { 'line-cap': 'round', 'line-join': 'round', 'line-sort-key': ROAD_SORT },
      paint: {
        'line-color': ['match', ROAD_CLASS, MAJOR, COLORS.majorRoad, COLORS.road],
        'line-width': ROAD_WIDTH,
      },
    },
    {
      id: 'back-street-casing',
      type: 'line',
      ...src,
      'source-layer': 'back-streets',
      minzoom: 12,
      layout: { 'line-cap': 'round', 'line-join': 'round' },
      paint: { 'line-color': COLORS.backStreetCasing, 'line-width': ['interpolate', ['linear'], ['zoom'], 12, 2, 15, 6, 18, 12] },
    },
    {
      id: 'back-street-line',
      type: 'line',
      ...src,
      'source-layer': 'back-streets',
      minzoom: 12,
      layout: { 'line-cap': 'round', 'line-join': 'round' },
      paint: { 'line-color': COLORS.backStreet, 'line-width': ['interpolate', ['linear'], ['zoom'], 12, 1, 15, 2.6, 18, 5] },
    },
    {
      id: 'back-street-selected',
      type: 'line',
      ...src,
      'source-layer': 'back-streets',
      filter: NOTHING_SELECTED,
      layout: { 'line-cap': 'round', 'line-join': 'round' },
      paint: { 'line-color': COLORS.selected, 'line-width': ['interpolate', ['linear'], ['zoom'], 12, 3, 18, 8] },
    },
    {
      // A city of several districts: their boundaries above the subdistricts', solid and wider.
      id: 'district-line-halo',
      type: 'line',
      ...src,
      'source-layer': 'districts',
      layout: { 'line-join': 'round' },
      paint: { 'line-color': COLORS.halo, 'line-opacity': 0.7, 'line-width': ['interpolate', ['linear'], ['zoom'], 9, 4, 16, 9] },
    },
    {
      id: 'district-line',
      type: 'line',
      ...src,
      'source-layer': 'districts',
      layout: { 'line-join': 'round' },
      paint: { 'line-color': COLORS.subdistrictLabel, 'line-opacity': 0.85, 'line-width': ['interpolate', ['linear'], ['zoom'], 9, 2.4, 16, 5] },
    },
    {
      id: 'subdistrict-line-halo',
      type: 'line',
      ...src,
      'source-layer': 'subdistricts',
      layout: { 'line-join': 'round' },
      paint: { 'line-color': COLORS.halo, 'line-opacity': 0.6, 'line-width': ['interpolate', ['linear'], ['zoom'], 10, 2, 16, 5] },
    },
    {
      id: 'subdistrict-line',
      type: 'line',
      ...src,
      'source-layer': 'subdistricts',
      layout: { 'line-join': 'round' },
      paint: {
        'line-color': COLORS.subdistrictLine,
        'line-width': ['interpolate', ['linear'], ['zoom'], 10, 1, 16, 2.2],
        'line-dasharray': [4, 2],
      },
    },
    {
      // Rivers are named along their banks, as paper maps do; repeats along a long river are wanted.
      id: 'water-label-river',
      type: 'symbol',
      ...src,
      'source-layer': 'water',
      minzoom: 13,
      filter: ['all', ['has', 'name'], ['==', ['get', 'kind'], 'river']],
      layout: {
        'symbol-placement': 'line',
        'symbol-spacing': 480,
        'text-field': ['get', 'name'],
        'text-font': FONT_REGULAR,
        'text-size': 12,
        'text-letter-spacing': 0.3,
        'text-max-angle': 25,
        'text-offset': [0, 0.9],
      },
      paint: { 'text-color': COLORS.waterLabel, 'text-halo-color': COLORS.softHalo, 'text-halo-width': 1 },
    },
    {
      // A lake gets one label at its label point; labelling the polygon would repeat it in every tile it crosses.
      id: 'water-label',
      type: 'symbol',
      ...src,
      'source-layer': 'water-labels',
      minzoom: 12,
      filter: ['all', ['has', 'name'], ['!=', ['get', 'kind'], 'river']],
      layout: {
        'text-field': ['get', 'name'],
        'text-font': FONT_REGULAR,
        'text-size': ['interpolate', ['linear'], ['zoom'], 12, 12, 16, 15],
        'text-letter-spacing': 0.4,
      },
      paint: { 'text-color': COLORS.waterLabel, 'text-halo-color': COLORS.softHalo, 'text-halo-width': 1 },
    },
    {
      id: 'road-label',
      type: 'symbol',
      ...src,
      'source-layer': 'roads',
      minzoom: 12,
      // Arterials are named from the city view on, smaller streets as they get room.
      filter: [
        'all',
        ['has', 'name'],
        ['any', ['in', ROAD_CLASS, ['literal', MAJOR]], ['all', ['in', ROAD_CLASS, ['literal', MEDIUM]], ['>=', ['zoom'], 13]], ['>=', ['zoom'], 14.5]],
      ],
      layout: {
        'symbol-placement': 'line',
        'symbol-spacing': 320,
        'symbol-sort-key': ['-', 0, ROAD_SORT],
        'text-field': ['get', 'name'],
        'text-font': FONT_REGULAR,
        'text-size': ['interpolate', ['linear'], ['zoom'], 12, byClass(10.5, 10, 10, 10), 17, byClass(14, 13, 12.5, 12)],
        'text-max-angle': 30,
        'text-padding': 6,
        'text-pitch-alignment': 'viewport',
      },
      paint: { 'text-color': COLORS.roadLabel, ...LABEL_HALO },
    },
    {
      id: 'back-street-label',
      type: 'symbol',
      ...src,
      'source-layer': 'back-streets',
      minzoom: 15,
      layout: {
        'symbol-placement': 'line',
        'symbol-spacing': 260,
        'text-field': ['get', 'name'],
        'text-font': FONT_REGULAR,
        'text-size': ['interpolate', ['linear'], ['zoom'], 15, 11, 18, 13],
        'text-max-angle': 35,
        'text-padding': 4,
      },
      paint: { 'text-color': COLORS.backStreetLabel, ...LABEL_HALO },
    },
    {
      id: 'community-label',
      type: 'symbol',
      ...src,
      'source-layer': 'community-labels',
      minzoom: 15,
      layout: {
        'text-field': ['get', 'name'],
        'text-font': FONT_REGULAR,
        'text-size': ['interpolate', ['linear'], ['zoom'], 15, 11, 18, 13],
        'text-max-width': 7,
        'text-padding': 4,
      },
      paint: { 'text-color': COLORS.communityLabel, ...LABEL_HALO },
    },
    {
      id: 'problem-points',
      type: 'circle',
      source: PROBLEM_SOURCE,
      'source-layer': 'problems',
      filter: ['!', IS_CLUSTER],
      layout: { 'circle-sort-key': ['match', ['get', 'status'], 'closed', 0, 'rectified', 1, 2] },
      paint: {
        'circle-color': STATUS_COLOR,
        // Two years of closed problems would bury the open ones: closed and rectified draw small and faint.
        'circle-radius': [
          'interpolate',
          ['linear'],
          ['zoom'],
          12,
          ['match', ['get', 'status'], 'closed', 2.5, 'rectified', 3, 4],
          15,
          ['match', ['get', 'status'], 'closed', 3, 'rectified', 4, 6],
          18,
          ['match', ['get', 'status'], 'closed', 5, 'rectified', 6.5, 9],
        ],
        'circle-opacity': ['match', ['get', 'status'], 'closed', 0.55, 'rectified', 0.8, 1],
        'circle-stroke-color': '#ffffff',
        'circle-stroke-opacity': ['match', ['get', 'status'], 'closed', 0.5, 1],
        'circle-stroke-width': [
          'interpolate',
          ['linear'],
          ['zoom'],
          12,
          ['match', ['get', 'status'], 'closed', 0.5, 1],
          18,
          ['match', ['get', 'status'], 'closed', 0.8, 2],
        ],
      },
    },
    {
      id: 'problem-selected',
      type: 'circle',
      source: PROBLEM_SOURCE,
      'source-layer': 'problems',
      filter: NOTHING_SELECTED,
      paint: {
        'circle-radius': ['interpolate', ['linear'], ['zoom'], 12, 9, 18, 15],
        'circle-color': 'rgba(0,0,0,0)',
        'circle-stroke-color': COLORS.selected,
        'circle-stroke-width': 3,
      },
    },
    // The catalog's other point types (bus stops, toilets, parks, main road segments …), one colour per type.
    {
      id: 'point-circle',
      type: 'circle',
      ...src,
      'source-layer': 'points',
      minzoom: 13,
      paint: {
        'circle-radius': ['interpolate', ['linear'], ['zoom'], 13, 3.5, 17, 7],
        'circle-color': POINT_TYPE_COLOR,
        'circle-stroke-color': COLORS.halo,
        'circle-stroke-width': 1.5,
      },
    },
    {
      id: 'point-label',
      type: 'symbol',
      ...src,
      'source-layer': 'points',
      minzoom: 15.5,
      layout: {
        'text-field': ['get', 'name'],
        'text-font': FONT_REGULAR,
        'text-size': 11,
        'text-anchor': 'top',
        'text-offset': [0, 0.7],
        'text-optional': true,
        'text-max-width': 8,
        'symbol-sort-key': 3,
      },
      paint: { 'text-color': COLORS.roadLabel, ...LABEL_HALO },
    },
    {
      id: 'market-selected',
      type: 'circle',
      ...src,
      'source-layer': 'markets',
      filter: NOTHING_SELECTED,
      paint: { 'circle-radius': 16, 'circle-color': 'rgba(11,87,208,0.15)', 'circle-stroke-color': COLORS.selected, 'circle-stroke-width': 2.5 },
    },
    {
      id: 'market-symbol',
      type: 'symbol',
      ...src,
      'source-layer': 'markets',
      minzoom: 12,
      layout: {
        'icon-image': MARKET_ICON,
        'icon-size': ['interpolate', ['linear'], ['zoom'], 12, 0.65, 14, 0.85, 17, 1],
        'icon-allow-overlap': true,
        'icon-padding': 0,
        'text-field': ['step', ['zoom'], '', 13.5, ['get', 'name']],
        'text-font': FONT_BOLD,
        'text-size': ['interpolate', ['linear'], ['zoom'], 13.5, 11, 17, 13],
        'text-anchor': 'top',
        'text-offset': [0, 1.1],
        'text-optional': true,
        'text-max-width': 8,
        'symbol-sort-key': 1,
      },
      paint: { 'text-color': COLORS.marketLabel, ...LABEL_HALO },
    },
    {
      id: 'subdistrict-label',
      type: 'symbol',
      ...src,
      'source-layer': 'subdistrict-labels',
      maxzoom: 15.5,
      layout: {
        'text-field': ['get', 'name'],
        'text-font': FONT_BOLD,
        'text-size': ['interpolate', ['linear'], ['zoom'], 11, 13, 14, 17],
        'text-letter-spacing': 0.3,
        'text-padding': 6,
        // Moves aside when a cluster sits on the subdistrict's label point.
        'text-variable-anchor': ['center', 'top', 'bottom', 'left', 'right'],
        'text-radial-offset': 1.4,
      },
      paint: {
        'text-color': COLORS.subdistrictLabel,
        'text-halo-color': COLORS.strongHalo,
        'text-halo-width': 2,
        'text-opacity': ['interpolate', ['linear'], ['zoom'], 14.5, 1, 15.5, 0],
      },
    },
    {
      // The districts named while the whole city is in view; their subdistricts' names take over closer in.
      id: 'district-label',
      type: 'symbol',
      ...src,
      'source-layer': 'district-labels',
      maxzoom: 12.5,
      layout: {
        'text-field': ['get', 'name'],
        'text-font': FONT_BOLD,
        'text-size': ['interpolate', ['linear'], ['zoom'], 9, 15, 12, 20],
        'text-letter-spacing': 0.4,
        'text-padding': 8,
        'text-max-width': 12,
        // Moves aside from the clusters' counts rather than giving way.
        'text-variable-anchor': ['center', 'top', 'bottom', 'left', 'right'],
        'text-radial-offset': 1.2,
      },
      paint: {
        'text-color': COLORS.subdistrictLabel,
        'text-halo-color': COLORS.strongHalo,
        'text-halo-width': 2.5,
        'text-opacity': ['interpolate', ['linear'], ['zoom'], 11.5, 1, 12.5, 0],
      },
    },
    {
      id: 'problem-clusters',
      type: 'circle',
      source: PROBLEM_SOURCE,
      'source-layer': 'problems',
      filter: IS_CLUSTER,
      paint: {
        'circle-color': COLORS.cluster,
        'circle-opacity': 0.82,
        'circle-radius': ['interpolate', ['linear'], ['sqrt', ['get', 'count']], 1, 7, 10, 11, 30, 17, 60, 22],
        'circle-stroke-color': ['case', ['>', ['to-number', ['get', 'overdue']], 0], STATUS_COLORS.overdue, '#ffffff'],
        'circle-stroke-width': ['case', ['>', ['to-number', ['get', 'overdue']], 0], 2.5, 1.5],
      },
    },
    {
      id: 'problem-cluster-count',
      type: 'symbol',
      source: PROBLEM_SOURCE,
      'source-layer': 'problems',
      filter: IS_CLUSTER,
      layout: {
        'text-field': ['to-string', ['get', 'count']],
        'text-font': FONT_BOLD,
        'text-size': ['interpolate', ['linear'], ['sqrt', ['get', 'count']], 1, 9.5, 30, 12],
        // Counts always show, and (padded to the circle's size) keep other labels off the circles.
        'text-allow-overlap': true,
        'text-padding': 7,
      },
      paint: { 'text-color': '#ffffff' },
    },
  ];
}

export interface MapStyleOptions {
  /** Page origin, e.g. `http://127.0.0.1:8080`; MapLibre needs absolute tile URLs. */
  origin: string;
  /** The city's bbox: no tile outside it is requested. */
  bbox: BBox;
  /** Filter query for the problem tiles (lib/filters `filtersToQuery`). */
  problemQuery: string;
  hidden: readonly LayerToggle[];
  /** The basemap's colours; COLORS (day) unless given. */
  palette?: MapPalette;
}

/**
 * The whole map style for a city. Built once per city; afterwards MapView changes only the problem
 * tile URL (`setTiles`), visibility and the selection filters, so the basemap never reloads.
 */
export function buildMapStyle(opts: MapStyleOptions): StyleSpecification {
  const hiddenIds = new Set(opts.hidden.flatMap((t) => TOGGLE_LAYERS[t]));
  return {
    version: 8,
    name: 'xuncha',
    sources: {
      [BASE_SOURCE]: {
        type: 'vector',
        tiles: [baseTileUrl(opts.origin)],
        minzoom: 0,
        // The server makes base tiles up to BASE_MAX_ZOOM; MapLibre overzooms them above.
        maxzoom: BASE_MAX_ZOOM,
        bounds: opts.bbox,
      },
      [PROBLEM_SOURCE]: {
        type: 'vector',
        tiles: [problemTileUrl(opts.origin, opts.problemQuery)],
        minzoom: 0,
        // Up to the last zoom: a dense place stays clustered in the server's tiles until it is close enough.
        maxzoom: PROBLEMS_MAX_ZOOM,
        bounds: opts.bbox,
      },
    },
    layers: layers(opts.palette ?? COLORS).map((layer) =>
      hiddenIds.has(layer.id) ? ({ ...layer, layout: { ...layer.layout, visibility: 'none' } } as LayerSpecification) : layer,
    ),
  };
}

/** Raster basemap sources and layers are named with this prefix (`basemap-tianditu-vec`, …). */
export const BASEMAP_PREFIX = 'basemap-';
/**
 * Our layers that an online basemap draws itself (land and water, streets and their names): hidden under
 * one, so its streets are not covered by ours. The places, back streets, subdistricts and problems stay.
 */
export const BASEMAP_REPLACES = ['water', 'water-label-river', 'water-label', 'road-casing', 'road', 'road-label'] as const;
/** The protocol GCJ-02 basemap tiles are asked through (gcj02-tiles.ts shifts them onto WGS-84). */
export const GCJ02_PROTOCOL = 'gcj02';

/** The tile URL of a GCJ-02 basemap source: MapView hands the service's own templates to gcj02-tiles.ts by `sourceId`. */
export function gcj02TileUrl(sourceId: string): string {
  return `${GCJ02_PROTOCOL}://${sourceId}/{z}/{x}/{y}`;
}

/** Communities draw lighter over a basemap, so its streets and imagery show through. */
const COMMUNITY_OVER_BASEMAP = 0.35;
/** On the night palette's dark wall a daylight basemap would glare: it is dimmed and greyed. */
const NIGHT_RASTER = { 'raster-brightness-max': 0.45, 'raster-saturation': -0.6 } as const;

/**
 * `style` with an online basemap under our layers (contract/basemap-tiles `basemapTiles`): one raster
 * source and layer per basemap layer, bottom first, just above the background, kept to the city's bbox
 * (no tile outside it is requested) and credited by the source's attribution; our own land, water and
 * street layers hidden, the community fills lightened. A GCJ-02 layer's tiles are asked through
 * gcj02-tiles.ts, which shifts them onto our WGS-84 data. Without a basemap, `style` itself is returned.
 *
 * @example
 * withBasemap(buildMapStyle(opts), basemapTiles({ kind: 'tianditu', token, layer: 'vec' }))
 */
export function withBasemap(style: StyleSpecification, basemap: BasemapTiles | null): StyleSpecification {
  if (!basemap) return style;
  const base = style.sources[BASE_SOURCE];
  const bounds = base && 'bounds' in base ? base.bounds : undefined;
  const sources: StyleSpecification['sources'] = { ...style.sources };
  const rasters: LayerSpecification[] = [];
  const background = style.layers.find((l) => l.id === 'background');
  const night = background?.type === 'background' && background.paint?.['background-color'] === NIGHT_COLORS.land;
  for (const layer of basemap.layers) {
    const id = `${BASEMAP_PREFIX}${layer.id}`;
    sources[id] = {
      type: 'raster',
      // GCJ-02 tiles go through the protocol that shifts them onto WGS-84 (gcj02-tiles.ts).
      tiles: layer.gcj02 ? [gcj02TileUrl(id)] : layer.tiles,
      tileSize: 256,
      ...(layer.scheme ? { scheme: layer.scheme } : {}),
      maxzoom: basemap.maxzoom,
      ...(bounds ? { bounds } : {}),
      // The credit goes once, on the bottom layer; the attribution control lists each source's.
      ...(rasters.length === 0 ? { attribution: basemap.attribution } : {}),
    };
    rasters.push({ id, type: 'raster', source: id, ...(night ? { paint: NIGHT_RASTER } : {}) });
  }
  const replaced = new Set<string>(BASEMAP_REPLACES);
  const layers = style.layers.flatMap((layer): LayerSpecification[] => {
    if (layer.id === 'background') return [layer, ...rasters];
    if (replaced.has(layer.id)) return [{ ...layer, layout: { ...layer.layout, visibility: 'none' } } as LayerSpecification];
    if (layer.id === 'community-fill' && layer.type === 'fill') return [{ ...layer, paint: { ...layer.paint, 'fill-opacity': COMMUNITY_OVER_BASEMAP } }];
    return [layer];
  });
  return { ...style, sources, layers };
}
