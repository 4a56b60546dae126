/**
 * The worker pool over real worker threads (the test tasks of pool-tasks.ts): results, typed errors,
 * the bounded queue, cancellation of waiting and running tasks, and streams with back-pressure.
 */
import { threadId } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError, BusyError, InputError, NotFoundError } from '../../../server/errors';
import { createInlinePool } from '../../../server/pool/inline';
import { createPool, type Pool } from '../../../server/pool/pool';
import type { TestTasks } from './pool-tasks';

const TASKS = new URL('./pool-tasks.ts', import.meta.url);
const pools: Pool<TestTasks>[] = [];

function pool(opts: { size?: number; maxQueue?: number } = {}): Pool<TestTasks> {
  const p = createPool<TestTasks>({ tasks: TASKS, size: opts.size ?? 1, maxQueue: opts.maxQueue, data: { city: 'fixture' } });
  pools.push(p);
  return p;
}

afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
});

/** Waits (bounded) until `check` holds. */
async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function rejection(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (err: unknown) => err,
  );
}

describe('the worker pool', () => {
  it('moves a result marked transferResult instead of copying it: the same values here, detached in the worker', async () => {
    const p = pool();
    const out = await p.run('arrays', { n: 1000 });
    expect(Array.from(out.a.subarray(0, 3))).toEqual([0, 0.5, 1]);
    // A view over the same buffer stays one: the transfer keeps what a copy keeps.
    expect(out.tail.buffer).toBe(out.a.buffer);
    expect(Array.from(out.tail)).toEqual([499, 499.5]);
    expect(Array.from(out.rows[0].ids)).toEqual([7, 8]);
    expect(out.names).toEqual(['x', 'y']);
    expect(await p.run('keptLength', null)).toBe(0);
  });

  it('runs a task in another thread, with the data it was set up with', async () => {
    const p = pool();
    const out = await p.run('echo', { value: 21 });
    expect(out.value).toBe(42);
    expect(out.threadId).not.toBe(threadId);
    expect(out.setupData).toEqual({ city: 'fixture' });
    expect(p.stats()).toMatchObject({ workers: 1, running: 0, queued: 0, completed: 1 });
  });

  it('re-creates the typed errors a task throws', async () => {
    const p = pool();
    const input = await rejection(p.run('fail', { kind: 'input' }));
    expect(input).toBeInstanceOf(InputError);
    expect((input as InputError).details).toEqual([{ path: 'json.teams.0.start', message: 'move it onto the map' }]);
    expect((input as InputError).status).toBe(400);
    const notFound = await rejection(p.run('fail', { kind: 'not-found' }));
    expect(notFound).toBeInstanceOf(NotFoundError);
    expect((notFound as Error).message).toBe('There is no plan "pl-x".');
    const app = await rejection(p.run('fail', { kind: 'app' }));
    expect(app).toBeInstanceOf(AppError);
    expect(app).toMatchObject({ status: 422, name: 'SelectionError', message: 'The selection picks nothing: widen it.' });
    const plain = await rejection(p.run('fail', { kind: 'plain' }));
    expect(plain).not.toBeInstanceOf(AppError);
    expect(plain).toMatchObject({ code: 'SQLITE_READONLY', message: 'attempt to write a readonly database' });
    // A task's failure leaves its worker serving.
    expect((await p.run('echo', { value: 1 })).value).toBe(2);
    expect(p.stats().killed).toBe(0);
  });

  it('refuses a task with BusyError when every worker is taken and the queue is full', async () => {
    const p = pool({ size: 1, maxQueue: 1 });
    const running = p.run('spin', { ms: 400 });
    const waiting = p.run('echo', { value: 1 });
    const refused = await rejection(p.run('echo', { value: 2 }));
    expect(refused).toBeInstanceOf(BusyError);
    expect((refused as BusyError).status).toBe(503);
    expect((refused as BusyError).retryAfterS).toBeGreaterThanOrEqual(1);
    await running;
    expect((await waiting).value).toBe(2);
    // With room again, the same task is taken.
    expect((await p.run('echo', { value: 2 })).value).toBe(4);
  });

  it('drops a waiting task when its signal aborts', async () => {
    const p = pool({ size: 1 });
    const running = p.run('spin', { ms: 300 });
    const abort = new AbortController();
    const waiting = p.run('echo', { value: 1 }, { signal: abort.signal });
    expect(p.stats().queued).toBe(1);
    abort.abort();
    expect(await rejection(waiting)).toMatchObject({ name: 'AbortError' });
    expect(p.stats().queued).toBe(0);
    await running;
    expect(p.stats()).toMatchObject({ completed: 1, killed: 0 });
  });

  it('stops a running task that looks at its context when its signal aborts, keeping its worker', async () => {
    const p = pool({ size: 1 });
    const started = new Int32Array(new SharedArrayBuffer(4));
    const abort = new AbortController();
    const long = p.run('loop', { ms: 60_000, started }, { signal: abort.signal });
    await until(() => Atomics.load(started, 0) !== 0, 'the task to start');
    abort.abort();
    expect(await rejection(long)).toMatchObject({ name: 'AbortError' });
    await until(() => p.stats().running === 0, 'the task to stop');
    expect(p.stats()).toMatchObject({ stopped: 1, killed: 0, workers: 1 });
    const next = await p.run('echo', { value: 5 });
    expect(next.threadId).toBe(Atomics.load(started, 0));
  });

  it('terminates the worker of a running task that does not stop, and serves the next task on a new one', async () => {
    const p = pool({ size: 1 });
    const started = new Int32Array(new SharedArrayBuffer(4));
    const abort = new AbortController();
    // A minute of CPU that never looks at its context: the test would time out if it were left to finish.
    const long = p.run('spin', { ms: 60_000, started }, { signal: abort.signal });
    await until(() => Atomics.load(started, 0) !== 0, 'the task to start');
    const victim = Atomics.load(started, 0);
    expect(p.stats().running).toBe(1);
    abort.abort();
    // The caller hears at once; the worker gets its grace period, then is ended.
    expect(await rejection(long)).toMatchObject({ name: 'AbortError' });
    await until(() => p.stats().killed === 1, 'the worker thread to exit');
    expect(p.stats().running).toBe(0);
    const next = await p.run('echo', { value: 5 });
    expect(next.value).toBe(10);
    expect(next.threadId).not.toBe(victim);
    expect(p.stats()).toMatchObject({ workers: 1, running: 0, stopped: 0, killed: 1 });
  });

  it('streams bytes in order, whole', async () => {
    const p = pool();
    const written = new Int32Array(new SharedArrayBuffer(4));
    const stream = await p.stream('bytes', { chunks: 40, size: 10_000, written });
    const got = new Uint8Array(await new Response(stream).arrayBuffer());
    expect(got.byteLength).toBe(400_000);
    let wrong = 0;
    for (let k = 0; k < 40; k++) for (let i = 0; i < 10_000; i++) if (got[k * 10_000 + i] !== (k + i) % 251) wrong++;
    expect(wrong).toBe(0);
  });

  it('holds a stream task back while its reader is slow (credit), and cancelling the stream stops the task', async () => {
    const p = pool();
    const written = new Int32Array(new SharedArrayBuffer(4));
    // 64 MB if nothing held it back.
    const stream = await p.stream('bytes', { chunks: 1000, size: 64 * 1024, written });
    const reader = stream.getReader();
    await reader.read();
    await new Promise((r) => setTimeout(r, 300));
    // The credit (4 chunks of 64 KB) and the Writable's own buffer: well under a megabyte, not 64.
    expect(Atomics.load(written, 0)).toBeLessThan(1024 * 1024);
    expect(p.stats().running).toBe(1);
    await reader.cancel();
    // The task was waiting for credit: the cancel wakes it with an error and it stops, its worker kept.
    await until(() => p.stats().running === 0, 'the task to stop');
    expect(p.stats()).toMatchObject({ stopped: 1, killed: 0 });
    const before = Atomics.load(written, 0);
    await new Promise((r) => setTimeout(r, 100));
    expect(Atomics.load(written, 0)).toBe(before);
    expect((await p.run('echo', { value: 1 })).value).toBe(2);
  });

  it('rejects a stream whose task fails before its first byte, with the typed error', async () => {
    const p = pool();
    const written = new Int32Array(new SharedArrayBuffer(4));
    const err = await rejection(p.stream('bytes', { chunks: 1, size: 1, written, failFirst: true }));
    expect(err).toBeInstanceOf(NotFoundError);
  });

  it('rejects waiting tasks and refuses new ones once closed', async () => {
    const p = pool({ size: 1 });
    const running = rejection(p.run('spin', { ms: 60_000 }));
    const waiting = rejection(p.run('echo', { value: 1 }));
    await p.close();
    expect(await running).toMatchObject({ message: expect.stringMatching(/shutting down/) });
    expect(await waiting).toMatchObject({ message: expect.stringMatching(/shutting down/) });
    await expect(p.run('echo', { value: 1 })).rejects.toThrow(/closed/);
    expect(p.stats().workers).toBe(0);
  });
});

