/**
 * The messages between the pool (main thread) and a worker. One task at a time per worker.
 *
 *   main ──run {id, task, input, port?}──► worker
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
  port?: MessagePort;
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
