/**
 * The ledger exports stream: over a store of 20,000 problems the bytes leave before the last row is
 * read, a reader that stops taking bytes stops the reading of rows, and an abort or a reader going away
 * closes the cursor early. The rows are counted as they leave SQLite's cursor (a counting wrapper over
 * the real store's iterator).
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app';
import { LedgerQuery } from '../../server/contract/ledger';
import { loadCatalog } from '../../server/services/assessment/catalog';
import { createAppPool, type AppPool } from '../../server/pool/app-pool';
import { writeLedgerCsv, writeLedgerXlsx, type LedgerRowSource } from '../../server/services/problems/ledger';
import { createRoadEngine } from '../../server/services/routing/road-engine';
import { importLayers } from '../../server/store/import-layers';
import { allRows, openStore, type Store } from '../../server/store/index';
import { cityQueries } from '../../server/store/city';
import { ledgerQueries } from '../../server/store/ledger';
import { amplifyProblems } from '../../scripts/bench/million/amplify';
import { jpegWithExif } from '../fixtures/media/photos';
import { as, FIXTURE_DIR, NOW, signIn } from './fixture';

const ROWS = 20_000;
const catalog = loadCatalog(join(FIXTURE_DIR, 'catalog'));
const query = LedgerQuery.parse({ sort: 'id', order: 'asc' });
let dir: string;
let store: Store;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'xuncha-export-'));
  const layers = join(dir, 'layers');
  cpSync(FIXTURE_DIR, layers, { recursive: true });
  await amplifyProblems(join(FIXTURE_DIR, 'problems.ndjson'), join(layers, 'problems.ndjson'), ROWS, { seed: 3 });
  store = openStore(join(dir, 'xuncha.db'));
  importLayers(store, layers);
  while (!(await store.buildSearchIndex(60_000)).ready) {
    // the server builds it in slices in a worker; here at once
  }
}, 60_000);

afterAll(async () => {
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The real store's rows, counted as they leave the cursor; `closed` once the cursor is let go. */
function counted(from: LedgerRowSource) {
  const seen = { rows: 0, closed: false };
  const source: LedgerRowSource = {
    gridArea: from.gridArea,
    districtSubdistricts: from.districtSubdistricts,
    async *iterateLedgerRows(o) {
      try {
        for await (const batch of from.iterateLedgerRows(o)) {
          seen.rows += batch.length;
          yield batch;
        }
      } finally {
        seen.closed = true;
      }
    },
  };
  return { source, seen };
}

/**
 * A reader that keeps what it gets and notes how many rows had been read when its first byte came and
 * how many bytes it had when the last row was read. `held`: it takes nothing until `release()`.
 */
function reader(seen: { rows: number }, opts: { held?: boolean; onChunk?: (n: number, self: Writable) => void } = {}) {
  const chunks: Buffer[] = [];
  const state = { bytes: 0, rowsAtFirstByte: -1, bytesAtLastRow: -1 };
  let pending: (() => void) | null = null;
  let held = opts.held ?? false;
  const out = new Writable({
    write(chunk: Buffer, _enc, callback) {
      if (state.rowsAtFirstByte < 0) state.rowsAtFirstByte = seen.rows;
      if (state.bytesAtLastRow < 0 && seen.rows === ROWS) state.bytesAtLastRow = state.bytes;
      chunks.push(chunk);
      state.bytes += chunk.length;
      opts.onChunk?.(chunks.length, out);
      if (held) pending = callback;
      else callback();
    },
  });
  return {
    out,
    state,
    bytes: () => Buffer.concat(chunks),
    release() {
      held = false;
      const cb = pending;
      pending = null;
      cb?.();
    },
  };
}

/** Waits until `value()` stops changing (stable for 100 ms), at most 5 s. */
async function settled(value: () => number): Promise<number> {
  let last = value();
  let still = 0;
  for (let i = 0; i < 250 && still < 5; i++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    const now = value();
    still = now === last ? still + 1 : 0;
    last = now;
  }
  return last;
}

async function xlsxRows(bytes: Buffer): Promise<unknown[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  const rows: unknown[][] = [];
  wb.worksheets[0].eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
  return rows;
}

