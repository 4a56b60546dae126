import { z } from 'zod';
import { BBoxParam, errorResponses, LngLatSchema } from './common';
import {
  featureCollectionOf,
  featureOf,
  Geometry,
  LineStringGeometry,
  MultiLineStringGeometry,
  MultiPolygonGeometry,
  PointGeometry,
  PolygonGeometry,
} from './geojson';
import { endpoints } from './endpoint';
import { READERS } from './roles';

/**
 * The normalized layers (data/README.md): one schema per layer file, used to validate an import and to
 * describe the `/api/layers/:layer` responses.
 */

const Id = z.string().min(1, 'id must be a non-empty string');

/** Place kinds (点位): 农贸市场 market, 社区/小区 community, 背街小巷 back street. */
export const PLACE_KINDS = ['market', 'community', 'back-street'] as const;
export const PlaceKind = z.enum(PLACE_KINDS);
export type PlaceKind = z.infer<typeof PlaceKind>;
/** A place's kind as a place read says it: one of PLACE_KINDS or a point type id of the catalog (bus-stop …). */
export const PlaceOrPointKind = z
  .string()
  .regex(/^[a-z][a-z0-9-]*$/)
  .meta({ description: 'market, community, back-street, or a catalog point type id' });

export const RoadProps = z.object({
  id: Id,
  name: z.string().nullable(),
  class: z.string().min(1).meta({ description: 'OpenStreetMap highway value: primary, residential, footway …' }),
  oneway: z.union([z.literal(0), z.literal(1), z.literal(-1)]).default(0),
  maxspeedKmh: z.number().positive().nullable().default(null),
  access: z.string().nullable().default(null).meta({ description: 'OpenStreetMap access value (private, no, destination …); null = open' }),
  bridge: z.boolean().default(false),
  tunnel: z.boolean().default(false),
});
export type RoadProps = z.infer<typeof RoadProps>;

export const WaterProps = z.object({
  id: Id,
  name: z.string().nullable(),
  kind: z.enum(['river', 'lake', 'pond']),
});
export type WaterProps = z.infer<typeof WaterProps>;

/** District kinds (区/县 level): 区 district, 县/县级市 county, 开发区/高新区/新区 development zone run as one. */
export const DISTRICT_KINDS = ['district', 'county', 'zone'] as const;
export const DistrictKind = z.enum(DISTRICT_KINDS);
export type DistrictKind = z.infer<typeof DistrictKind>;

/**
 * A district (区/县/开发区) above the subdistricts. `code`: the 12-digit 统计用区划代码 where the city has it
 * (`371502000000`), a shorter administrative code, or empty.
 */
export const DistrictProps = z.object({
  id: z.string().regex(/^dt[A-Za-z0-9_-]*$/, 'a district id starts with "dt"'),
  name: z.string().min(1),
  code: z.string().default(''),
  kind: DistrictKind.default('district'),
});
export type DistrictProps = z.infer<typeof DistrictProps>;

/**
 * A subdistrict (街道/镇/乡). `districtId` is derived from the geometry when the city is imported (the
 * district holding most of its area) and served with it; a value in a layers file is ignored.
 */
export const SubdistrictProps = z.object({ id: Id, name: z.string().min(1), code: z.string(), districtId: z.string().nullable().default(null) });
export type SubdistrictProps = z.infer<typeof SubdistrictProps>;

export const UnitProps = z.object({
  id: Id,
  name: z.string().min(1),
  type: z.string().min(1).meta({ description: 'subdistrict-office, urban-management, market-management, property …' }),
  subdistrictId: z.string().nullable(),
  phone: z.string().nullable().default(null),
  /** Derived at import: its subdistrict's district, else the district its office lies in. A file's value is ignored. */
  districtId: z.string().nullable().default(null),
});
export type UnitProps = z.infer<typeof UnitProps>;

export const MarketProps = z.object({
  id: Id,
  name: z.string().min(1),
  kind: z.literal('market'),
  subdistrictId: z.string().nullable(),
  unitId: z.string().nullable(),
  address: z.string().nullable().default(null),
});
export type MarketProps = z.infer<typeof MarketProps>;

export const CommunityProps = z.object({
  id: Id,
  name: z.string().min(1),
  kind: z.literal('community'),
  subdistrictId: z.string().nullable(),
  unitId: z.string().nullable(),
  entrance: LngLatSchema.nullable().default(null),
});
export type CommunityProps = z.infer<typeof CommunityProps>;

export const BackStreetProps = z.object({
  id: Id,
  name: z.string().min(1),
  kind: z.literal('back-street'),
  subdistrictId: z.string().nullable(),
  unitId: z.string().nullable(),
  lengthM: z.number().nonnegative().meta({ description: 'length in metres' }),
});
export type BackStreetProps = z.infer<typeof BackStreetProps>;

/**
 * The other 实地考察 points (points.geojson): bus stops, toilets, parks, schools, main road segments,
 * junctions … `kind` is the id of a point type of the assessment catalog (data, not an enum: a
 * province's catalog may add types), never one of the three kinds above, which have layers of their own.
 */
