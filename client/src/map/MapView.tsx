/**
 * The one component that owns the MapLibre map. Everything else talks to it through props:
 * the style is set once, and later changes are applied in place — the problem tile URL with
 * `setTiles` (the basemap keeps its tiles), layer visibility with `setLayoutProperty`, the selection
 * with `setFilter` — so a filter change never rebuilds the style.
 */
import { useEffect, useRef } from 'react';
import {
  Map as MapLibreMap,
  NavigationControl,
  ScaleControl,
  setWorkerUrl,
  type ErrorEvent as MapErrorEvent,
  type FilterSpecification,
  type MapGeoJSONFeature,
  type MapMouseEvent,
  type PaddingOptions,
  type StyleSpecification,
  type VectorTileSource,
} from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import 'maplibre-gl/dist/maplibre-gl.css';
import { isAbortError } from '../api/client';
import type { BBox, LngLat, PlaceKind } from '../api/types';
import type { MapViewState } from '../app/url-state';
import type { LayerToggle } from '../lib/layer-toggles';
import { describeMapError } from './map-errors';
import { drawMarketIcon } from './market-icon';
import { addCityAttribution, CITY_MAP_OPTIONS } from './city-map';
import { setOverlay } from './overlay';
import { CLICKABLE_LAYERS, MARKET_ICON, NOTHING_SELECTED, PROBLEM_SOURCE, TOGGLE_LAYERS, type ClickableLayer } from './map-style';

// MapLibre 6 ships its worker as a separate module; Vite serves it from our origin.
setWorkerUrl(workerUrl);

/** A clicked feature, with where it was clicked. */
export type MapHit = ({ kind: 'problem'; id: string } | { kind: 'place'; placeKind: PlaceKind; id: string }) & { lngLat: LngLat };
/**
 * Where to ease to. `zoom`: at least this zoom (never zooms out); omitted keeps the zoom.
 * `liftPx`: show the point this far above the centre (to clear a bottom sheet). `key` repeats a request.
 */
export type MapFocus = { center: LngLat; zoom?: number; liftPx?: number; key: number };
export type MapSelection = { kind: 'problem' | PlaceKind; id: string };

export interface MapViewProps {
  style: StyleSpecification;
  /** Where to open; null fits `fitBounds`. Read once, at creation. */
  initialView: MapViewState | null;
  fitBounds: BBox;
  /** Room to keep free around the city when fitting it, px (e.g. for the legend card). */
  fitPadding: PaddingOptions;
  attribution: string;
  problemTiles: string;
  hidden: readonly LayerToggle[];
  selected: MapSelection | null;
  focus: MapFocus | null;
  ariaLabel: string;
  onViewChange: (view: MapViewState) => void;
  onHit: (hit: MapHit) => void;
  onError: (message: string) => void;
  /** True while tiles are loading, false once the map is idle. */
  onLoadingChange?: (loading: boolean) => void;
  /** Features drawn over everything (overlay.ts says which properties style them); null draws none. */
  overlay?: GeoJSON.FeatureCollection | null;
  /** While set (a tool is active), a click goes here instead of selecting a feature. */
  onMapClick?: ((lngLat: LngLat) => void) | null;
}

const CLICK_TOLERANCE_PX = 6;
const CLUSTER_ZOOM_STEP = 2;
const LAYER_PLACE_KIND: Partial<Record<ClickableLayer, PlaceKind>> = {
  'market-symbol': 'market',
  'back-street-line': 'back-street',
  'community-fill': 'community',
};
const SELECTED_LAYER_BY_KIND: Record<MapSelection['kind'], string> = {
  problem: 'problem-selected',
  market: 'market-selected',
  'back-street': 'back-street-selected',
  community: 'community-selected',
};

interface Applied {
  overlay: GeoJSON.FeatureCollection | null | undefined;
  problemTiles: string;
  hidden: ReadonlySet<string>;
  selectedKey: string;
}

