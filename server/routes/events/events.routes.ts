import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { ErrorBody } from '../../contract/common';
import { EventsQuery } from '../../contract/events';
import { errorResponses, type RouteDoc } from '../../services/openapi/openapi';
import type { WorkflowDeps } from '../../services/problems/deps';
import type { RouteDeps } from '../deps';
import { validate } from '../validate';

/** A comment line this often keeps proxies from closing an idle stream (ms). */
const HEARTBEAT_MS = 25_000;
/** Events sent per read of the log while catching up. */
const BATCH = 500;
/** Client reconnect delay the stream asks for (ms). */
const RETRY_MS = 3000;

export const EVENTS_DOCS: RouteDoc[] = [
  {
    method: 'get',
    path: '/api/events',
    tag: 'workflow',
    summary: 'Server-sent events: new problems (problem.created), merges (problem.merged) and transitions (problem.transition)',
    description:
      'Each event has an `id` (growing). A reconnect with `Last-Event-ID` (EventSource does it by itself) or `?since=` ' +
      'first replays every event after that id from the event log, so nothing is missed. Without either the stream ' +
      'starts at now. The first message is `ready` with the current last id.',
    query: EventsQuery,
    responses: { 200: { description: 'text/event-stream', contentType: 'text/event-stream' }, ...errorResponses(ErrorBody, 400) },
  },
];

/** `GET /api/events`. */
export function eventsRoutes(deps: RouteDeps, wf: WorkflowDeps) {
  return new Hono().get('/', validate('query', EventsQuery), (c) => {
    const header = c.req.header('Last-Event-ID');
    const fromHeader = header !== undefined && /^\d+$/.test(header) ? Number(header) : undefined;
    const start = fromHeader ?? c.req.valid('query').since ?? deps.store.lastEventSeq();
    return streamSSE(c, async (stream) => {
      let cursor = start;
      let wake: (() => void) | null = null;
      const unsubscribe = wf.hub.subscribe(() => wake?.());
      stream.onAbort(() => {
        unsubscribe();
        wake?.();
      });
      await stream.writeSSE({ event: 'ready', data: JSON.stringify({ lastEventId: deps.store.lastEventSeq() }), retry: RETRY_MS });
      while (!stream.aborted && !stream.closed) {
        const rows = deps.store.eventsAfter(cursor, BATCH);
        for (const r of rows) {
          await stream.writeSSE({ id: String(r.seq), event: r.type, data: r.data });
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
  });
}
