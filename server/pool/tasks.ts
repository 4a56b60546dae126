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

/** A task that writes a byte stream (an export). */
export function streamTask<I>(run: (input: I, out: Writable, ctx: TaskContext) => void | Promise<void>): StreamTask<I> {
  return { kind: 'stream', run };
}

export type CallKeys<T extends TaskTable> = { [K in keyof T]: T[K] extends CallTask<never, unknown> ? K : never }[keyof T] & string;
export type StreamKeys<T extends TaskTable> = { [K in keyof T]: T[K] extends StreamTask<never> ? K : never }[keyof T] & string;
export type InputOf<T> = T extends CallTask<infer I, unknown> ? I : T extends StreamTask<infer I> ? I : never;
export type OutputOf<T> = T extends CallTask<never, infer O> ? Awaited<O> : never;
