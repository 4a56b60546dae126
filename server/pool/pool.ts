/**
 * A small pool of worker threads for the work a request must not do on the event loop (route
 * optimisation, large matrices, exports): a fixed number of workers, a bounded queue, cancellation, typed
 * errors across the boundary and byte streams with back-pressure. Why our own and not piscina: README.md.
 *
 * @example
 * import type { tasks } from './app-tasks';
 * const pool = createPool<typeof tasks>({ tasks: new URL('./app-tasks.ts', import.meta.url), data: { dbFile } });
 * const plan = await pool.run('plan.create', { req, nowMs }, { signal: c.req.raw.signal });
 * const csv = await pool.stream('ledger.csv', query, { signal });   // ReadableStream<Uint8Array>
 * await pool.close();
 */
import { availableParallelism } from 'node:os';
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import { BusyError } from '../errors';
import { fromWire } from './codec';
import type { CancelMessage, CreditMessage, ResultMessage, RunMessage, StreamMessage, WorkerBoot } from './protocol';
import { transferListOf, type CallKeys, type InputOf, type OutputOf, type StreamKeys, type TaskTable } from './tasks';

const BOOT = new URL('./boot.mjs', import.meta.url);
const RUNTIME = new URL('./worker.ts', import.meta.url);
/** Tasks that may wait per worker before the pool answers busy. */
const QUEUE_PER_WORKER = 8;
/** Until tasks have been timed, a task is assumed to take this long (for Retry-After). */
const FIRST_GUESS_MS = 2000;
const MAX_RETRY_AFTER_S = 120;
/**
 * How long a cancelled task may take to stop by itself before its worker is terminated. A new worker
 * costs about 1.7 s of CPU (tsx, the store, the road graph), so a task that looks at its context (the
 * solver's clock does) is worth waiting for.
 */
const CANCEL_GRACE_MS = 1500;

export interface PoolOptions {
  /** The task table module the workers import (a file URL; it exports `tasks` and may export `setup`). */
  tasks: URL;
  /** Worker threads; default `defaultPoolSize()`. */
  size?: number;
  /** Tasks that may wait for a worker; one more is refused with BusyError. Default 8 per worker. */
  maxQueue?: number;
  /** Given to the task module's `setup(data)` in every worker (structured-clonable: paths, the catalog). */
  data?: unknown;
}

export interface RunOptions {
  /**
   * Aborting drops a waiting task, or tells a running one to stop (TaskContext) and terminates its worker
   * if it has not within CANCEL_GRACE_MS (the next task then gets a new one). The promise rejects at once.
   */
  signal?: AbortSignal;
}

export interface PoolStats {
  size: number;
  /** Live workers (started lazily, kept while the pool lives). */
  workers: number;
  /** Workers busy with a task, or still stopping a cancelled one. */
  running: number;
  queued: number;
  maxQueue: number;
  /** Cancelled tasks that stopped by themselves, their worker kept. */
  stopped: number;
  /** Workers terminated because their cancelled task did not stop, counted once the thread has exited. */
  killed: number;
  completed: number;
}

/** Runs tasks of the table `T` (its type only: `createPool<typeof tasks>`) in worker threads. */
export interface Pool<T extends TaskTable> {
  /**
   * Runs `task` in a worker and resolves to its result; rejects with the task's own typed error
   * (re-created: InputError with its details, NotFoundError …), with BusyError when the queue is full,
   * or with the signal's reason when aborted.
   */
  run<K extends CallKeys<T>>(task: K, input: InputOf<T[K]>, opts?: RunOptions): Promise<OutputOf<T[K]>>;
  /**
   * Runs the stream task `task` and resolves, once its first bytes (or its end) arrive, to a stream of
   * them; rejects like `run` when the task fails before writing anything, so the caller can still answer
   * with the error's status. Cancelling the stream cancels the task.
   */
  stream<K extends StreamKeys<T>>(task: K, input: InputOf<T[K]>, opts?: RunOptions): Promise<ReadableStream<Uint8Array>>;
  stats(): PoolStats;
  /** Refuses new tasks, rejects waiting ones and terminates the workers. */
  close(): Promise<void>;
}

/** One worker per core but one, left to the event loop; at least one. */
export function defaultPoolSize(): number {
  return Math.max(1, availableParallelism() - 1);
}