/** Full-size MapLibre map; see the module comment for how props reach it. */
export function MapView(props: MapViewProps) {
  const containerRef = useRef<HTMLDivElement>(null);
  const mapRef = useRef<MapLibreMap | null>(null);
  const propsRef = useRef(props);
  propsRef.current = props;
  const appliedRef = useRef<Applied | null>(null);

  useEffect(() => {
    const container = containerRef.current;
    if (!container) return;
    const p = propsRef.current;
    const map = new MapLibreMap({
      container,
      style: p.style,
      ...(p.initialView ? { center: p.initialView.center, zoom: p.initialView.zoom } : { bounds: p.fitBounds, fitBoundsOptions: { padding: p.fitPadding } }),
      maxZoom: 19,
      minZoom: 9,
      ...CITY_MAP_OPTIONS,
      pitchWithRotate: false,
      touchPitch: false,
    });
    map.touchZoomRotate.disableRotation();
    map.keyboard.disableRotation();
    map.addControl(new NavigationControl({ showCompass: false }), 'bottom-right');
    map.addControl(new ScaleControl({ unit: 'metric' }), 'bottom-left');
    addCityAttribution(map, container, p.attribution);
    mapRef.current = map;
    window.__xunchaMap = map;
    // What the style itself holds; 'style.load' then applies whatever the props want beyond it.
    appliedRef.current = appliedByStyle(p.style);

    // Icons are drawn on demand instead of coming from a sprite sheet (no sprite request).
    map.setMissingStyleImageResolver((id) => {
      if (id !== MARKET_ICON || map.hasImage(MARKET_ICON)) return;
      const icon = drawMarketIcon();
      map.addImage(MARKET_ICON, icon.data, { pixelRatio: icon.pixelRatio });
    });
    map.on('style.load', () => syncMap(map, propsRef.current, appliedRef));
    map.on('moveend', () => {
      const c = map.getCenter();
      propsRef.current.onViewChange({ center: [c.lng, c.lat], zoom: map.getZoom() });
    });
    map.on('click', (e) => {
      const tool = propsRef.current.onMapClick;
      if (tool) tool([e.lngLat.lng, e.lngLat.lat]);
      else handleClick(map, e, propsRef.current.onHit);
    });
    map.on('dataloading', () => propsRef.current.onLoadingChange?.(true));
    map.on('idle', () => propsRef.current.onLoadingChange?.(false));
    map.on('mousemove', (e) => {
      if (propsRef.current.onMapClick) {
        map.getCanvas().style.cursor = 'crosshair';
        return;
      }
      const hit = queryClickable(map, e).length > 0;
      map.getCanvas().style.cursor = hit ? 'pointer' : '';
    });
    const reported = new Set<string>();
    map.on('error', (e: MapErrorEvent & { sourceId?: string }) => {
      if (isAbortError(e.error)) return;
      describeMapError(e.error, e.sourceId).then(
        ({ key, message }) => {
          if (reported.has(key)) return;
          reported.add(key);
          propsRef.current.onError(message);
        },
        (err: unknown) => propsRef.current.onError(err instanceof Error ? err.message : String(err)),
      );
    });

    return () => {
      if (window.__xunchaMap === map) delete window.__xunchaMap;
      mapRef.current = null;
      map.remove();
    };
  }, []);

  const { problemTiles, hidden, selected, overlay } = props;
  useEffect(() => {
    const map = mapRef.current;
    if (map) syncMap(map, { problemTiles, hidden, selected, overlay }, appliedRef);
  }, [problemTiles, hidden, selected, overlay]);

  useEffect(() => {
    const map = mapRef.current;
    if (!map || !props.focus) return;
    const { center, zoom, liftPx = 0 } = props.focus;
    // `offset` (unlike `padding`) does not stay on the map, so later view reads are unaffected.
    map.easeTo({ center, zoom: Math.max(map.getZoom(), zoom ?? 0), offset: [0, -liftPx], duration: 500 });
  }, [props.focus]);

  return <div ref={containerRef} className="map-view" role="region" aria-label={props.ariaLabel} />;
}

