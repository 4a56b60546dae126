/**
 * The one component that owns a MapLibre map (every page's: the map, the planner, the field map, the
 * hotspots, the big screen). Everything else talks to it through props, each applied whenever it
 * arrives — before the style has loaded (kept, then applied on 'style.load'), after it (in place), and
 * again on every later 'style.load':
 * - the style is set once; the problem tile URL changes with `setTiles` (the basemap keeps its tiles),
 *   layer visibility with `setLayoutProperty`, the selection with `setFilter`, so a filter change never
 *   rebuilds the style;
 * - `overlay`: GeoJSON features over everything (overlay.ts);
 * - `deckLayers`: one interleaved deck.gl `MapLibreOverlay` (from @deck.gl/maplibre) whose layers sit
 *   under the labels via `beforeId` (LABELS_BEFORE_ID), plus an optional animated layer drawn per frame;
 * - `focus`: where to ease or fly to.
 * The map is created once the administrator's online basemap setting is known (one small request per
 * page load, shared by the page's maps): with one, its raster layers go under ours (map-style.ts
 * `withBasemap`; a GCJ-02 one's tiles are shifted onto WGS-84 by gcj02-tiles.ts); without one, the
 * style is drawn as given.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { Layer, PickingInfo } from '@deck.gl/core';
import type { MapLibreOverlay } from '@deck.gl/maplibre';
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
import { basemapTiles, type BasemapTiles } from '../../../server/contract/basemap-tiles';
import type { BasemapSetting } from '../../../server/contract/basemap';
import { PROBLEMS_MAX_ZOOM } from '../../../server/contract/tile-levels';
import { knownBasemap, loadBasemap } from '../api/basemap';
import { isAbortError } from '../api/client';
import type { BBox, LngLat, PlaceKind } from '../api/types';
import type { MapViewState } from '../app/url-state';
import type { LayerToggle } from '../lib/layer-toggles';
import { describeMapError } from './map-errors';
import { drawMarketIcon } from './market-icon';
import { addCityAttribution, CITY_MAP_OPTIONS } from './city-map';
import { setOverlay } from './overlay';
import { registerGcj02Source } from './gcj02-tiles';
import {
  BASE_SOURCE,
  BASEMAP_PREFIX,
  CLICKABLE_LAYERS,
  MARKET_ICON,
  NOTHING_SELECTED,
  PROBLEM_SOURCE,
  TOGGLE_LAYERS,
  withBasemap,
  type ClickableLayer,
} from './map-style';

// MapLibre 6 ships its worker as a separate module; Vite serves it from our origin.
setWorkerUrl(workerUrl);

/** The first label layer of map-style.ts: deck.gl layers are drawn just below it, so names stay readable (deck.gl #10700). */
export const LABELS_BEFORE_ID = 'water-label-river';

/** A clicked feature, with where it was clicked. */
export type MapHit = ({ kind: 'problem'; id: string } | { kind: 'problems'; ids: string[] } | { kind: 'place'; placeKind: string; id: string }) & {
  lngLat: LngLat;
};
/**
 * Where to move; `key` repeats a request for the same place.
 * A centre: `zoom` is at least this zoom (never zooms out) unless `exactZoom`; omitted keeps the zoom;
 * `liftPx` shows the point this far above the centre (to clear a bottom sheet); `fly` flies instead of
 * easing. A box: fitted with `padding`. `durationMs` defaults to 500 (ease) or 800 (fly, box).
 */
export type MapFocus =
  | { center: LngLat; zoom?: number; exactZoom?: boolean; liftPx?: number; fly?: boolean; durationMs?: number; key: number }
  | { bbox: BBox; padding?: PaddingOptions; durationMs?: number; key: number };
/** What is selected: a problem, or a place by its kind (a kind without a layer of its own highlights nothing). */
export type MapSelection = { kind: string; id: string };

/** A deck.gl layer redrawn every frame (at most every `frameMs`), drawn over `deckLayers`. */
export interface DeckAnimation {
  frameMs: number;
  /** The layer for `elapsedMs` since the animation started. */
  layer: (elapsedMs: number) => Layer;
}

