import { Hono, type Context } from 'hono';
import { unitScope } from '../../auth/middleware';
import { z } from 'zod';
import { ErrorBody } from '../../contract/common';
import { LedgerQuery } from '../../contract/ledger';
import { LedgerPage } from '../../contract/workflow';
import { ledgerCsv, ledgerPage, ledgerXlsx, ledgerXlsxWithThumbnails } from '../../services/problems/ledger';
import type { WorkflowDeps } from '../../services/problems/deps';
import { errorResponses, type RouteDoc } from '../../services/openapi/openapi';
import { cityDate } from '../../contract/city-time';
import type { RouteDeps } from '../deps';
import { validate } from '../validate';

const LedgerQuerySchema = LedgerQuery;

export const LEDGER_DOCS: RouteDoc[] = [
  {
    method: 'get',
    path: '/api/ledger',
    tag: 'ledger',
    summary: '问题台账: problems with the map’s filters, full-text search, any sort, one page at a time',
    query: LedgerQuerySchema,
    responses: { 200: { description: 'A page and the total', schema: LedgerPage }, ...errorResponses(ErrorBody, 400) },
  },
  {
    method: 'get',
    path: '/api/ledger/export.xlsx',
    tag: 'ledger',
    summary: 'The filtered ledger as Excel in the 台账 columns (编号, 类别, 位置, 所属街道, 责任单位, 发现时间, 整改时限, 状态, 整改时间, 复查结果, 是否反复)',
    query: LedgerQuerySchema,
    responses: { 200: { description: 'XLSX', contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }, ...errorResponses(ErrorBody, 400) },
  },
  {
    method: 'get',
    path: '/api/ledger/export.csv',
    tag: 'ledger',
    summary: 'The filtered ledger as CSV (UTF-8 with BOM), same columns',
    query: LedgerQuerySchema,
    responses: { 200: { description: 'CSV', contentType: 'text/csv' }, ...errorResponses(ErrorBody, 400) },
  },
];

type Q = z.output<typeof LedgerQuerySchema>;

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
    return q.lang === 'zh' ? `${city?.name ?? ''}问题台账（${cityDate(deps.now())}导出）` : `${city?.nameEn ?? ''} problem ledger (exported ${cityDate(deps.now())})`;
  };
  return new Hono()
    .get('/', validate('query', LedgerQuerySchema), (c) => {
      c.header('Cache-Control', 'no-cache');
      return c.json(ledgerPage(deps.store, deps.catalog, scoped(c, c.req.valid('query')), deps.now()), 200);
    })
    .get('/export.xlsx', validate('query', LedgerQuerySchema), async (c) => {
      const q = scoped(c, c.req.valid('query'));
      const headers = {
        'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        'Content-Disposition': disposition(q.lang === 'zh' ? '问题台账' : 'ledger', 'xlsx', deps.now()),
      };
      if (q.thumbnails === '1') {
        return c.body(await ledgerXlsxWithThumbnails(deps.store, deps.catalog, q, deps.now(), title(q), wf.mediaDir), 200, headers);
      }
      return c.body(await ledgerXlsx(deps.store, deps.catalog, q, deps.now(), title(q)), 200, headers);
    })
    .get('/export.csv', validate('query', LedgerQuerySchema), (c) => {
      const q = scoped(c, c.req.valid('query'));
      return c.body(ledgerCsv(deps.store, deps.catalog, q, deps.now()), 200, {
        'Content-Type': 'text/csv; charset=UTF-8',
        'Content-Disposition': disposition(q.lang === 'zh' ? '问题台账' : 'ledger', 'csv', deps.now()),
      });
    });
}
