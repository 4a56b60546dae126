import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { Geometry } from '../../server/contract/geojson';
import type { RegistryImportResult } from '../../server/contract/places';
import { loadCatalog } from '../../server/services/assessment/catalog';
import { applyMerge, planMerge, type MapPlace } from '../../server/services/city/registry-merge';
import { openStore, type Store } from '../../server/store/index';
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

const CATALOG_DIR = new URL('../../data/catalog', import.meta.url).pathname;

export interface ImportCityOptions {
  file: string;
  dataDir: string;
  bbox?: BBox;
  name?: string;
  nameEn?: string;
  crs?: Crs;
  kind?: PlaceKind;
  replacePoints?: boolean;
  /**
   * Merge the file's points into the registry the city keeps (registry-merge.ts) instead of loading the
   * file as the city: a dry run unless `apply`. Roads, subdistricts and units stay as they are.
   */
  merge?: boolean;
  apply?: boolean;
  /** Load the file although that removes what was made in the app (problems, check results, registry edits). */
  replace?: boolean;
  /** Who the registry's history names for a merge; default the OS user. */
  actor?: string;
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
  /** A merge's dry run or what it applied. */
  merge?: RegistryImportResult;
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

  const dbPath = join(dataDir, 'xuncha.db');
  // Asked before the file is read: a big extract takes a while to be told no.
  if (!opts.merge && !opts.replace) await refuseLosses(dbPath, file, format);

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
    if (opts.merge) {
      // The sheet's rows as points, placed as mergePoints places them (a community on its outline, a back street on its street).
      const placesOf = (l: Layers): object[] => [...l.markets, ...l.communities, ...l.backStreets, ...l.points];
      const before = new Set(placesOf(layers));
      mergePoints(layers, rows, { replace: false }, skipped);
      const incoming = placesOf(layers).filter((f) => !before.has(f)) as Parameters<typeof mapPlace>[0][];
      return mergeSummary(opts, file, format, dbPath, target, incoming.map(mapPlace), null, skipped, started);
    }
    points = mergePoints(layers, rows, { replace: Boolean(opts.replacePoints) }, skipped);
  } else {
    let declared: BBox | null;
    ({ layers, osm, declared } = await mapLayers(file, format, opts, skipped, progress));
    if (opts.merge) {
      return mergeSummary(opts, file, format, dbPath, target, mapPlaces(layers), declared ?? layers.city.bbox, skipped, started, osm);
    }
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
          // Closes at once: nothing else holds this store.
          void store.close();
        }
      },
      { keepProblems: format === 'csv' || format === 'xlsx' },
    );
  } finally {
    rmSync(next, { recursive: true, force: true });
  }
  for (const key of LAYER_KEYS) counts[key] ??= layers[key].length;
  // The districts the file gave (0: none written, the city is one district), whatever the store made of them.
  counts.districts = layers.districts.length;
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

/** An OSM (XML, PBF) or GeoJSON file's layers, built in memory; nothing on disk changes. */
async function mapLayers(
  file: string,
  format: ImportSummary['format'],
  opts: Pick<ImportCityOptions, 'bbox' | 'crs' | 'name' | 'nameEn' | 'createdAt'>,
  skipped: SkipLog,
  progress: (msg: string) => void,
): Promise<{ layers: Layers; osm: ImportSummary['osm']; declared: BBox | null }> {
  let osm: ImportSummary['osm'];
  let declared: BBox | null = null;
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
    declared = store.declared;
    progress(`${basename(file)}: ${store.counts.nodes} nodes, ${store.counts.ways} ways, ${store.counts.relations} relations`);
    elements = resolveElements(store, skipped);
  }
  const layers = buildLayers(
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
  return { layers, osm, declared };
}

const mapPlaces = (layers: Layers): MapPlace[] => [...layers.markets, ...layers.communities, ...layers.backStreets, ...layers.points].map(mapPlace);

/**
 * The points of a map file (OSM XML, PBF or GeoJSON) as the registry's merge reads them, and the area the
 * file covers: for `POST /api/places/import` of a map file (the pool runs it).
 * @throws ImportError naming what is wrong with the file.
 */