/**
 * How the map may be handled: `flat` pans and zooms (rotation and pitch off); `tilt` lets a right- or
 * ctrl-drag pitch it (for extruded cells); `wall` takes no input and shows no controls (nobody touches a
 * wall; a stray mouse must not move a tour's camera).
 */
export type MapHandling = 'flat' | 'tilt' | 'wall';

export interface MapViewProps {
  style: StyleSpecification;
  /** Where to open; null fits `fitBounds`. Read once, at creation. */
  initialView: MapViewState | null;
  fitBounds: BBox;
  /** Room to keep free around the city when fitting it, px (e.g. for the legend card). */
  fitPadding: PaddingOptions;
  attribution: string;
  ariaLabel: string;
  /** Default `flat`. Read once. */
  handling?: MapHandling;
  /** Default 19. Read once. */
  maxZoom?: number;
  /** Extra class on the map's element. */
  className?: string;
  /** The problem tiles' URL (the style's `problems` source); omitted leaves the style's. */
  problemTiles?: string;
  /** The basemap tiles' URL; a new one (the registry edited) reloads them. Omitted leaves the style's. */
  baseTiles?: string;
  /** Hears the map once its style has loaded, and null when it goes: for a tool that draws on it (terra-draw). */
  onMap?: (map: MapLibreMap | null) => void;
  /** Layer toggles hidden; omitted leaves the style's. */
  hidden?: readonly LayerToggle[];
  selected?: MapSelection | null;
  focus?: MapFocus | null;
  /** Features drawn over everything (overlay.ts says which properties style them); null draws none. */
  overlay?: GeoJSON.FeatureCollection | null;
  /** deck.gl layers in the interleaved overlay; omitted: no deck.gl on this map. */
  deckLayers?: readonly Layer[];
  deckAnimation?: DeckAnimation | null;
  /**
   * Delay deck.gl until the basemap's first idle plus this many ms. Its shaders compile on the main
   * thread, which on a PC without a GPU (software WebGL) holds everything else up for seconds: streets
   * and panels first. Omitted: at once. Read once.
   */
  deckJoinAfterIdleMs?: number;
  onDeckClick?: (info: PickingInfo) => void;
  /** Called after every deck.gl frame. */
  onDeckAfterRender?: () => void;
  onViewChange?: (view: MapViewState) => void;
  onHit?: (hit: MapHit) => void;
  onError: (message: string) => void;
  /** True while tiles are loading, false once the map is idle. */
  onLoadingChange?: (loading: boolean) => void;
  /** While set (a tool is active), a click goes here instead of selecting a feature. */
  onMapClick?: ((lngLat: LngLat) => void) | null;
}

const CLICK_TOLERANCE_PX = 6;
const CLUSTER_ZOOM_STEP = 2;
/** From this zoom a cluster that lists its problems opens the list instead of zooming further. */
const CLUSTER_LIST_ZOOM = 17;
const EASE_MS = 500;
const FLY_MS = 800;
const LAYER_PLACE_KIND: Partial<Record<ClickableLayer, PlaceKind>> = {
  'market-symbol': 'market',
  'back-street-line': 'back-street',
  'community-fill': 'community',
};
const SELECTED_LAYER_BY_KIND: Record<'problem' | PlaceKind, string> = {
  problem: 'problem-selected',
  market: 'market-selected',
  'back-street': 'back-street-selected',
  community: 'community-selected',
};

/** What the map shows now of the props `syncMap` applies; null until the style has loaded. */
interface Applied {
  overlay: GeoJSON.FeatureCollection | null | undefined;
  problemTiles: string;
  baseTiles: string;
  hidden: ReadonlySet<string>;
  selectedKey: string;
}

type Synced = Pick<MapViewProps, 'problemTiles' | 'baseTiles' | 'hidden' | 'selected' | 'overlay'>;

