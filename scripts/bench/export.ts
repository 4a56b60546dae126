/**
 * Ledger export benchmark: peak memory and time of a 1,000,000-row CSV and a 200,000-row XLSX export,
 * as the routes run them (the pool's `ledger.csv` / `ledger.xlsx` stream tasks, in one worker thread by
 * default, `--workers 0` in-process), written to /dev/null. Prints JSON.
 *
 *   npx tsx scripts/bench/million/build-store.ts      # once
 *   npx tsx scripts/bench/export.ts [--db var/bench-million/xuncha.db] [--csv-rows 1000000] [--xlsx-rows 200000] [--runs 1] [--workers 1]
 *
 * Each export runs in a child process of its own, so that one run's heap does not count in the next:
 * the child reports `process.resourceUsage().maxRSS` at its end (peak resident memory, including the
 * store's page cache mapping and exceljs once loaded; with a worker, its thread's heap too) beside a
 * baseline child that opens the store and loads exceljs but exports nothing. Also reported: the longest event-loop stall during the export
 * (perf_hooks.monitorEventLoopDelay), which is what every other request on the server would wait.
 *
 * The row counts are met with filters, not with a page: each export is the newest `--csv-rows` /
 * `--xlsx-rows` problems (a `from` time found by bisection; about that many, whole seconds), the CSV by
 * default the whole ledger. Run with smaller counts to see that memory does not grow with them.
 *
 * To compare with the export before it streamed, write the old module next to the new one and name it:
 *   git show bd6b8f2:server/services/problems/ledger.ts > server/services/problems/.scratch-ledger-before.ts
 *   npx tsx scripts/bench/export.ts --before server/services/problems/.scratch-ledger-before.ts
 * (its `ledgerCsv` returns one string, its `ledgerXlsx` a stream after reading every row into an array).
 */
import { spawn } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Writable } from 'node:stream';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { toCityIso } from '../../server/contract/city-time';
import { LedgerQuery } from '../../server/contract/ledger';
import { toProblemFilter } from '../../server/contract/problems';
import { loadCatalog } from '../../server/services/assessment/catalog';
import { createRoadEngine } from '../../server/services/routing/road-engine';
import { createAppPool } from '../../server/pool/app-pool';
import { openStore, type Store } from '../../server/store/index';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** "Now" of the million store (its history ends 2026-11-25), as scripts/bench/hotspots.ts has it. */
const NOW = Date.parse('2026-11-26T09:00:00+08:00');
const TITLE = '问题台账（基准）';

const { values } = parseArgs({
  options: {
    db: { type: 'string', default: join(ROOT, 'var', 'bench-million', 'xuncha.db') },
    'csv-rows': { type: 'string', default: '1000000' },
    'xlsx-rows': { type: 'string', default: '200000' },
    runs: { type: 'string', default: '1' },
    workers: { type: 'string', default: '1' },
    before: { type: 'string' },
    // Child mode (one export, then a JSON line on stdout).
    child: { type: 'string' },
    query: { type: 'string' },
  },
});
const db = resolve(values.db);

interface ChildResult {
  kind: string;
  impl: 'streamed' | 'before';
  rows: number;
  bytes: number;
  wallMs: number;
  cpuMs: number;
  firstByteMs: number | null;
  maxEventLoopStallMs: number;
  maxRssMB: number;
  peakRssAnonMB: number | null;
  peakHeapUsedMB: number;
}

if (values.child) {
  console.log(JSON.stringify(await child(values.child, JSON.parse(values.query ?? '{}') as Record<string, unknown>)));
} else {
  await parent();
}

