import { readFileSync, rmSync, writeFileSync } from 'node:fs';
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

  it('reads a sheet with title rows above the header and one 坐标 column in either order', async () => {
    const dataDir = await cityIn();
    const wb = new ExcelJS.Workbook();
    const sheet = wb.addWorksheet('点位');
    // As an office hands it round: a merged title, a date line, then the header.
    sheet.addRow(['东昌区创文实地考察点位表']);
    sheet.mergeCells('A1:D1');
    sheet.addRow(['', '', '制表：2026年11月']);
    sheet.addRow(['序号', '点位名称', '点位类型', '坐标']);
    sheet.addRow([1, '新市场', '农贸市场', `${WGS.market[0]},${WGS.market[1]}`]);
    sheet.addRow([2, '老巷', '背街小巷', `${WGS.lane[1]}， ${WGS.lane[0]}`]);
    const file = join(dataDir, 'points.xlsx');
    await wb.xlsx.writeFile(file);
    const s = await importCity({ file, dataDir });
    expect(s.points).toEqual({ added: 2, updated: 0, removed: 0 });
    const [market] = layer(dataDir, 'markets.geojson');
    expect(market.properties.name).toBe('新市场');
    expect(market.geometry.coordinates).toEqual(WGS.market);
    const lane = layer(dataDir, 'back-streets.geojson').find((b) => b.properties.name === '老巷')!;
    expect(metres(lane.geometry.coordinates[0], WGS.lane)).toBeLessThan(60);
  });

  it('says what a sheet without a recognisable header, or with an unreadable 坐标, must change', async () => {
    const dataDir = await cityIn();
    const csv = (name: string, text: string) => {
      const file = join(dataDir, name);
      writeFileSync(file, text);
      return file;
    };
    await expect(importCity({ file: csv('a.csv', '点位表\n序号,名字,位置\n1,新市场,118.79 32.04\n'), dataDir })).rejects.toThrow(
      'a.csv: row 2: no header row found in the first 10 rows; it needs the coordinates: 经度 and 纬度 columns, or one 坐标 column ("经度,纬度") (row 2 has: 序号, 名字, 位置)',
    );
    await expect(importCity({ file: csv('b.csv', '名称,类型,坐标\n新市场,市场,118.79\n'), dataDir })).rejects.toThrow(
      'b.csv: row 2: 坐标 "118.79" is not two numbers; write it as 经度,纬度 (e.g. 115.98,36.45)',
    );
    await expect(importCity({ file: csv('c.csv', '名称,类型,坐标\n新市场,市场,"32.04,48.1"\n'), dataDir })).rejects.toThrow(
      'c.csv: row 2: 坐标 "32.04,48.1": cannot tell longitude from latitude (both within ±90); use separate 经度 and 纬度 columns',
    );
  });

  it('asks which system a sheet is in when, given none, its points sit off the streets as WGS84 but by them as GCJ-02', async () => {
    const dataDir = await cityIn();
    // Markets by the fixture's streets, their coordinates picked on a 高德 map (GCJ-02, ~500 m off here).
    const wgs: [number, number][] = [
      [118.7801, 32.0401],
      [118.7811, 32.0399],
      [118.7819, 32.0401],
      [118.7811, 32.0391],
      [118.7804, 32.0421],
      [118.7801, 32.0379],
    ];
    const sheet = (name: string, pts: [number, number][]) => {
      const file = join(dataDir, name);
      writeFileSync(file, `名称,类型,经度,纬度\n${pts.map((p, i) => `市场${i + 1},市场,${p[0]},${p[1]}`).join('\n')}\n`);
      return file;
    };
    const amap = sheet(
      'amap.csv',
      wgs.map((p) => gcj02(p)),
    );
    await expect(importCity({ file: amap, dataDir })).rejects.toThrow(
      /^amap\.csv: read as WGS84 the points sit a median \d+ m from the streets, read as 高德\/腾讯 \(GCJ-02\) \d{1,2} m: .* Run again with --crs gcj02, or with --crs wgs84 if they really are WGS84 \(GPS\)\.$/,
    );
    expect(layer(dataDir, 'markets.geojson')).toHaveLength(0);
    // Answered: as GCJ-02 they land on the streets; said to be WGS84, they are taken as given.
    await importCity({ file: amap, dataDir, crs: 'gcj02' });
    for (const m of layer(dataDir, 'markets.geojson')) expect(metres(m.geometry.coordinates, wgs[Number(m.properties.name.slice(2)) - 1])).toBeLessThan(3);
    expect((await importCity({ file: amap, dataDir, crs: 'wgs84', replacePoints: true })).points).toMatchObject({ added: 6 });
    // A WGS84 sheet (GPS) by the streets needs no --crs.
    expect((await importCity({ file: sheet('gps.csv', wgs), dataDir, replacePoints: true })).points).toMatchObject({ added: 6 });
  });

  it('names the row of a bad coordinate and leaves the city as it was', async () => {
    const dataDir = await cityIn();
    const before = readFileSync(join(dataDir, 'layers', 'markets.geojson'), 'utf8');
    await expect(importCity({ file: join(POINT_FIXTURES, 'bad-row.csv'), dataDir })).rejects.toThrow(
      'bad-row.csv: row 3: longitude (经度) "东经118度" is not a number in -180…180',
    );
    expect(readFileSync(join(dataDir, 'layers', 'markets.geojson'), 'utf8')).toBe(before);
    const store = openStore(join(dataDir, 'xuncha.db'));
    expect((await store.counts()).markets).toBe(0);
    await store.close();
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
