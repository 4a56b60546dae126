/**
 * The ledger exports answer what they answered before they were streamed: the CSV byte for byte, the
 * XLSX cell for cell (its zip carries timestamps, so the workbook is read back with exceljs and compared
 * as content), with the same status and headers.
 *
 * The goldens in tests/fixtures/ledger-export/ were written by the export code as it was before streaming
 * (one `allRows` array, one CSV string). Rewrite them only when the export's format changes on purpose:
 *
 *   XUNCHA_WRITE_GOLDEN=1 npx vitest run --project unit tests/api/ledger-export-bytes.test.ts
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import { fixtureApp, type Requester } from './fixture';

const GOLDEN_DIR = fileURLToPath(new URL('../fixtures/ledger-export', import.meta.url));
const WRITE = process.env.XUNCHA_WRITE_GOLDEN === '1';

const fx = await fixtureApp();
afterAll(async () => fx.close());

/** Each case: a caller and a query; the name is the golden's file name. */
const CASES: { name: string; query: string; who?: () => Promise<Requester> }[] = [
  { name: 'all-zh', query: '' },
  { name: 'overdue-en', query: 'status=overdue&lang=en&sort=id&order=asc' },
  { name: 'search-sorted-by-unit', query: `q=${encodeURIComponent('东关 垃圾')}&sort=unit&order=asc` },
  { name: 'search-short-word', query: `q=${encodeURIComponent('广告')}&sort=deadline&order=desc` },
  { name: 'bbox-category', query: 'bbox=115.97,36.44,115.99,36.46&category=occupy-road,small-ads&sort=reportedAt&order=asc' },
  { name: 'nothing-matches', query: `q=${encodeURIComponent('没有这个')}` },
  { name: 'unit-account', query: 'sort=id&order=asc', who: async () => fx.signedIn('unit', 'u02') },
];

/** What the answer says besides its body. */
function head(res: Response) {
  return { status: res.status, contentType: res.headers.get('content-type'), contentDisposition: res.headers.get('content-disposition') };
}

/** The workbook as content: what a person opening it sees, and how the sheet is laid out. */
async function workbookContent(bytes: Uint8Array) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  return {
    creator: wb.creator,
    sheets: wb.worksheets.map((ws) => {
      const rows: { number: number; cells: { value: unknown; bold: boolean; size: number | null }[] }[] = [];
      ws.eachRow({ includeEmpty: true }, (row) => {
        const cells: { value: unknown; bold: boolean; size: number | null }[] = [];
        row.eachCell({ includeEmpty: true }, (cell) => cells.push({ value: cell.value, bold: cell.font?.bold === true, size: cell.font?.size ?? null }));
        rows.push({ number: row.number, cells });
      });
      return {
        name: ws.name,
        views: ws.views,
        columns: (ws.columns ?? []).map((c) => ({ width: c.width ?? null })),
        rowCount: ws.rowCount,
        rows,
      };
    }),
  };
}

function golden(file: string, actual: Buffer | string): Buffer {
  const path = join(GOLDEN_DIR, file);
  if (WRITE) {
    mkdirSync(GOLDEN_DIR, { recursive: true });
    writeFileSync(path, actual);
  }
  return readFileSync(path);
}

describe('ledger exports keep their bytes', () => {
  it.each(CASES)('CSV $name', async ({ name, query, who }) => {
    const res = await ((await who?.()) ?? fx.app).request(`/api/ledger/export.csv?${query}`);
    const bytes = Buffer.from(await res.arrayBuffer());
    const expected = golden(`${name}.csv`, bytes);
    expect(bytes.equals(expected), `${name}.csv differs from its golden`).toBe(true);
    const meta = JSON.stringify(head(res), null, 2) + '\n';
    expect(meta).toBe(golden(`${name}.csv.head.json`, meta).toString('utf8'));
  });

  it.each(CASES)('XLSX $name', async ({ name, query, who }) => {
    const res = await ((await who?.()) ?? fx.app).request(`/api/ledger/export.xlsx?${query}`);
    const content = JSON.stringify({ head: head(res), workbook: await workbookContent(new Uint8Array(await res.arrayBuffer())) }, null, 2) + '\n';
    expect(JSON.parse(content)).toEqual(JSON.parse(golden(`${name}.xlsx.json`, content).toString('utf8')));
  });

  it('the goldens hold rows (a golden of empty exports would prove nothing)', () => {
    const lines = readFileSync(join(GOLDEN_DIR, 'all-zh.csv'), 'utf8').split('\r\n');
    expect(lines.length).toBe(1 + 20 + 1);
    const unit = readFileSync(join(GOLDEN_DIR, 'unit-account.csv'), 'utf8').split('\r\n').slice(1, -1);
    expect(unit.length).toBeGreaterThan(0);
    expect(unit.every((l) => l.includes('东关市场服务中心'))).toBe(true);
  });
});
