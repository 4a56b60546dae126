import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import { XLSX_CONTENT_TYPE } from '../../server/contract/ledger';
import { PlaceDetail, REGISTRY_COLUMNS } from '../../server/contract/places';
import { fixtureApp, getJson } from './fixture';

const fx = await fixtureApp();
afterAll(async () => fx.close());

describe('GET /api/places/:id', () => {
  it('returns a market with names and problem counts', async () => {
    const { status, body } = await getJson(fx.app, '/api/places/mk01');
    expect(status).toBe(200);
    expect(PlaceDetail.parse(body)).toEqual(body);
    expect(body).toEqual({
      type: 'Feature',
      id: 'mk01',
      geometry: { type: 'Point', coordinates: [115.984, 36.448] },
      properties: {
        id: 'mk01',
        name: '东关农贸市场',
        kind: 'market',
        subdistrictId: 'sd02',
        unitId: 'u02',
        address: '东关街12号',
        subdistrictName: '东城街道',
        unitName: '东关市场服务中心',
        // As imported: nobody named yet, never edited.
        leaderId: null,
        leaderName: null,
        keeper: null,
        contact: null,
        phone: null,
        notes: null,
        photos: [],
        version: 1,
        retiredAt: null,
        retiredReason: null,
        // p01, p02 closed; p03 assigned and overdue; p04 reported.
        problemCounts: { total: 4, open: 2, overdue: 1 },
      },
    });
  });

  it('returns a community with its entrance and a back street with its length', async () => {
    const cm = await getJson(fx.app, '/api/places/cm01');
    expect(cm.body.geometry.type).toBe('Polygon');
    expect(cm.body.properties).toMatchObject({ kind: 'community', entrance: [115.974, 36.452], subdistrictName: '西城街道', unitName: '西城街道城管中队' });
    expect(cm.body.properties.problemCounts).toEqual({ total: 2, open: 1, overdue: 1 });
    const bs = await getJson(fx.app, '/api/places/bs01');
    expect(bs.body.properties).toMatchObject({ kind: 'back-street', lengthM: 432 });
    expect(bs.body.properties.problemCounts).toEqual({ total: 3, open: 2, overdue: 0 });
  });

  it('answers 404 for an unknown id', async () => {
    const { status, body } = await getJson(fx.app, '/api/places/mk99');
    expect(status).toBe(404);
    expect(body.error).toMatch(/^There is no place "mk99"/);
  });
});

describe('GET /api/places/export.xlsx (点位信息表)', () => {
  const sheet = async (query = '') => {
    const res = await (await fx.signedIn('inspector')).request(`/api/places/export.xlsx${query}`);
    expect(res.status, await res.clone().text()).toBe(200);
    expect(res.headers.get('content-type')).toBe(XLSX_CONTENT_TYPE);
    expect(res.headers.get('content-disposition')).toContain(encodeURIComponent('点位信息表-2026-03-20.xlsx'));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('点位信息表')!;
    const rows: unknown[][] = [];
    ws.eachRow((r) => rows.push((r.values as unknown[]).slice(1)));
    return rows;
  };

  it('lists every point in the columns cities submit, under a title naming the city, day and count', async () => {
    const rows = await sheet();
    expect(String(rows[0][0])).toBe('示例区实地考察点位信息表　2026-03-20　共 3 个点位');
    expect(rows[1]).toEqual([...REGISTRY_COLUMNS]);
    // Grouped by subdistrict; 经度/纬度 the point, the community's entrance, halfway along the lane's
    // 432 m (28.7 m into its second segment, by hand).
    expect(rows.slice(2).map((r) => [r[0], r[1], r[2], r[3], r[4], r[5], r[10], r[11]])).toEqual([
      [1, '背街小巷', '羊市街', undefined, '西城街道', '西城街道城管中队', expect.closeTo(115.975234, 5), expect.closeTo(36.444676, 5)],
      [2, '社区/小区', '幸福小区', undefined, '西城街道', '西城街道城管中队', 115.974, 36.452],
      [3, '农贸市场', '东关农贸市场', '东关街12号', '东城街道', '东关市场服务中心', 115.984, 36.448],
    ]);
  });

  it('takes one point type or one subdistrict, and names an unknown type', async () => {
    expect((await sheet('?kind=market')).slice(2).map((r) => r[2])).toEqual(['东关农贸市场']);
    const west = await sheet('?subdistrict=sd01');
    expect(String(west[0][0])).toContain('（西城街道）');
    expect(west.slice(2).map((r) => r[2])).toEqual(['羊市街', '幸福小区']);
    const { status, body } = await getJson(await fx.signedIn('inspector'), '/api/places/export.xlsx?kind=shop');
    expect(status).toBe(400);
    expect(body.error).toMatch(/^Invalid query\.kind: there is no point type "shop" in catalog .*; the types are market, /);
  });
});
