/**
 * The assessment catalog as a workbook: exported, edited the way a clerk edits it (a new version name
 * and day, a lower threshold), imported as a new version that scores from its day on while earlier days
 * keep theirs; and the bad sheets of the issue — a missing indicator number, points that do not add up,
 * an unknown category, a count item without its threshold, a day in the past — each refused with its
 * sheet and row, nothing applied.
 */
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import { fixtureApp, getJson, type Requester } from './fixture';

const fx = await fixtureApp();
const inspector = await fx.signedIn('inspector');
afterAll(async () => fx.close());

async function exported(): Promise<ExcelJS.Workbook> {
  const res = await fx.app.request('/api/assessment/catalog.xlsx');
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/spreadsheetml/);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(await res.arrayBuffer());
  return wb;
}

/** The row of `sheet` whose first cell is `key`. */
function rowOf(wb: ExcelJS.Workbook, sheet: string, key: string): ExcelJS.Row {
  const ws = wb.getWorksheet(sheet)!;
  for (let n = 1; n <= ws.rowCount; n++) if (String(ws.getRow(n).getCell(1).value) === key) return ws.getRow(n);
  throw new Error(`no row ${key} in ${sheet}`);
}

/** A copy of the export as the next version, changed by `edit`. */
async function nextVersion(edit: (wb: ExcelJS.Workbook) => void = () => undefined): Promise<Uint8Array> {
  const wb = await exported();
  rowOf(wb, '目录', '版本').getCell(2).value = 'fixture-2026.2';
  rowOf(wb, '目录', '生效日期').getCell(2).value = '2026-04-01';
  edit(wb);
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

async function upload(app: Requester, bytes: Uint8Array) {
  const form = new FormData();
  form.append(
    'file',
    new File([bytes as Uint8Array<ArrayBuffer>], 'catalog.xlsx', { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }),
  );
  const res = await app.request('/api/assessment/catalog', { method: 'POST', body: form });
  return { status: res.status, body: (await res.json()) as any };
}

describe('a catalog sheet with mistakes', () => {
  const refused = async (edit: (wb: ExcelJS.Workbook) => void) => {
    const out = await upload(fx.app, await nextVersion(edit));
    expect(out.status, JSON.stringify(out.body)).toBe(400);
    return out.body as { error: string; details: { path: string; message: string }[] };
  };

  it('names the row of a missing indicator number', async () => {
    const body = await refused((wb) => (rowOf(wb, '指标', '1.1').getCell(1).value = null));
    const row = body.details.find((d) => d.path.startsWith('指标!'));
    expect(row?.message).toMatch(/^指标 第 \d+ 行: 编号 is missing/);
  });

  it('names the total when the points do not add up to it', async () => {
    const body = await refused((wb) => (rowOf(wb, '目录', '总分').getCell(2).value = 99));
    expect(body.details[0].path).toBe('目录!5');
    expect(body.details[0].message).toMatch(/add up to \d+ points, not the stated total 99/);
  });

  it('names the item linked to a category the city does not have', async () => {
    const body = await refused((wb) => (rowOf(wb, '检查项', 'market-zoning').getCell(11).value = 'no-such-category'));
    expect(body.details[0].path).toMatch(/^检查项!\d+$/);
    expect(body.details[0].message).toContain('no-such-category');
    expect(body.error).toMatch(/nothing was applied/);
  });

  it('names the count item without its threshold', async () => {
    let row = 0;
    const body = await refused((wb) => {
      const r = rowOf(wb, '检查项', 'market-psa');
      r.getCell(7).value = null;
      row = r.number;
    });
    expect(body.details[0].path).toBe(`检查项!${row}`);
    expect(body.details[0].message).toMatch(/needs its 阈值/);
  });

  it('refuses a version that would score days already past, and a file that is not a workbook', async () => {
    const body = await refused((wb) => (rowOf(wb, '目录', '生效日期').getCell(2).value = '2026-03-01'));
    expect(body.error).toMatch(/in the past/);
    const junk = await upload(fx.app, new TextEncoder().encode('编号,名称\n1,公共秩序\n'));
    expect(junk.status).toBe(400);
    expect(junk.body.error).toMatch(/not an Excel workbook/);
  });

  it('applied none of them', async () => {
    expect((await getJson(fx.app, '/api/assessment/catalog')).body.versions.map((v: { version: string }) => v.version)).toEqual(['fixture-2026.1']);
  });
});

describe('a catalog version imported from a sheet', () => {
  it('is for the administrator only', async () => {
    expect((await upload(inspector, await nextVersion())).status).toBe(403);
  });

  it('scores from its day on; the days before keep the version they had', async () => {
    const bytes = await nextVersion((wb) => {
      rowOf(wb, '检查项', 'market-psa').getCell(7).value = 3;
      rowOf(wb, '目录', '名称').getCell(2).value = '测试目录（修订）';
    });
    const out = await upload(fx.app, bytes);
    expect(out.status, JSON.stringify(out.body)).toBe(201);
    expect(out.body).toMatchObject({ version: 'fixture-2026.2', effectiveFrom: '2026-04-01', pointTypes: 3 });
    const later = (await getJson(inspector, '/api/assessment/catalog?date=2026-04-02')).body;
    expect(later.inForce.version).toBe('fixture-2026.2');
    expect(later.inForce.name.zh).toBe('测试目录（修订）');
    const psa = later.inForce.pointTypes[0].items.find((i: { id: string }) => i.id === 'market-psa');
    expect(psa.rule).toEqual({ kind: 'count', min: 3, unit: { zh: '处', en: 'displays' } });
    expect((await getJson(inspector, '/api/assessment/catalog?date=2026-03-31')).body.inForce.version).toBe('fixture-2026.1');
    expect(later.versions.map((v: { version: string }) => v.version)).toEqual(['fixture-2026.1', 'fixture-2026.2']);
    // The exported new version reads back the same.
    const again = await fx.app.request('/api/assessment/catalog.xlsx?date=2026-04-02');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await again.arrayBuffer());
    expect(rowOf(wb, '检查项', 'market-psa').getCell(7).value).toBe(3);
  });

  it('is refused a second time: the name and day are taken', async () => {
    const out = await upload(fx.app, await nextVersion());
    expect(out.status).toBe(409);
    expect(out.body.error).toMatch(/fixture-2026\.2/);
  });
});