/** One export to /dev/null, measured from inside. */
async function child(kind: string, raw: Record<string, unknown>): Promise<ChildResult | { kind: 'baseline'; maxRssMB: number; rssAnonMB: number | null }> {
  const catalog = loadCatalog(join(ROOT, 'data', 'catalog'));
  const q = LedgerQuery.parse(raw);
  // The baseline holds what every export holds before its first row: the server's store and exceljs.
  const store = openStore(db);
  await import('exceljs');
  if (kind === 'baseline') {
    await store.counts();
    await store.close();
    const anon = rssAnonMB();
    return { kind, maxRssMB: maxRssMB(), rssAnonMB: anon === null ? null : Math.round(anon) };
  }
  const rows = await store.ledgerCount({ filter: toProblemFilter(q), words: [], sort: q.sort, order: q.order, offset: 0, limit: null, nowMs: NOW });
  const out = createWriteStream('/dev/null');
  let bytes = 0;
  let firstByteMs: number | null = null;
  const loop = monitorEventLoopDelay({ resolution: 10 });
  let t0 = 0;
  const seen = (n: number) => {
    if (firstByteMs === null) firstByteMs = Math.round(performance.now() - t0);
    bytes += n;
  };
  const peak = { anon: rssAnonMB(), heap: 0 };
  const sample = () => {
    const anon = rssAnonMB();
    if (anon !== null && (peak.anon === null || anon > peak.anon)) peak.anon = anon;
    peak.heap = Math.max(peak.heap, process.memoryUsage().heapUsed / 2 ** 20);
  };
  const sampler = setInterval(sample, 20);
  loop.enable();
  // The histogram counts from its second tick on: start once it ticks, or a stall at the start is lost.
  await new Promise((r) => setTimeout(r, 50));
  const c0 = process.cpuUsage();
  t0 = performance.now();
  if (values.before) {
    const old = (await import(pathToFileURL(resolve(values.before)).href)) as {
      ledgerCsv(s: Store, c: typeof catalog, q: unknown, now: number): string;
      ledgerXlsx(s: Store, c: typeof catalog, q: unknown, now: number, title: string): Promise<ReadableStream<Uint8Array>>;
    };
    if (kind === 'csv') {
      const text = old.ledgerCsv(store, catalog, q, NOW);
      const buf = Buffer.from(text);
      seen(buf.length);
      await new Promise<void>((done, fail) => out.end(buf, (err?: Error | null) => (err ? fail(err) : done())));
    } else {
      await drainWeb(await old.ledgerXlsx(store, catalog, q, NOW, TITLE), out, seen);
    }
  } else {
    const pool = createAppPool({ store, catalog, roads: createRoadEngine(store), workers: Number(values.workers) });
    const body = await pool.stream(kind === 'csv' ? 'ledger.csv' : 'ledger.xlsx', { q, nowMs: NOW, title: TITLE });
    await drainWeb(body, out, seen);
    await pool.close();
  }
  const wallMs = Math.round(performance.now() - t0);
  const c = process.cpuUsage(c0);
  // The histogram records a stall when the loop next runs a timer: give it one, or an export that held
  // the loop to its end would show none.
  await new Promise((r) => setTimeout(r, 30));
  loop.disable();
  clearInterval(sampler);
  sample();
  await store.close();
  return {
    kind,
    impl: values.before ? 'before' : 'streamed',
    rows,
    bytes,
    wallMs,
    cpuMs: Math.round((c.user + c.system) / 1000),
    firstByteMs,
    maxEventLoopStallMs: Math.round(loop.max / 1e6),
    maxRssMB: maxRssMB(),
    peakRssAnonMB: peak.anon === null ? null : Math.round(peak.anon),
    peakHeapUsedMB: Math.round(peak.heap),
  };
}

/** Reads a web stream into `out` as an HTTP server would: one chunk at a time, waiting for 'drain'. */
async function drainWeb(body: ReadableStream<Uint8Array>, out: Writable, seen: (n: number) => void): Promise<void> {
  const reader = body.getReader();
  for (let next = await reader.read(); !next.done; next = await reader.read()) {
    seen(next.value.byteLength);
    if (!out.write(next.value)) await new Promise((r) => out.once('drain', r));
  }
  await new Promise<void>((done, fail) => out.end((err?: Error | null) => (err ? fail(err) : done())));
}

/**
 * Resident anonymous memory (heap, SQLite's allocations, buffers) from /proc/self/status, without the
 * file pages the store's mmap makes resident (those count in maxRSS but are the page cache); null off Linux.
 */
