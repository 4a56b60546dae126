/**
 * Errors across the thread boundary: a worker's thrown error becomes plain data (structured clone keeps
 * neither the class nor extra fields), and the main side re-creates the same typed error, so a route
 * answers with the same status and body whether the work ran in a worker or in-process.
 */
import {
  AppError,
  BusyError,
  ForbiddenError,
  InputError,
  NoCityError,
  NotFoundError,
  StorageUnavailableError,
  StoreError,
  TooManyRequestsError,
  UnauthorizedError,
  type ErrorDetail,
} from '../errors';

/** An error as it crosses a MessagePort. */
export interface WireError {
  name: string;
  message: string;
  stack?: string;
  /** AppError's HTTP status. */
  status?: number;
  /** InputError's list of what to fix. */
  details?: ErrorDetail[];
  /** TooManyRequestsError, BusyError. */
  retryAfterS?: number;
  /** Node's or SQLite's error code (storageFailure() reads it). */
  code?: string;
}

/** `err` as plain data for postMessage. */
export function toWire(err: unknown): WireError {
  if (!(err instanceof Error)) return { name: 'Error', message: String(err) };
  const e = err as Error & Partial<Record<'status' | 'details' | 'retryAfterS' | 'code', unknown>>;
  const wire: WireError = { name: e.name, message: e.message, stack: e.stack };
  if (typeof e.status === 'number') wire.status = e.status;
  if (Array.isArray(e.details)) wire.details = e.details as ErrorDetail[];
  if (typeof e.retryAfterS === 'number') wire.retryAfterS = e.retryAfterS;
  if (typeof e.code === 'string') wire.code = e.code;
  return wire;
}

// The server's own typed errors by name; a subclass not listed (SelectionError, SnapError …) comes back
// as an AppError with its status, name and message, which is all app.onError reads of it.
const REVIVE: Record<string, (w: WireError) => Error> = {
  InputError: (w) => new InputError(w.message, w.details ?? []),
  NotFoundError: (w) => new NotFoundError(w.message),
  ForbiddenError: (w) => new ForbiddenError(w.message),
  UnauthorizedError: (w) => new UnauthorizedError(w.message),
  TooManyRequestsError: (w) => new TooManyRequestsError(w.message, w.retryAfterS ?? 1),
  BusyError: (w) => new BusyError(w.retryAfterS ?? 1, w.message),
  NoCityError: (w) => new NoCityError(w.message),
  StoreError: (w) => new StoreError(w.message),
  StorageUnavailableError: (w) => new StorageUnavailableError(w.message),
};

/** The error `wire` describes, re-created as its own class where the server has one. */
export function fromWire(wire: WireError): Error {
  const revive = REVIVE[wire.name];
  let err: Error;
  if (revive) err = revive(wire);
  else if (wire.status !== undefined) err = new AppError(wire.status, wire.message);
  else err = new Error(wire.message);
  // The name of the class it was (SelectionError, SqliteError …), for logs.
  Object.defineProperty(err, 'name', { value: wire.name, configurable: true, writable: true });
  if (wire.code !== undefined) (err as Error & { code?: string }).code = wire.code;
  // Where it was thrown is the useful stack: the worker's, then ours.
  if (wire.stack) err.stack = `${wire.stack}\n    --- in the worker pool, received at ---\n${(err.stack ?? '').split('\n').slice(1).join('\n')}`;
  return err;
}