const EXPORTS = {
  csv: (source: LedgerRowSource, out: Writable, signal?: AbortSignal) => writeLedgerCsv(source, catalog, query, NOW, out, signal),
  xlsx: (source: LedgerRowSource, out: Writable, signal?: AbortSignal) => writeLedgerXlsx(source, catalog, query, NOW, '问题台账', out, signal),
};

describe('iterateLedgerRows', () => {
  it('gives the rows of ledgerRows, in its order, for every sort both ways (across many batches)', async () => {
    const sorts = ['reportedAt', 'deadline', 'rectifiedAt', 'status', 'category', 'subdistrict', 'unit', 'id'] as const;
    for (const sort of sorts) {
      for (const order of ['asc', 'desc'] as const) {
        const o = { filter: {}, words: [], sort, order, offset: 0, limit: null, nowMs: NOW };
        const all = await store.ledgerRows(o);
        expect(all).toHaveLength(ROWS);
        expect(await allRows(store.iterateLedgerRows(o)), `${sort} ${order}`).toEqual(all);
      }
    }
    const searched = {
      filter: { statuses: ['assigned' as const] },
      words: ['东关', '摆摊'],
      sort: 'unit' as const,
      order: 'asc' as const,
      offset: 0,
      limit: null,
      nowMs: NOW,
    };
    const found = await store.ledgerRows(searched);
    expect(found.length).toBeGreaterThan(0);
    expect(await allRows(store.iterateLedgerRows(searched))).toEqual(found);
  }, 60_000);
});

describe('ledger pages walked along an index (as above 20,000 matching rows) and sorted in memory', () => {
  it('are the same rows in the same order for every sort both ways, also across the rows without a value', async () => {
    const walked = ledgerQueries(store.db, cityQueries(store.db).cityStamp, { sortInMemoryMax: 0 });
    const sorts = ['reportedAt', 'deadline', 'rectifiedAt', 'status', 'category', 'subdistrict', 'unit', 'id'] as const;
    for (const sort of sorts) {
      for (const order of ['asc', 'desc'] as const) {
        const base = { filter: {}, words: [], sort, order, nowMs: NOW };
        const all = (await store.ledgerRows({ ...base, offset: 0, limit: null })).map((r) => r.id);
        // Pages at the start, deep inside, across the end of the rows with a value (deadline, rectified) and at the end.
        const boundary = { deadline: 'p.deadline_ms', rectifiedAt: 'p.rectified_at' }[sort as string];
        const nulls = boundary ? (store.db.prepare(`SELECT count(*) AS n FROM problems p WHERE ${boundary} IS NULL`).get() as { n: number }).n : 0;
        for (const offset of [0, 7_000, Math.max(0, ROWS - nulls - 50), ROWS - 30]) {
          const page = walked.ledgerPage({ ...base, offset, limit: 200 });
          expect(page.total).toBe(ROWS);
          expect(
            page.rows.map((r) => r.id),
            `${sort} ${order} at ${offset}`,
          ).toEqual(all.slice(offset, offset + 200));
        }
      }
    }
    const searched = { filter: { statuses: ['assigned' as const] }, words: ['东关'], sort: 'deadline' as const, order: 'desc' as const, nowMs: NOW };
    const found = (await store.ledgerRows({ ...searched, offset: 0, limit: null })).map((r) => r.id);
    expect(found.length).toBeGreaterThan(50);
    expect(walked.ledgerPage({ ...searched, offset: 10, limit: 40 }).rows.map((r) => r.id)).toEqual(found.slice(10, 50));
  }, 60_000);
});

