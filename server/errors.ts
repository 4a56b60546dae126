/**
 * The few typed errors of the server, grouped by origin and mapped to HTTP once in `app.onError`
 * (hono `HTTPException`, vroom `exception.h`). Every message says how to fix the problem.
 */
import { bilingual } from './contract/bilingual';

// The one way the server writes a sentence in both languages (see the contract's bilingual.ts).
export { bilingual };

/** One problem with one input field: `path` is dotted (`query.bbox`), `message` says what to fix. */
export interface ErrorDetail {
  path: string;
  message: string;
}

/** Base of every error we raise on purpose; `status` is the HTTP status it maps to. */
export class AppError extends Error {
  readonly status: number;
  constructor(status: number, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.status = status;
  }
}

/** Bad input from the caller (query, path, body): 400 with the list of what to fix. */
export class InputError extends AppError {
  readonly details: ErrorDetail[];
  constructor(message: string, details: ErrorDetail[] = [], options?: { cause?: unknown }) {
    super(400, message, options);
    this.details = details;
  }
}

/** A resource (problem, place, route) that does not exist: 404. */
export class NotFoundError extends AppError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(404, message, options);
  }
}

/** No valid session, API key or screen token for a route that needs one: 401. */
export class UnauthorizedError extends AppError {
  constructor(message = bilingual('请先登录。', 'Sign in first: this needs an account (POST /api/auth/login).')) {
    super(401, message);
  }
}

/** Signed in, but the role may not do this (or a write without its CSRF token): 403. */
export class ForbiddenError extends AppError {
  constructor(message: string) {
    super(403, message);
  }
}

/** Too many attempts (login lock-out): 429; `retryAfterS` goes into the Retry-After header. */
export class TooManyRequestsError extends AppError {
  readonly retryAfterS: number;
  constructor(message: string, retryAfterS: number) {
    super(429, message);
    this.retryAfterS = retryAfterS;
  }
}

/**
 * The worker pool's queue is full (plans, matrices, exports wait there): 503, with `retryAfterS`, the
 * pool's estimate of when a place frees up, in the Retry-After header.
 */
export class BusyError extends AppError {
  readonly retryAfterS: number;
  constructor(retryAfterS: number, message = busyMessage(retryAfterS)) {
    super(503, message);
    this.retryAfterS = retryAfterS;
  }
}

function busyMessage(s: number): string {
  return bilingual(
    `服务器正忙：其他人的路线规划或导出正在计算，排队已满。请约 ${s} 秒后再试，已填写的内容不会丢失。`,
    `The server is busy: other people's route plans or exports are being computed and the queue is full. Try again in about ${s} s; what you entered is kept.`,
  );
}

/** The server is up but has no city loaded yet: 503 until layers are imported. */
export class NoCityError extends AppError {
  constructor(message = 'No city is loaded yet. Run `npm start` (it creates the demo city) or import a layers folder.') {
    super(503, message);
  }
}

/**
 * The database file or a layers folder is unusable: broken file, newer schema, invalid layer line.
 * Raised by the store and the importer; at startup it is printed as a sentence, not a stack.
 */
export class StoreError extends AppError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(500, message, options);
  }
}

/** Invalid configuration (environment, catalog files): stops startup with a readable list. */
export class ConfigError extends Error {
  readonly problems: string[];
  constructor(message: string, problems: string[] = [], options?: { cause?: unknown }) {
    super(problems.length ? `${message}\n${problems.map((p) => `  - ${p}`).join('\n')}` : message, options);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/** The data folder refuses writes (read-only, full): 503, saying what to fix — reads carry on. */
export class StorageUnavailableError extends AppError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(503, message, options);
  }
}

const READ_ONLY_CODES = new Set(['SQLITE_READONLY', 'EROFS', 'EACCES', 'EPERM']);
const FULL_CODES = new Set(['SQLITE_FULL', 'ENOSPC', 'EDQUOT']);

/**
 * The sentence for an error that says the data folder cannot be written (SQLite's SQLITE_READONLY*,
 * SQLITE_FULL; the file system's EROFS, ENOSPC …), as a StorageUnavailableError; null for any other error.
 * The error handler answers these with 503, and the start can print the same sentence.
 */
export function storageFailure(err: unknown): StorageUnavailableError | null {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return null;
  const base = code.startsWith('SQLITE_READONLY') ? 'SQLITE_READONLY' : code;
  if (READ_ONLY_CODES.has(base)) {
    return new StorageUnavailableError(
      bilingual(
        `数据目录不可写（${code}），无法保存：请检查 DATA_DIR 的权限和磁盘挂载（不能是只读），然后重试。`,
        `The data folder cannot be written (${code}), so nothing was saved: check that DATA_DIR is writable by the server (permissions, not mounted read-only), then try again.`,
      ),
      { cause: err },
    );
  }
  if (FULL_CODES.has(base)) {
    return new StorageUnavailableError(
      bilingual(
        `数据目录所在磁盘已满（${code}），无法保存：请清理磁盘空间或扩容，然后重试。`,
        `The disk of the data folder is full (${code}), so nothing was saved: free some space (or add more), then try again.`,
      ),
      { cause: err },
    );
  }
  return null;
}
