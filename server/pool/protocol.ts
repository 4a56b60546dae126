/**
 * The messages between the pool (main thread) and a worker. One task at a time per worker.
 *
 *   main ──run {id, task, input, cancel, port?}──► worker
 *   main ──cancel {id}──► worker          (and cancel[0] = 1, which a busy loop reads without the event loop)
 *   main ◄──done {id, output} | fail {id, error}── worker
 *
 * A stream task gets its own MessagePort (`port`), since messages on two ports keep no order between them:
 *
 *   main ◄──chunk {data} … end | error {error}── worker      (at most `credit` chunks unread)
 *   main ──credit {n}──► worker                                (the reader took n chunks)
 */
import type { MessagePort } from 'node:worker_threads';
import type { WireError } from './codec';

export interface RunMessage {
  type: 'run';
  id: number;
  task: string;
  input: unknown;
  /** Shared with the main thread, which sets [0] to 1 to cancel. */
  cancel: Int32Array;
  port?: MessagePort;
}

export interface CancelMessage {
  type: 'cancel';
  id: number;
}

export type ResultMessage = { type: 'done'; id: number; output: unknown } | { type: 'fail'; id: number; error: WireError };

export type StreamMessage = { type: 'chunk'; data: Uint8Array } | { type: 'end' } | { type: 'error'; error: WireError };

export interface CreditMessage {
  type: 'credit';
  n: number;
}

/** What the worker is started with (workerData). */
export interface WorkerBoot {
  /** The worker runtime (worker.ts) and the task table module, as file URLs. */
  runtime: string;
  tasks: string;
  /** Handed to the task module's `setup()`, if it exports one (the database path, the catalog …). */
  data: unknown;
}

/** Chunks a stream may have in flight before the reader takes one. */
export const STREAM_CREDIT = 4;
/** Bytes a worker gathers before it posts a chunk (small writes, a CSV row each, would cost a message each). */
export const STREAM_CHUNK_BYTES = 64 * 1024;