describe.each(['csv', 'xlsx'] as const)('%s export of 20,000 rows', (kind) => {
  const run = EXPORTS[kind];

  it('hands bytes on while rows are still being read, and holds every row in order', async () => {
    const { source, seen } = counted(store);
    const r = reader(seen);
    await run(source, r.out);
    expect(seen.rows).toBe(ROWS);
    expect(seen.closed).toBe(true);
    // Reading everything first (the old export) would give 0 bytes out before the last row.
    expect(r.state.bytesAtLastRow).toBeGreaterThan(r.state.bytes / 2);
    const ids = (await store.ledgerRows({ filter: {}, words: [], sort: 'id', order: 'asc', offset: 0, limit: null, nowMs: NOW })).map((x) => x.id);
    expect(ids).toHaveLength(ROWS);
    if (kind === 'csv') {
      expect(r.state.rowsAtFirstByte).toBeLessThan(ROWS / 10);
      const lines = r.bytes().toString('utf8').split('\r\n');
      expect(lines).toHaveLength(ROWS + 2);
      expect(lines.slice(1, -1).map((l) => l.split(',')[0])).toEqual(ids);
    } else {
      const rows = await xlsxRows(r.bytes());
      expect(rows).toHaveLength(ROWS + 2);
      expect(rows.slice(2).map((row) => row[0])).toEqual(ids);
    }
  }, 60_000);

  it('stops reading rows while its reader takes nothing, and finishes when it takes again', async () => {
    const { source, seen } = counted(store);
    const r = reader(seen, { held: true });
    const done = run(source, r.out);
    const readWhileHeld = await settled(() => seen.rows);
    expect(readWhileHeld).toBeGreaterThan(0);
    expect(readWhileHeld).toBeLessThan(ROWS / 4);
    expect(seen.closed).toBe(false);
    r.release();
    await done;
    expect(seen.rows).toBe(ROWS);
  }, 60_000);

  it('an abort stops the reading and closes the cursor', async () => {
    const { source, seen } = counted(store);
    const stop = new AbortController();
    const reason = new Error('the client went away');
    const r = reader(seen, { onChunk: (n) => n === 2 && stop.abort(reason) });
    await expect(run(source, r.out, stop.signal)).rejects.toBe(reason);
    expect(seen.closed).toBe(true);
    expect(seen.rows).toBeLessThan(ROWS / 4);
    expect(r.out.destroyed).toBe(true);
  }, 60_000);

  it('a reader closing its end stops the reading and closes the cursor', async () => {
    const { source, seen } = counted(store);
    const r = reader(seen, { onChunk: (n, self) => n === 2 && self.destroy() });
    await expect(run(source, r.out)).rejects.toMatchObject({ code: 'ERR_STREAM_PREMATURE_CLOSE' });
    expect(seen.closed).toBe(true);
    expect(seen.rows).toBeLessThan(ROWS / 4);
  }, 60_000);

  it('an error of its output rejects the export instead of crashing the process', async () => {
    const { source, seen } = counted(store);
    const broken = new Error('ENOSPC: no space left on device');
    const out = new Writable({ write: (_chunk, _enc, callback) => callback(seen.rows > 100 ? broken : null) });
    await expect(run(source, out)).rejects.toBe(broken);
    expect(seen.closed).toBe(true);
    expect(seen.rows).toBeLessThan(ROWS / 4);
  }, 60_000);
});

describe('xlsx export and the zip', () => {
  it('the zip input stays small: sheet XML waits for the deflate instead of piling up before it', async () => {
    // NOTE: looks at exceljs/archiver internals (as sheetZipInput does) through a wrapper that only
    // watches: the sheet's StreamBuf hands its buffers to archiver's PassThrough (`pipes[0]`).
    const Writer = ExcelJS.stream.xlsx.WorkbookWriter.prototype as unknown as { addWorksheet: (...a: unknown[]) => unknown };
    const addWorksheet = Writer.addWorksheet;
    let maxBuffered = 0;
    const sheets: { _stream?: { pipes?: { _writableState: { length: number } }[] } }[] = [];
    const watch = setInterval(() => {
      for (const ws of sheets) maxBuffered = Math.max(maxBuffered, ws._stream?.pipes?.[0]?._writableState.length ?? 0);
    }, 1);
    Writer.addWorksheet = function (this: unknown, ...a: unknown[]) {
      const ws = addWorksheet.apply(this, a) as (typeof sheets)[number];
      sheets.push(ws);
      return ws;
    };
    try {
      const { source, seen } = counted(store);
      await EXPORTS.xlsx(source, reader(seen).out);
      expect(seen.rows).toBe(ROWS);
    } finally {
      Writer.addWorksheet = addWorksheet;
      clearInterval(watch);
    }
    expect(sheets).toHaveLength(1);
    expect(maxBuffered).toBeGreaterThan(0);
    expect(maxBuffered).toBeLessThanOrEqual(256 * 1024);
  }, 60_000);
});

