import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { openStore } from '../../server/store/index';
import { importLayers } from '../../server/store/import-layers';
import type { BBox } from '../../server/contract/geo';
import { buildLayers, OSM_ATTRIBUTION, type Layers } from './build-layers';
import { resolveElements, SkipLog, type OsmElement } from './elements';
import { ImportError } from './errors';
import { likelyCrs, streetDistances } from './crs-guess';
import { mergePoints, readPointRows, type Crs, type PlaceKind } from './points';
import { readGeoJson } from './read-geojson';
import { readOsmPbf } from './read-osm-pbf';
import { readOsmXml } from './read-osm-xml';
import { OsmStore } from './osm-store';
import { LAYER_KEYS, readLayers, swapInto, writeLayers } from './write-layers';

export interface ImportCityOptions {
  file: string;
  dataDir: string;
  bbox?: BBox;
  name?: string;
  nameEn?: string;
  crs?: Crs;
  kind?: PlaceKind;
  replacePoints?: boolean;
  /** city.json createdAt; default now. */
  createdAt?: string;
  onProgress?(msg: string): void;
}

export interface ImportSummary {
  file: string;
  format: 'osm-xml' | 'osm-pbf' | 'geojson' | 'csv' | 'xlsx';
  layersDir: string;
  city: Layers['city'];
  counts: Record<string, number>;
  points?: { added: number; updated: number; removed: number };
  osm?: { nodes: number; ways: number; relations: number };
  skipped: { reason: string; count: number; examples: string[] }[];
  seconds: number;
}

/** Tags of the one place=city node of the extract (its name is the default for --name), or null when none or several. */
function cityIn(elements: OsmElement[]): Record<string, string> | null {
  const cities = elements.filter((e) => e.geometry.type === 'Point' && e.tags.place === 'city' && e.tags.name);
  return cities.length === 1 ? cities[0].tags : null;
}

/** Which reader a file needs, by its name. */
export function formatOf(file: string): ImportSummary['format'] {
  const f = file.toLowerCase();
  if (f.endsWith('.osm.pbf') || f.endsWith('.pbf')) return 'osm-pbf';
  if (f.endsWith('.osm') || f.endsWith('.osm.xml') || f.endsWith('.xml')) return 'osm-xml';
  if (f.endsWith('.geojson') || f.endsWith('.json')) return 'geojson';
  if (f.endsWith('.csv') || f.endsWith('.txt')) return 'csv';
  if (f.endsWith('.xlsx')) return 'xlsx';
  throw new ImportError(`${basename(file)}: unknown file type; use .osm, .osm.pbf, .geojson, .csv or .xlsx`);
}

/**
 * Imports a city (OSM XML/PBF, GeoJSON) or a spreadsheet of points into DATA_DIR, atomically:
 * the layers are written to a fresh folder, swapped in for DATA_DIR/layers and loaded with
 * importLayers (one transaction); if anything fails the previous folder and city stay as they were.
 * Spreadsheets (CSV/XLSX) add to (or with `replacePoints` replace the places of) the current city.
 *
 * @example
 * const summary = await importCity({ file: 'nanjing.osm', dataDir: 'var', name: '南京新街口' });
 */
export async function importCity(opts: ImportCityOptions): Promise<ImportSummary> {
  const started = performance.now();
  const progress = opts.onProgress ?? (() => {});
  const file = resolve(opts.file);
  if (!existsSync(file)) throw new ImportError(`${opts.file} does not exist; give the path of an .osm, .osm.pbf, .geojson, .csv or .xlsx file`);
  const format = formatOf(file);
  const dataDir = resolve(opts.dataDir);
  const target = join(dataDir, 'layers');
  const skipped = new SkipLog();
  let layers: Layers;
  let osm: ImportSummary['osm'];
  let points: ImportSummary['points'];

  if (format === 'csv' || format === 'xlsx') {
    layers = readLayers(target);
    const rows = await readPointRows(file, { crs: opts.crs ?? 'wgs84', kind: opts.kind });
    progress(`${basename(file)}: ${rows.length} rows`);
    if (!opts.crs) {
      // Unsaid, the system is WGS84 only if the points sit by the streets as WGS84 better than otherwise.
      const d = streetDistances(
        layers.roads,
        rows.map((r) => r.at),
      );
      const likely = likelyCrs(d);
      if (likely) {
        const maps = likely === 'gcj02' ? '高德/腾讯 (GCJ-02)' : '百度 (BD-09)';
        throw new ImportError(
          `${basename(file)}: read as WGS84 the points sit a median ${d.wgs84} m from the streets, read as ${maps} ${d[likely]} m: ` +
            `the coordinates look taken on ${maps} maps. Run again with --crs ${likely}, or with --crs wgs84 if they really are WGS84 (GPS).`,
        );
      }
    }
    points = mergePoints(layers, rows, { replace: Boolean(opts.replacePoints) }, skipped);
  } else {
    let elements: OsmElement[];
    if (format !== 'geojson' && opts.crs && opts.crs !== 'wgs84') {
      throw new ImportError(
        `${basename(file)}: OpenStreetMap data is always WGS84; drop --crs ${opts.crs} (it is for spreadsheets and GeoJSON from Chinese web maps)`,
      );
    }
    if (format === 'geojson') elements = readGeoJson(file, skipped, opts.crs ?? 'wgs84');
    else {
      const store = new OsmStore(opts.bbox);
      if (format === 'osm-pbf') readOsmPbf(file, store);
      else await readOsmXml(file, store, skipped);
      osm = store.counts;
      progress(`${basename(file)}: ${store.counts.nodes} nodes, ${store.counts.ways} ways, ${store.counts.relations} relations`);
      elements = resolveElements(store, skipped);
    }
    layers = buildLayers(
      elements,
      {
        name: opts.name ?? cityIn(elements)?.name ?? basename(file).replace(/\..*$/, ''),
        // --name is the Chinese name only: the English one still comes from the data unless --name-en gives it.
        nameEn: opts.nameEn ?? cityIn(elements)?.['name:en'],
        bbox: opts.bbox,
        source: format === 'geojson' ? 'geojson' : 'osm',
        attribution: OSM_ATTRIBUTION,
        createdAt: opts.createdAt ?? new Date().toISOString(),
      },
      skipped,
    );
    if (layers.roads.length === 0) {
      throw new ImportError(
        `${basename(file)}: no roads${opts.bbox ? ' inside --bbox' : ''}; a city needs streets (highway=* ways). Check the file${opts.bbox ? ' and the bbox (w,s,e,n)' : ''}.`,
      );
    }
  }

  mkdirSync(dataDir, { recursive: true });
  const next = join(dataDir, `layers.next-${process.pid}`);
  rmSync(next, { recursive: true, force: true });
  let counts: Record<string, number> = {};
  try {
    writeLayers(next, layers);
    swapInto(
      target,
      next,
      (dir) => {
        const store = openStore(join(dataDir, 'xuncha.db'));
        try {
          counts = importLayers(store, dir, { onProgress: progress }).counts;
        } finally {
          store.close();
        }
      },
      { keepProblems: format === 'csv' || format === 'xlsx' },
    );
  } finally {
    rmSync(next, { recursive: true, force: true });
  }
  for (const key of LAYER_KEYS) counts[key] ??= layers[key].length;
  return {
    file,
    format,
    layersDir: target,
    city: layers.city,
    counts,
    ...(points ? { points } : {}),
    ...(osm ? { osm } : {}),
    skipped: skipped.toJSON(),
    seconds: Math.round((performance.now() - started) / 10) / 100,
  };
}
