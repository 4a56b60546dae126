/**
 * The few typed errors of the server, grouped by origin and mapped to HTTP once in `app.onError`
 * (hono `HTTPException`, vroom `exception.h`). Every message says how to fix the problem.
 */

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
