import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import { LedgerPage } from '../../server/contract/workflow';
import { jpegWithExif } from '../fixtures/media/photos';
import { fixtureApp, getJson } from './fixture';

const fx = await fixtureApp();
afterAll(async () => fx.close());

const ids = (body: { rows: { id: string }[] }) => body.rows.map((r) => r.id);

describe('GET /api/ledger', () => {
  it('lists every problem newest first with the 台账 fields', async () => {
    const { status, body } = await getJson(fx.app, '/api/ledger');
    expect(status).toBe(200);
    expect(LedgerPage.parse(body)).toBeTruthy();
    expect(body.total).toBe(20);
    const listed = (await getJson(fx.app, '/api/problems')).body.features.map((f: any) => f.id);
    expect(ids(body)).toEqual(listed);
    const p03 = body.rows.find((r: any) => r.id === 'p03');
    expect(p03).toMatchObject({
      categoryName: { zh: '占道经营' },
      location: '东关农贸市场 东关街12号',
      subdistrictName: '东城街道',
      unitName: '东关市场服务中心',
      status: 'assigned',
      overdue: true,
      lookBack: null,
      recurrence: true,
    });
    expect(body.rows.find((r: any) => r.id === 'p01').lookBack).toBe('pass');
    expect(body.rows.find((r: any) => r.id === 'p06').lookBack).toBe('pending');
    expect(body.rows.find((r: any) => r.id === 'p10').location).toBe('115.98700, 36.44300');
  });

  it('applies the map filters exactly like /api/problems', async () => {
    for (const q of [
      'status=overdue',
      'category=small-ads,occupy-road&status=closed',
      'subdistrict=sd01&from=2026-03-01',
      'unit=u03',
      'bbox=115.97,36.44,115.98,36.45',
    ]) {
      const ledger = (await getJson(fx.app, `/api/ledger?${q}&limit=1000`)).body;
      const list = (await getJson(fx.app, `/api/problems?${q}`)).body.features.map((f: any) => f.id);
      expect(ids(ledger), q).toEqual(list);
      expect(ledger.total, q).toBe(list.length);
    }
  });

  it('sorts by any column, nulls last, and pages with offset', async () => {
    const byDeadline = (await getJson(fx.app, '/api/ledger?sort=deadline&order=asc')).body.rows;
    const deadlines = byDeadline.map((r: any) => r.deadline);
    const set = deadlines.filter((d: string | null) => d !== null);
    expect(set).toEqual([...set].sort((a: string, b: string) => Date.parse(a) - Date.parse(b)));
    expect(deadlines.slice(set.length).every((d: unknown) => d === null)).toBe(true);
    const all = ids((await getJson(fx.app, '/api/ledger?sort=unit&order=asc')).body);
    const pages = [
      ...ids((await getJson(fx.app, '/api/ledger?sort=unit&order=asc&limit=7')).body),
      ...ids((await getJson(fx.app, '/api/ledger?sort=unit&order=asc&limit=7&offset=7')).body),
      ...ids((await getJson(fx.app, '/api/ledger?sort=unit&order=asc&limit=7&offset=14')).body),
    ];
    expect(pages).toEqual(all);
    expect((await getJson(fx.app, '/api/ledger?sort=colour')).status).toBe(400);
    expect((await getJson(fx.app, '/api/ledger?limit=5000')).status).toBe(400);
  });

  it('searches description, place name and address (full text; short words too)', async () => {
    const s = async (q: string) => ids((await getJson(fx.app, `/api/ledger?q=${encodeURIComponent(q)}&sort=id&order=asc`)).body);
    expect(await s('小广告')).toEqual(['p05', 'p06', 'p13', 'p18']);
    expect(await s('东关街12号')).toEqual(['p01', 'p02', 'p03', 'p04']);
    expect(await s('垃圾')).toEqual(['p04', 'p07', 'p14', 'p16']);
    expect(await s('东关 垃圾')).toEqual(['p04']);
    expect(await s('没有这个')).toEqual([]);
    expect(await s('100%_"')).toEqual([]);
    // A new report is found at once.
    const fd = new FormData();
    for (const [k, v] of Object.entries({ category: 'small-ads', lng: 115.975, lat: 36.45, description: '电线杆上贴满了办证小广告', reporter: '王' }))
      fd.set(k, String(v));
    fd.append('photos', new File([new Uint8Array(await jpegWithExif())], 'a.jpg'));
    const created = (await (await fx.app.request('/api/problems', { method: 'POST', body: fd })).json()) as any;
    expect(await s('办证小广告')).toEqual([created.problem.id]);
  });
});

