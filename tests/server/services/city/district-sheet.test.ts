/**
 * The districts from a sheet (issue 22): the 区县与街道对照表 in either layout makes each district the union
 * of its subdistricts and sets the codes; a sheet leaving a subdistrict out, or naming one the city has not,
 * changes nothing and says which.
 */
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import { applyDistrictSheet, planDistrictSheet } from '../../../../server/services/city/district-sheet';
import { fixtureApp, getJson } from '../../../api/fixture';

const fx = await fixtureApp();
afterAll(async () => fx.close());

async function sheet(rows: (string | number)[][]): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('区县街道');
  for (const r of rows) ws.addRow(r);
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

describe('the district sheet', () => {
  it('refuses a sheet that leaves a subdistrict out or names one the city has not, and changes nothing', async () => {
    const plan = await planDistrictSheet(
      fx.store,
      await sheet([
        ['示例市区县街道对照表'],
        ['区县', '区县代码', '街道', '街道代码'],
        ['西城区', '371502000000', '西城街道', '371502001000'],
        ['西城区', '371502000000', '南关街道', '371502009000'],
      ]),
    );
    expect(plan.problems).toEqual([
      '区县街道!4: no subdistrict of this city is 南关街道 / 371502009000',
      'subdistrict 东城街道 (sd02) is in no district of the sheet',
    ]);
    expect(() => applyDistrictSheet(fx.store, plan)).toThrow(/nothing was changed.*南关街道/);
    expect((await fx.store.listDistricts()).map((d) => d.id)).toEqual(['dt01']);
  });

  it('reads one row per subdistrict, below a title row, and makes each district the union of its subdistricts', async () => {
    const plan = await planDistrictSheet(
      fx.store,
      await sheet([
        ['示例市区县街道对照表（2026年）'],
        ['所属区县', '区县代码', '街道名称', '街道代码'],
        ['西城区', '371502000000', '西城街道', '371502001000'],
        ['东城新区', '371503000000', '东城街道', '371503001000'],
      ]),
    );
    expect(plan.problems).toEqual([]);
    applyDistrictSheet(fx.store, plan);
    const meta = (await getJson(fx.app, '/api/meta')).body;
    expect(meta.districts).toEqual([
      { id: 'dt371502', name: '西城区', code: '371502000000', kind: 'district' },
      { id: 'dt371503', name: '东城新区', code: '371503000000', kind: 'zone' },
    ]);
    expect(meta.subdistricts.map((s: { id: string; code: string; districtId: string }) => [s.id, s.code, s.districtId])).toEqual([
      ['sd01', '371502001000', 'dt371502'],
      ['sd02', '371503001000', 'dt371503'],
    ]);
    // u03 (district-wide) has its office in the east half.
    expect(meta.units.map((u: { id: string; districtId: string }) => u.districtId)).toEqual(['dt371502', 'dt371503', 'dt371503']);
    const layer = (await getJson(fx.app, '/api/layers/districts')).body.features;
    const sd = (await getJson(fx.app, '/api/layers/subdistricts')).body.features;
    expect(layer[0].geometry).toEqual(sd[0].geometry);
    const east = (await getJson(fx.app, '/api/problems?district=dt371503&limit=100')).body.features.length;
    expect(east).toBe((await getJson(fx.app, '/api/problems?subdistrict=sd02&limit=100')).body.features.length);
  });

  it('reads the 统计用区划代码 list: districts by their codes, townships under them', async () => {
    const plan = await planDistrictSheet(
      fx.store,
      await sheet([
        ['统计用区划代码', '名称'],
        ['371500000000', '示例市'],
        ['371502000000', '西城区'],
        ['371502001000', '西城街道'],
        ['371503000000', '东城县'],
        ['371503001000', '东城街道'],
      ]),
    );
    expect(plan.problems).toEqual([]);
    expect(plan.districts.map((d) => [d.id, d.name, d.kind, d.subdistrictIds])).toEqual([
      ['dt371502', '西城区', 'district', ['sd01']],
      ['dt371503', '东城县', 'county', ['sd02']],
    ]);
  });
});
