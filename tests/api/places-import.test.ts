import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import { RegistryImportResult, REGISTRY_COLUMNS } from '../../server/contract/places';
import { fixtureApp, getJson, type Requester } from './fixture';

// One city per file: each test below starts from what the one before left.
const fx = await fixtureApp();
afterAll(async () => fx.close());
const inspector = await fx.signedIn('inspector');

const col = (name: (typeof REGISTRY_COLUMNS)[number]) => REGISTRY_COLUMNS.indexOf(name) + 1;

async function exported(): Promise<ExcelJS.Workbook> {
  const res = await fx.app.request('/api/places/export.xlsx');
  expect(res.status).toBe(200);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as unknown as ArrayBuffer);
  return wb;
}

/** The sheet's row of the point named `name` (1-based, as Excel numbers it). */
function rowOf(ws: ExcelJS.Worksheet, name: string): ExcelJS.Row {
  for (let r = 3; r <= ws.rowCount; r++) if (ws.getRow(r).getCell(col('名称')).value === name) return ws.getRow(r);
  throw new Error(`no row ${name}`);
}

async function upload(wb: ExcelJS.Workbook, dryRun: boolean, app: Requester = inspector) {
  const form = new FormData();
  const bytes = new Uint8Array(await wb.xlsx.writeBuffer());
  form.append('file', new File([bytes], '点位信息表.xlsx', { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }));
  const res = await app.request(`/api/places/import${dryRun ? '?dryRun=1' : ''}`, { method: 'POST', body: form });
  return { status: res.status, body: (await res.json()) as any };
}

const registry = async () =>
  (await getJson(fx.app, '/api/places?status=all')).body.places as { id: string; name: string; version: number; retiredAt: string | null }[];

async function addMarket(name: string, at: [number, number]): Promise<string> {
  const res = await fx.app.request('/api/places', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ kind: 'market', name, geometry: { type: 'Point', coordinates: at } }),
  });
  expect(res.status, await res.clone().text()).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

