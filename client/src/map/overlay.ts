/**
 * A GeoJSON overlay on top of the basemap for tools and plans (a route, numbered stops): one source,
 * a few layers styled from feature properties so callers only describe features:
 * lines — `color`, `width` (px, default 5), `dashed`; points — `color`, `label` (short text drawn
 * inside, e.g. a stop number or 起/终), `radius` (px, default 11).
 */
import type { GeoJSONSource, Map as MapLibreMap } from 'maplibre-gl';
import type { FilterArea } from '../../../server/contract/problem-filter';
import { FONT_BOLD } from './map-style';

export const OVERLAY_SOURCE = 'overlay';
const LAYER_IDS = ['overlay-line-casing', 'overlay-line', 'overlay-line-dashed', 'overlay-point', 'overlay-label'] as const;
const EMPTY: GeoJSON.FeatureCollection = { type: 'FeatureCollection', features: [] };

function addOverlayLayers(map: MapLibreMap): void {
  map.addSource(OVERLAY_SOURCE, { type: 'geojson', data: EMPTY });
  const isLine = ['==', ['geometry-type'], 'LineString'] as const;
  const solid = ['all', isLine, ['!', ['to-boolean', ['get', 'dashed']]]] as const;
  map.addLayer({
    id: 'overlay-line-casing',
    type: 'line',
    source: OVERLAY_SOURCE,
    filter: solid as never,
    layout: { 'line-cap': 'round', 'line-join': 'round' },
    paint: { 'line-color': '#ffffff', 'line-width': ['+', ['coalesce', ['get', 'width'], 5], 4], 'line-opacity': 0.9 },
  });
  map.addLayer({
    id: 'overlay-line',
    type: 'line',
    source: OVERLAY_SOURCE,
    filter: solid as never,
    layout: { 'line-cap': 'round', 'line-join': 'round' },
    paint: { 'line-color': ['coalesce', ['get', 'color'], '#1d4ed8'], 'line-width': ['coalesce', ['get', 'width'], 5] },
  });
  map.addLayer({
    id: 'overlay-line-dashed',
    type: 'line',
    source: OVERLAY_SOURCE,
    filter: ['all', isLine, ['to-boolean', ['get', 'dashed']]] as never,
    paint: { 'line-color': ['coalesce', ['get', 'color'], '#1d4ed8'], 'line-width': 2, 'line-dasharray': [2, 2] },
  });
  map.addLayer({
    id: 'overlay-point',
    type: 'circle',
    source: OVERLAY_SOURCE,
    filter: ['==', ['geometry-type'], 'Point'],
    paint: {
      'circle-radius': ['coalesce', ['get', 'radius'], 11],
      'circle-color': ['coalesce', ['get', 'color'], '#1d4ed8'],
      'circle-stroke-color': '#ffffff',
      'circle-stroke-width': 2,
    },
  });
  map.addLayer({
    id: 'overlay-label',
    type: 'symbol',
    source: OVERLAY_SOURCE,
    filter: ['all', ['==', ['geometry-type'], 'Point'], ['has', 'label']],
    layout: {
      'text-field': ['get', 'label'],
      'text-font': FONT_BOLD,
      'text-size': 12,
      'text-allow-overlap': true,
      'text-ignore-placement': true,
    },
    paint: { 'text-color': '#ffffff' },
  });
}

/**
 * Shows `data` in the overlay (null clears it), adding its source and layers the first time. Call once
 * the style has loaded ('style.load' has fired; MapView keeps what arrives earlier): MapLibre refuses to
 * add a source before. Not `map.isStyleLoaded()`, which stays false until every source has loaded too,
 * long after the style can take a new one.
 */
export function setOverlay(map: MapLibreMap, data: GeoJSON.FeatureCollection | null): void {
  if (!map.getSource(OVERLAY_SOURCE)) addOverlayLayers(map);
  map.getSource<GeoJSONSource>(OVERLAY_SOURCE)?.setData(data ?? EMPTY);
}

/** The outlines of a filter's area (the chosen 网格) as dashed overlay lines. */
export function areaOutline(area: FilterArea, color = '#7c3aed'): GeoJSON.Feature[] {
  return area.polygons.flatMap((rings) =>
    rings.map((ring) => ({
      type: 'Feature' as const,
      properties: { color, dashed: true },
      geometry: { type: 'LineString' as const, coordinates: ring.map((p) => [p[0], p[1]]) },
    })),
  );
}

/** Ids of the overlay's layers (for tests and for keeping other layers under them). */
export const OVERLAY_LAYERS: readonly string[] = LAYER_IDS;
