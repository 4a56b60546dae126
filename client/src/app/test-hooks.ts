/**
 * What the pages hand to end-to-end tests on `window` (the live map, the deck.gl overlay, the tour's
 * stop). Declared once here, for the pages that set them and the tests (tsconfig.e2e.json) that read them.
 */
import type { Layer } from '@deck.gl/core';
import type { MapLibreOverlay } from '@deck.gl/maplibre';
import type { Map as MapLibreMap } from 'maplibre-gl';
import type { TerraDraw } from 'terra-draw';

declare global {
  interface Window {
    /** The live map, for end-to-end tests (queryRenderedFeatures, waiting for 'idle'). */
    __xunchaMap?: MapLibreMap;
    /** The hotspot page's deck.gl overlay and its current layers, for end-to-end tests. */
    __xunchaDeck?: MapLibreOverlay;
    __xunchaDeckLayers?: Layer[];
    /** The registry page's terra-draw (what is drawn now), for end-to-end tests. */
    __xunchaDraw?: TerraDraw;
    /** The big screen's current tour stop, for end-to-end tests. */
    __xunchaTourStop?: { key: string; index: number; total: number };
  }
}

export {};
