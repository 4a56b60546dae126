import { pointOnFeature } from '@turf/turf';
import type { Feature, FeatureCollection, Geometry as GeoJsonGeometry } from 'geojson';
import GeoJSONVT from 'geojson-vt';
import { encodeMvt, type MvtFeature, type MvtLayer } from '../../geo/mvt';
import type { LayerFeature } from '../../contract/layers';
import { pointMarker } from '../../contract/geo';
import { BASE_MAX_ZOOM, BASE_TILE_LAYERS, type BaseTileLayer, TILE_EXTENT } from '../../contract/tiles';
import type { Store } from '../../store/index';

/** From this zoom a city of several districts names its subdistricts (district names keep the map below it; the style fades them out by 12.5). */
const SUBDISTRICT_LABELS_UNDER_DISTRICTS_Z = 12;

/**
 * Lowest zoom at which a road class is in the tiles. Minor roads stay out of low zooms so a tile of the
 * whole district stays small; the map could not show them there anyway.
 */
export const ROAD_MIN_ZOOM: Record<string, number> = {
  motorway: 0,
  trunk: 0,
  primary: 0,
  secondary: 0,
  tertiary: 0,
  motorway_link: 0,
  trunk_link: 0,
  primary_link: 0,
  secondary_link: 0,
  tertiary_link: 0,
  unclassified: 13,
  residential: 13,
  living_street: 13,
  service: 13,
  pedestrian: 14,
  footway: 14,
  path: 14,
  cycleway: 14,
  steps: 14,
  track: 14,
};
const ROAD_DEFAULT_MIN_ZOOM = 14;

/** Lowest zoom of the community polygons and their labels. */
export const COMMUNITY_MIN_ZOOM = 12;
export const COMMUNITY_LABEL_MIN_ZOOM = 14;
/** Lowest zoom of the other inspection points (bus stops, toilets …): a city has thousands. */
export const POINT_MIN_ZOOM = 13;

const VT_OPTIONS = {
  maxZoom: BASE_MAX_ZOOM,
  // Split ahead, at build, down to z12 wherever a tile holds more than 10,000 points: the first tile asked
  // at z14 then drills two levels, not nine. At a 600 km² city (the million-problem bench) that is 151 ms
  // instead of 798 ms, on the event loop, for 0.95 s more build before listening and 190 MB more held.
  indexMaxZoom: 12,
  indexMaxPoints: 10_000,
  // Tolerance in tile pixels (of 4096): roads simplify harder at low zoom, which is where tiles grow.
  tolerance: 3,
  extent: TILE_EXTENT,
  buffer: 64,
} as const;

interface LayerIndex {
  name: BaseTileLayer;
  minZoom: number;
  index: GeoJSONVT;
}

/** The basemap vector tiles of the loaded city. */
export interface BaseTiles {
  /**
   * MVT bytes of tile z/x/y with the layers water, subdistricts, subdistrict-labels, roads, communities,
   * community-labels, back-streets and markets; null when the tile is empty (serve 204).
   */
  getTile(z: number, x: number, y: number): Promise<Uint8Array | null>;
  /** Builds the index now (otherwise the first tile request does). */
  warm(): void;
}

/**
 * Serves basemap tiles from geojson-vt indexes over the store's layers, built once and rebuilt only when
 * a new city is imported (the store's stamp changes).
 */
