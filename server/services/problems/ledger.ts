import { problemFilter, type FilterStore } from './filter';
import { EventEmitter } from 'node:events';
import type { Writable } from 'node:stream';
import type ExcelJS from 'exceljs';
import { InputError } from '../../errors';
import { CODE_STANDARDS, type Catalog } from '../../contract/catalog';
import type { ProblemTileQuery } from '../../contract/problems';
import type { LedgerPage, LedgerRow, LedgerSort } from '../../contract/workflow';
import type { BBox } from '../../contract/geo';
import { MediaFiles } from '../../media/media-files';
import { openStore, type Store } from '../../store/index';
import type { LedgerDbRow, LedgerQueryOpts } from '../../store/ledger';

/** exceljs takes about half a second to load: only an export pays for it, not every server start. */
export async function loadExcel(): Promise<{ Excel: typeof ExcelJS }> {
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

async function opts(store: FilterStore, q: LedgerQuery, nowMs: number, all: boolean): Promise<LedgerQueryOpts> {
  return {
    filter: await problemFilter(store, q),
    words: (q.q ?? '').split(/\s+/).filter(Boolean).slice(0, 8),
    sort: q.sort,
    order: q.order,
    offset: all ? 0 : (q.offset ?? 0),
    limit: all ? null : (q.limit ?? LEDGER_PAGE_DEFAULT),
    nowMs,
  };
}

/** Each category's code in the current standard and in the older ones, as the ledger writes them. */
const codeTexts = new WeakMap<Catalog, Map<string, { code: string | null; legacyCodes: string | null }>>();
function codesOf(catalog: Catalog, category: string): { code: string | null; legacyCodes: string | null } {
  let m = codeTexts.get(catalog);
  if (!m) {
    m = new Map();
    for (const c of catalog.categories) {
      const older = c.codes.filter((x) => x.standard !== CODE_STANDARDS[0]);
      m.set(c.id, {
        code: c.codes.find((x) => x.standard === CODE_STANDARDS[0])?.code ?? null,
        legacyCodes: older.length ? older.map((x) => `${x.standard} ${x.code}`).join('; ') : null,
      });
    }
    codeTexts.set(catalog, m);
  }
  return m.get(category) ?? { code: null, legacyCodes: null };
}

/** A stored ledger row as the API gives it (category names and codes, location text, look-back). */
export function ledgerRow(r: LedgerDbRow, catalog: Catalog): LedgerRow {
  const cat = catalog.categories.find((c) => c.id === r.category);
  // Rectified: waiting for its look-back. Otherwise the last recorded check; an imported closed problem passed one.
  const lookBack = r.status === 'rectified' ? 'pending' : (r.lastCheck ?? (r.status === 'closed' ? 'pass' : null));
  return {
    id: r.id,
    category: r.category,
    categoryName: cat ? { zh: cat.zh, en: cat.en } : { zh: r.category, en: r.category },
    ...codesOf(catalog, r.category),
    description: r.description,
    location: r.placeName ? [r.placeName, r.placeAddress].filter(Boolean).join(' ') : `${r.lng.toFixed(5)}, ${r.lat.toFixed(5)}`,
    lng: r.lng,
    lat: r.lat,
    districtName: r.districtName,
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
export async function ledgerPage(store: Store, catalog: Catalog, q: LedgerQuery, nowMs: number): Promise<LedgerPage> {
  const o = await opts(store, q, nowMs, false);
  const page = await store.ledgerPage(o);
  return { total: page.total, offset: o.offset, rows: page.rows.map((r) => ledgerRow(r, catalog)) };
}

/** The 台账 columns, in order. */
export const LEDGER_COLUMNS = [
  { key: 'id', zh: '编号', en: 'No.', width: 12 },
  { key: 'category', zh: '类别', en: 'Category', width: 14 },
  { key: 'code', zh: '标准代码（GB/T 47678.5）', en: 'Code (GB/T 47678.5)', width: 12 },
  { key: 'location', zh: '位置', en: 'Location', width: 30 },
  { key: 'district', zh: '所属区县', en: 'District', width: 12 },
  { key: 'subdistrict', zh: '所属街道', en: 'Subdistrict', width: 14 },
  { key: 'unit', zh: '责任单位', en: 'Responsible unit', width: 22 },
  { key: 'reportedAt', zh: '发现时间', en: 'Found at', width: 17 },
  { key: 'deadline', zh: '整改时限', en: 'Deadline', width: 17 },
  { key: 'status', zh: '状态', en: 'Status', width: 12 },
  { key: 'rectifiedAt', zh: '整改时间', en: 'Rectified at', width: 17 },
  { key: 'lookBack', zh: '复查结果', en: 'Look-back', width: 10 },
  { key: 'recurrence', zh: '是否反复', en: 'Recurrence', width: 10 },
  { key: 'legacyCodes', zh: '原标准代码', en: 'Older codes', width: 30 },
] as const;

const STATUS_TEXT = {
  zh: { reported: '已上报', assigned: '已交办', rectified: '已整改', closed: '已销号', held: '挂账', rejected: '不予立案', overdue: '（超期）' },
  en: { reported: 'Reported', assigned: 'Assigned', rectified: 'Rectified', closed: 'Closed', held: 'Held', rejected: 'Not filed', overdue: ' (overdue)' },
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
    r.code ?? '',
    r.location,
    r.districtName ?? '',
    r.subdistrictName ?? '',
    r.unitName ?? '',
    shortTime(r.reportedAt),
    shortTime(r.deadline),
    st[r.status] + (r.overdue ? st.overdue : ''),
    shortTime(r.rectifiedAt),
    r.lookBack ? LOOK_BACK_TEXT[lang][r.lookBack] : '',
    YES_NO[lang][r.recurrence ? 0 : 1],
    r.legacyCodes ?? '',
  ];
}

/**
 * What a streamed export reads: the ledger's rows one at a time. The server's Store is one, but its
 * connection writes nothing while a cursor is open, so an export reads from a store of its own
 * (`openLedgerSource(file)`, as the pool's export tasks do).
 */
export type LedgerRowSource = Pick<Store, 'iterateLedgerRows' | 'gridArea' | 'districtSubdistricts'>;

/** CSV text is handed on in pieces of about this many characters (a few hundred rows). */
const CSV_CHUNK_CHARS = 64 * 1024;
/** XLSX rows added between two looks at the zip's back-pressure (about 100 KB of sheet XML). */
const XLSX_BATCH_ROWS = 100;

// A cell starting with = + - @ would run as a formula when Excel opens the file (CSV injection, OWASP):
// a leading apostrophe keeps it text.
const neutral = (s: string) => (/^[=+\-@\t\r]/.test(s) ? `'${s}` : s);
const csvCell = (raw: string) => {
  const s = neutral(raw);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/**
 * Writes the CSV of exactly the filtered set to `out` and ends it (UTF-8 with BOM so Excel opens Chinese
 * text right; RFC 4180 quoting, CRLF). Rows are read from SQLite's cursor as `out` takes them: one
 * chunk of text is held at a time, whatever the row count, and `out`'s back-pressure is honoured.
 *
 * Nothing is written before the query has produced its first answer, so a failing query (or an aborted
 * signal) rejects before any byte. A failure, an abort, an error of `out` or `out` closed by its reader
 * stops reading rows (the cursor is closed), destroys `out` and rejects with the reason.
 *
 * @example
 * await writeLedgerCsv(store, catalog, q, Date.now(), createWriteStream('ledger.csv'), AbortSignal.timeout(60_000));
 */
export async function writeLedgerCsv(
  store: LedgerRowSource,
  catalog: Catalog,
  q: LedgerQuery,
  nowMs: number,
  out: Writable,
  signal?: AbortSignal,
): Promise<void> {
  await writing(out, signal, async () => {
    let text = `\uFEFF${LEDGER_COLUMNS.map((c) => c[q.lang]).join(',')}\r\n`;
    // Leaving this loop by an exception closes the cursor (the generator's return()).
    for await (const batch of store.iterateLedgerRows(await opts(store, q, nowMs, true))) {
      for (const r of batch) {
        text += `${ledgerCells(ledgerRow(r, catalog), q.lang).map(csvCell).join(',')}\r\n`;
        if (text.length >= CSV_CHUNK_CHARS) {
          await put(out, text, signal);
          text = '';
        }
      }
    }
    await put(out, text, signal);
    await ended(out);
  });
}

/**
 * Writes the XLSX of exactly the filtered set in the 台账 columns to `out` (a title row, the header row,
 * both frozen) and ends it, through exceljs' streaming WorkbookWriter: rows are read from SQLite's
 * cursor as the zip takes them, so memory stays flat whatever the row count. Failure, abort and early
 * close behave as in writeLedgerCsv.
 */
export async function writeLedgerXlsx(
  store: LedgerRowSource,
  catalog: Catalog,
  q: LedgerQuery,
  nowMs: number,
  title: string,
  out: Writable,
  signal?: AbortSignal,
): Promise<void> {
  await writing(out, signal, async () => {
    const rows = store.iterateLedgerRows(await opts(store, q, nowMs, true))[Symbol.asyncIterator]();
    try {
      // The query runs here, before the workbook writes its first bytes (themes, rels) to `out`.
      let next = await rows.next();
      const { Excel } = await loadExcel();
      signal?.throwIfAborted();
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
      const zipIn = sheetZipInput(ws);
      for (let n = 1; !next.done; next = await rows.next()) {
        for (const r of next.value) {
          ws.addRow(ledgerCells(ledgerRow(r, catalog), q.lang)).commit();
          if (n++ % XLSX_BATCH_ROWS === 0) await caughtUp(zipIn, out, signal);
        }
      }
      ws.commit();
      // Ends `out` and resolves on its 'finish'.
      await wb.commit();
    } finally {
      await rows.return?.();
    }
  });
}

/** A writable stream of archiver's own (readable-stream 2), seen through what back-pressure needs. */
interface ZipInput extends EventEmitter {
  _writableState: { length: number; needDrain: boolean };
}

/**
 * The stream the worksheet's XML enters the zip by. NOTE: exceljs 4.4 and archiver 5 internals: the
 * sheet writes into a StreamBuf (`ws.stream`) that hands full 64 KB buffers to archiver's PassThrough
 * (`pipes[0]`, from readable-stream 2, so neither `instanceof Writable` nor `writableNeedDrain`) without
 * looking at what `write` returns. That PassThrough is where XML piles up when the zip's deflate falls
 * behind, so the export waits for its 'drain'. Null when a new version lays it out otherwise: then only
 * `out` is watched (the 'zip input stays small' test fails).
 */
function sheetZipInput(ws: ExcelJS.Worksheet): ZipInput | null {
  const pipes = (ws as unknown as { stream?: { pipes?: unknown[] } }).stream?.pipes;
  const first = Array.isArray(pipes) ? (pipes[0] as Partial<ZipInput> | undefined) : undefined;
  const state = first?._writableState;
  return first instanceof EventEmitter && typeof state?.length === 'number' && typeof state.needDrain === 'boolean' ? (first as ZipInput) : null;
}

/** Waits until the zip has taken what the sheet gave it (and `out` what the zip gave it). */
async function caughtUp(zipIn: ZipInput | null, out: Writable, signal: AbortSignal | undefined): Promise<void> {
  stillWanted(out, signal);
  if (zipIn?._writableState.needDrain) await drained(zipIn, out, signal);
  if (out.writableNeedDrain) await drained(out, out, signal);
  // Let the zip's deflate (thread pool) and the reader run between batches even when nothing is full.
  if (!zipIn) await new Promise<void>((resolve) => setImmediate(resolve));
}

/**
 * Runs `body` as the one writer of `out`. An 'error' of `out` (a full disk, a broken socket) becomes the
 * export's rejection instead of an uncaught event; on any failure `out` is destroyed without an error of
 * its own (its reader sees it end early; the rejection carries the reason) and the error rethrown.
 */
async function writing(out: Writable, signal: AbortSignal | undefined, body: () => Promise<void>): Promise<void> {
  // The error is read back from `out.errored` by stillWanted and drained, and rethrown from there.
  const seen = () => undefined;
  out.on('error', seen);
  try {
    stillWanted(out, signal);
    await body();
  } catch (err) {
    if (!out.destroyed) out.destroy();
    throw err;
  } finally {
    out.off('error', seen);
  }
}

/** Throws when the export is no longer wanted: the signal aborted, `out` failed, or its reader closed it. */
function stillWanted(out: Writable, signal: AbortSignal | undefined): void {
  signal?.throwIfAborted();
  if (out.errored) throw out.errored;
  if (out.destroyed || out.writableEnded) throw closedEarly();
}

function closedEarly(): Error {
  // The code Node gives a stream closed before its end (and @hono/node-server logs as "The user aborted a request.").
  return Object.assign(new Error('The export was stopped: its output was closed before every row was written.'), { code: 'ERR_STREAM_PREMATURE_CLOSE' });
}

/** Writes `chunk`, then waits for 'drain' if `out`'s buffer is full (back-pressure). */
async function put(out: Writable, chunk: string, signal: AbortSignal | undefined): Promise<void> {
  stillWanted(out, signal);
  if (chunk && !out.write(chunk)) await drained(out, out, signal);
  else await new Promise<void>((resolve) => setImmediate(resolve)); // others' turn between chunks, even when `out` never fills
}

/** Resolves on `stream`'s 'drain'; rejects when `out` errors or closes first, or the signal aborts. */
function drained(stream: EventEmitter, out: Writable, signal: AbortSignal | undefined): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const settle = (err?: unknown) => {
      stream.off('drain', onDrain);
      out.off('close', onClose);
      out.off('error', settle);
      signal?.removeEventListener('abort', onAbort);
      if (err === undefined) resolve();
      else reject(err instanceof Error ? err : new Error(String(err)));
    };
    const onDrain = () => settle();
    const onClose = () => settle(out.errored ?? closedEarly());
    const onAbort = () => settle(signal!.reason);
    stream.on('drain', onDrain);
    out.on('close', onClose);
    out.on('error', settle);
    signal?.addEventListener('abort', onAbort);
  });
}