describe('exports', () => {
  it('XLSX holds exactly the filtered set in the 台账 columns', async () => {
    const res = await fx.app.request('/api/ledger/export.xlsx?subdistrict=sd02&sort=id&order=asc');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/spreadsheetml/);
    expect(res.headers.get('content-disposition')).toMatch(/filename\*=UTF-8''%E9%97%AE%E9%A2%98%E5%8F%B0%E8%B4%A6/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    expect(ws.name).toBe('问题台账');
    const rows: string[][] = [];
    ws.eachRow((row) =>
      rows.push(
        Array.from({ length: 14 }, (_, i) => {
          const v = (row.values as unknown[])[i + 1];
          return v === null || v === undefined ? '' : String(v);
        }),
      ),
    );
    expect(rows[0][0]).toMatch(/问题台账/);
    expect(rows[1]).toEqual([
      '编号',
      '类别',
      '标准代码（GB/T 47678.5）',
      '位置',
      '所属区县',
      '所属街道',
      '责任单位',
      '发现时间',
      '整改时限',
      '状态',
      '整改时间',
      '复查结果',
      '是否反复',
      '原标准代码',
    ]);
    const expected = ids((await getJson(fx.app, '/api/ledger?subdistrict=sd02&sort=id&order=asc')).body);
    expect(rows.slice(2).map((r) => r[0])).toEqual(expected);
    const p03 = rows.find((r) => r[0] === 'p03')!;
    expect(p03).toEqual([
      'p03',
      '占道经营',
      '',
      '东关农贸市场 东关街12号',
      '示例区',
      '东城街道',
      '东关市场服务中心',
      '2026-03-10 10:00',
      '2026-03-13 16:00',
      '已交办（超期）',
      '',
      '',
      '是',
      '',
    ]);
    expect(rows.find((r) => r[0] === 'p01')!.slice(10)).toEqual(['2026-01-07 09:00', '合格', '否', '']);
    // A category with codes: the current standard's in its column, the older ones at the end.
    const p14 = rows.find((r) => r[0] === 'p14')!;
    expect([p14[2], p14[13]]).toEqual(['06010', 'GB/T 30428.2-2013 01-10']);
  });

  it('CSV too, in English when asked', async () => {
    const res = await fx.app.request('/api/ledger/export.csv?status=overdue&lang=en&sort=id&order=asc');
    expect(res.headers.get('content-type')).toBe('text/csv; charset=UTF-8');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder().decode(bytes).trim().split('\r\n');
    expect(lines[0]).toBe(
      'No.,Category,Code (GB/T 47678.5),Location,District,Subdistrict,Responsible unit,Found at,Deadline,Status,Rectified at,Look-back,Recurrence,Older codes',
    );
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(['p03', 'p08', 'p14']);
    expect(lines[1]).toContain('Assigned (overdue)');
    expect(lines[3]).toContain('"115.98150, 36.45900"');
  });
});

describe('XLSX with thumbnails', () => {
  it('adds a photo column with each problem’s before thumbnail', async () => {
    const fd = new FormData();
    for (const [k, v] of Object.entries({ category: 'outside-store', lng: 115.976, lat: 36.451, description: '带照片导出测试', reporter: '王' }))
      fd.set(k, String(v));
    fd.append('photos', new File([new Uint8Array(await jpegWithExif({ color: '#3355aa' }))], 'a.jpg'));
    const created = (await (await fx.app.request('/api/problems', { method: 'POST', body: fd })).json()) as any;
    const res = await fx.app.request('/api/ledger/export.xlsx?thumbnails=1&category=outside-store&sort=id&order=asc');
    expect(res.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    expect(ws.getRow(2).getCell(15).value).toBe('照片');
    const images = ws.getImages();
    expect(images).toHaveLength(1);
    const rowOfNew = (ws.getColumn(1).values as unknown[]).indexOf(created.problem.id);
    expect(images[0].range.tl.nativeRow + 1).toBe(rowOfNew);
    expect(wb.model.media).toHaveLength(1);
    expect((wb.model.media[0] as any).extension).toBe('jpeg');
  });
});
