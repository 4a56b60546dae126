/**
 * The same Pool interface with no threads: tasks run on the calling thread. For `WORKERS=0` (debugging,
 * profiling a task in one process) and for apps built without a pool (the in-process API tests), so
 * every route has one code path whichever way its work runs.
 */
import { PassThrough, Readable } from 'node:stream';
import type { Pool, PoolStats } from './pool';
import type { TaskTable } from './tasks';

/** A Pool over `tasks` that runs each task in-process, one after another as the callers await them. */
export function createInlinePool<T extends TaskTable>(tasks: T): Pool<T> {
  let running = 0;
  let completed = 0;
  const table = tasks as TaskTable;
  return {
    async run(task, input, opts = {}) {
      opts.signal?.throwIfAborted();
      const t = table[task];
      if (t.kind !== 'call') throw new Error(`Task "${task}" writes a stream: use pool.stream().`);
      running++;
      const signal = opts.signal ?? new AbortController().signal;
      try {
        return (await t.run(input as never, { signal, cancelled: () => signal.aborted })) as never;
      } finally {
        running--;
        completed++;
      }
    },
    async stream(task, input, opts = {}) {
      opts.signal?.throwIfAborted();
      const t = table[task];
      if (t.kind !== 'stream') throw new Error(`Task "${task}" returns a value: use pool.run().`);
      const out = new PassThrough();
      const controller = new AbortController();
      opts.signal?.addEventListener('abort', () => controller.abort(opts.signal!.reason), { once: true });
      out.on('close', () => controller.abort(new Error('The reader of the stream went away.')));
      running++;
      const ctx = { signal: controller.signal, cancelled: () => controller.signal.aborted };
      const done = Promise.resolve(t.run(input as never, out, ctx)).finally(() => {
        running--;
        completed++;
      });
      // Fails like the worker pool: an error before the first byte rejects, later ones error the stream.
      const first = await Promise.race([done.then(() => 'done' as const), new Promise<'data'>((r) => out.once('readable', () => r('data')))]);
      done.then(
        () => {
          if (!out.writableEnded) out.end();
        },
        (err: unknown) => out.destroy(err as Error),
      );
      if (first === 'done' && !out.writableEnded) out.end();
      return Readable.toWeb(out) as ReadableStream<Uint8Array>;
    },
    stats: (): PoolStats => ({ size: 0, workers: 0, running, queued: 0, maxQueue: 0, stopped: 0, killed: 0, completed }),
    async close() {},
  };
}
