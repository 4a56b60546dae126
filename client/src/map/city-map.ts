/** What every map of the city shares: its credit, its fonts and how its requests travel. */
import { AttributionControl, type Map as MapLibreMap, type MapOptions } from 'maplibre-gl';
import { withScreenToken } from '../api/client';
import { CSS_FONT_FAMILY } from './map-style';

// Longer than this, the credit folds behind ⓘ so it does not lie over the map's own controls.
const SHORT_ATTRIBUTION = 48;

/**
 * The city's credit on a map. A short one (an OSM city: "© OpenStreetMap contributors", which the
 * ODbL asks to be visible) stays open; the demo city's long note starts folded behind ⓘ.
 */
export function addCityAttribution(map: MapLibreMap, container: HTMLElement, attribution: string): void {
  const compact = attribution.length > SHORT_ATTRIBUTION;
  map.addControl(new AttributionControl({ compact, customAttribution: attribution }), 'bottom-right');
  // NOTE: relies on MapLibre's class names: the compact attribution opens expanded and only folds on
  // the first drag; we fold it from the start.
  if (compact) map.once('load', () => container.querySelector('.maplibregl-compact-show')?.classList.remove('maplibregl-compact-show'));
}

/** Options of every city map: labels drawn locally, our own credit control, rotation off. */
export const CITY_MAP_OPTIONS = {
  // No glyphs URL in the style: CJK and Latin are drawn locally with these fonts.
  localIdeographFontFamily: CSS_FONT_FAMILY,
  attributionControl: false,
  // A wall PC signed in by screen token: tiles carry it too (a tile request cannot set headers).
  transformRequest: (url: string) => ({ url: withScreenToken(url) }),
  dragRotate: false,
} satisfies Partial<MapOptions>;