describe('the in-process pool (WORKERS=0, apps built without a pool)', () => {
  it('runs the same tasks on this thread with the same results, errors and streams', async () => {
    const { tasks, setup } = await import('./pool-tasks');
    setup({ city: 'inline' });
    const p = createInlinePool(tasks);
    const out = await p.run('echo', { value: 21 });
    expect(out).toEqual({ value: 42, threadId, setupData: { city: 'inline' } });
    const input = await rejection(p.run('fail', { kind: 'input' }));
    expect(input).toBeInstanceOf(InputError);
    const written = new Int32Array(new SharedArrayBuffer(4));
    const got = new Uint8Array(await new Response(await p.stream('bytes', { chunks: 3, size: 1000, written })).arrayBuffer());
    expect(got.byteLength).toBe(3000);
    expect(got[2999]).toBe((2 + 999) % 251);
    expect(await rejection(p.stream('bytes', { chunks: 1, size: 1, written, failFirst: true }))).toBeInstanceOf(NotFoundError);
    const abort = new AbortController();
    abort.abort();
    expect(await rejection(p.run('echo', { value: 1 }, { signal: abort.signal }))).toMatchObject({ name: 'AbortError' });
    expect(p.stats()).toMatchObject({ running: 0, completed: 4 });
  });
});