function rssAnonMB(): number | null {
  try {
    const m = /RssAnon:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    return m ? Number(m[1]) / 1024 : null;
  } catch (err) {
    if ((err as { code?: unknown }).code === 'ENOENT') return null;
    throw err;
  }
}

function maxRssMB(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024); // maxRSS is in KB
}

function runChild(kind: string, query: Record<string, unknown>): Promise<ChildResult> {
  const args = [
    ...process.execArgv,
    fileURLToPath(import.meta.url),
    '--db',
    db,
    '--child',
    kind,
    '--query',
    JSON.stringify(query),
    '--workers',
    String(values.workers),
  ];
  if (values.before) args.push('--before', values.before);
  return new Promise((done, fail) => {
    const p = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let text = '';
    p.stdout.on('data', (d: Buffer) => (text += d.toString()));
    p.on('error', fail);
    p.on('close', (code) => {
      const line = text.trim().split('\n').pop();
      if (code === 0 && line) done(JSON.parse(line) as ChildResult);
      else fail(new Error(`The ${kind} export child exited with ${code} (out of memory?): ${text.slice(-500)}`));
    });
  });
}

/** The `from` time (ISO, city time) at which the newest `rows` problems start. */
async function fromForNewest(store: Store, rows: number): Promise<string> {
  const count = async (fromMs: number) =>
    store.ledgerCount({ filter: { fromMs }, words: [], sort: 'reportedAt', order: 'desc', offset: 0, limit: null, nowMs: NOW });
  let lo = Date.parse('2020-01-01T00:00:00+08:00');
  let hi = NOW;
  while (hi - lo > 1000) {
    const mid = Math.floor((lo + hi) / 2);
    if ((await count(mid)) >= rows) lo = mid;
    else hi = mid;
  }
  return toCityIso(Math.floor(lo / 1000) * 1000);
}

async function parent() {
  const store = openStore(db);
  if (!(await store.hasCity())) throw new Error(`No city in ${db}: run \`npx tsx scripts/bench/million/build-store.ts\` first (or pass --db).`);
  const problems = (await store.counts()).problems;
  const xlsxFrom = await fromForNewest(store, Number(values['xlsx-rows']));
  const csvRows = Number(values['csv-rows']);
  // The whole ledger when it asks for the store's size (or more), else the newest rows.
  const csvQuery = csvRows >= problems ? {} : { from: await fromForNewest(store, csvRows) };
  await store.close();
  const baseline = await runChild('baseline', {});
  const results: ChildResult[] = [];
  for (let i = 0; i < Number(values.runs); i++) {
    results.push(await runChild('csv', csvQuery));
    results.push(await runChild('xlsx', { from: xlsxFrom }));
  }
  console.log(
    JSON.stringify(
      {
        bench: 'ledger-export',
        impl: values.before ? `before (${values.before})` : 'streamed',
        db,
        problemsInStore: problems,
        filters: { csv: csvQuery, xlsx: { from: xlsxFrom } },
        baseline: {
          maxRssMB: (baseline as unknown as { maxRssMB: number }).maxRssMB,
          rssAnonMB: (baseline as unknown as { rssAnonMB: number | null }).rssAnonMB,
        },
        results,
        notes:
          'maxRssMB: peak resident set of the child that ran the export (process.resourceUsage().maxRSS), which includes the database pages its mmap made resident; peakRssAnonMB: the peak of RssAnon (/proc/self/status, sampled every 20 ms), memory of its own without those file pages; baseline: a child that opened the store and loaded exceljs only. Output to /dev/null through a web stream read chunk by chunk.',
        machine: {
          cpus: cpus().length,
          cpu: cpus()[0]?.model,
          memGB: Math.round(totalmem() / 2 ** 30),
          node: process.version,
          loadavg: loadavg().map((x) => Math.round(x * 100) / 100),
        },
        date: new Date().toISOString(),
      },
      null,
      2,
    ),
  );
}
