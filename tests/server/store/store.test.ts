import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StoreError } from '../../../server/errors';
import { importLayers } from '../../../server/store/import-layers';
import { allRows, openStore, SCHEMA_VERSION, type Store } from '../../../server/store/index';
import { FIXTURE_DIR, NOW } from '../../api/fixture';

const FIXTURE_COUNTS = {
  roads: 6,
  water: 1,
  districts: 1,
  subdistricts: 2,
  units: 3,
  markets: 1,
  communities: 1,
  backStreets: 1,
  points: 0,
  problems: 20,
};

let dir: string;
let stores: Store[];
const open = (file = join(dir, 'xuncha.db')) => {
  const s = openStore(file);
  stores.push(s);
  return s;
};
/** A copy of the fixture layers that a test may break. */
const copyFixture = (name = 'layers') => {
  const to = join(dir, name);
  cpSync(FIXTURE_DIR, to, { recursive: true });
  return to;
};
const catchError = (fn: () => unknown): Error => {
  try {
    fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected an error');
};

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'xuncha-store-'));
  stores = [];
});
afterEach(async () => {
  for (const s of stores) await s.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('openStore', () => {
  it('creates a migrated, empty WAL database', async () => {
    const store = open();
    expect(store.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(await store.hasCity()).toBe(false);
    expect(await store.cityStamp()).toBeNull();
    expect(await store.getCity()).toBeNull();
    expect(await store.counts()).toEqual({
      ...FIXTURE_COUNTS,
      roads: 0,
      water: 0,
      districts: 0,
      subdistricts: 0,
      units: 0,
      markets: 0,
      communities: 0,
      backStreets: 0,
      points: 0,
      problems: 0,
    });
    expect(await store.problemTimeRange()).toBeNull();
  });

  it('keeps the city and the schema version when reopened', async () => {
    const file = join(dir, 'xuncha.db');
    const first = open(file);
    importLayers(first, FIXTURE_DIR);
    const stamp = await first.cityStamp();
    await first.close();
    const again = open(file);
    expect(again.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(await again.cityStamp()).toBe(stamp);
    expect(await again.counts()).toEqual(FIXTURE_COUNTS);
  });

  it('refuses a database from a newer Xuncha', () => {
    const file = join(dir, 'newer.db');
    const db = new Database(file);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    const err = catchError(() => open(file));
    expect(err).toBeInstanceOf(StoreError);
    expect(err.message).toContain(file);
    expect(err.message).toMatch(/newer|knows only up to/);
  });

  it('explains a file that is not a SQLite database, naming it and how to fix it', () => {
    const file = join(dir, 'xuncha.db');
    writeFileSync(file, 'this is not a database, just some text that happens to be long enough to have a header\n'.repeat(20));
    const err = catchError(() => open(file));
    expect(err).toBeInstanceOf(StoreError);
    expect(err.message).toContain(file);
    expect(err.message).toMatch(/Move it away/);
    expect(err.stack).toBeDefined();
    // The file is left alone for the person to inspect.
    expect(readFileSync(file, 'utf8')).toMatch(/^this is not a database/);
  });

  it('refuses a SQLite database that belongs to something else', () => {
    const file = join(dir, 'other.db');
    const db = new Database(file);
    db.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)');
    db.close();
    const err = catchError(() => open(file));
    expect(err).toBeInstanceOf(StoreError);
    expect(err.message).toContain('not one of Xuncha');
  });

  it('explains a folder that does not exist', () => {
    const err = catchError(() => open(join(dir, 'missing', 'deeper', 'xuncha.db')));
    expect(err).toBeInstanceOf(StoreError);
    expect(err.message).toMatch(/does not exist.*mkdir -p/);
  });
});

describe('importLayers', () => {
  it('imports every layer and reports counts and progress', async () => {
    const store = open();
    const progress: string[] = [];
    const { counts } = importLayers(store, FIXTURE_DIR, { onProgress: (m) => progress.push(m) });
    expect(counts).toEqual(FIXTURE_COUNTS);
    expect(await store.counts()).toEqual(FIXTURE_COUNTS);
    expect(progress).toContain('problems: 20');
    expect(await store.hasCity()).toBe(true);
    const city = (await store.getCity())!;
    expect(city).toMatchObject({ name: '示例区', nameEn: 'Sample District', center: [115.98, 36.45], bbox: [115.97, 36.44, 115.99, 36.46] });
    expect(await store.problemTimeRange()).toEqual({ from: '2026-01-05T09:00:00+08:00', to: '2026-03-20T09:00:00+08:00' });
  });

  it('keeps properties as they were written', async () => {
    const store = open();
    importLayers(store, FIXTURE_DIR);
    const line = readFileSync(join(FIXTURE_DIR, 'problems.ndjson'), 'utf8').split('\n')[2];
    const written = JSON.parse(line);
    const stored = (await store.getProblem(written.properties.id, NOW))!;
    expect(stored.geometry).toEqual(written.geometry);
    expect(stored.properties).toEqual({ ...written.properties, overdue: true });
    const [road] = await store.layerFeatures('roads');
    const roads = JSON.parse(readFileSync(join(FIXTURE_DIR, 'roads.geojson'), 'utf8'));
    expect(road).toEqual({ ...roads.features[0], id: 'r01' });
  });

  it('stores problems in time order whatever order the file has', async () => {
    const store = open();
    const layers = copyFixture();
    const file = join(layers, 'problems.ndjson');
    writeFileSync(file, readFileSync(file, 'utf8').trim().split('\n').reverse().join('\n'));
    importLayers(store, layers);
    const reported = (await allRows(store.iterateProblemPoints())).map((r) => r[6]);
    expect(reported).toHaveLength(20);
    expect(reported).toEqual([...reported].sort((a, b) => a - b));
    // The filter indexes are back after the bulk copy.
    const indexes = store.db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'problems' AND sql IS NOT NULL ORDER BY name")
      .pluck()
      .all();
    expect(indexes).toEqual([
      'problems_category',
      'problems_deadline',
      'problems_order',
      'problems_place',
      'problems_rectified',
      'problems_status',
      'problems_subdistrict',
      'problems_unit',
    ]);
    expect(store.db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'problems_import'").pluck().get()).toBe(0);
  });

  it('replaces the previous city as a whole', async () => {
    const store = open();
    expect(await store.problemsRevision()).toBe(0);
    importLayers(store, FIXTURE_DIR);
    const stamp = await store.cityStamp();
    const revision = await store.problemsRevision();
    expect(revision).toBeGreaterThan(0);
    const layers = copyFixture();
    const lines = readFileSync(join(layers, 'problems.ndjson'), 'utf8').trim().split('\n').slice(0, 5);
    writeFileSync(join(layers, 'problems.ndjson'), lines.join('\n'));
    const { counts } = importLayers(store, layers);
    expect(counts.problems).toBe(5);
    expect((await store.counts()).problems).toBe(5);
    expect(await store.cityStamp()).not.toBe(stamp);
    expect(await store.problemsRevision()).toBeGreaterThan(revision);
  });

  it('leaves the previous city intact when a problem line is bad, naming file and line', async () => {
    const store = open();
    importLayers(store, FIXTURE_DIR);
    const stamp = await store.cityStamp();
    const revision = await store.problemsRevision();
    const layers = copyFixture();
    const file = join(layers, 'problems.ndjson');
    const lines = readFileSync(file, 'utf8').split('\n');
    const bad = JSON.parse(lines[6]);
    bad.properties.status = 'lost';
    lines[6] = JSON.stringify(bad);
    writeFileSync(file, lines.join('\n'));
    // Change another layer too: it must not survive the failed import either.
    writeFileSync(join(layers, 'roads.geojson'), JSON.stringify({ type: 'FeatureCollection', features: [] }));

    const err = catchError(() => importLayers(store, layers));
    expect(err).toBeInstanceOf(StoreError);
    expect(err.message).toMatch(/^problems\.ndjson:7:/);
    expect(err.message).toContain('status');
    expect(await store.cityStamp()).toBe(stamp);
    expect(await store.problemsRevision()).toBe(revision);
    expect(await store.counts()).toEqual(FIXTURE_COUNTS);
  });

  it('names a line that is not JSON', async () => {
    const store = open();
    const layers = copyFixture();
    const file = join(layers, 'problems.ndjson');
    writeFileSync(file, `${readFileSync(file, 'utf8')}{"type":"Feature",\n`);
    const err = catchError(() => importLayers(store, layers));
    expect(err.message).toMatch(/^problems\.ndjson:21: not valid JSON/);
    expect(await store.hasCity()).toBe(false);
  });

  it('rejects duplicate problem ids', async () => {
    const store = open();
    const layers = copyFixture();
    const file = join(layers, 'problems.ndjson');
    const first = readFileSync(file, 'utf8').split('\n')[0];
    writeFileSync(file, `${readFileSync(file, 'utf8')}${first}\n`);
    const err = catchError(() => importLayers(store, layers));
    expect(err.message).toBe('problems.ndjson:21: problem id "p01" is already used on line 1; ids must be unique');
    expect(await store.hasCity()).toBe(false);
  });

  it('names the feature of a layer file that is wrong', () => {
    const store = open();
    const layers = copyFixture();
    const fc = JSON.parse(readFileSync(join(layers, 'markets.geojson'), 'utf8'));
    fc.features[0].geometry.coordinates = [200, 36.4];
    writeFileSync(join(layers, 'markets.geojson'), JSON.stringify(fc));
    const err = catchError(() => importLayers(store, layers));
    expect(err.message).toMatch(/^markets\.geojson: feature 1 \(mk01\) geometry\.coordinates/);
  });

  it('needs city.json and roads, and tolerates a city without water or problems', () => {
    const store = open();
    const layers = copyFixture();
    rmSync(join(layers, 'water.geojson'));
    rmSync(join(layers, 'problems.ndjson'));
    expect(importLayers(store, layers).counts).toMatchObject({ water: 0, problems: 0, roads: 6 });
    rmSync(join(layers, 'city.json'));
    expect(catchError(() => importLayers(store, layers)).message).toMatch(/city\.json is missing/);
    expect(catchError(() => importLayers(store, join(dir, 'nowhere'))).message).toMatch(/does not exist.*npm run demo/);
  });

  it('accepts CRLF line ends and a trailing line without newline', () => {
    const store = open();
    const layers = copyFixture();
    const file = join(layers, 'problems.ndjson');
    writeFileSync(file, readFileSync(file, 'utf8').trim().split('\n').join('\r\n'));
    expect(importLayers(store, layers).counts.problems).toBe(20);
  });

  describe('a history of check results (checks.ndjson)', () => {
    const items = [
      { itemId: 'market-no-road-vending', result: 'fail' },
      { itemId: 'market-psa', result: 'pass', value: 6 },
    ];
    const check = (id: string, over: Record<string, unknown> = {}) =>
      JSON.stringify({
        id,
        pointId: 'mk01',
        at: '2026-03-02T09:30:00+08:00',
        lngLat: [115.98, 36.45],
        items,
        problemIds: ['p01'],
        inspector: '王敏',
        ...over,
      });
    const withChecks = (...records: string[]) => {
      const layers = copyFixture();
      writeFileSync(join(layers, 'checks.ndjson'), `${records.join('\n')}\n`);
      return layers;
    };
    const A = '0b6f5c1e-2d3a-4b5c-8d7e-1f2a3b4c5d6e';
    const B = '1c7a6d2f-3e4b-4c6d-9e8f-2a3b4c5d6e7f';

    it('stores each line as the API would have, under its own time and inspector', async () => {
      const store = open();
      const progress: string[] = [];
      importLayers(store, withChecks(check(A), check(B, { at: '2026-03-09T15:00:00+08:00', problemIds: undefined, inspector: '区创城办督查一组' })), {
        onProgress: (m) => progress.push(m),
      });
      expect(progress).toContain('checks: 2');
      const rows = await store.listChecks({ pointId: 'mk01' });
      expect(rows.map((r) => r.id)).toEqual([B, A]);
      expect(rows[1]).toMatchObject({
        planId: null,
        at: '2026-03-02T09:30:00+08:00',
        receivedAt: '2026-03-02T09:30:00+08:00',
        lngLat: [115.98, 36.45],
        items,
        problemRefs: ['p01'],
        inspector: '王敏',
      });
      expect(rows[0]).toMatchObject({ problemRefs: [], inspector: '区创城办督查一组' });
    });

    it('replaces the stored results with the new city, and a city without the file has none', async () => {
      const store = open();
      importLayers(store, withChecks(check(A), check(B)));
      importLayers(store, withChecks(check(B)));
      expect((await store.listChecks({})).map((r) => r.id)).toEqual([B]);
      importLayers(store, FIXTURE_DIR);
      expect(await store.listChecks({})).toEqual([]);
    });

    it('names the line that is wrong and leaves the previous city and its results as they were', async () => {
      const store = open();
      importLayers(store, withChecks(check(A)));
      const stamp = await store.cityStamp();
      const cases: [string[], RegExp][] = [
        [[check(B), '{"id":'], /^checks\.ndjson:2: not valid JSON/],
        [[check(B, { inspector: ' ' })], /^checks\.ndjson:1: inspector: give who recorded the check/],
        [[check(B), check(A, { at: 'yesterday' })], /^checks\.ndjson:2: .*at/],
        [[check(B, { pointId: 'mk99' })], /^checks\.ndjson:1: pointId "mk99" is no place or problem of this city/],
        [[check(B), check(B)], /^checks\.ndjson:2: check id "[0-9a-f-]+" is used twice/],
      ];
      for (const [records, message] of cases) {
        const err = catchError(() => importLayers(store, withChecks(...records)));
        expect(err).toBeInstanceOf(StoreError);
        expect(err.message).toMatch(message);
        expect(await store.cityStamp()).toBe(stamp);
        expect((await store.listChecks({})).map((r) => r.id)).toEqual([A]);
      }
    });
  });
});
