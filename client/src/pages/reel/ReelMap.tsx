/**
 * The reel's small locator map: the city's own night basemap (the big screen's, labels scaled the same
 * way for a wall) with the current problem marked in its category's colour. One map for the whole reel:
 * it flies from place to place as the slides change, so its tiles load once. Loaded in its own chunk
 * (MapLibre is most of the page's script), so the title card does not wait for it.
 */
import { useCallback, useMemo, useState } from 'react';
import type { LngLat, Meta } from '../../api/types';
import { useI18n } from '../../app/use-i18n';
import { buildMapStyle, NIGHT_COLORS } from '../../map/map-style';
import { MapView, type MapFocus } from '../../map/MapView';
import { designFactor, scaleStyle, WALL_TEXT_BOOST } from '../screen/map/screen-style';

/** Close enough to name the streets around the place, far enough to see where in the city it is. */
const PLACE_ZOOM = 16;
/** A fly between two places of a reel: over before the viewer's eyes come back from the photo. */
const FLY_MS = 1_200;
const NO_PADDING = { top: 0, bottom: 0, left: 0, right: 0 };

export interface ReelMapProps {
  meta: Meta;
  lngLat: LngLat;
  /** The category's colour (#rrggbb) for the marker. */
  color: string;
  /** The slide's place in the reel: a second problem at the same spot is still a move (the marker's colour). */
  slideIndex: number;
}

/** The locator map; see the module comment. */
export function ReelMap({ meta, lngLat, color, slideIndex }: ReelMapProps) {
  const { t } = useI18n();
  const [factor] = useState(() => designFactor(window.innerWidth, window.innerHeight));
  const style = useMemo(() => {
    const base = buildMapStyle({ origin: window.location.origin, bbox: meta.city.bbox, problemQuery: '', hidden: ['problems'], palette: NIGHT_COLORS });
    return scaleStyle(base, { text: factor * WALL_TEXT_BOOST, line: factor });
  }, [meta, factor]);
  // The same streets around the place at any screen size: a 4K wall draws in twice the pixels.
  const zoom = PLACE_ZOOM + Math.log2(factor);
  // Opens on the first place; later places are flown to.
  const [initialView] = useState(() => ({ center: lngLat, zoom }));
  const [lng, lat] = lngLat;
  const focus = useMemo<MapFocus>(
    () => ({ center: [lng, lat], zoom, exactZoom: true, fly: true, durationMs: FLY_MS, key: slideIndex }),
    [lng, lat, zoom, slideIndex],
  );
  const overlay = useMemo<GeoJSON.FeatureCollection>(
    () => ({
      type: 'FeatureCollection',
      features: [
        // A light disc under the dot: the place stands out of the streets' orange and blue from across the room.
        { type: 'Feature', geometry: { type: 'Point', coordinates: [lng, lat] }, properties: { color: 'rgba(255,255,255,0.4)', radius: 26 * factor } },
        { type: 'Feature', geometry: { type: 'Point', coordinates: [lng, lat] }, properties: { color, radius: 13 * factor } },
      ],
    }),
    [lng, lat, color, factor],
  );
  // The reel shows no banner over its map: a missing tile is said on the console.
  const onError = useCallback((message: string) => console.warn(`reel map: ${message}`), []);
  return (
    <MapView
      style={style}
      initialView={initialView}
      fitBounds={meta.city.bbox}
      fitPadding={NO_PADDING}
      attribution={meta.city.attribution}
      ariaLabel={t('reel.mapLabel')}
      className="reel-map-canvas"
      handling="wall"
      overlay={overlay}
      focus={focus}
      onError={onError}
    />
  );
}
