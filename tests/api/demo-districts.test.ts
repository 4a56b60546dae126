/**
 * A demo city of three districts through the API (issue 22): each district's totals add up to the city's —
 * in the ledger, the 红黑榜, the big screen and the hotspots — and a district's ranking row is its
 * subdistricts' figures added up.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app';
import { generateDemoCity } from '../../scripts/demo-city/generate';
import { loadCatalog } from '../../server/services/assessment/catalog';
import { importLayers } from '../../server/store/import-layers';
import { openStore, type Store } from '../../server/store/index';
import { as, getJson, signIn, type Requester } from './fixture';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const NOW = Date.parse('2026-11-25T12:00:00+08:00');

describe('a demo city of three districts', () => {
  let dir: string;
  let store: Store;
  let app: Requester;
  let districts: { id: string; name: string }[];
  let subdistricts: { id: string; districtId: string }[];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'xuncha-demo-districts-'));
    await generateDemoCity({ seed: 1, scale: 0.5, districts: 3, end: '2026-11-25', outDir: join(dir, 'layers') });
    store = openStore(join(dir, 'xuncha.db'));
    importLayers(store, join(dir, 'layers'));
    app = as(await createApp({ store, catalog: loadCatalog(join(ROOT, 'data', 'catalog')), now: () => NOW }), await signIn(store, 'leader', 'u01', NOW));
    const meta = (await getJson(app, '/api/meta')).body;
    districts = meta.districts;
    subdistricts = meta.subdistricts;
  }, 120_000);
  afterAll(async () => {
    await store?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

  it('has three districts, each with its subdistricts', () => {
    expect(districts).toHaveLength(3);
    for (const d of districts) expect(subdistricts.filter((s) => s.districtId === d.id).length).toBeGreaterThan(0);
    expect(subdistricts.every((s) => districts.some((d) => d.id === s.districtId))).toBe(true);
  });

  it('adds the districts’ ledgers, screens and hotspots up to the city’s', async () => {
    const total = async (q: string) => (await getJson(app, `/api/ledger?limit=1${q}`)).body.total as number;
    const city = await total('');
    expect(city).toBeGreaterThan(1000);
    const per = await Promise.all(districts.map((d) => total(`&district=${d.id}`)));
    expect(per.every((n) => n > 0)).toBe(true);
    expect(sum(per)).toBe(city);

    const open = async (q: string) => (await getJson(app, `/api/screen/summary${q}`)).body.kpi.open as number;
    expect(sum(await Promise.all(districts.map((d) => open(`?district=${d.id}`))))).toBe(await open(''));

    const heat = async (q: string) =>
      sum(((await getJson(app, `/api/hotspots?res=8${q}`)).body.features as { properties: { count: number } }[]).map((f) => f.properties.count));
    expect(sum(await Promise.all(districts.map((d) => heat(`&district=${d.id}`))))).toBe(await heat(''));
  });

  it('ranks the districts on their subdistricts’ figures added up, and the city’s wall ranks them', async () => {
    const q = '&from=2026-09-01&to=2026-11-25';
    const byDistrict = (await getJson(app, `/api/rankings?by=district${q}`)).body.rows as { id: string; found: number; overdue: number; supervision: number }[];
    const bySubdistrict = (await getJson(app, `/api/rankings?by=subdistrict${q}`)).body.rows as {
      id: string;
      found: number;
      overdue: number;
      supervision: number;
    }[];
    expect(byDistrict.map((r) => r.id).sort()).toEqual(districts.map((d) => d.id).sort());
    for (const d of byDistrict) {
      const mine = bySubdistrict.filter((r) => subdistricts.find((s) => s.id === r.id)?.districtId === d.id);
      expect([d.found, d.overdue, d.supervision]).toEqual([
        sum(mine.map((r) => r.found)),
        sum(mine.map((r) => r.overdue)),
        sum(mine.map((r) => r.supervision)),
      ]);
    }
    const wall = (await getJson(app, '/api/screen/summary')).body;
    expect(wall.rankings.districts.top.length).toBeGreaterThan(0);
  });
});
