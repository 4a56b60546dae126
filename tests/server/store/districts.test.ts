/**
 * Districts at import and in the migration (issue 22): overlapping districts or a subdistrict outside all
 * of them refuse the whole import, saying which and how much; a city stored before districts becomes one
 * district and answers every question as before.
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../../server/app';
import { DISTRICTS_FILE } from '../../../server/contract/layers';
import { loadCatalog } from '../../../server/services/assessment/catalog';
import { importLayers } from '../../../server/store/import-layers';
import { openStore, SCHEMA_VERSION, type Store } from '../../../server/store/index';
import { as, FIXTURE_DIR, getJson, NOW, signIn, twoDistrictFixture } from '../../api/fixture';

let dir: string;
let stores: Store[];
const open = (file = join(dir, 'xuncha.db')) => {
  const s = openStore(file);
  stores.push(s);
  return s;
};
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'xuncha-districts-'));
  stores = [];
});
afterEach(async () => {
  for (const s of stores) await s.close();
  rmSync(dir, { recursive: true, force: true });
});

const box = (id: string, name: string, w: number, s: number, e: number, n: number) => ({
  type: 'Feature',
  properties: { id, name, code: '', kind: 'district' },
  geometry: {
    type: 'Polygon',
    coordinates: [
      [
        [w, s],
        [e, s],
        [e, n],
        [w, n],
        [w, s],
      ],
    ],
  },
});
/** The fixture city with `districts` as its districts.geojson. */
const withDistricts = (districts: unknown[]) => {
  const to = join(dir, 'layers');
  cpSync(FIXTURE_DIR, to, { recursive: true });
  writeFileSync(join(to, DISTRICTS_FILE), JSON.stringify({ type: 'FeatureCollection', features: districts }));
  return to;
};
const refusal = (store: Store, layers: string) => {
  try {
    importLayers(store, layers);
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected the import to be refused');
};

describe('importing districts', () => {
  it('refuses districts that overlap, naming both and how much, and keeps the city it had', async () => {
    const store = open();
    importLayers(store, twoDistrictFixture());
    const stamp = await store.cityStamp();
    // The west one reaches 0.002° (about 180 m) into the east one.
    const message = refusal(store, withDistricts([box('dt01', '西城区', 115.97, 36.44, 115.982, 36.46), box('dt02', '东城区', 115.98, 36.44, 115.99, 36.46)]));
    expect(message).toMatch(/districts 西城区 \(dt01\) and 东城区 \(dt02\) overlap by 0\.40 km² \(20 % of the smaller\)/);
    expect(message).toMatch(/Nothing was imported/);
    expect(await store.cityStamp()).toBe(stamp);
    expect((await store.listDistricts()).map((d) => d.name)).toEqual(['西城区', '东城区']);
  });

  it('refuses a subdistrict left outside every district, saying how much of it', async () => {
    const store = open();
    // The east district stops at 115.985: half of 东城街道 lies in no district.
    const message = refusal(store, withDistricts([box('dt01', '西城区', 115.97, 36.44, 115.98, 36.46), box('dt02', '东城区', 115.98, 36.44, 115.985, 36.46)]));
    expect(message).toMatch(/subdistrict 东城街道 \(sd02\) lies 50 % \(\d\.\d\d km²\) outside every district/);
    expect(message).not.toMatch(/西城街道/);
    expect(await store.hasCity()).toBe(false);
  });
});

describe('migration 22: a city stored before districts', () => {
  /** Takes a database back to what version 21 had: no districts, no district columns (and nothing later). */
  const downgrade = (store: Store) => {
    store.db.exec(`
      ALTER TABLE media DROP COLUMN kind; ALTER TABLE media DROP COLUMN duration_ms; ALTER TABLE media DROP COLUMN poster;
      DROP TABLE track_points; DROP TABLE media_redactions;
      DROP TABLE districts; DROP TABLE districts_rtree; DROP INDEX subdistricts_district;
      ALTER TABLE subdistricts DROP COLUMN district_id; ALTER TABLE units DROP COLUMN district_id; ALTER TABLE users DROP COLUMN district_id;
      PRAGMA user_version = 21;`);
  };
  const answers = async (store: Store) => {
    const app = as(await createApp({ store, catalog: loadCatalog(join(FIXTURE_DIR, 'catalog')), now: () => NOW }), await signIn(store, 'admin', 'u01', NOW));
    const paths = [
      '/api/meta',
      '/api/problems?limit=100',
      '/api/ledger?limit=100&district=dt01',
      '/api/rankings?by=subdistrict',
      '/api/rankings?by=unit',
      '/api/rankings?by=district',
      '/api/screen/summary',
      '/api/layers/subdistricts',
      '/api/layers/districts',
    ];
    return Promise.all(paths.map(async (p) => [p, (await getJson(app, p)).body]));
  };

  it('becomes one district over the whole city, and every answer stays as it was', async () => {
    const file = join(dir, 'xuncha.db');
    const fresh = open(file);
    importLayers(fresh, FIXTURE_DIR);
    const before = await answers(fresh);
    const counts = await fresh.counts();
    downgrade(fresh);
    await fresh.close();
    stores = [];

    const migrated = open(file);
    expect(migrated.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(await migrated.counts()).toEqual(counts);
    expect(await migrated.listDistricts()).toEqual([{ id: 'dt01', name: '示例区', code: '371502', kind: 'district' }]);
    expect(await answers(migrated)).toEqual(before);
  });
});
