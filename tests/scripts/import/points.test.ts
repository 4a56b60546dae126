import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterEach, describe, expect, it } from 'vitest';
import { importCity } from '../../../scripts/import/import-city';
import { toWgs84 } from '../../../scripts/import/points';
import { openStore } from '../../../server/store/index';
import { bd09, gcj02, metres, OSM_FIXTURES, POINT_FIXTURES, tempDir } from './helpers';

/*
 * The fixtures' GCJ-02 and BD-09 coordinates were computed from the WGS84 points below with the
 * published forward formulas (Krasovsky-ellipsoid offset for GCJ-02; Baidu's z/θ transform on top for
 * BD-09), not with gcoord, so these tests check gcoord's inverse against an independent source.
 */
const WGS = { market: [118.7905, 32.0445], community: [118.78, 32.0435], lane: [118.781, 32.04] };

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function cityIn(): Promise<string> {
  const dataDir = tempDir();
  dirs.push(dataDir);
  await importCity({ file: join(OSM_FIXTURES, 'roads.osm'), dataDir, name: '测试城', createdAt: '2026-11-25T12:00:00+08:00' });
  return dataDir;
}

const layer = (dataDir: string, file: string) =>
  JSON.parse(readFileSync(join(dataDir, 'layers', file), 'utf8')).features as { geometry: any; properties: any }[];

describe('CSV and XLSX point lists', () => {
  it('converts GCJ-02 (Chinese headers) to WGS84 within a few metres and adds all three kinds', async () => {
    const dataDir = await cityIn();
    const s = await importCity({ file: join(POINT_FIXTURES, 'gcj02.csv'), dataDir, crs: 'gcj02' });
    expect(s.points).toEqual({ added: 3, updated: 0, removed: 0 });
    expect(s.counts).toMatchObject({ markets: 1, communities: 1, backStreets: 2, roads: 14 });
    const [market] = layer(dataDir, 'markets.geojson');
    expect(market.properties).toMatchObject({ name: '科巷菜市场', kind: 'market', address: '秦淮区科巷', subdistrictId: 'sd1', unitId: 'u1' });
    expect(metres(market.geometry.coordinates, WGS.market)).toBeLessThan(3);
    const [community] = layer(dataDir, 'communities.geojson');
    expect(metres(community.properties.entrance, WGS.community)).toBeLessThan(3);
    expect(community.geometry.type).toBe('Polygon');
    const lane = layer(dataDir, 'back-streets.geojson').find((b) => b.properties.name === '中山东路')!;
    // Takes the geometry of the street of the same name (two pieces split at the junction).
    expect(lane.geometry).toEqual({
      type: 'MultiLineString',
      coordinates: [
        [
          [118.78, 32.04],
          [118.781, 32.04],
        ],
        [
          [118.781, 32.04],
          [118.782, 32.04],
        ],
      ],
    });
    expect(lane.properties.lengthM).toBeGreaterThan(185);
    expect(lane.properties.lengthM).toBeLessThan(192);
  });

  it('converts BD-09 and updates the place of the same name instead of adding a second', async () => {
    const dataDir = await cityIn();
    await importCity({ file: join(POINT_FIXTURES, 'gcj02.csv'), dataDir, crs: 'gcj02' });
    const s = await importCity({ file: join(POINT_FIXTURES, 'bd09.csv'), dataDir, crs: 'bd09' });
    expect(s.points).toEqual({ added: 0, updated: 1, removed: 0 });
    const markets = layer(dataDir, 'markets.geojson');
    expect(markets).toHaveLength(1);
    expect(metres(markets[0].geometry.coordinates, WGS.market)).toBeLessThan(3);
  });

  it('reads XLSX (first sheet, free columns ignored) and --replace-points replaces the kinds it has', async () => {
    const dataDir = await cityIn();
    await importCity({ file: join(POINT_FIXTURES, 'gcj02.csv'), dataDir, crs: 'gcj02' });
    const wb = new ExcelJS.Workbook();
    const sheet = wb.addWorksheet('点位');
    sheet.addRow(['序号', '名称', '经度', '纬度', '备注']);
    const gcj = [118.7956925, 32.042437]; // WGS.market in GCJ-02, as a 高德 picker gives it
    sheet.addRow([1, '新市场', gcj[0], gcj[1], '周一检查']);
    const file = join(dataDir, 'points.xlsx');
    await wb.xlsx.writeFile(file);
    const s = await importCity({ file, dataDir, crs: 'gcj02', kind: 'market', replacePoints: true });
    expect(s.points).toEqual({ added: 1, updated: 0, removed: 1 });
    expect(s.counts).toMatchObject({ markets: 1, communities: 1, backStreets: 2 });
    const [market] = layer(dataDir, 'markets.geojson');
    expect(market.properties.name).toBe('新市场');
    expect(metres(market.geometry.coordinates, WGS.market)).toBeLessThan(3);
  });

  it('names the row of a bad coordinate and leaves the city as it was', async () => {
    const dataDir = await cityIn();
    const before = readFileSync(join(dataDir, 'layers', 'markets.geojson'), 'utf8');
    await expect(importCity({ file: join(POINT_FIXTURES, 'bad-row.csv'), dataDir })).rejects.toThrow(
      'bad-row.csv: row 3: longitude (经度) "东经118度" is not a number in -180…180',
    );
    expect(readFileSync(join(dataDir, 'layers', 'markets.geojson'), 'utf8')).toBe(before);
    const store = openStore(join(dataDir, 'xuncha.db'));
    expect(store.counts().markets).toBe(0);
    store.close();
  });

  it('inverts the published GCJ-02 and BD-09 forward formulas to within a metre across China', () => {
    for (const wgs of [
      [116.3913, 39.9075],
      [121.4737, 31.2304],
      [113.2644, 23.1291],
      [115.98, 36.45],
      [87.6168, 43.8256],
    ] as [number, number][]) {
      const g = gcj02(wgs);
      expect(metres(g, wgs)).toBeGreaterThan(100); // the offset is real …
      expect(metres(toWgs84(g, 'gcj02'), wgs)).toBeLessThan(1); // … and undone
      expect(metres(toWgs84(bd09(g), 'bd09'), wgs)).toBeLessThan(1);
    }
  });
});
