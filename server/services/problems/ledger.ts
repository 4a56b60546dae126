import { PassThrough, Readable } from 'node:stream';
import type ExcelJS from 'exceljs';
import { InputError } from '../../errors';
import type { Catalog } from '../../contract/catalog';
import { toProblemFilter, type ProblemTileQuery } from '../../contract/problems';
import type { LedgerPage, LedgerRow, LedgerSort } from '../../contract/workflow';
import type { BBox } from '../../contract/geo';
import { MediaFiles } from '../../media/media-files';
import type { Store } from '../../store/index';
import type { LedgerDbRow, LedgerQueryOpts } from '../../store/workflow';

/** exceljs takes about half a second to load: only an export pays for it, not every server start. */
async function loadExcel(): Promise<{ Excel: typeof ExcelJS }> {
  return { Excel: (await import('exceljs')).default };
}

/** Default ledger page size (rows). */
export const LEDGER_PAGE_DEFAULT = 200;

/** The validated ledger query. */
export type LedgerQuery = ProblemTileQuery & {
  bbox?: BBox;
  q?: string;
  sort: LedgerSort;
  order: 'asc' | 'desc';
  offset?: number;
  limit?: number;
  lang: 'zh' | 'en';
};

function opts(q: LedgerQuery, nowMs: number, all: boolean): LedgerQueryOpts {
  return {
    filter: toProblemFilter(q),
    words: (q.q ?? '').split(/\s+/).filter(Boolean).slice(0, 8),
    sort: q.sort,
    order: q.order,
    offset: all ? 0 : (q.offset ?? 0),
    limit: all ? null : (q.limit ?? LEDGER_PAGE_DEFAULT),
    nowMs,
  };
}

function toRow(r: LedgerDbRow, catalog: Catalog): LedgerRow {
  const cat = catalog.categories.find((c) => c.id === r.category);
  // Rectified: waiting for its look-back. Otherwise the last recorded check; an imported closed problem passed one.
  const lookBack = r.status === 'rectified' ? 'pending' : (r.lastCheck ?? (r.status === 'closed' ? 'pass' : null));
  return {
    id: r.id,
    category: r.category,
    categoryName: cat ? { zh: cat.zh, en: cat.en } : { zh: r.category, en: r.category },
    description: r.description,
    location: r.placeName ? [r.placeName, r.placeAddress].filter(Boolean).join(' ') : `${r.lng.toFixed(5)}, ${r.lat.toFixed(5)}`,
    lng: r.lng,
    lat: r.lat,
    subdistrictName: r.subdistrictName,
    unitName: r.unitName,
    reportedAt: r.reportedAt,
    deadline: r.deadline,
    status: r.status,
    overdue: r.overdue === 1,
    rectifiedAt: r.rectifiedAt,
    lookBack,
    recurrence: r.recurrenceOf !== null,
    noticeNo: r.noticeNo,
  };
}

/** `GET /api/ledger`: one page of the filtered, searched, sorted ledger and the total. */
export function ledgerPage(store: Store, catalog: Catalog, q: LedgerQuery, nowMs: number): LedgerPage {
  const o = opts(q, nowMs, false);
  return { total: store.ledgerCount(o), offset: o.offset, rows: store.ledgerRows(o).map((r) => toRow(r, catalog)) };
}

/** The 台账 columns, in order. */
export const LEDGER_COLUMNS = [
  { key: 'id', zh: '编号', en: 'No.', width: 12 },
  { key: 'category', zh: '类别', en: 'Category', width: 14 },
  { key: 'location', zh: '位置', en: 'Location', width: 30 },
  { key: 'subdistrict', zh: '所属街道', en: 'Subdistrict', width: 14 },
  { key: 'unit', zh: '责任单位', en: 'Responsible unit', width: 22 },
  { key: 'reportedAt', zh: '发现时间', en: 'Found at', width: 17 },
  { key: 'deadline', zh: '整改时限', en: 'Deadline', width: 17 },
  { key: 'status', zh: '状态', en: 'Status', width: 12 },
  { key: 'rectifiedAt', zh: '整改时间', en: 'Rectified at', width: 17 },
  { key: 'lookBack', zh: '复查结果', en: 'Look-back', width: 10 },
  { key: 'recurrence', zh: '是否反复', en: 'Recurrence', width: 10 },
] as const;

const STATUS_TEXT = {
  zh: { reported: '已上报', assigned: '已交办', rectified: '已整改', closed: '已销号', overdue: '（超期）' },
  en: { reported: 'Reported', assigned: 'Assigned', rectified: 'Rectified', closed: 'Closed', overdue: ' (overdue)' },
};
const LOOK_BACK_TEXT = {
  zh: { pass: '合格', fail: '不合格', pending: '待复查' },
  en: { pass: 'Passed', fail: 'Failed', pending: 'Pending' },
};
const YES_NO = { zh: ['是', '否'], en: ['Yes', 'No'] };

/** `2026-03-04T09:15:00+08:00` → `2026-03-04 09:15` (city time as stored). */
const shortTime = (t: string | null) => (t ? `${t.slice(0, 10)} ${t.slice(11, 16)}` : '');

/** One ledger row as the 台账 cells, in LEDGER_COLUMNS order. */
export function ledgerCells(r: LedgerRow, lang: 'zh' | 'en'): string[] {
  const st = STATUS_TEXT[lang];
  return [
    r.id,
    r.categoryName[lang] || r.categoryName.zh,
    r.location,
    r.subdistrictName ?? '',
    r.unitName ?? '',
    shortTime(r.reportedAt),
    shortTime(r.deadline),
    st[r.status] + (r.overdue ? st.overdue : ''),
    shortTime(r.rectifiedAt),
    r.lookBack ? LOOK_BACK_TEXT[lang][r.lookBack] : '',
    YES_NO[lang][r.recurrence ? 0 : 1],
  ];
}

