import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PbfReader } from 'pbf';
import { VectorTile } from '@mapbox/vector-tile';
import { createApp } from '../../server/app';
import { loadCatalog } from '../../server/services/catalog';
import { importLayers } from '../../server/store/import-layers';
import { openStore, type Store } from '../../server/store/index';

/** The hand-written city every API test runs against. */
export const FIXTURE_DIR = fileURLToPath(new URL('../fixtures/city-small', import.meta.url));
/** "Now" for the fixture: p03, p08 and p14 are overdue, p07 (deadline 18:00 today) and p13 are not. */
export const NOW = Date.parse('2026-03-20T12:00:00+08:00');

/** A fresh store in a temp folder with the fixture city imported, and an app over it. */
export function fixtureApp(opts: { clientDir?: string | null } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'xuncha-api-'));
  const store: Store = openStore(join(dir, 'xuncha.db'));
  importLayers(store, FIXTURE_DIR);
  const catalog = loadCatalog(join(FIXTURE_DIR, 'catalog'));
  const errors: unknown[] = [];
  const app = createApp({ store, catalog, now: () => NOW, clientDir: opts.clientDir ?? null, logError: (e) => errors.push(e) });
  return {
    app,
    store,
    catalog,
    errors,
    close() {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** GET → parsed JSON with the status, for terse assertions. */
export async function getJson<T = any>(app: { request(path: string): Response | Promise<Response> }, path: string) {
  const res = await app.request(path);
  return { status: res.status, headers: res.headers, body: (await res.json()) as T };
}

/** Decodes an MVT response into { layerName: [{ type, id, properties, geometry }] }. */
export async function decodeTile(res: Response) {
  const buf = new Uint8Array(await res.arrayBuffer());
  const tile = new VectorTile(new PbfReader(buf));
  const out: Record<string, { type: number; id: number | undefined; properties: Record<string, unknown>; geometry: { x: number; y: number }[][]; extent: number }[]> = {};
  for (const [name, layer] of Object.entries(tile.layers)) {
    out[name] = [];
    for (let i = 0; i < layer.length; i++) {
      const f = layer.feature(i);
      out[name].push({ type: f.type, id: f.id, properties: f.properties, geometry: f.loadGeometry(), extent: f.extent });
    }
  }
  return out;
}

/** Tile x/y containing a point at zoom z. */
export function tileOf(lng: number, lat: number, z: number): { x: number; y: number } {
  const n = 2 ** z;
  const s = Math.sin((lat * Math.PI) / 180);
  return {
    x: Math.floor(((lng + 180) / 360) * n),
    y: Math.floor((0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI)) * n),
  };
}