export const PointProps = z.object({
  id: Id,
  name: z.string().min(1),
  kind: z
    .string()
    .regex(/^[a-z][a-z0-9-]*$/, 'kind is a point type id of the assessment catalog, e.g. bus-stop')
    .refine((k) => !(PLACE_KINDS as readonly string[]).includes(k), { message: 'markets, communities and back streets go in their own layers' }),
  subdistrictId: z.string().nullable(),
  unitId: z.string().nullable(),
  address: z.string().nullable().default(null),
  entrance: LngLatSchema.nullable().default(null).meta({ description: 'areas (a park, a school): where the inspector goes in' }),
  lengthM: z.number().nonnegative().nullable().default(null).meta({ description: 'lines (a main road segment, a commercial street): length in metres' }),
});
export type PointProps = z.infer<typeof PointProps>;

export const RoadFeature = featureOf(z.union([LineStringGeometry, MultiLineStringGeometry]), RoadProps);
export const WaterFeature = featureOf(z.union([PolygonGeometry, MultiPolygonGeometry]), WaterProps);
export const DistrictFeature = featureOf(z.union([PolygonGeometry, MultiPolygonGeometry]), DistrictProps);
export const SubdistrictFeature = featureOf(z.union([PolygonGeometry, MultiPolygonGeometry]), SubdistrictProps);
export const UnitFeature = featureOf(PointGeometry, UnitProps);
export const MarketFeature = featureOf(PointGeometry, MarketProps);
export const CommunityFeature = featureOf(z.union([PolygonGeometry, MultiPolygonGeometry]), CommunityProps);
export const PointFeature = featureOf(z.union([PointGeometry, LineStringGeometry, PolygonGeometry, MultiPolygonGeometry]), PointProps);
export const BackStreetFeature = featureOf(z.union([LineStringGeometry, MultiLineStringGeometry]), BackStreetProps);

/** `grids.geojson` (optional): the 网格, read by the import, served by `GET /api/grids` rather than as a layer. */
export const GRIDS_FILE = 'grids.geojson';
export const GridLayerFeature = featureOf(
  z.union([PolygonGeometry, MultiPolygonGeometry]),
  z.object({
    id: z.string().regex(/^grid-[A-Za-z0-9_-]+$/, 'a grid id starts with "grid-"'),
    name: z.string().min(1),
    member: z.string().nullable().default(null),
    phone: z.string().nullable().default(null),
    subdistrictId: z.string().nullable().default(null),
  }),
);

/**
 * `districts.geojson` (optional): the 区/县 above the subdistricts, tiling the city without overlaps. A layers
 * folder without it is a one-district city: the import makes one district, named after the city, over it all.
 */
export const DISTRICTS_FILE = 'districts.geojson';

/** Layers served by `/api/layers/:layer`, in drawing order (bottom first). */
export const LAYER_NAMES = ['water', 'districts', 'subdistricts', 'roads', 'communities', 'back-streets', 'points', 'markets', 'units'] as const;
export const LayerName = z.enum(LAYER_NAMES, {
  error: (issue) => `unknown layer "${String(issue.input)}"; use one of ${LAYER_NAMES.join(', ')}`,
});
export type LayerName = z.infer<typeof LayerName>;

/** File schema and feature schema for each layer file of a layers folder. */
export const LAYER_FILES = {
  roads: { file: 'roads.geojson', feature: RoadFeature },
  water: { file: 'water.geojson', feature: WaterFeature },
  districts: { file: DISTRICTS_FILE, feature: DistrictFeature },
  subdistricts: { file: 'subdistricts.geojson', feature: SubdistrictFeature },
  units: { file: 'units.geojson', feature: UnitFeature },
  markets: { file: 'markets.geojson', feature: MarketFeature },
  communities: { file: 'communities.geojson', feature: CommunityFeature },
  'back-streets': { file: 'back-streets.geojson', feature: BackStreetFeature },
  points: { file: 'points.geojson', feature: PointFeature },
} as const satisfies Record<LayerName, { file: string; feature: z.ZodType }>;

/** `GET /api/layers/:layer` path parameters. */
export const LayerParams = z.object({ layer: LayerName.meta({ description: 'which layer' }) });

/** `GET /api/layers/:layer` query: an optional bbox. */
export const LayerQuery = z.object({ bbox: BBoxParam.optional() });

/** `GET /api/layers/:layer` response: RFC 7946, every feature with top-level `id` = `properties.id`. */
export const LayerCollection = featureCollectionOf(
  z.object({
    type: z.literal('Feature'),
    id: z.string(),
    geometry: Geometry,
    properties: z.union([RoadProps, WaterProps, DistrictProps, SubdistrictProps, UnitProps, MarketProps, CommunityProps, BackStreetProps, PointProps]),
  }),
).meta({ id: 'LayerCollection', description: 'RFC 7946 FeatureCollection of one layer; every feature has id = properties.id' });
export type LayerCollection = z.infer<typeof LayerCollection>;
export type LayerFeature = LayerCollection['features'][number];

/** The city's layers as GeoJSON. */
export const LAYERS_API = endpoints({
  'GET /api/layers/:layer': {
    tag: 'layers',
    summary: 'One layer of the city as a GeoJSON FeatureCollection, optionally limited to a bbox',
    access: READERS,
    params: LayerParams,
    query: LayerQuery,
    responses: { 200: { description: 'RFC 7946 FeatureCollection', schema: LayerCollection }, ...errorResponses(400) },
  },
});
