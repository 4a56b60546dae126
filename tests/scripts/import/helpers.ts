import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildLayers, OSM_ATTRIBUTION, type BBox, type Layers } from '../../../scripts/import/build-layers';
import { resolveElements, SkipLog } from '../../../scripts/import/elements';
import { OsmStore } from '../../../scripts/import/osm-store';
import { readOsmXml } from '../../../scripts/import/read-osm-xml';

export const OSM_FIXTURES = fileURLToPath(new URL('../../fixtures/osm/', import.meta.url));
export const POINT_FIXTURES = fileURLToPath(new URL('../../fixtures/points/', import.meta.url));
export const SHARED_OSM = fileURLToPath(new URL('../../../../shared/osm/', import.meta.url));
export const CREATED_AT = '2026-11-25T12:00:00+08:00';

/** Layers of a hand-written OSM fixture, built in memory (no store). */
export async function fixtureLayers(file: string, bbox?: BBox): Promise<{ layers: Layers; skipped: SkipLog }> {
  const store = new OsmStore();
  await readOsmXml(join(OSM_FIXTURES, file), store);
  const skipped = new SkipLog();
  const layers = buildLayers(
    resolveElements(store, skipped),
    { name: '测试城', bbox, source: 'osm', attribution: OSM_ATTRIBUTION, createdAt: CREATED_AT },
    skipped,
  );
  return { layers, skipped };
}

export const tempDir = (): string => mkdtempSync(join(tmpdir(), 'xuncha-import-'));

/** Distance in metres between two [lng, lat] (equirectangular; fine at a few metres). */
export function metres(a: number[], b: number[]): number {
  const k = Math.cos(((a[1] + b[1]) / 2) * (Math.PI / 180));
  return Math.hypot((a[0] - b[0]) * k, a[1] - b[1]) * 111_195;
}
