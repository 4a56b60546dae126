/** The city layers as GeoJSON (GET /api/layers/:layer): the one module that fetches them. */
import type { LayerCollection, LayerName } from '../../../server/contract/layers';
import { call } from './http';

/** GET /api/layers/:layer, limited to `bbox` ([west, south, east, north]) when given. */
export function getLayer(layer: LayerName, bbox: readonly number[] | null, signal: AbortSignal): Promise<LayerCollection> {
  return call('GET /api/layers/:layer', { params: { layer }, query: { bbox: bbox ? bbox.join(',') : undefined }, signal });
}

/** GET /api/layers/subdistricts: the subdistrict polygons (for the rankings choropleth). */
export function getSubdistrictShapes(signal: AbortSignal): Promise<LayerCollection> {
  return getLayer('subdistricts', null, signal);
}
