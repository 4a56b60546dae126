/**
 * What a worker can run: a table of named tasks, each a function of its (structured-clonable) input.
 * A `call` task returns a value; a `stream` task writes bytes into a Writable that the main side reads
 * as a ReadableStream, with back-pressure. The table lives in a module the worker imports; the main
 * side imports only its type, so the pool's calls are typed by it.
 *
 * @example
 * export const tasks = {
 *   square: callTask((n: number) => n * n),
 *   numbers: streamTask(async (n: number, out) => { for (let i = 0; i < n; i++) out.write(`${i}\n`); }),
 * } satisfies TaskTable;
 */
import type { Writable } from 'node:stream';

/**
 * How a task learns that it was cancelled. `signal` aborts between turns of the worker's event loop (an
 * async export awaiting `drain` sees it); `cancelled()` reads a flag the main thread sets in shared
 * memory, so a synchronous loop (the solver's clock) sees it at once. A task that looks at neither is
 * terminated after a grace period.
 */
export interface TaskContext {
  signal: AbortSignal;
  cancelled(): boolean;
}

export interface CallTask<I, O> {
  kind: 'call';
  run(input: I, ctx: TaskContext): O | Promise<O>;
}

export interface StreamTask<I> {
  kind: 'stream';
  /** Writes into `out` (which it may end; the pool ends it after the returned promise otherwise). */
  run(input: I, out: Writable, ctx: TaskContext): void | Promise<void>;
}

export type TaskTable = Record<string, CallTask<never, unknown> | StreamTask<never>>;

/** A task that returns a value (copied to the main side by structured clone). */
export function callTask<I, O>(run: (input: I, ctx: TaskContext) => O | Promise<O>): CallTask<I, O> {
  return { kind: 'call', run };
}

const transfers = new WeakMap<object, ArrayBuffer[]>();

/**
 * Marks a call task's result to be moved, not copied, to the main thread: every ArrayBuffer under it (a
 * typed array's) is transferred, so the worker can no longer use them. Structured clone copies 270 MB of
 * a million-problem index in about a second on the receiving thread; a transfer moves it in none.
 */
export function transferResult<T extends object>(value: T): T {
  const buffers = new Set<ArrayBuffer>();
  const walk = (v: unknown): void => {
    if (ArrayBuffer.isView(v)) {
      if (v.buffer instanceof ArrayBuffer) buffers.add(v.buffer);
    } else if (Array.isArray(v)) {
      // Arrays of strings or numbers hold no buffers; only look inside arrays of objects.
      if (v.length > 0 && typeof v[0] === 'object') v.forEach(walk);
    } else if (v instanceof Map) {
      for (const x of v.values()) if (typeof x === 'object') walk(x);
    } else if (v !== null && typeof v === 'object') {
      for (const x of Object.values(v)) walk(x);
    }
  };
  walk(value);
  transfers.set(value, [...buffers]);
  return value;
}

/** The buffers `transferResult` marked on `value` (for the worker's postMessage). */
export function transferListOf(value: unknown): ArrayBuffer[] {
  return (value !== null && typeof value === 'object' && transfers.get(value)) || [];
}

/** A task that writes a byte stream (an export). */
export function streamTask<I>(run: (input: I, out: Writable, ctx: TaskContext) => void | Promise<void>): StreamTask<I> {
  return { kind: 'stream', run };
}

export type CallKeys<T extends TaskTable> = { [K in keyof T]: T[K] extends CallTask<never, unknown> ? K : never }[keyof T] & string;
export type StreamKeys<T extends TaskTable> = { [K in keyof T]: T[K] extends StreamTask<never> ? K : never }[keyof T] & string;
export type InputOf<T> = T extends CallTask<infer I, unknown> ? I : T extends StreamTask<infer I> ? I : never;
export type OutputOf<T> = T extends CallTask<never, infer O> ? Awaited<O> : never;
