import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Feature, Geometry, Position } from 'geojson';
import type { OsmElement, SkipLog } from './elements';
import { ImportError } from './errors';
import type { Tags } from './osm-store';
import { toWgs84, type Crs } from './points';

/**
 * Reads a GeoJSON FeatureCollection of OSM objects — osmium `export` style: tags as properties plus
 * `@type`/`@id`, ways as LineStrings, areas as (Multi)Polygons, tagged nodes as Points — into
 * OsmElements. Other GeoJSON works too: its properties are taken as tags.
 *
 * `crs` gcj02/bd09 converts every coordinate to WGS84 (GeoJSON drawn on 高德/百度 maps).
 *
 * NOTE: the file is parsed whole (JSON.parse): GeoJSON exports of a district are a few MB; use the
 * .osm.pbf for anything big.
 *
 * @throws ImportError naming the feature index that is not a Feature with a geometry.
 */
export function readGeoJson(path: string, skipped: SkipLog, crs: Crs = 'wgs84'): OsmElement[] {
  const file = basename(path);
  let json: { type?: unknown; features?: unknown };
  try {
    json = JSON.parse(readFileSync(path, 'utf8').replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new ImportError(`${file}: not valid JSON (${(err as Error).message})`, { cause: err });
  }
  if (json?.type !== 'FeatureCollection' || !Array.isArray(json.features)) {
    throw new ImportError(`${file}: must be a GeoJSON FeatureCollection ({"type":"FeatureCollection","features":[…]})`);
  }
  const out: OsmElement[] = [];
  (json.features as Feature[]).forEach((f, i) => {
    if (f?.type !== 'Feature' || !f.geometry || typeof f.geometry !== 'object') {
      throw new ImportError(`${file}: feature ${i + 1} is not a GeoJSON Feature with a geometry`);
    }
    const props = (f.properties ?? {}) as Record<string, unknown>;
    const tags: Tags = {};
    for (const [k, v] of Object.entries(props)) if (!k.startsWith('@') && v !== null && typeof v !== 'object') tags[k] = String(v);
    const osmType = props['@type'];
    const osmId = props['@id'];
    const prefix = osmType === 'node' ? 'n' : osmType === 'way' ? 'w' : osmType === 'relation' ? 'r' : 'f';
    const key = prefix === 'f' ? `f${i + 1}` : `${prefix}${String(osmId)}`;
    const ref = prefix === 'f' ? `feature ${i + 1}` : `${String(osmType)} ${String(osmId)}`;
    for (const g of explode(crs === 'wgs84' ? f.geometry : convert(f.geometry, crs))) {
      if (g.type === 'Point' || g.type === 'LineString' || g.type === 'Polygon' || g.type === 'MultiPolygon') {
        out.push({ ref, key, tags, geometry: g });
      } else skipped.add(`geometry type ${g.type} not used`, ref);
    }
  });
  return out;
}

function explode(g: Geometry): Geometry[] {
  if (g.type === 'MultiLineString') return g.coordinates.map((c) => ({ type: 'LineString', coordinates: c }));
  if (g.type === 'MultiPoint') return g.coordinates.map((c) => ({ type: 'Point', coordinates: c }));
  if (g.type === 'MultiPolygon' && g.coordinates.length === 1) return [{ type: 'Polygon', coordinates: g.coordinates[0] }];
  if (g.type === 'GeometryCollection') return g.geometries.flatMap(explode);
  return [g];
}

function convert(g: Geometry, crs: Crs): Geometry {
  const pos = (p: Position): Position => toWgs84([p[0], p[1]], crs);
  switch (g.type) {
    case 'Point':
      return { type: 'Point', coordinates: pos(g.coordinates) };
    case 'MultiPoint':
    case 'LineString':
      return { type: g.type, coordinates: g.coordinates.map(pos) } as Geometry;
    case 'MultiLineString':
    case 'Polygon':
      return { type: g.type, coordinates: g.coordinates.map((l) => l.map(pos)) } as Geometry;
    case 'MultiPolygon':
      return { type: 'MultiPolygon', coordinates: g.coordinates.map((p) => p.map((l) => l.map(pos))) };
    case 'GeometryCollection':
      return { type: 'GeometryCollection', geometries: g.geometries.map((x) => convert(x, crs)) };
  }
}
