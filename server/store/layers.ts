import type Database from 'better-sqlite3';
import { statementCache } from './statement-cache';
import type { BBox } from '../contract/geo';
import type { Geometry } from '../contract/geojson';
import type { LayerFeature, LayerName, PlaceKind } from '../contract/layers';

type Row = Record<string, unknown> & { id: string; geometry: string };

interface LayerTable {
  table: string;
  rtree: string;
  kind?: PlaceKind;
  /** The places of every other kind (points.geojson: the catalog's other point types). */
  otherKinds?: true;
  props(row: Row): Record<string, unknown>;
}

/** Where each layer lives and how a row becomes the layer's properties (data/README.md names). */
const LAYER_TABLES: Record<LayerName, LayerTable> = {
  roads: {
    table: 'roads',
    rtree: 'roads_rtree',
    props: (r) => ({
      id: r.id,
      name: r.name,
      class: r.class,
      oneway: r.oneway,
      maxspeedKmh: r.maxspeed_kmh,
      access: r.access ?? null,
      bridge: r.bridge === 1,
      tunnel: r.tunnel === 1,
    }),
  },
  water: { table: 'water', rtree: 'water_rtree', props: (r) => ({ id: r.id, name: r.name, kind: r.kind }) },
  districts: { table: 'districts', rtree: 'districts_rtree', props: (r) => ({ id: r.id, name: r.name, code: r.code, kind: r.kind }) },
  subdistricts: {
    table: 'subdistricts',
    rtree: 'subdistricts_rtree',
    props: (r) => ({ id: r.id, name: r.name, code: r.code, districtId: r.district_id }),
  },
  units: {
    table: 'units',
    rtree: 'units_rtree',
    props: (r) => ({ id: r.id, name: r.name, type: r.type, subdistrictId: r.subdistrict_id, phone: r.phone, districtId: r.district_id }),
  },
  markets: { table: 'places', rtree: 'places_rtree', kind: 'market', props: placeProps },
  communities: { table: 'places', rtree: 'places_rtree', kind: 'community', props: placeProps },
  'back-streets': { table: 'places', rtree: 'places_rtree', kind: 'back-street', props: placeProps },
  points: { table: 'places', rtree: 'places_rtree', otherKinds: true, props: placeProps },
};

/** Properties of a market, community or back street row; only the fields its kind has. */
export function placeProps(r: Row): Record<string, unknown> {
  const base = { id: r.id, name: r.name, kind: r.kind, subdistrictId: r.subdistrict_id, unitId: r.unit_id };
  if (r.kind === 'market') return { ...base, address: r.address };
  const entrance = r.entrance === null || r.entrance === undefined ? null : (JSON.parse(r.entrance as string) as [number, number]);
  if (r.kind === 'community') return { ...base, entrance };
  if (r.kind === 'back-street') return { ...base, lengthM: r.length_m };
  return { ...base, address: r.address ?? null, entrance, lengthM: r.length_m ?? null };
}

/** Reads of the basemap and place layers. */
export function layerQueries(db: Database.Database) {
  const statements = statementCache(db);
  const stmt = (sql: string) => statements.get(sql);

  return {
    /**
     * Features of one layer as RFC 7946 Features with top-level `id`, in import order. With `bbox`, only
     * the features whose bounding box meets it (R*Tree).
     */
    layerFeatures(layer: LayerName, bbox?: BBox): LayerFeature[] {
      const t = LAYER_TABLES[layer];
      // Retired points keep their row (their problems and history point at it) but leave the map.
      const kindClause =
        (t.kind ? 'AND t.kind = @kind' : t.otherKinds ? "AND t.kind NOT IN ('market', 'community', 'back-street')" : '') +
        (t.table === 'places' ? ' AND t.retired_at IS NULL' : '');
      const sql = bbox
        ? `SELECT t.* FROM ${t.rtree} r CROSS JOIN ${t.table} t ON t.rid = r.rid
           WHERE r.min_x <= @e AND r.max_x >= @w AND r.min_y <= @n AND r.max_y >= @s ${kindClause} ORDER BY t.rid`
        : `SELECT t.* FROM ${t.table} t WHERE 1 ${kindClause} ORDER BY t.rid`;
      const params: Record<string, unknown> = {};
      if (t.kind) params.kind = t.kind;
      if (bbox) Object.assign(params, { w: bbox[0], s: bbox[1], e: bbox[2], n: bbox[3] });
      const rows = stmt(sql).all(params) as Row[];
      return rows.map(
        (r) =>
          ({
            type: 'Feature',
            id: r.id,
            geometry: JSON.parse(r.geometry) as Geometry,
            properties: t.props(r),
          }) as LayerFeature,
      );
    },
    /**
     * The points `ids` in use as they are now, each with the layer that draws it, mapped as layerFeatures
     * maps them (a retired or unknown id is left out): what the basemap redraws after an edit.
     */
    placeLayerFeatures(ids: Iterable<string>): { layer: 'markets' | 'communities' | 'back-streets' | 'points'; feature: LayerFeature }[] {
      const byId = stmt('SELECT * FROM places WHERE id = ? AND retired_at IS NULL');
      const out: { layer: 'markets' | 'communities' | 'back-streets' | 'points'; feature: LayerFeature }[] = [];
      for (const id of ids) {
        const r = byId.get(id) as Row | undefined;
        if (!r) continue;
        const layer = r.kind === 'market' ? 'markets' : r.kind === 'community' ? 'communities' : r.kind === 'back-street' ? 'back-streets' : 'points';
        const feature = { type: 'Feature', id: r.id, geometry: JSON.parse(r.geometry) as Geometry, properties: placeProps(r) } as LayerFeature;
        out.push({ layer, feature });
      }
      return out;
    },
  };
}