export async function readMapPlaces(
  file: string,
  opts: Pick<ImportCityOptions, 'bbox' | 'crs'> = {},
): Promise<{ places: MapPlace[]; bbox: BBox; skipped: ImportSummary['skipped'] }> {
  const format = formatOf(file);
  if (format === 'csv' || format === 'xlsx') throw new ImportError(`${basename(file)}: not a map file; use .osm, .osm.pbf or .geojson`);
  const skipped = new SkipLog();
  const { layers, declared } = await mapLayers(file, format, { ...opts, name: basename(file), createdAt: new Date(0).toISOString() }, skipped, () => {});
  // The area the file covers: its <bounds> (a point deleted at the edge of a JOSM download is still inside), else its data's.
  return { places: mapPlaces(layers), bbox: declared ?? layers.city.bbox, skipped: skipped.toJSON() };
}

/** A layer feature as the registry's merge reads it. */
function mapPlace(f: { geometry: unknown; properties: Record<string, unknown> }): MapPlace {
  const p = f.properties;
  return {
    id: String(p.id),
    kind: String(p.kind),
    name: String(p.name),
    geometry: f.geometry as Geometry,
    entrance: (p.entrance as [number, number] | undefined) ?? null,
    address: typeof p.address === 'string' && p.address !== '' ? p.address : null,
  };
}

/**
 * Refuses to load a file as the city over one that holds what the app made: a layers folder has none of
 * it, so the import would remove it. Says how much and what to run instead.
 */
async function refuseLosses(dbPath: string, file: string, format: ImportSummary['format']): Promise<void> {
  if (!existsSync(dbPath)) return;
  const store = openStore(dbPath);
  try {
    const city = await store.getCity();
    if (!city) return;
    const lost = await store.replaceLosses();
    const sheet = format === 'csv' || format === 'xlsx';
    const parts = [
      lost.problems > 0 ? `${lost.problems} problems${sheet ? ' (those reported in the app; problems.ndjson is reloaded)' : ''}` : '',
      lost.checks > 0 ? `${lost.checks} check results` : '',
      lost.placeEdits > 0 ? `${lost.placeEdits} registry edits (the points' history)` : '',
    ].filter(Boolean);
    if (parts.length === 0) return;
    const what = sheet ? 'adds the sheet by loading the city again from its layers folder' : `replaces the whole city ${city.name}`;
    throw new ImportError(
      `${basename(file)}: importing this way ${what}, which would remove ${parts.join(', ')} from ${dbPath}. ` +
        `Run with --merge to see what the file adds, changes, moves and retires in the registry (a dry run; then --merge --apply), ` +
        `or with --replace to remove them and load the file as the city.`,
    );
  } finally {
    await store.close();
  }
}

/** Merges a file's points into the city's registry (dry run unless `apply`). */
async function mergeSummary(
  opts: ImportCityOptions,
  file: string,
  format: ImportSummary['format'],
  dbPath: string,
  layersDir: string,
  incoming: MapPlace[],
  bbox: BBox | null,
  skipped: SkipLog,
  started: number,
  osm?: ImportSummary['osm'],
): Promise<ImportSummary> {
  if (!existsSync(dbPath)) throw new ImportError(`${dbPath} holds no city to merge into: import a city first (npm start, or npm run import -- city.osm).`);
  let store: Store | null = null;
  try {
    store = openStore(dbPath);
    const city = await store.getCity();
    if (!city) throw new ImportError(`${dbPath} holds no city to merge into: import a city first (npm start, or npm run import -- city.osm).`);
    const base = loadCatalog(CATALOG_DIR);
    const nowMs = Date.now();
    // A sheet of points adds and changes (no bbox); only a map file stands for everything in its area.
    const planned = await planMerge(store, incoming, bbox);
    const merge = await applyMerge(store, base, planned, incoming.length, !opts.apply, opts.actor ?? process.env.USER ?? 'npm run import', nowMs);
    const counts = { places: incoming.length };
    return {
      file,
      format,
      layersDir,
      // The city merged into, as its layers folder names it (the file's own name for it does not matter).
      city: JSON.parse(readFileSync(join(layersDir, 'city.json'), 'utf8')) as Layers['city'],
      counts,
      ...(osm ? { osm } : {}),
      merge,
      skipped: skipped.toJSON(),
      seconds: Math.round((performance.now() - started) / 10) / 100,
    };
  } finally {
    await store?.close();
  }
}
