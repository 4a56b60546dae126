import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BBox } from '../../../server/contract/geo';
import { buildLayers, OSM_ATTRIBUTION, type Layers } from '../../../scripts/import/build-layers';
import { resolveElements, SkipLog } from '../../../scripts/import/elements';
import { OsmStore } from '../../../scripts/import/osm-store';
import { readOsmXml } from '../../../scripts/import/read-osm-xml';

export const OSM_FIXTURES = fileURLToPath(new URL('../../fixtures/osm/', import.meta.url));
export const POINT_FIXTURES = fileURLToPath(new URL('../../fixtures/points/', import.meta.url));
export const OSM_EXTRACTS = fileURLToPath(new URL('../../fixtures/osm-extracts/', import.meta.url));
export const CREATED_AT = '2026-11-25T12:00:00+08:00';

/** Layers of a hand-written OSM fixture, built in memory (no store). */
export async function fixtureLayers(file: string, bbox?: BBox): Promise<{ layers: Layers; skipped: SkipLog }> {
  const store = new OsmStore();
  const skipped = new SkipLog();
  await readOsmXml(join(OSM_FIXTURES, file), store, skipped);
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

/** WGS84 → GCJ-02, the published forward transform (Krasovsky 1940 ellipsoid). */
export function gcj02([lng, lat]: [number, number]): [number, number] {
  const A = 6378245.0;
  const EE = 0.006693421622965943;
  const x = lng - 105;
  const y = lat - 35;
  const PI = Math.PI;
  let dLat = -100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
  dLat += ((20 * Math.sin(6 * x * PI) + 20 * Math.sin(2 * x * PI)) * 2) / 3;
  dLat += ((20 * Math.sin(y * PI) + 40 * Math.sin((y / 3) * PI)) * 2) / 3;
  dLat += ((160 * Math.sin((y / 12) * PI) + 320 * Math.sin((y * PI) / 30)) * 2) / 3;
  let dLng = 300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
  dLng += ((20 * Math.sin(6 * x * PI) + 20 * Math.sin(2 * x * PI)) * 2) / 3;
  dLng += ((20 * Math.sin(x * PI) + 40 * Math.sin((x / 3) * PI)) * 2) / 3;
  dLng += ((150 * Math.sin((x / 12) * PI) + 300 * Math.sin((x / 30) * PI)) * 2) / 3;
  const rad = (lat / 180) * PI;
  const m = 1 - EE * Math.sin(rad) ** 2;
  const s = Math.sqrt(m);
  return [lng + (dLng * 180) / ((A / s) * Math.cos(rad) * PI), lat + (dLat * 180) / (((A * (1 - EE)) / (m * s)) * PI)];
}

/** GCJ-02 → BD-09, Baidu's published transform. */
export function bd09([x, y]: [number, number]): [number, number] {
  const XP = (Math.PI * 3000) / 180;
  const z = Math.sqrt(x * x + y * y) + 0.00002 * Math.sin(y * XP);
  const t = Math.atan2(y, x) + 0.000003 * Math.cos(x * XP);
  return [z * Math.cos(t) + 0.0065, z * Math.sin(t) + 0.006];
}
