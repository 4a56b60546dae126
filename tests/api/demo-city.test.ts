import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app';
import { loadCatalog } from '../../server/services/assessment/catalog';
import { importLayers } from '../../server/store/import-layers';
import { openStore, type Store } from '../../server/store/index';
import { as, decodeTile, getJson, signIn, tileOf, type Requester } from './fixture';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const GENERATOR = join(ROOT, 'scripts', 'demo-city', 'generate.ts');
const HAS_GENERATOR = existsSync(GENERATOR);

type Generate = (opts: { seed?: number; scale?: number; end?: string; outDir: string }) => Promise<{ counts: Record<string, number> }>;

describe.skipIf(!HAS_GENERATOR)(`the demo city through the API${HAS_GENERATOR ? '' : ' (skipped: scripts/demo-city/generate.ts is not written yet)'}`, () => {
  let dir: string;
  let store: Store;
  let app: Requester;
  let generated: Record<string, number>;
  let imported: Record<string, number>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'xuncha-demo-'));
    // A path in a variable: the generator is written by another part and may not exist yet.
    const { generateDemoCity } = (await import(/* @vite-ignore */ pathToFileURL(GENERATOR).href)) as { generateDemoCity: Generate };
    generated = (await generateDemoCity({ seed: 1, scale: 1, end: '2026-11-25', outDir: join(dir, 'layers') })).counts;
    store = openStore(join(dir, 'xuncha.db'));
    imported = importLayers(store, join(dir, 'layers')).counts;
    app = as(
      await createApp({ store, catalog: loadCatalog(join(ROOT, 'data', 'catalog')), now: () => Date.parse('2026-11-25T12:00:00+08:00') }),
      await signIn(store, 'leader'),
    );
  });
  afterAll(async () => {
    await store?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('imports every feature the generator wrote', () => {
    for (const [layer, n] of Object.entries(imported)) {
      if (layer in generated) expect(n, layer).toBe(generated[layer]);
    }
    expect(imported.problems).toBeGreaterThan(0);
    expect(imported.roads).toBeGreaterThan(0);
  });

  it('serves meta whose catalog, subdistricts and units cover every problem', async () => {
    const meta = (await getJson(app, '/api/meta')).body;
    expect(meta.counts).toEqual(imported);
    const categories = new Set(meta.categories.map((c: { id: string }) => c.id));
    const subdistricts = new Set(meta.subdistricts.map((s: { id: string }) => s.id));
    const units = new Set(meta.units.map((u: { id: string }) => u.id));
    let cursor: string | null = null;
    let seen = 0;
    do {
      const page: {
        body: { features: { properties: { category: string; subdistrictId: string | null; unitId: string | null } }[]; nextCursor: string | null };
      } = await getJson(app, `/api/problems?limit=50000${cursor ? `&cursor=${cursor}` : ''}`);
      for (const { properties: p } of page.body.features) {
        expect(categories.has(p.category), p.category).toBe(true);
        if (p.subdistrictId !== null) expect(subdistricts.has(p.subdistrictId), p.subdistrictId).toBe(true);
        if (p.unitId !== null) expect(units.has(p.unitId), p.unitId).toBe(true);
      }
      seen += page.body.features.length;
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toBe(imported.problems);
  });

  it('comes with its 网格: each in a subdistrict, with points and problems inside, a filter of the ledger', async () => {
    const meta = (await getJson(app, '/api/meta')).body;
    expect(meta.grids.length).toBe(generated.grids);
    const grids = (await getJson(app, '/api/grids')).body.features as { id: string; properties: { subdistrictId: string | null; points: number } }[];
    expect(grids.map((g) => g.id).sort()).toEqual(meta.grids.map((g: { id: string }) => g.id).sort());
    expect(grids.every((g) => g.properties.subdistrictId !== null)).toBe(true);
    expect(grids.reduce((n, g) => n + g.properties.points, 0)).toBeGreaterThan(0);
    const total = (await getJson(app, '/api/ledger?limit=1')).body.total as number;
    const byGrid = await Promise.all(grids.map(async (g) => (await getJson(app, `/api/ledger?limit=1&grid=${g.id}`)).body.total as number));
    // The grids tile the city: every problem lies in one (bar one exactly on a shared edge).
    const sum = byGrid.reduce((a, b) => a + b, 0);
    expect(Math.abs(sum - total)).toBeLessThanOrEqual(total * 0.001);
  });

  it('pages a 5,000-problem bbox query and resolves problem details', async () => {
    const meta = (await getJson(app, '/api/meta')).body;
    const [w, s, e, n] = meta.city.bbox;
    const res = await getJson(app, `/api/problems?bbox=${w},${s},${e},${n}&limit=5000`);
    expect(res.status).toBe(200);
    expect(res.body.features.length).toBe(Math.min(5000, imported.problems));
    const first = res.body.features[0];
    const detail = await getJson(app, `/api/problems/${first.id}`);
    expect(detail.status).toBe(200);
    expect(detail.body.properties.categoryName.zh).toBeTruthy();
    if (detail.body.properties.place) {
      expect((await getJson(app, `/api/places/${detail.body.properties.place.id}`)).status).toBe(200);
    }
  });

  it('draws basemap and problem tiles over the city centre', async () => {
    const meta = (await getJson(app, '/api/meta')).body;
    const [lng, lat] = meta.city.center;
    const t14 = tileOf(lng, lat, 14);
    const base = await app.request(`/tiles/base/14/${t14.x}/${t14.y}.pbf`);
    expect(base.status).toBe(200);
    const layers = await decodeTile(base);
    expect(layers.roads.length).toBeGreaterThan(0);
    expect(layers.roads.some((f) => typeof f.properties.name === 'string')).toBe(true);
    const t12 = tileOf(lng, lat, 12);
    expect((await app.request(`/tiles/base/12/${t12.x}/${t12.y}.pbf`)).status).toBe(200);
    let count = 0;
    const res = await app.request('/tiles/problems/0/0/0.pbf');
    for (const f of (await decodeTile(res)).problems) count += 'count' in f.properties ? (f.properties.count as number) : 1;
    expect(count).toBe(imported.problems);
  });
});
