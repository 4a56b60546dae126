import { z } from 'zod';
import { ErrorBody, errorResponses, IsoTime, LngLatSchema } from './common';
import { ProblemStatus } from './problems';
import { TransitionBody } from './workflow';
import { endpoints } from './endpoint';
import { PLANNERS } from './roles';

/**
 * Check results (检查结果): what an inspector found at one stop, item by item, sent from the field
 * page's queue. Pure, so the client may import the types.
 */

export const CHECK_RESULTS = ['pass', 'fail', 'na'] as const;
export const CheckResultValue = z.enum(CHECK_RESULTS).meta({ description: 'pass 合格, fail 不合格, na 不适用' });

const Uuid = z
  .string()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'must be a UUID (crypto.randomUUID()), the same one for every retry')
  .transform((s) => s.toLowerCase());

/** `POST /api/checks` body: one stop's results, idempotent by `id`. */
export const CheckBody = z
  .strictObject({
    id: Uuid.meta({ description: 'client UUID of this record; a retry with the same id and body returns the stored record' }),
    planId: z.string().min(1).max(100).optional().meta({ description: 'the plan the stop belongs to, when there is one' }),
    pointId: z.string().min(1).max(100).meta({ description: 'the place (market, community, back street) or problem checked' }),
    items: z
      .array(
        z.strictObject({
          itemId: z.string().min(1).max(100),
          result: CheckResultValue,
          value: z
            .number()
            .nonnegative('a count or rate is never negative')
            .optional()
            .meta({ description: 'for a count or rate item, the number seen (a count, or a rate from 0 to 1); the result must follow from it' }),
          note: z.string().max(2000).optional(),
        }),
      )
      .min(1, 'give at least one checked item')
      .max(100, 'at most 100 items per stop'),
    at: IsoTime.meta({ description: 'when the inspector recorded it (phone time, with offset)' }),
    lngLat: LngLatSchema.optional().meta({ description: 'where the inspector was' }),
    problemIds: z
      .array(z.string().min(1).max(100))
      .max(100)
      .optional()
      .meta({ description: 'the problems raised from failed items: server ids, or the client UUIDs (Idempotency-Key) of reports still in a queue' }),
  })
  .superRefine((b, ctx) => {
    const seen = new Set<string>();
    b.items.forEach((it, i) => {
      if (seen.has(it.itemId))
        ctx.addIssue({ code: 'custom', path: ['items', i, 'itemId'], message: `item "${it.itemId}" is given twice; send each item once` });
      seen.add(it.itemId);
    });
  })
  .meta({ id: 'CheckBody' });
export type CheckBody = z.output<typeof CheckBody>;

/** A stored check result. */
export const CheckRecord = z
  .object({
    id: z.string(),
    planId: z.string().nullable(),
    pointId: z.string(),
    items: z.array(z.object({ itemId: z.string(), result: CheckResultValue, value: z.number().optional(), note: z.string().optional() })),
    at: z.string(),
    lngLat: z.tuple([z.number(), z.number()]).nullable(),
    problemIds: z.array(z.string()).meta({ description: 'as sent' }),
    problems: z
      .array(z.object({ ref: z.string(), id: z.string().nullable() }))
      .meta({ description: 'each problemIds entry resolved to a problem id (a report UUID → the problem it created; null while it has not arrived)' }),
    inspector: z.string().meta({ description: 'who sent it (the signed-in person)' }),
    receivedAt: z.string(),
  })
  .meta({ id: 'CheckRecord' });
export type CheckRecord = z.infer<typeof CheckRecord>;

/** `GET /api/checks` query: at least one filter narrows it; newest first. */
export const CheckQuery = z
  .object({
    planId: z.string().min(1).max(100).optional(),
    pointId: z.string().min(1).max(100).optional(),
    date: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'date must look like 2026-03-20 (a day in city time, +08:00)')
      .refine((s) => {
        const d = new Date(`${s}T00:00:00Z`);
        return Number.isFinite(d.getTime()) && d.toISOString().startsWith(s);
      }, 'date must be a real day like 2026-03-20')
      .optional(),
  })
  .meta({ id: 'CheckQuery' });
export type CheckQuery = z.output<typeof CheckQuery>;

export const CheckList = z.object({ checks: z.array(CheckRecord) }).meta({ id: 'CheckList' });

/**
 * `POST /api/problems/:id/transitions` body with `expect`: the status the inspector saw. A step queued
 * offline is refused (409) when the problem has moved on meanwhile, instead of being applied to a
 * problem in a state the inspector never saw.
 */
export const QueuedTransitionBody = TransitionBody.extend({
  expect: ProblemStatus.optional().meta({ description: 'the status the caller saw; 409 (with who moved it and when) if the problem is no longer in it' }),
}).meta({ id: 'TransitionBodyWithExpect' });
export type QueuedTransitionBody = z.output<typeof QueuedTransitionBody>;

/** 409 of a transition: the refusal, plus the last step (who moved the problem, when, to what). */
export const TransitionConflictWithLast = z
  .object({
    error: z.string(),
    status: ProblemStatus,
    allowed: z.array(ProblemStatus),
    last: z.object({ at: z.string(), actor: z.string(), action: z.string(), to: ProblemStatus }).nullable(),
  })
  .meta({ id: 'TransitionConflictWithLast' });

/** Check results from the field page: written by who inspects (never a unit); a stop is a few KB. */
export const CHECKS_API = endpoints({
  'POST /api/checks': {
    tag: 'workflow',
    summary: 'Store one stop’s check results (pass / fail / n.a. per item), idempotent by the client UUID',
    description:
      'The field page queues a stop’s results on the phone and sends them when it has signal. `id` is the client’s UUID: ' +
      'the same record sent again gets 200 with the stored record; the same id with a different body is 409. ' +
      'The inspector is the signed-in person. `problemIds` may name reports still in the phone’s queue by their ' +
      'Idempotency-Key; reading resolves them to problem ids once they have arrived.',
    access: PLANNERS,
    bodyLimit: 64 * 1024,
    body: CheckBody,
    responses: {
      201: { description: 'Stored', schema: CheckRecord },
      200: { description: 'Already stored (a retry of the same record)', schema: CheckRecord },
      409: { description: 'The id was used for another record', schema: ErrorBody },
      ...errorResponses(400),
    },
  },
  'GET /api/checks': {
    tag: 'workflow',
    summary: 'Stored check results by plan, point or day (city time), newest first (at most 2,000)',
    access: PLANNERS,
    query: CheckQuery,
    responses: { 200: { description: 'The check results', schema: CheckList }, ...errorResponses(400) },
  },
});
