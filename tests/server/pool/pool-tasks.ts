/** Tasks for the pool's tests: each shows one thing a real task does (compute, spin, fail, stream). */
import { once } from 'node:events';
import { threadId } from 'node:worker_threads';
import { AppError, InputError, NotFoundError } from '../../../server/errors';
import { callTask, streamTask, transferResult, type TaskTable } from '../../../server/pool/tasks';

let setupData: unknown = null;
let kept: Float64Array | null = null;

export function setup(data: unknown): void {
  setupData = data;
}

export const tasks = {
  // Moved, not copied: `keptLength` reads the worker's own view of it afterwards.
  arrays: callTask((input: { n: number }) => {
    const a = new Float64Array(input.n).map((_, i) => i / 2);
    kept = a;
    return transferResult({ a, tail: a.subarray(input.n - 2), rows: [{ ids: new Uint32Array([7, 8]) }], names: ['x', 'y'] });
  }),
  keptLength: callTask((_: null) => kept?.byteLength ?? -1),
  echo: callTask((input: { value: number }) => ({ value: input.value * 2, threadId, setupData })),
  /** CPU-bound for `ms`, looking at no signal: only terminating the thread stops it (as the solver). */
  spin: callTask((input: { ms: number; started?: Int32Array }) => {
    if (input.started) Atomics.store(input.started, 0, threadId);
    const end = performance.now() + input.ms;
    let x = 0;
    while (performance.now() < end) x++;
    return { threadId, x };
  }),
  /** CPU-bound like `spin`, but looking at its context between steps, as the solver's clock does. */
  loop: callTask((input: { ms: number; started: Int32Array }, ctx) => {
    Atomics.store(input.started, 0, threadId);
    const end = performance.now() + input.ms;
    while (performance.now() < end) if (ctx.cancelled()) throw new DOMException('cancelled', 'AbortError');
    return { threadId };
  }),
  fail: callTask((input: { kind: 'input' | 'not-found' | 'app' | 'plain' }): never => {
    if (input.kind === 'input')
      throw new InputError('Invalid json.teams.0.start: move it onto the map', [{ path: 'json.teams.0.start', message: 'move it onto the map' }]);
    if (input.kind === 'not-found') throw new NotFoundError('There is no plan "pl-x".');
    if (input.kind === 'app') {
      class SelectionError extends AppError {}
      throw new SelectionError(422, 'The selection picks nothing: widen it.');
    }
    throw Object.assign(new Error('attempt to write a readonly database'), { code: 'SQLITE_READONLY' });
  }),
  /**
   * Writes `chunks` pieces of `size` bytes (byte i of piece k is (k + i) % 251), minding back-pressure
   * as an export does, and counts what it has written in `written` (shared with the test).
   */
  bytes: streamTask(async (input: { chunks: number; size: number; written: Int32Array; failFirst?: boolean }, out) => {
    if (input.failFirst) throw new NotFoundError('There is no such export.');
    for (let k = 0; k < input.chunks; k++) {
      const piece = new Uint8Array(input.size);
      for (let i = 0; i < input.size; i++) piece[i] = (k + i) % 251;
      Atomics.add(input.written, 0, input.size);
      if (!out.write(piece)) await once(out, 'drain');
    }
  }),
} satisfies TaskTable;

export type TestTasks = typeof tasks;
