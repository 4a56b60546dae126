import type { BBox } from '../../contract/geo';
import type { LayerCollection, LayerName } from '../../contract/layers';
import type { Store } from '../../store/index';

/** One layer as an RFC 7946 FeatureCollection, optionally only what meets `bbox`. */
export async function layerCollection(store: Store, layer: LayerName, bbox?: BBox): Promise<LayerCollection> {
  return { type: 'FeatureCollection', features: (await store.layerFeatures(layer, bbox)) as LayerCollection['features'] };
}
