import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import { districtSubdistrictsOf, principalOf, unitScope } from '../../auth/middleware';
import { eventFor, replayStart, type EventReader } from '../../services/problems/events';
import type { WorkflowDeps } from '../../services/problems/deps';
import type { RouteDeps } from '../deps';
import { declareRoutes } from '../define';

/** A comment line this often keeps proxies from closing an idle stream (ms). */
const HEARTBEAT_MS = 25_000;
/** Events sent per read of the log while catching up. */
const BATCH = 500;
/** Client reconnect delay the stream asks for (ms). */
const RETRY_MS = 3000;

async function readerOf(c: Context, store: RouteDeps['store']): Promise<EventReader> {
  const unit = unitScope(c);
  if (unit) return { kind: 'unit', unitId: unit };
  const mine = await districtSubdistrictsOf(c, store);
  if (mine) return { kind: 'district', subdistrictIds: mine };
  return principalOf(c)?.kind === 'screen' ? { kind: 'screen' } : { kind: 'all' };
}

/** `GET /api/events`. */
export function eventsRoutes(deps: RouteDeps, wf: WorkflowDeps) {
  return declareRoutes().route('GET /api/events', async (c) => {
    const header = c.req.header('Last-Event-ID');
    const fromHeader = header !== undefined && /^\d+$/.test(header) ? Number(header) : undefined;
    const reader = await readerOf(c, deps.store);
    const last = await deps.store.lastEventSeq();
    const start = replayStart(reader, fromHeader ?? c.req.valid('query').since ?? last, last);
    return streamSSE(c, async (stream) => {
      let cursor = start;
      let wake: (() => void) | null = null;
      const unsubscribe = wf.hub.subscribe(() => wake?.());
      stream.onAbort(() => {
        unsubscribe();
        wake?.();
      });
      await stream.writeSSE({ event: 'ready', data: JSON.stringify({ lastEventId: await deps.store.lastEventSeq() }), retry: RETRY_MS });
      while (!stream.aborted && !stream.closed) {
        const rows = await deps.store.eventsAfter(cursor, BATCH);
        for (const r of rows) {
          const data = await eventFor(deps.store, reader, r);
          if (data !== null) await stream.writeSSE({ id: String(r.seq), event: r.type, data });
          cursor = r.seq;
        }
        if (rows.length === BATCH) continue;
        const woke = await new Promise<boolean>((resolve) => {
          const timer = setTimeout(() => resolve(false), HEARTBEAT_MS);
          wake = () => {
            clearTimeout(timer);
            resolve(true);
          };
        });
        wake = null;
        if (!woke && !stream.aborted) await stream.write(': ping\n\n');
      }
      unsubscribe();
    });
  }).app;
}