export function createBaseTiles(store: Store): BaseTiles {
  // Streets, water and subdistricts change with an import; the registry's points with every edit. The
  // registry's index is built whole once per city (seconds at tens of thousands of points); an edit then
  // redraws only the points edited since, from a small index of their own, and hides their old shapes in
  // the whole one.
  let streets: { stamp: string | null; layers: LayerIndex[] } | null = null;
  let registry: {
    stamp: string | null;
    revision: number;
    base: LayerIndex[];
    /** History rows read so far (store.placeEditsSince). */
    mark: number;
    edited: Set<string>;
    overlay: LayerIndex[];
  } | null = null;

  const registryNow = async () => {
    const stamp = await store.cityStamp();
    const revision = await store.placesRevision();
    if (registry && registry.stamp === stamp && registry.revision === revision) return registry;
    if (registry && registry.stamp === stamp) {
      const since = await store.placeEditsSince(registry.mark);
      const edited = new Set([...registry.edited, ...since.ids]);
      if (edited.size <= OVERLAY_MAX_POINTS) {
        // A change without a history row (the demo's 包抓领导) draws nothing new: the overlay stays.
        const overlay = since.ids.length ? buildRegistryIndexes(await editedFeatures(store, edited)) : registry.overlay;
        registry = { ...registry, revision, mark: since.mark, edited, overlay };
        return registry;
      }
    }
    const mark = await store.placeHistoryMark();
    registry = {
      stamp,
      revision,
      base: stamp === null ? [] : buildRegistryIndexes(await registryFeatures(store)),
      mark,
      edited: new Set(),
      overlay: [],
    };
    return registry;
  };

  const current = async () => {
    const stamp = await store.cityStamp();
    if (!streets || streets.stamp !== stamp) streets = { stamp, layers: stamp === null ? [] : await buildStreetIndexes(store) };
    return { streets: streets.layers, registry: await registryNow() };
  };

  return {
    async getTile(z, x, y) {
      const { streets: streetLayers, registry: r } = await current();
      const byName = new Map<BaseTileLayer, MvtFeature[]>();
      const add = (layers: LayerIndex[], hidden: ReadonlySet<string> | null) => {
        for (const l of layers) {
          if (z < l.minZoom) continue;
          const tile = l.index.getTile(z, x, y);
          if (!tile || tile.features.length === 0) continue;
          const list = byName.get(l.name) ?? [];
          for (const f of tile.features) if (!hidden || !hidden.has(String((f.tags as { id?: unknown }).id))) list.push(f as MvtFeature);
          byName.set(l.name, list);
        }
      };
      add(streetLayers, null);
      // The whole registry's copy of an edited point is stale: the overlay draws it as it is now.
      add(r.base, r.edited.size > 0 ? r.edited : null);
      add(r.overlay, null);
      const layers: MvtLayer[] = [];
      for (const [name, features] of byName) if (features.length) layers.push({ name, features, extent: TILE_EXTENT });
      if (layers.length === 0) return null;
      layers.sort((a, b) => BASE_TILE_LAYERS.indexOf(a.name as BaseTileLayer) - BASE_TILE_LAYERS.indexOf(b.name as BaseTileLayer));
      return encodeMvt(layers);
    },
    async warm() {
      await current();
    },
  };
}

/**
 * Beyond this many points edited since the registry's index was built, it is built whole again (a large
 * merge); below it, the small index of the edited points is rebuilt at each edit, so it must stay small.
 */
const OVERLAY_MAX_POINTS = 500;

/** The registry's points in use, by the layer that draws them. */
interface RegistryFeatures {
  communities: LayerFeature[];
  backStreets: LayerFeature[];
  points: LayerFeature[];
  markets: LayerFeature[];
}

async function registryFeatures(store: Store): Promise<RegistryFeatures> {
  return {
    communities: await store.layerFeatures('communities'),
    backStreets: await store.layerFeatures('back-streets'),
    points: await store.layerFeatures('points'),
    markets: await store.layerFeatures('markets'),
  };
}

/** The points `ids` as they are now, by layer (a retired one is in none). */
async function editedFeatures(store: Store, ids: ReadonlySet<string>): Promise<RegistryFeatures> {
  const out: RegistryFeatures = { communities: [], backStreets: [], points: [], markets: [] };
  const list = { communities: out.communities, 'back-streets': out.backStreets, points: out.points, markets: out.markets };
  for (const { layer, feature } of await store.placeLayerFeatures(ids)) list[layer].push(feature);
  return out;
}