describe('POST /api/places/import (the 点位信息表 edited by hand)', () => {
  it('imports the sheet as exported as no change at all', async () => {
    const { status, body } = await upload(await exported(), false);
    expect(status, JSON.stringify(body)).toBe(200);
    expect(RegistryImportResult.parse(body)).toEqual(body);
    expect(body).toMatchObject({ rows: 3, unchanged: 3, added: 0, changed: 0, moved: 0, retired: 0, changes: [] });
    expect((await registry()).every((p) => p.version === 1)).toBe(true);
  });

  it('shows exactly the four edits in a dry run (one moved, one renamed, one removed, one added), then applies them keeping the problems', async () => {
    const gone = await addMarket('西关便民市场', [115.986, 36.455]);
    const wb = await exported();
    const ws = wb.getWorksheet('点位信息表')!;
    rowOf(ws, '东关农贸市场').getCell(col('经度')).value = 115.9845; // ~45 m east
    rowOf(ws, '幸福小区').getCell(col('名称')).value = '幸福家园';
    ws.spliceRows(rowOf(ws, '西关便民市场').number, 1);
    ws.addRow([null, '农贸市场', '南门市场', '南门街1号', null, null, null, '孙点位', '李联系', '13812345678', 115.982, 36.446, null]);

    const before = await registry();
    const dry = await upload(wb, true);
    expect(dry.status, JSON.stringify(dry.body)).toBe(200);
    expect(dry.body).toMatchObject({ dryRun: true, rows: 4, unchanged: 1, added: 1, changed: 1, moved: 1, retired: 1, retiresMissing: true });
    expect(dry.body.changes.map((c: any) => [c.action, c.id, c.name, c.fields]).sort((a: any, b: any) => String(a[2]).localeCompare(String(b[2])))).toEqual(
      [
        ['update', 'mk01', '东关农贸市场', ['geometry']],
        ['update', 'cm01', '幸福家园', ['name']],
        ['retire', gone, '西关便民市场', ['retired']],
        ['add', null, '南门市场', []],
      ].sort((a: any, b: any) => String(a[2]).localeCompare(String(b[2]))),
    );
    expect(dry.body.changes.find((c: any) => c.id === 'mk01').movedM).toBeCloseTo(44.8, 0);
    // A dry run writes nothing.
    expect(await registry()).toEqual(before);

    const done = await upload(wb, false);
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body).toMatchObject({ dryRun: false, added: 1, changed: 1, moved: 1, retired: 1 });
    const added = done.body.changes.find((c: any) => c.action === 'add').id as string;
    expect(added).toMatch(/^mk-/);

    const mk01 = (await getJson(fx.app, '/api/places/mk01')).body;
    expect(mk01.geometry.coordinates).toEqual([115.9845, 36.448]);
    expect(mk01.properties.problemCounts).toEqual({ total: 4, open: 2, overdue: 1 });
    expect((await getJson(fx.app, '/api/places/cm01')).body.properties.name).toBe('幸福家园');
    expect((await getJson(fx.app, `/api/places/${gone}`)).body.properties.retiredReason).toMatch(/点位信息表/);
    expect((await getJson(fx.app, `/api/places/${added}`)).body.properties).toMatchObject({
      name: '南门市场',
      subdistrictName: '东城街道',
      keeper: '孙点位',
      phone: '13812345678',
    });
    const history = (await getJson(fx.app, '/api/places/mk01/history')).body;
    expect(history.entries[0]).toMatchObject({ action: 'import', by: expect.stringContaining('test-inspector'), changes: [{ field: 'geometry' }] });
  });

  it('refuses a sheet whose tenth row is bad, naming the row, and leaves the registry exactly as it was', async () => {
    for (let i = 0; i < 6; i++) await addMarket(`测试市场${i + 1}`, [115.976 + i * 0.001, 36.455]);
    const wb = await exported();
    const ws = wb.getWorksheet('点位信息表')!;
    expect(ws.rowCount).toBeGreaterThanOrEqual(11);
    for (let r = 3; r <= 11; r++) ws.getRow(r).getCell(col('联系人')).value = `联系人${r}`;
    ws.getRow(12).values = [null, '农贸市场', '城外市场', null, null, null, null, null, null, null, 116.5, 36.45, null];
    const before = await registry();
    const res = await upload(wb, false);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatch(/^第 12 行：.*outside the city/);
    expect(res.body.details).toEqual([{ path: '点位信息表!12', message: expect.stringContaining('outside the city') }]);
    expect(await registry()).toEqual(before);
    expect((await getJson(fx.app, '/api/places/mk01')).body.properties.contact).toBeNull();
  });

  it('retires what a sheet of one subdistrict no longer lists there, and nothing elsewhere', async () => {
    const res = await fx.app.request('/api/places/export.xlsx?subdistrict=sd02');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('点位信息表')!;
    ws.spliceRows(rowOf(ws, '南门市场').number, 1);
    const { status, body } = await upload(wb, true);
    expect(status, JSON.stringify(body)).toBe(200);
    expect(body.scope).toEqual({ kinds: ['market'], subdistrictIds: ['sd02'] });
    expect(body.changes.map((c: any) => [c.action, c.name])).toEqual([['retire', '南门市场']]);
    // The west's markets (the sheet does not stand for them) stay.
    const west = (await getJson(fx.app, '/api/places?kind=market&subdistrict=sd01')).body.places;
    expect(west.length).toBeGreaterThan(0);
  });

  it('reads a unit name two units share as the one the point has, and asks which for a point that has neither', async () => {
    // A second unit of the same name, as a city with two 城管中队 of one name would have.
    fx.store.db
      .prepare("INSERT INTO units (id, name, type, subdistrict_id, geometry) SELECT 'u99', name, type, 'sd01', geometry FROM units WHERE id = 'u02'")
      .run();
    const wb = await exported();
    const ws = wb.getWorksheet('点位信息表')!;
    expect((await upload(wb, true)).body.changes).toEqual([]);
    rowOf(ws, '羊市街').getCell(col('责任单位')).value = '东关市场服务中心';
    const { status, body } = await upload(wb, true);
    expect(status).toBe(400);
    expect(body.error).toMatch(/有 2 个责任单位都叫「东关市场服务中心」/);
    fx.store.db.prepare('DELETE FROM units WHERE id = ?').run('u99');
  });

  it('names the row and what to change: an unknown type, a bad phone, an id not in the registry, a line moved by its coordinates', async () => {
    const refused = async (edit: (ws: ExcelJS.Worksheet) => void) => {
      const wb = await exported();
      edit(wb.getWorksheet('点位信息表')!);
      const res = await upload(wb, true);
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      return res.body.error as string;
    };
    expect(await refused((ws) => (rowOf(ws, '东关农贸市场').getCell(col('点位类型')).value = '商店'))).toMatch(/^第 \d+ 行：没有「商店」这一点位类型/);
    expect(await refused((ws) => (rowOf(ws, '东关农贸市场').getCell(col('联系电话')).value = '电话待定'))).toMatch(/「联系电话」not a phone number/);
    expect(await refused((ws) => (rowOf(ws, '东关农贸市场').getCell(col('点位编号')).value = 'mk-nope'))).toMatch(/点位编号「mk-nope」不在点位库中/);
    expect(await refused((ws) => (rowOf(ws, '羊市街').getCell(col('经度')).value = 115.99))).toMatch(/是一条线，不能用经纬度移动/);
    expect(await refused((ws) => (rowOf(ws, '东关农贸市场').getCell(col('责任单位')).value = '不存在的单位'))).toMatch(/没有名为「不存在的单位」的责任单位/);
  });

  it('is for the roles that plan, and wants an .xlsx', async () => {
    const form = new FormData();
    form.append('file', new File([new Uint8Array([1, 2, 3])], 'x.xlsx'));
    const notXlsx = await inspector.request('/api/places/import?dryRun=1', { method: 'POST', body: form });
    expect(notXlsx.status).toBe(400);
    expect(((await notXlsx.json()) as any).error).toMatch(/\.xlsx/);
    const { status } = await upload(await exported(), true, await fx.signedIn('unit'));
    expect(status).toBe(403);
  });
});
