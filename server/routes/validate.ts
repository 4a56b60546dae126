import { zValidator } from '@hono/zod-validator';
import type { ValidationTargets } from 'hono';
import type { z } from 'zod';
import { InputError } from '../errors';

/**
 * `zValidator` whose failures become one InputError (400 `{ error, details }` via app.onError), with each
 * detail's path prefixed by where it came from (`query.bbox`, `param.layer`).
 *
 * @example
 * sub.get('/:id', validate('param', ProblemParams), (c) => c.json(load(c.req.valid('param').id)))
 */
export function validate<Target extends keyof ValidationTargets, T extends z.ZodType>(target: Target, schema: T) {
  return zValidator(target, schema, (result) => {
    if (!result.success) throw inputErrorFrom(target, result.error);
  });
}

/** Turns zod issues into an InputError whose sentence names the first problem and how many there are. */
export function inputErrorFrom(target: string, error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }): InputError {
  const details = error.issues.map((i) => ({
    path: [target, ...i.path.map(String)].join('.'),
    message: i.message,
  }));
  const first = details[0];
  const more = details.length > 1 ? ` (and ${details.length - 1} more problem${details.length > 2 ? 's' : ''})` : '';
  return new InputError(first ? `Invalid ${first.path}: ${first.message}${more}` : `Invalid ${target}`, details, { cause: error });
}
