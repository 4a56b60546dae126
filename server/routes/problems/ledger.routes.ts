import type { Context } from 'hono';
import { scopedQuery } from '../../auth/middleware';
import type { z } from 'zod';
import { type LedgerQuery, XLSX_CONTENT_TYPE } from '../../contract/ledger';
import { ledgerPage } from '../../services/problems/ledger';
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
 * `body` as it is, except that a failure after its first bytes (a disk error in the worker) also goes
 * to `logError`: the client only sees its download end early. Its reader going away is no failure.
 */
function failuresLogged(body: ReadableStream<Uint8Array>, logError: (err: unknown) => void): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const { done, value } = await reader.read();
          if (done) controller.close();
          else controller.enqueue(value);
        } catch (err) {
          logError(err);
          controller.error(err);
        }
      },
      cancel: (reason) => reader.cancel(reason),
    },
    { highWaterMark: 0 },
  );
}

/**
 * `GET /api/ledger`, `/api/ledger/export.xlsx`, `/api/ledger/export.csv`. The exports run in the worker
 * pool and stream from there (a full queue answers 503 with Retry-After; the client going away stops
 * the export); a failure before the first bytes is answered with its status, one after them ends the
 * download early and goes to `logError`.
 */
export function ledgerRoutes(deps: RouteDeps, wf: WorkflowDeps, logError: (err: unknown) => void = (err) => console.error(err)) {
  // A unit account's ledger is its own problems, a district account's its district's, whatever filter it sends.
  const scoped = (c: Context, q: Q): Q => scopedQuery(c, q);
  const title = async (q: Q, nowMs: number) => {
    const city = await deps.store.getCity();
    return q.lang === 'zh' ? `${city?.name ?? ''}问题台账（${cityDate(nowMs)}导出）` : `${city?.nameEn ?? ''} problem ledger (exported ${cityDate(nowMs)})`;
  };
  return declareRoutes()
    .route('GET /api/ledger', async (c) => {
      c.header('Cache-Control', 'no-cache');
      const q = scoped(c, c.req.valid('query'));
      // A grid's outline is tested row by row: in the pool. The other filters read indexes, in milliseconds.
      if (q.grid?.length) return c.json(await deps.pool.run('ledger.page', { q, nowMs: deps.now() }, { signal: c.req.raw.signal }), 200);
      return c.json(await ledgerPage(deps.store, deps.catalog, q, deps.now()), 200);
    })
    .route('GET /api/ledger/export.xlsx', async (c) => {
      const q = scoped(c, c.req.valid('query'));
      const nowMs = deps.now();
      const input = { q, nowMs, title: await title(q, nowMs) };
      const headers = {
        'Content-Type': XLSX_CONTENT_TYPE,
        'Content-Disposition': disposition(q.lang === 'zh' ? '问题台账' : 'ledger', 'xlsx', nowMs),
      };
      const signal = c.req.raw.signal;
      if (q.thumbnails === '1') {
        return c.body(await deps.pool.run('ledger.xlsx.thumbnails', { ...input, mediaDir: wf.mediaDir }, { signal }), 200, headers);
      }
      return c.body(failuresLogged(await deps.pool.stream('ledger.xlsx', input, { signal }), logError), 200, headers);
    })
    .route('GET /api/ledger/export.csv', async (c) => {
      const q = scoped(c, c.req.valid('query'));
      const nowMs = deps.now();
      const body = failuresLogged(await deps.pool.stream('ledger.csv', { q, nowMs, title: '' }, { signal: c.req.raw.signal }), logError);
      return c.body(body, 200, {
        'Content-Type': 'text/csv; charset=UTF-8',
        'Content-Disposition': disposition(q.lang === 'zh' ? '问题台账' : 'ledger', 'csv', nowMs),
      });
    }).app;
}