interface Job {
  id: number;
  task: string;
  input: unknown;
  signal?: AbortSignal;
  state: 'queued' | 'running' | 'settled';
  slot: Slot | null;
  startedMs: number;
  /** The stream's side of its channel; the worker gets the other end. */
  port: MessagePort | null;
  portForWorker: MessagePort | null;
  /** Shared with the worker: [0] = 1 asks the task to stop. */
  cancelFlag: Int32Array;
  settle(err: Error | null, output?: unknown): void;
}

interface Slot {
  worker: Worker;
  /** The task it runs; a cancelled one stays here (settled) until the worker has stopped it. */
  job: Job | null;
  /** The terminate-after-grace timer of a cancelled task. */
  grace: NodeJS.Timeout | null;
}

export function createPool<T extends TaskTable>(opts: PoolOptions): Pool<T> {
  const size = Math.max(1, Math.floor(opts.size ?? defaultPoolSize()));
  const maxQueue = Math.max(0, Math.floor(opts.maxQueue ?? QUEUE_PER_WORKER * size));
  const boot: WorkerBoot = { runtime: RUNTIME.href, tasks: opts.tasks.href, data: opts.data };
  const slots: Slot[] = [];
  const queue: Job[] = [];
  let nextId = 1;
  let closed = false;
  let killed = 0;
  let stopped = 0;
  let completed = 0;
  let meanMs = FIRST_GUESS_MS;

  function spawn(): Slot {
    const worker = new Worker(BOOT, { workerData: boot });
    const slot: Slot = { worker, job: null, grace: null };
    worker.on('message', (m: ResultMessage) => {
      const job = slot.job;
      if (!job || job.id !== m.id) return;
      slot.job = null;
      worker.unref();
      if (slot.grace) {
        // A cancelled task that stopped in time: its answer goes nowhere, its worker serves on.
        clearTimeout(slot.grace);
        slot.grace = null;
        stopped++;
        return dispatch();
      }
      completed++;
      // Recent tasks weigh most: the mix of plans and exports changes through the day.
      meanMs = 0.7 * meanMs + 0.3 * (performance.now() - job.startedMs);
      if (m.type === 'done') job.settle(null, m.output);
      else job.settle(fromWire(m.error));
      dispatch();
    });
    // An error the task module did not catch (or could not load): the worker is gone with it.
    worker.on('error', (err) => lose(slot, err));
    worker.on('exit', (code) => lose(slot, new Error(`A worker of the pool stopped (exit code ${code}); the task was not finished. Try again.`)));
    worker.unref();
    slots.push(slot);
    return slot;
  }

  function lose(slot: Slot, err: Error): void {
    const i = slots.indexOf(slot);
    if (i < 0) return;
    slots.splice(i, 1);
    if (slot.grace) clearTimeout(slot.grace);
    const job = slot.job;
    slot.job = null;
    job?.settle(err);
    dispatch();
  }

  /** Ends a worker whose cancelled task did not stop; the next task gets a new one. */
  function terminate(slot: Slot): void {
    const i = slots.indexOf(slot);
    if (i < 0) return;
    slots.splice(i, 1);
    slot.job = null;
    slot.grace = null;
    slot.worker.removeAllListeners('exit');
    slot.worker.once('exit', () => killed++);
    void slot.worker.terminate();
    dispatch();
  }

  function start(job: Job, slot: Slot): void {
    job.state = 'running';
    job.slot = slot;
    job.startedMs = performance.now();
    slot.job = job;
    slot.worker.ref();
    const m: RunMessage = { type: 'run', id: job.id, task: job.task, input: job.input, cancel: job.cancelFlag };
    // An input marked with transferResult moves its buffers to the worker instead of being copied.
    if (job.portForWorker) {
      m.port = job.portForWorker;
      slot.worker.postMessage(m, [job.portForWorker, ...transferListOf(job.input)]);
      job.portForWorker = null;
    } else {
      slot.worker.postMessage(m, transferListOf(job.input));
    }
  }

  function idleSlot(): Slot | null {
    const idle = slots.find((s) => s.job === null);
    if (idle) return idle;
    return slots.length < size ? spawn() : null;
  }

  function dispatch(): void {
    while (!closed && queue.length > 0) {
      const slot = idleSlot();
      if (!slot) return;
      start(queue.shift()!, slot);
    }
  }

  /** Seconds until a task sent now would likely start: the queue ahead of it over the workers. */
  function retryAfterS(): number {
    const waitMs = ((queue.length + 1) / size) * meanMs;
    return Math.min(MAX_RETRY_AFTER_S, Math.max(1, Math.ceil(waitMs / 1000)));
  }

  function cancel(job: Job, reason: unknown): void {
    if (job.state === 'queued') {
      queue.splice(queue.indexOf(job), 1);
    } else if (job.state === 'running' && job.slot) {
      // The flag reaches a task in a tight loop (no event loop turns); the message an async one. A task
      // that looks at neither is stopped by ending its thread.
      const slot = job.slot;
      Atomics.store(job.cancelFlag, 0, 1);
      slot.worker.postMessage({ type: 'cancel', id: job.id } satisfies CancelMessage);
      slot.grace = setTimeout(() => terminate(slot), CANCEL_GRACE_MS);
    }
    job.settle(reason instanceof Error ? reason : new DOMException('The task was cancelled.', 'AbortError'));
  }

  function submit(
    task: string,
    input: unknown,
    signal: AbortSignal | undefined,
    onSettle: (err: Error | null, output?: unknown) => void,
    stream: boolean,
  ): Job {
    if (closed) throw new Error('The worker pool is closed: the server is shutting down.');
    signal?.throwIfAborted();
    const job: Job = {
      id: nextId++,
      task,
      input,
      signal,
      state: 'queued',
      slot: null,
      startedMs: 0,
      port: null,
      portForWorker: null,
      cancelFlag: new Int32Array(new SharedArrayBuffer(4)),
      settle(err, output) {
        if (job.state === 'settled') return;
        job.state = 'settled';
        job.slot = null;
        signal?.removeEventListener('abort', onAbort);
        onSettle(err, output);
      },
    };
    const onAbort = () => cancel(job, signal!.reason);
    if (stream) {
      const channel = new MessageChannel();
      job.port = channel.port1;
      job.portForWorker = channel.port2;
    }
    const slot = idleSlot();
    if (!slot && queue.length >= maxQueue) {
      job.port?.close();
      throw new BusyError(retryAfterS());
    }
    signal?.addEventListener('abort', onAbort, { once: true });
    if (slot) start(job, slot);
    else queue.push(job);
    return job;
  }

  return {
    run(task, input, runOpts = {}) {
      return new Promise((resolve, reject) => {
        submit(task, input, runOpts.signal, (err, output) => (err ? reject(err) : resolve(output as never)), false);
      });
    },

    stream(task, input, runOpts = {}) {
      return new Promise((resolve, reject) => {
        const chunks: Uint8Array[] = [];
        let ended = false;
        let failure: Error | null = null;
        let opened = false;
        let wake: (() => void) | null = null;
        const job = submit(
          task,
          input,
          runOpts.signal,
          (err) => {
            // The task ended: its bytes are all on the port already (or it failed, or was cancelled).
            if (err && !ended && !failure) fail(err);
          },
          true,
        );
        const port = job.port!;
        const fail = (err: Error) => {
          failure = err;
          port.close();
          if (!opened) reject(err);
          wake?.();
        };
        const readable = new ReadableStream<Uint8Array>(
          {
            async pull(controller) {
              while (chunks.length === 0 && !ended && !failure) await new Promise<void>((r) => (wake = r));
              wake = null;
              if (chunks.length > 0) {
                controller.enqueue(chunks.shift()!);
                if (!ended) port.postMessage({ type: 'credit', n: 1 } satisfies CreditMessage);
              } else if (failure) {
                controller.error(failure);
              } else {
                controller.close();
              }
            },
            cancel(reason) {
              port.close();
              if (job.state !== 'settled') cancel(job, reason instanceof Error ? reason : undefined);
            },
          },
          // Nothing read ahead: a chunk leaves the worker only when the reader asks (the credit).
          { highWaterMark: 0 },
        );
        port.on('message', (m: StreamMessage) => {
          if (m.type === 'error') return fail(fromWire(m.error));
          if (m.type === 'chunk') chunks.push(m.data);
          else {
            ended = true;
            port.close();
          }
          if (!opened) {
            opened = true;
            resolve(readable);
          }
          wake?.();
        });
      });
    },

    stats: () => ({
      size,
      workers: slots.length,
      running: slots.filter((s) => s.job !== null).length,
      queued: queue.length,
      maxQueue,
      stopped,
      killed,
      completed,
    }),

    async close() {
      closed = true;
      for (const job of queue.splice(0)) job.settle(new Error('The server is shutting down; the task was not started.'));
      const all = slots.splice(0);
      for (const s of all) {
        if (s.grace) clearTimeout(s.grace);
        s.worker.removeAllListeners('exit');
        s.job?.settle(new Error('The server is shutting down; the task was stopped.'));
      }
      await Promise.all(all.map((s) => s.worker.terminate()));
    },
  };
}