/** The problem tiles, hidden toggles and selection a style starts with (selection: none). */
function appliedByStyle(style: StyleSpecification): Applied {
  const source = style.sources[PROBLEM_SOURCE];
  const hidden = new Set<string>();
  for (const [toggle, ids] of Object.entries(TOGGLE_LAYERS)) {
    const layer = style.layers.find((l) => l.id === ids[0]);
    if (layer?.layout && 'visibility' in layer.layout && layer.layout.visibility === 'none') hidden.add(toggle);
  }
  return { overlay: undefined, problemTiles: source && 'tiles' in source ? (source.tiles?.[0] ?? '') : '', hidden, selectedKey: '' };
}

function selectionKey(s: MapSelection | null): string {
  return s ? `${s.kind}:${s.id}` : '';
}

/** Applies the props that can change after creation, each only when it differs from what is applied. */
function syncMap(map: MapLibreMap, p: Pick<MapViewProps, 'problemTiles' | 'hidden' | 'selected' | 'overlay'>, appliedRef: { current: Applied | null }): void {
  const applied = appliedRef.current;
  // Before the style has loaded there are no sources or layers to change; 'style.load' calls again.
  if (!applied || !map.getSource(PROBLEM_SOURCE)) return;

  if (p.problemTiles !== applied.problemTiles) {
    map.getSource<VectorTileSource>(PROBLEM_SOURCE)?.setTiles([p.problemTiles]);
    applied.problemTiles = p.problemTiles;
  }

  const hidden = new Set<string>(p.hidden);
  for (const [toggle, ids] of Object.entries(TOGGLE_LAYERS)) {
    if (hidden.has(toggle) === applied.hidden.has(toggle)) continue;
    for (const id of ids) map.setLayoutProperty(id, 'visibility', hidden.has(toggle) ? 'none' : 'visible');
  }
  applied.hidden = hidden;

  const key = selectionKey(p.selected);
  if (key !== applied.selectedKey) {
    for (const [kind, layerId] of Object.entries(SELECTED_LAYER_BY_KIND)) {
      const filter: FilterSpecification = p.selected && p.selected.kind === kind ? ['==', ['get', 'id'], p.selected.id] : NOTHING_SELECTED;
      map.setFilter(layerId, filter);
    }
    applied.selectedKey = key;
  }

  if (p.overlay !== applied.overlay && setOverlay(map, p.overlay ?? null)) applied.overlay = p.overlay;
}

function queryClickable(map: MapLibreMap, e: MapMouseEvent): MapGeoJSONFeature[] {
  const { x, y } = e.point;
  const layers = CLICKABLE_LAYERS.filter((id) => map.getLayer(id) && map.getLayoutProperty(id, 'visibility') !== 'none');
  if (layers.length === 0) return [];
  return map.queryRenderedFeatures(
    [
      [x - CLICK_TOLERANCE_PX, y - CLICK_TOLERANCE_PX],
      [x + CLICK_TOLERANCE_PX, y + CLICK_TOLERANCE_PX],
    ],
    { layers },
  );
}

function handleClick(map: MapLibreMap, e: MapMouseEvent, onHit: (hit: MapHit) => void): void {
  const features = queryClickable(map, e);
  // queryRenderedFeatures orders by rendering (top first); we want our own priority instead.
  for (const layerId of CLICKABLE_LAYERS) {
    const f = features.find((feature) => feature.layer.id === layerId);
    if (!f) continue;
    if (layerId === 'problem-clusters') {
      const [lng, lat] = (f.geometry as GeoJSON.Point).coordinates;
      map.easeTo({ center: [lng, lat], zoom: Math.min(map.getZoom() + CLUSTER_ZOOM_STEP, 16), duration: 500 });
      return;
    }
    const id = f.properties?.id;
    if (typeof id !== 'string' || !id) continue;
    const placeKind = LAYER_PLACE_KIND[layerId];
    const lngLat: LngLat = [e.lngLat.lng, e.lngLat.lat];
    onHit(placeKind ? { kind: 'place', placeKind, id, lngLat } : { kind: 'problem', id, lngLat });
    return;
  }
}
