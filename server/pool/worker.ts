/**
 * The worker side of the pool: imports the task table, runs one task at a time and posts its result,
 * its error (as data, codec.ts) or its byte stream (with credit from the reader, protocol.ts).
 */
import { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { toWire } from './codec';
import {
  STREAM_CHUNK_BYTES,
  STREAM_CREDIT,
  type CancelMessage,
  type CreditMessage,
  type ResultMessage,
  type RunMessage,
  type StreamMessage,
  type WorkerBoot,
} from './protocol';
import { transferListOf, type TaskContext, type TaskTable } from './tasks';

const boot = workerData as WorkerBoot;
const mod = (await import(boot.tasks)) as { tasks: TaskTable; setup?: (data: unknown) => void | Promise<void> };
await mod.setup?.(boot.data);
const port = parentPort!;

/**
 * The Writable a stream task writes into: gathers small writes into chunks of STREAM_CHUNK_BYTES and
 * posts one only while the reader has given credit, so a slow client holds the task back (its writes
 * call back late, `write()` returns false) instead of the worker buffering the whole export.
 */
class PortWritable extends Writable {
  private credit = STREAM_CREDIT;
  private parts: Uint8Array[] = [];
  private bytes = 0;
  private waiting: (() => void) | null = null;

  constructor(private readonly out: MessagePort) {
    super({ highWaterMark: STREAM_CHUNK_BYTES });
    out.on('message', (m: CreditMessage) => {
      this.credit += m.n;
      const resume = this.waiting;
      this.waiting = null;
      resume?.();
    });
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    this.parts.push(chunk);
    this.bytes += chunk.byteLength;
    if (this.bytes >= STREAM_CHUNK_BYTES) this.flush(cb);
    else cb();
  }

  override _final(cb: (err?: Error | null) => void): void {
    this.flush(() => {
      this.post({ type: 'end' });
      cb();
    });
  }

  private flush(cb: () => void): void {
    if (this.bytes === 0) return cb();
    if (this.credit <= 0) {
      this.waiting = () => this.flush(cb);
      return;
    }
    // A fresh buffer of its own: Node's small Buffers share a pool, which a transfer would detach.
    const data = new Uint8Array(this.bytes);
    let at = 0;
    for (const p of this.parts) {
      data.set(p, at);
      at += p.byteLength;
    }
    this.parts = [];
    this.bytes = 0;
    this.credit--;
    this.out.postMessage({ type: 'chunk', data } satisfies StreamMessage, [data.buffer]);
    cb();
  }

  post(m: StreamMessage): void {
    this.out.postMessage(m);
  }
}

/** The running task's, for a `cancel` message. */
let current: { id: number; controller: AbortController } | null = null;

async function run(m: RunMessage): Promise<unknown> {
  const task = mod.tasks[m.task];
  if (!task) throw new Error(`The worker has no task "${m.task}"; add it to the task table ${boot.tasks}.`);
  // Cancelled while it waited for this worker (to start, say): nothing to run.
  if (Atomics.load(m.cancel, 0) === 1) throw new DOMException('The task was cancelled before it started.', 'AbortError');
  const controller = new AbortController();
  current = { id: m.id, controller };
  const ctx: TaskContext = { signal: controller.signal, cancelled: () => Atomics.load(m.cancel, 0) === 1 };
  if (task.kind === 'call') return task.run(m.input as never, ctx);
  const out = new PortWritable(m.port!);
  m.port!.on('close', () => controller.abort(new DOMException('The reader of the stream went away.', 'AbortError')));
  // A task waiting for `drain` (no credit will come) wakes with the error and stops.
  controller.signal.addEventListener('abort', () => out.destroy(controller.signal.reason as Error), { once: true });
  try {
    await task.run(m.input as never, out, ctx);
    if (!out.writableEnded) out.end();
    await finished(out);
  } catch (err) {
    out.post({ type: 'error', error: toWire(err) });
    throw err;
  }
  return undefined;
}

port.on('message', (m: RunMessage | CancelMessage) => {
  if (m.type === 'cancel') {
    if (current?.id === m.id) current.controller.abort(new DOMException('The task was cancelled.', 'AbortError'));
    return;
  }
  run(m).then(
    (output) => port.postMessage({ type: 'done', id: m.id, output } satisfies ResultMessage, transferListOf(output)),
    (err: unknown) => port.postMessage({ type: 'fail', id: m.id, error: toWire(err) } satisfies ResultMessage),
  );
});
