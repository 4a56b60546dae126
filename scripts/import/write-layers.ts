import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DISTRICTS_FILE } from '../../server/contract/layers';
import type { Layers } from './build-layers';
import { ImportError } from './errors';

/** Layer file name per key of Layers (data/README.md). */
export const LAYER_FILE = {
  roads: 'roads.geojson',
  water: 'water.geojson',
  districts: DISTRICTS_FILE,
  subdistricts: 'subdistricts.geojson',
  units: 'units.geojson',
  markets: 'markets.geojson',
  communities: 'communities.geojson',
  backStreets: 'back-streets.geojson',
  points: 'points.geojson',
} as const;
export type LayerKey = keyof typeof LAYER_FILE;
export const LAYER_KEYS = Object.keys(LAYER_FILE) as LayerKey[];

/** Writes a layers folder (creates it; it must not exist yet so nothing half-old is mixed in). */
export function writeLayers(dir: string, layers: Layers): void {
  mkdirSync(dir, { recursive: false });
  writeFileSync(join(dir, 'city.json'), `${JSON.stringify(layers.city, null, 2)}\n`);
  for (const key of LAYER_KEYS) {
    // No districts.geojson is what says "one district": the store makes it of the whole city.
    if (key === 'districts' && layers.districts.length === 0) continue;
    const features = layers[key].map((f) => ({ type: 'Feature', id: f.properties.id, geometry: f.geometry, properties: f.properties }));
    // One feature per line: diffable, and a reader of a single bad feature finds its line.
    const body = features.map((f) => JSON.stringify(f)).join(',\n');
    writeFileSync(join(dir, LAYER_FILE[key]), `{"type":"FeatureCollection","features":[\n${body}\n]}\n`);
  }
}

/** Reads a layers folder back into Layers (for adding spreadsheet points to the current city). */
export function readLayers(dir: string): Layers {
  const cityPath = join(dir, 'city.json');
  if (!existsSync(cityPath)) {
    throw new ImportError(`${dir} holds no city (city.json missing). Import an OSM/GeoJSON file or run npm start once before adding points.`);
  }
  const read = (file: string) => {
    const path = join(dir, file);
    if (!existsSync(path)) return [];
    return (JSON.parse(readFileSync(path, 'utf8')) as { features: never[] }).features;
  };
  const layers = { city: JSON.parse(readFileSync(cityPath, 'utf8')) } as Layers;
  for (const key of LAYER_KEYS) (layers as unknown as Record<string, unknown>)[key] = read(LAYER_FILE[key]);
  return layers;
}

/**
 * Puts `next` (a finished layers folder) in place of `target` and runs `load` on it; when `load`
 * throws, the previous folder is put back, so the folder and the database always agree.
 * problems.ndjson of the previous city is kept when `keepProblems` (points added to the same city).
 */
export function swapInto(target: string, next: string, load: (dir: string) => void, opts: { keepProblems?: boolean } = {}): void {
  const old = `${target}.previous-${process.pid}`;
  const had = existsSync(target);
  mkdirSync(dirname(target), { recursive: true });
  if (opts.keepProblems && had && existsSync(join(target, 'problems.ndjson'))) {
    copyFileSync(join(target, 'problems.ndjson'), join(next, 'problems.ndjson'));
  }
  if (had) renameSync(target, old);
  renameSync(next, target);
  try {
    load(target);
  } catch (err) {
    rmSync(target, { recursive: true, force: true });
    if (had) renameSync(old, target);
    throw err;
  }
  if (had) rmSync(old, { recursive: true, force: true });
}