/** Ends `out` and resolves when everything written has been flushed ('finish'). */
function ended(out: Writable): Promise<void> {
  return new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
}

/**
 * Opens the database file `file` anew for one export: a connection of the export's own, whose sorts
 * spill to disk. The caller closes it when the export ends, however it ends.
 */
export async function openLedgerSource(file: string): Promise<LedgerRowSource & { close(): Promise<void> }> {
  const store = openStore(file);
  await store.spillLedgerSortsToDisk();
  return store;
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
  const o = await opts(store, q, nowMs, true);
  const total = await store.ledgerCount(o);
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
  for (const r of (await store.ledgerRows(o)).map((x) => ledgerRow(x, catalog))) {
    const row = ws.addRow(ledgerCells(r, q.lang));
    const photo = (await store.problemMedia(r.id)).find((m) => m.role === 'before');
    const data = photo ? files.read(photo.hash, 'thumb') : null;
    if (!data) continue;
    row.height = THUMB_H * 0.75 + 4; // points
    const image = wb.addImage({ buffer: data as unknown as ExcelJS.Buffer, extension: 'jpeg' });
    ws.addImage(image, { tl: { col: LEDGER_COLUMNS.length, row: row.number - 1 }, ext: { width: THUMB_W, height: THUMB_H }, editAs: 'oneCell' });
  }
  return new Uint8Array(await wb.xlsx.writeBuffer()) as Uint8Array<ArrayBuffer>;
}