function indexer() {
  const out: LayerIndex[] = [];
  const add = (name: BaseTileLayer, minZoom: number, features: Feature[]) => {
    if (features.length === 0) return;
    const fc: FeatureCollection = { type: 'FeatureCollection', features };
    out.push({ name, minZoom, index: new GeoJSONVT(fc, VT_OPTIONS) });
  };
  const pick = (f: LayerFeature, keys: string[]): Feature => {
    const props: Record<string, unknown> = {};
    for (const k of keys) {
      const v = (f.properties as Record<string, unknown>)[k];
      if (v !== null && v !== undefined) props[k] = v;
    }
    return { type: 'Feature', geometry: f.geometry as GeoJsonGeometry, properties: props };
  };
  // One label point per feature: labelling a polygon repeats its name in every tile it crosses.
  const labels = (features: LayerFeature[], keys: string[] = ['id', 'name']): Feature[] =>
    features.map((f) => {
      const p = pointOnFeature(pick(f, []) as Feature<GeoJsonGeometry>);
      return { type: 'Feature', geometry: p.geometry, properties: pick(f, keys).properties };
    });

  return { out, add, pick, labels };
}

async function buildStreetIndexes(store: Store): Promise<LayerIndex[]> {
  const { out, add, pick, labels } = indexer();
  const water = await store.layerFeatures('water');
  add(
    'water',
    0,
    water.map((f) => pick(f, ['name', 'kind'])),
  );
  add(
    'water-labels',
    0,
    labels(
      water.filter((f) => (f.properties as { name?: string | null }).name),
      ['id', 'name', 'kind'],
    ),
  );

  // A one-district city's district is its whole extent: only a city of several draws their boundaries.
  const districts = await store.layerFeatures('districts');
  if (districts.length > 1) {
    add(
      'districts',
      0,
      districts.map((f) => pick(f, ['id', 'name', 'kind'])),
    );
    add('district-labels', 0, labels(districts));
  }

  const subdistricts = await store.layerFeatures('subdistricts');
  add(
    'subdistricts',
    0,
    subdistricts.map((f) => pick(f, ['id', 'name'])),
  );
  // Where districts are named (the whole city in view), their subdistricts' names would crowd them out.
  add('subdistrict-labels', districts.length > 1 ? SUBDISTRICT_LABELS_UNDER_DISTRICTS_Z : 0, labels(subdistricts));

  const tiers = new Map<number, Feature[]>();
  for (const f of await store.layerFeatures('roads')) {
    const minZoom = ROAD_MIN_ZOOM[(f.properties as { class: string }).class] ?? ROAD_DEFAULT_MIN_ZOOM;
    const tier = tiers.get(minZoom) ?? [];
    tier.push(pick(f, ['id', 'name', 'class', 'oneway']));
    tiers.set(minZoom, tier);
  }
  for (const [minZoom, features] of [...tiers].sort((a, b) => a[0] - b[0])) add('roads', minZoom, features);
  return out;
}

function buildRegistryIndexes({ communities, backStreets, points, markets }: RegistryFeatures): LayerIndex[] {
  const { out, add, pick, labels } = indexer();

  add(
    'communities',
    COMMUNITY_MIN_ZOOM,
    communities.map((f) => pick(f, ['id', 'name'])),
  );
  add('community-labels', COMMUNITY_LABEL_MIN_ZOOM, labels(communities));

  add(
    'back-streets',
    0,
    backStreets.map((f) => pick(f, ['id', 'name'])),
  );
  // The other point types as the point a team walks to (an area's entrance, a line's middle), with their type.
  add(
    'points',
    POINT_MIN_ZOOM,
    points.map((f) => {
      const p = f.properties as { id: string; name: string; kind: string; entrance?: [number, number] | null };
      const at = pointMarker(f.geometry, p.entrance);
      return { type: 'Feature', geometry: { type: 'Point', coordinates: at }, properties: { id: p.id, name: p.name, kind: p.kind } } as Feature;
    }),
  );
  add(
    'markets',
    0,
    markets.map((f) => pick(f, ['id', 'name'])),
  );
  return out;
}
