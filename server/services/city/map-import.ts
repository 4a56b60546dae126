/**
 * A map file (OSM XML or PBF, GeoJSON) uploaded on the registry page: read by the importer's own readers
 * (scripts/import, the one pipeline every city comes through) and planned against the registry in the
 * pool; applied on the main thread like the 点位信息表 (registry-import.ts).
 */
import { randomUUID } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { bilingual, InputError } from '../../errors';
import type { Store } from '../../store/index';
import { ImportError } from '../../../scripts/import/errors';
import { readMapPlaces } from '../../../scripts/import/import-city';
import { planMerge, type MergePlan } from './registry-merge';

export interface MapPlan extends MergePlan {
  rows: number;
  /** What the reader skipped in the file (unnamed streets, objects mapped twice …), as the CLI reports it. */
  fileSkipped: { reason: string; count: number }[];
}

/**
 * Reads the file's points and plans their merge; reads only (the pool's workers run it).
 * @throws InputError naming what is wrong with the file.
 */
export async function planMapFile(store: Store, bytes: Uint8Array, fileName: string): Promise<MapPlan> {
  // The readers stream from a path (a PBF blob by blob), as they do for the CLI.
  const ext = fileName.toLowerCase().endsWith('.osm.pbf') ? '.osm.pbf' : extname(fileName).toLowerCase();
  const path = join(tmpdir(), `xuncha-map-${randomUUID()}${ext}`);
  writeFileSync(path, bytes);
  try {
    const { places, bbox, skipped } = await readMapPlaces(path);
    // The file's own area bounds what it may retire; its points outside the city the registry refuses, one by one.
    const planned = await planMerge(store, places, bbox);
    return { ...planned, rows: places.length, fileSkipped: skipped.map(({ reason, count }) => ({ reason, count })) };
  } catch (err) {
    if (err instanceof ImportError) {
      const message = err.message.replaceAll(path, fileName).replaceAll(path.slice(tmpdir().length + 1), fileName);
      throw new InputError(bilingual(`无法读取该地图文件：${message}`, `The map file cannot be read: ${message}`), [{ path: 'form.file', message }]);
    }
    throw err;
  } finally {
    rmSync(path, { force: true });
  }
}