function allRows(store: Store, catalog: Catalog, q: LedgerQuery, nowMs: number): LedgerRow[] {
  return store.ledgerRows(opts(q, nowMs, true)).map((r) => toRow(r, catalog));
}

/** CSV of exactly the filtered set (UTF-8 with BOM so Excel opens Chinese text right; RFC 4180 quoting). */
export function ledgerCsv(store: Store, catalog: Catalog, q: LedgerQuery, nowMs: number): string {
  // A cell starting with = + - @ would run as a formula when Excel opens the file (CSV injection, OWASP):
  // a leading apostrophe keeps it text.
  const neutral = (s: string) => (/^[=+\-@\t\r]/.test(s) ? `'${s}` : s);
  const quote = (raw: string) => {
    const s = neutral(raw);
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const lines = [LEDGER_COLUMNS.map((c) => c[q.lang]).join(',')];
  for (const r of allRows(store, catalog, q, nowMs)) lines.push(ledgerCells(r, q.lang).map(quote).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/**
 * XLSX of exactly the filtered set in the 台账 columns, written as a stream (exceljs WorkbookWriter), so
 * 100,000 rows do not build one big workbook in memory.
 */
export async function ledgerXlsx(store: Store, catalog: Catalog, q: LedgerQuery, nowMs: number, title: string): Promise<ReadableStream<Uint8Array>> {
  const { Excel } = await loadExcel();
  const out = new PassThrough();
  const rows = allRows(store, catalog, q, nowMs);
  const wb = new Excel.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: true });
  wb.creator = 'Xuncha 巡查';
  const ws = wb.addWorksheet(q.lang === 'zh' ? '问题台账' : 'Ledger', { views: [{ state: 'frozen', ySplit: 2 }] });
  ws.columns = LEDGER_COLUMNS.map((c) => ({ key: c.key, width: c.width }));
  const head = ws.addRow([title]);
  head.font = { bold: true, size: 14 };
  head.commit();
  const header = ws.addRow(LEDGER_COLUMNS.map((c) => c[q.lang]));
  header.font = { bold: true };
  header.commit();
  (async () => {
    for (const r of rows) ws.addRow(ledgerCells(r, q.lang)).commit();
    ws.commit();
    await wb.commit();
  })().catch((err: unknown) => out.destroy(err instanceof Error ? err : new Error(String(err))));
  return Readable.toWeb(out) as ReadableStream<Uint8Array>;
}

/** At most this many rows in an export with thumbnails (each embeds an image). */
export const THUMBNAIL_EXPORT_MAX_ROWS = 2000;
const THUMB_W = 64;
const THUMB_H = 48;

/**
 * XLSX with a 照片 column holding each problem's first before-photo thumbnail. Built in memory (exceljs
 * streams no images), so it is capped at THUMBNAIL_EXPORT_MAX_ROWS rows.
 * @throws InputError when the filtered set is larger; narrow the filters or export without thumbnails.
 */
export async function ledgerXlsxWithThumbnails(
  store: Store,
  catalog: Catalog,
  q: LedgerQuery,
  nowMs: number,
  title: string,
  mediaDir: string,
): Promise<Uint8Array<ArrayBuffer>> {
  const o = opts(q, nowMs, true);
  const total = store.ledgerCount(o);
  if (total > THUMBNAIL_EXPORT_MAX_ROWS) {
    throw new InputError(
      `An export with thumbnails holds at most ${THUMBNAIL_EXPORT_MAX_ROWS} rows and these filters match ${total}; narrow the filters or export without thumbnails`,
      [{ path: 'query.thumbnails', message: `too many rows for thumbnails (${total})` }],
    );
  }
  const files = new MediaFiles(mediaDir);
  const { Excel } = await loadExcel();
  const wb = new Excel.Workbook();
  wb.creator = 'Xuncha 巡查';
  const ws = wb.addWorksheet(q.lang === 'zh' ? '问题台账' : 'Ledger', { views: [{ state: 'frozen', ySplit: 2 }] });
  ws.columns = [...LEDGER_COLUMNS.map((c) => ({ key: c.key, width: c.width })), { key: 'photo', width: 11 }];
  ws.addRow([title]).font = { bold: true, size: 14 };
  ws.addRow([...LEDGER_COLUMNS.map((c) => c[q.lang]), q.lang === 'zh' ? '照片' : 'Photo']).font = { bold: true };
  for (const r of store.ledgerRows(o).map((x) => toRow(x, catalog))) {
    const row = ws.addRow(ledgerCells(r, q.lang));
    const photo = store.problemMedia(r.id).find((m) => m.role === 'before');
    const data = photo ? files.read(photo.hash, 'thumb') : null;
    if (!data) continue;
    row.height = THUMB_H * 0.75 + 4; // points
    const image = wb.addImage({ buffer: data as unknown as ExcelJS.Buffer, extension: 'jpeg' });
    ws.addImage(image, { tl: { col: LEDGER_COLUMNS.length, row: row.number - 1 }, ext: { width: THUMB_W, height: THUMB_H }, editAs: 'oneCell' });
  }
  return new Uint8Array(await wb.xlsx.writeBuffer()) as Uint8Array<ArrayBuffer>;
}
