import type { Context } from 'hono';
import { unitScope } from '../../auth/middleware';
import type { z } from 'zod';
import { type LedgerQuery, XLSX_CONTENT_TYPE } from '../../contract/ledger';
import { ledgerPage, ledgerXlsxWithThumbnails, ownLedgerSource, streamLedgerExport, writeLedgerCsv, writeLedgerXlsx } from '../../services/problems/ledger';
import type { WorkflowDeps } from '../../services/problems/deps';
import { cityDate } from '../../contract/city-time';
import type { RouteDeps } from '../deps';
import { declareRoutes } from '../define';

type Q = z.output<typeof LedgerQuery>;

/** A download name like `问题台账-2026-03-20.xlsx`, RFC 6266 encoded. */
function disposition(base: string, ext: string, nowMs: number): string {
  const name = `${base}-${cityDate(nowMs)}.${ext}`;
  return `attachment; filename="ledger-${cityDate(nowMs)}.${ext}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

/**
 * `GET /api/ledger`, `/api/ledger/export.xlsx`, `/api/ledger/export.csv`. The exports stream from a
 * connection of their own (the server's must stay free to write while rows are read); a failure after
 * the first bytes goes to `logError`.
 */
export function ledgerRoutes(deps: RouteDeps, wf: WorkflowDeps, logError?: (err: unknown) => void) {
  const ownStore = ownLedgerSource(deps.store.file);
  // A unit account's ledger is its own problems, whatever unit filter it sends.
  const scoped = (c: Context, q: Q): Q => {
    const unit = unitScope(c);
    return unit ? { ...q, unit: [unit] } : q;
  };
  const title = (q: Q) => {
    const city = deps.store.getCity();
    return q.lang === 'zh'
      ? `${city?.name ?? ''}问题台账（${cityDate(deps.now())}导出）`
      : `${city?.nameEn ?? ''} problem ledger (exported ${cityDate(deps.now())})`;
  };
  return declareRoutes()
    .route('GET /api/ledger', (c) => {
      c.header('Cache-Control', 'no-cache');
      return c.json(ledgerPage(deps.store, deps.catalog, scoped(c, c.req.valid('query')), deps.now()), 200);
    })
    .route('GET /api/ledger/export.xlsx', async (c) => {
      const q = scoped(c, c.req.valid('query'));
      const headers = {
        'Content-Type': XLSX_CONTENT_TYPE,
        'Content-Disposition': disposition(q.lang === 'zh' ? '问题台账' : 'ledger', 'xlsx', deps.now()),
      };
      if (q.thumbnails === '1') {
        return c.body(await ledgerXlsxWithThumbnails(deps.store, deps.catalog, q, deps.now(), title(q), wf.mediaDir), 200, headers);
      }
      const nowMs = deps.now();
      const sheetTitle = title(q);
      const body = await streamLedgerExport(ownStore, (store, out, signal) => writeLedgerXlsx(store, deps.catalog, q, nowMs, sheetTitle, out, signal), {
        signal: c.req.raw.signal,
        logError,
      });
      return c.body(body, 200, headers);
    })
    .route('GET /api/ledger/export.csv', async (c) => {
      const q = scoped(c, c.req.valid('query'));
      const nowMs = deps.now();
      const body = await streamLedgerExport(ownStore, (store, out, signal) => writeLedgerCsv(store, deps.catalog, q, nowMs, out, signal), {
        signal: c.req.raw.signal,
        logError,
      });
      return c.body(body, 200, {
        'Content-Type': 'text/csv; charset=UTF-8',
        'Content-Disposition': disposition(q.lang === 'zh' ? '问题台账' : 'ledger', 'csv', nowMs),
      });
    }).app;
}