/** Full-size MapLibre map; see the module comment for how props reach it. */
export function MapView(props: MapViewProps) {
  const containerRef = useRef<HTMLDivElement>(null);
  const mapRef = useRef<MapLibreMap | null>(null);
  // Set once deck.gl has loaded and its overlay exists (maps without deckLayers never load it).
  const [deck, setDeck] = useState<MapLibreOverlay | null>(null);
  // MapLibre's handlers read the latest props, not those of the render that created the map.
  const propsRef = useRef(props);
  propsRef.current = props;
  const appliedRef = useRef<Applied | null>(null);
  const basemap = useBasemapTiles((message) => propsRef.current.onError(message));

  useEffect(() => {
    const container = containerRef.current;
    if (!container || basemap === undefined) return;
    const p = propsRef.current;
    const handling = p.handling ?? 'flat';
    for (const layer of basemap?.layers ?? []) if (layer.gcj02) registerGcj02Source(`${BASEMAP_PREFIX}${layer.id}`, layer.tiles);
    const map = new MapLibreMap({
      container,
      style: withBasemap(p.style, basemap),
      ...(p.initialView ? { center: p.initialView.center, zoom: p.initialView.zoom } : { bounds: p.fitBounds, fitBoundsOptions: { padding: p.fitPadding } }),
      maxZoom: p.maxZoom ?? 19,
      minZoom: 9,
      ...CITY_MAP_OPTIONS,
      interactive: handling !== 'wall',
      pitchWithRotate: handling === 'tilt',
      touchPitch: handling === 'tilt',
    });
    if (handling !== 'wall') {
      map.touchZoomRotate.disableRotation();
      map.keyboard.disableRotation();
      map.addControl(new NavigationControl({ showCompass: false, visualizePitch: handling === 'tilt' }), 'bottom-right');
      map.addControl(new ScaleControl({ unit: 'metric' }), 'bottom-left');
    }
    addCityAttribution(map, container, p.attribution);
    mapRef.current = map;
    window.__xunchaMap = map;

    // Icons are drawn on demand instead of coming from a sprite sheet (no sprite request).
    map.setMissingStyleImageResolver((id) => {
      if (id !== MARKET_ICON || map.hasImage(MARKET_ICON)) return;
      const icon = drawMarketIcon();
      map.addImage(MARKET_ICON, icon.data, { pixelRatio: icon.pixelRatio });
    });
    // Until the style has loaded nothing can be added or changed; from then on (and after every later
    // load, which starts again from the style as written) the props are applied.
    map.on('style.load', () => {
      appliedRef.current = appliedByStyle(propsRef.current.style);
      syncMap(map, propsRef.current, appliedRef.current);
      propsRef.current.onMap?.(map);
    });
    map.on('moveend', () => {
      const c = map.getCenter();
      propsRef.current.onViewChange?.({ center: [c.lng, c.lat], zoom: map.getZoom() });
    });
    map.on('click', (e) => {
      const tool = propsRef.current.onMapClick;
      const onHit = propsRef.current.onHit;
      if (tool) tool([e.lngLat.lng, e.lngLat.lat]);
      else if (onHit) handleClick(map, e, onHit);
    });
    map.on('dataloading', () => propsRef.current.onLoadingChange?.(true));
    map.on('idle', () => propsRef.current.onLoadingChange?.(false));
    map.on('mousemove', (e) => {
      if (propsRef.current.onMapClick) {
        map.getCanvas().style.cursor = 'crosshair';
        return;
      }
      // deck.gl sets the cursor over its own layers (getCursor below).
      if (!propsRef.current.onHit) return;
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

    let joinTimer: ReturnType<typeof setTimeout> | null = null;
    let overlay: MapLibreOverlay | null = null;
    let removed = false;
    if (p.deckLayers) {
      const delay = p.deckJoinAfterIdleMs;
      // Waited for from the start: the first idle may come before deck.gl has loaded.
      const joinable =
        delay === undefined
          ? Promise.resolve()
          : new Promise<void>((res) => map.once('idle', () => (joinTimer = setTimeout(() => ((joinTimer = null), res()), delay))));
      // deck.gl (some 500 KB) loads only with the first map that draws with it: the map, planner and field
      // pages never fetch it.
      Promise.all([import('@deck.gl/maplibre'), joinable]).then(
        ([{ MapLibreOverlay }]) => {
          if (removed) return;
          overlay = new MapLibreOverlay({
            interleaved: true,
            layers: [...(propsRef.current.deckLayers ?? [])],
            onClick: (info) => propsRef.current.onDeckClick?.(info),
            getCursor: ({ isHovering }) => (isHovering && propsRef.current.onDeckClick ? 'pointer' : ''),
            onError: (err) => propsRef.current.onError(err.message),
            onAfterRender: () => propsRef.current.onDeckAfterRender?.(),
          });
          window.__xunchaDeck = overlay;
          map.addControl(overlay);
          setDeck(overlay);
        },
        (err: unknown) => propsRef.current.onError(err instanceof Error ? err.message : String(err)),
      );
    }

    return () => {
      if (joinTimer) clearTimeout(joinTimer);
      if (window.__xunchaMap === map) delete window.__xunchaMap;
      removed = true;
      if (overlay && window.__xunchaDeck === overlay) {
        delete window.__xunchaDeck;
        delete window.__xunchaDeckLayers;
      }
      setDeck(null);
      propsRef.current.onMap?.(null);
      mapRef.current = null;
      appliedRef.current = null;
      map.remove();
    };
  }, [basemap]);

  const { problemTiles, baseTiles, hidden, selected, overlay } = props;
  useEffect(() => {
    const map = mapRef.current;
    if (map && appliedRef.current) syncMap(map, { problemTiles, baseTiles, hidden, selected, overlay }, appliedRef.current);
  }, [problemTiles, baseTiles, hidden, selected, overlay]);

  // The map appears once the basemap is known: a focus asked for before then is applied then.
  const created = basemap !== undefined;
  useDeckLayers(deck, props.deckLayers, props.deckAnimation ?? null);

  const { focus } = props;
  useEffect(() => {
    const map = mapRef.current;
    if (map && focus) moveTo(map, focus);
  }, [focus, created]);

  return <div ref={containerRef} className={props.className ? `map-view ${props.className}` : 'map-view'} role="region" aria-label={props.ariaLabel} />;
}

/**
 * Hands the layers to the deck.gl overlay whenever they change (the overlay starts with the latest);
 * with an animation, one requestAnimationFrame loop adds its layer at most every `frameMs`.
 */
function useDeckLayers(deck: MapLibreOverlay | null, layers: readonly Layer[] | undefined, animation: DeckAnimation | null): void {
  useEffect(() => {
    if (!deck || !layers) return;
    const show = (list: Layer[]) => {
      deck.setProps({ layers: list });
      window.__xunchaDeckLayers = list;
    };
    if (!animation) {
      show([...layers]);
      return;
    }
    const started = performance.now();
    let last = -Infinity;
    let raf = 0;
    const frame = (now: number) => {
      raf = requestAnimationFrame(frame);
      if (now - last < animation.frameMs) return;
      last = now;
      show([...layers, animation.layer(now - started)]);
    };
    raf = requestAnimationFrame(frame);
    return () => cancelAnimationFrame(raf);
  }, [deck, layers, animation]);
}

/**
 * The online basemap's raster tiles, null for none, undefined until the setting is read (at once when an
 * earlier map of this page load read it). `onError` hears a failure that is not the API's (an ApiError
 * already counts as none in loadBasemap).
 */
function useBasemapTiles(onError: (message: string) => void): BasemapTiles | null | undefined {
  const [setting, setSetting] = useState<BasemapSetting | undefined>(knownBasemap);
  const onErrorRef = useRef(onError);
  onErrorRef.current = onError;
  useEffect(() => {
    if (setting !== undefined) return;
    let live = true;
    loadBasemap().then(
      (value) => live && setSetting(value),
      (err: unknown) => {
        if (!live) return;
        onErrorRef.current(err instanceof Error ? err.message : String(err));
        setSetting(null);
      },
    );
    return () => {
      live = false;
    };
  }, [setting]);
  return useMemo(() => (setting === undefined ? undefined : setting ? basemapTiles(setting) : null), [setting]);
}

function moveTo(map: MapLibreMap, focus: MapFocus): void {
  if ('bbox' in focus) {
    map.fitBounds(focus.bbox, { padding: focus.padding, duration: focus.durationMs ?? FLY_MS, essential: true });
    return;
  }
  const { center, zoom, exactZoom, liftPx = 0, fly } = focus;
  const to = zoom === undefined ? map.getZoom() : exactZoom ? zoom : Math.max(map.getZoom(), zoom);
  // `offset` (unlike `padding`) does not stay on the map, so later view reads are unaffected.
  if (fly) map.flyTo({ center, zoom: to, offset: [0, -liftPx], duration: focus.durationMs ?? FLY_MS, essential: true });
  else map.easeTo({ center, zoom: to, offset: [0, -liftPx], duration: focus.durationMs ?? EASE_MS });
}

/** The problem tiles, hidden toggles and selection a style starts with (selection: none). */
function appliedByStyle(style: StyleSpecification): Applied {
  const source = style.sources[PROBLEM_SOURCE];
  const base = style.sources[BASE_SOURCE];
  const hidden = new Set<string>();
  for (const [toggle, ids] of Object.entries(TOGGLE_LAYERS)) {
    const layer = style.layers.find((l) => l.id === ids[0]);
    if (layer?.layout && 'visibility' in layer.layout && layer.layout.visibility === 'none') hidden.add(toggle);
  }
  return {
    overlay: undefined,
    problemTiles: source && 'tiles' in source ? (source.tiles?.[0] ?? '') : '',
    baseTiles: base && 'tiles' in base ? (base.tiles?.[0] ?? '') : '',
    hidden,
    selectedKey: '',
  };
}

function selectionKey(s: MapSelection | null | undefined): string {
  return s ? `${s.kind}:${s.id}` : '';
}

/** Applies the props that can change after creation, each only when given and different from what is applied. Call after 'style.load'. */
function syncMap(map: MapLibreMap, p: Synced, applied: Applied): void {
  if (p.problemTiles !== undefined && p.problemTiles !== applied.problemTiles && map.getSource(PROBLEM_SOURCE)) {
    map.getSource<VectorTileSource>(PROBLEM_SOURCE)?.setTiles([p.problemTiles]);
    applied.problemTiles = p.problemTiles;
  }
  if (p.baseTiles !== undefined && p.baseTiles !== applied.baseTiles && map.getSource(BASE_SOURCE)) {
    map.getSource<VectorTileSource>(BASE_SOURCE)?.setTiles([p.baseTiles]);
    applied.baseTiles = p.baseTiles;
  }

  if (p.hidden) {
    const hidden = new Set<string>(p.hidden);
    for (const [toggle, ids] of Object.entries(TOGGLE_LAYERS)) {
      if (hidden.has(toggle) === applied.hidden.has(toggle)) continue;
      for (const id of ids) if (map.getLayer(id)) map.setLayoutProperty(id, 'visibility', hidden.has(toggle) ? 'none' : 'visible');
    }
    applied.hidden = hidden;
  }

  const key = selectionKey(p.selected);
  if (p.selected !== undefined && key !== applied.selectedKey) {
    for (const [kind, layerId] of Object.entries(SELECTED_LAYER_BY_KIND)) {
      if (!map.getLayer(layerId)) continue;
      const filter: FilterSpecification = p.selected && p.selected.kind === kind ? ['==', ['get', 'id'], p.selected.id] : NOTHING_SELECTED;
      map.setFilter(layerId, filter);
    }
    applied.selectedKey = key;
  }

  if (p.overlay !== undefined && p.overlay !== applied.overlay) {
    setOverlay(map, p.overlay);
    applied.overlay = p.overlay;
  }
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
      // A dense tile's small clusters name their problems: close in, list them rather than zoom on.
      const ids = typeof f.properties?.ids === 'string' ? f.properties.ids.split(',').filter(Boolean) : [];
      if (ids.length > 0 && map.getZoom() >= CLUSTER_LIST_ZOOM) {
        onHit({ kind: 'problems', ids, lngLat: [lng, lat] });
        return;
      }
      map.easeTo({ center: [lng, lat], zoom: Math.min(map.getZoom() + CLUSTER_ZOOM_STEP, PROBLEMS_MAX_ZOOM), duration: 500 });
      return;
    }
    const id = f.properties?.id;
    if (typeof id !== 'string' || !id) continue;
    // The other point types share one layer: each feature says its own kind.
    const placeKind = layerId === 'point-circle' ? String(f.properties?.kind ?? '') || undefined : LAYER_PLACE_KIND[layerId];
    const lngLat: LngLat = [e.lngLat.lng, e.lngLat.lat];
    onHit(placeKind ? { kind: 'place', placeKind, id, lngLat } : { kind: 'problem', id, lngLat });
    return;
  }
}
