import type { Context } from 'hono';
import { unitScope } from '../../auth/middleware';
import type { z } from 'zod';
import { type LedgerQuery, XLSX_CONTENT_TYPE } from '../../contract/ledger';
import { ledgerCsv, ledgerPage, ledgerXlsx, ledgerXlsxWithThumbnails } from '../../services/problems/ledger';
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

/** `GET /api/ledger`, `/api/ledger/export.xlsx`, `/api/ledger/export.csv`. */
export function ledgerRoutes(deps: RouteDeps, wf: WorkflowDeps) {
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
      return c.body(await ledgerXlsx(deps.store, deps.catalog, q, deps.now(), title(q)), 200, headers);
    })
    .route('GET /api/ledger/export.csv', (c) => {
      const q = scoped(c, c.req.valid('query'));
      return c.body(ledgerCsv(deps.store, deps.catalog, q, deps.now()), 200, {
        'Content-Type': 'text/csv; charset=UTF-8',
        'Content-Disposition': disposition(q.lang === 'zh' ? '问题台账' : 'ledger', 'csv', deps.now()),
      });
    }).app;
}
