import { z } from 'zod';

/** RFC 7946 geometries in WGS84 `[lng, lat]`, as the normalized layers and the API carry them. */

const Lng = z.number().min(-180).max(180);
const Lat = z.number().min(-90).max(90);
/** A position; a third number (altitude) is allowed and ignored. */
export const Position = z.union([z.tuple([Lng, Lat]), z.tuple([Lng, Lat, z.number()])]);

const Ring = z.array(Position).min(4, 'a polygon ring needs at least 4 positions (first = last)');

export const PointGeometry = z.object({ type: z.literal('Point'), coordinates: Position });
export const LineStringGeometry = z.object({
  type: z.literal('LineString'),
  coordinates: z.array(Position).min(2, 'a line needs at least 2 positions'),
});
export const PolygonGeometry = z.object({ type: z.literal('Polygon'), coordinates: z.array(Ring).min(1) });
export const MultiPolygonGeometry = z.object({
  type: z.literal('MultiPolygon'),
  coordinates: z.array(z.array(Ring).min(1)).min(1),
});
export const MultiLineStringGeometry = z.object({
  type: z.literal('MultiLineString'),
  coordinates: z.array(z.array(Position).min(2)).min(1),
});

/** Any geometry a layer may hold. */
export const Geometry = z
  .discriminatedUnion('type', [PointGeometry, LineStringGeometry, PolygonGeometry, MultiPolygonGeometry, MultiLineStringGeometry])
  .meta({ description: 'RFC 7946 geometry, coordinates [longitude, latitude] in WGS84' });
export type Geometry = z.infer<typeof Geometry>;

/** A Feature whose `properties` follow `props`; `id` at the top level is optional on input. */
export function featureOf<G extends z.ZodType, P extends z.ZodType>(geometry: G, props: P) {
  return z.object({
    type: z.literal('Feature'),
    id: z.union([z.string(), z.number()]).optional(),
    geometry,
    properties: props,
  });
}

/** A FeatureCollection whose features follow `feature`. */
export function featureCollectionOf<F extends z.ZodType>(feature: F) {
  return z.object({ type: z.literal('FeatureCollection'), features: z.array(feature) });
}
