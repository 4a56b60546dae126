/**
 * The hotspot page's map: MapLibre with the city's own basemap, and one deck.gl `MapLibreOverlay`
 * (from @deck.gl/maplibre, `interleaved: true`) whose layers sit under the label layers via
 * `beforeId`, so street and place names stay readable over the heat (deck.gl #10700 is why the e2e
 * test looks at the labels). This component owns that map; the page passes layers and a focus.
 */
import { useEffect, useRef } from 'react';
import { MapLibreOverlay } from '@deck.gl/maplibre';
import { addCityAttribution, CITY_MAP_OPTIONS } from '../city-map';
import type { Layer, PickingInfo } from '@deck.gl/core';
import { Map as MapLibreMap, NavigationControl, ScaleControl, setWorkerUrl, type StyleSpecification } from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import 'maplibre-gl/dist/maplibre-gl.css';
import type { BBox, LngLat } from '../../api/types';

setWorkerUrl(workerUrl);

/** The first label layer of map-style.ts: deck.gl layers are drawn just below it. */
export const LABELS_BEFORE_ID = 'water-label-river';

export interface HotspotMapProps {
  style: StyleSpecification;
  fitBounds: BBox;
  attribution: string;
  layers: Layer[];
  /** Where to fly; `key` repeats a request for the same place. */
  focus: { center: LngLat; zoom: number; key: number } | null;
  ariaLabel: string;
  onPick: (info: PickingInfo) => void;
  onError: (message: string) => void;
  /** Called after every deck.gl frame (the page marks its first heat-map frame for the benchmark). */
  onAfterRender?: () => void;
}

/** MapLibre + the interleaved deck.gl overlay; see the module comment. */
export function HotspotMap(props: HotspotMapProps) {
  const containerRef = useRef<HTMLDivElement>(null);
  const overlayRef = useRef<MapLibreOverlay | null>(null);
  const mapRef = useRef<MapLibreMap | null>(null);
  const propsRef = useRef(props);
  propsRef.current = props;

  useEffect(() => {
    const container = containerRef.current;
    if (!container) return;
    const p = propsRef.current;
    const map = new MapLibreMap({
      container,
      style: p.style,
      bounds: p.fitBounds,
      // The time bar covers the map's foot: keep the city above it.
      fitBoundsOptions: { padding: { top: 24, left: 24, right: 56, bottom: 190 } },
      maxZoom: 18,
      minZoom: 9,
      ...CITY_MAP_OPTIONS,
      // Extruded hexagons want a tilt: right-drag or ctrl-drag pitches, rotation stays off.
      pitchWithRotate: true,
    });
    map.touchZoomRotate.disableRotation();
    map.addControl(new NavigationControl({ showCompass: false, visualizePitch: true }), 'bottom-right');
    map.addControl(new ScaleControl({ unit: 'metric' }), 'bottom-left');
    addCityAttribution(map, container, p.attribution);
    const overlay = new MapLibreOverlay({
      interleaved: true,
      layers: p.layers,
      onClick: (info) => propsRef.current.onPick(info),
      getCursor: ({ isHovering }) => (isHovering ? 'pointer' : ''),
      onError: (err) => propsRef.current.onError(err.message),
      onAfterRender: () => propsRef.current.onAfterRender?.(),
    });
    map.addControl(overlay);
    map.on('error', (e) => propsRef.current.onError(e.error?.message ?? String(e.error)));
    mapRef.current = map;
    overlayRef.current = overlay;
    window.__xunchaMap = map;
    window.__xunchaDeck = overlay;
    return () => {
      if (window.__xunchaMap === map) delete window.__xunchaMap;
      if (window.__xunchaDeck === overlay) delete window.__xunchaDeck;
      overlayRef.current = null;
      mapRef.current = null;
      map.remove();
    };
  }, []);

  useEffect(() => {
    overlayRef.current?.setProps({ layers: props.layers });
    window.__xunchaDeckLayers = props.layers;
  }, [props.layers]);

  useEffect(() => {
    const map = mapRef.current;
    if (!map || !props.focus) return;
    map.flyTo({ center: props.focus.center, zoom: Math.max(map.getZoom(), props.focus.zoom), duration: 800 });
  }, [props.focus]);

  return <div ref={containerRef} className="map-view" role="region" aria-label={props.ariaLabel} />;
}
