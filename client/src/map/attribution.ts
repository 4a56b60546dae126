import { AttributionControl, type Map as MapLibreMap } from 'maplibre-gl';

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