describe('the export routes in the worker pool', () => {
  let pool: AppPool;
  beforeAll(() => {
    pool = createAppPool({ store, catalog, roads: createRoadEngine(store), workers: 1, maxQueue: 0 });
  });
  afterAll(() => pool.close());
  const appWith = async (p: AppPool, logError?: (e: unknown) => void) =>
    as(await createApp({ store, catalog, now: () => NOW, clientDir: null, pool: p, logError }), await signIn(store, 'admin', 'u01', NOW));
  const until = async (done: () => boolean) => {
    for (let i = 0; i < 250 && !done(); i++) await new Promise((resolve) => setTimeout(resolve, 20));
  };

  it('streams from the worker the same bytes the writer makes in-process', async () => {
    const res = await (await appWith(pool)).request('/api/ledger/export.csv?sort=id&order=asc&status=closed');
    expect(res.status).toBe(200);
    const direct = reader({ rows: 0 });
    await writeLedgerCsv(store, catalog, LedgerQuery.parse({ sort: 'id', order: 'asc', status: 'closed' }), NOW, direct.out);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.length).toBeGreaterThan(100_000);
    expect(bytes.equals(direct.bytes())).toBe(true);
    await until(() => pool.stats().running === 0);
  }, 60_000);

  it('a second export while the only worker is busy and nothing may wait is answered 503 with Retry-After; cancelling the first stops it', async () => {
    const app = await appWith(pool);
    const first = await app.request('/api/ledger/export.xlsx?sort=id&order=asc');
    expect(first.status).toBe(200);
    const rd = first.body!.getReader();
    expect((await rd.read()).done).toBe(false);
    const second = await app.request('/api/ledger/export.csv');
    expect(second.status).toBe(503);
    expect(Number(second.headers.get('Retry-After'))).toBeGreaterThan(0);
    expect(((await second.json()) as { error: string }).error).toMatch(/busy|try again/i);
    const before = pool.stats();
    await rd.cancel();
    await until(() => pool.stats().running === 0);
    expect(pool.stats()).toMatchObject({ running: 0, stopped: before.stopped + 1, killed: before.killed });
  }, 60_000);

  it('a failure after the first bytes ends the download early and goes to the log', async () => {
    const logged: unknown[] = [];
    const broken = new Error('disk I/O error');
    const failingLater: AppPool = {
      ...pool,
      stream: async () =>
        new ReadableStream<Uint8Array>({
          start(controller) {
            controller.enqueue(new TextEncoder().encode('编号,类别\r\n'));
          },
          pull(controller) {
            controller.error(broken);
          },
        }),
    };
    const res = await (await appWith(failingLater, (e) => logged.push(e))).request('/api/ledger/export.csv');
    expect(res.status).toBe(200);
    await expect(res.arrayBuffer()).rejects.toBe(broken);
    expect(logged).toEqual([broken]);
  });
});

describe('GET /api/ledger/export.csv over 20,000 problems', () => {
  it('lets the server write while an export is being read (the export reads from a connection of its own)', async () => {
    const app = as(await createApp({ store, catalog, now: () => NOW, clientDir: null }), await signIn(store, 'admin', 'u01', NOW));
    const res = await app.request('/api/ledger/export.csv?sort=id&order=asc');
    expect(res.status).toBe(200);
    const rd = res.body!.getReader();
    const first = await rd.read();
    expect(first.done).toBe(false);
    // A new report while the export's cursor is open: on a shared connection SQLite would refuse it
    // ("This database connection is busy executing a query").
    const fd = new FormData();
    for (const [k, v] of Object.entries({ category: 'small-ads', lng: 115.975, lat: 36.45, description: '导出时上报', reporter: '王' })) fd.set(k, String(v));
    fd.append('photos', new File([new Uint8Array(await jpegWithExif())], 'a.jpg'));
    const created = await app.request('/api/problems', { method: 'POST', body: fd });
    expect(created.status).toBe(201);
    const chunks: Uint8Array[] = [first.value!];
    for (let next = await rd.read(); !next.done; next = await rd.read()) chunks.push(next.value);
    const text = Buffer.concat(chunks).toString('utf8');
    // The export is the snapshot it started from.
    expect(text.split('\r\n')).toHaveLength(ROWS + 2);
  }, 60_000);
});
