import { z } from 'zod';
import { errorResponses } from './common';
import { endpoints } from './endpoint';
import { DEDUCTION_KINDS } from './deductions';
import { ADMINS, LEADERS, PEOPLE } from './roles';

/**
 * Consequences (目标考核): each responsible unit's ledger of deductions in a year — automatic when one of
 * its cases reaches 督办 (one strike) or 约谈 (two strikes), cancelled when the mark is lifted (an approved
 * 申诉 or 延期, a 改派 away from it, a merge); manual with a reason — its running score, the 一票否决 flag and
 * the numbered 问责通报. The ledger is append-only: an entry is cancelled by a reversal entry.
 */

export { DEDUCTION_KINDS, formatPoints, type DeductionKind } from './deductions';

/** Points and the base score, set by the administrator; applied to entries made from then on. */
export const ConsequenceSettings = z
  .strictObject({
    base: z.number().min(1).max(1000).default(100).meta({ description: 'the score a unit starts the year with' }),
    supervision: z.number().min(0).max(100).default(0.1).meta({ description: 'points off when a case of the unit reaches 督办' }),
    summons: z.number().min(0).max(100).default(0.5).meta({ description: 'further points off when it reaches 约谈' }),
  })
  .meta({ id: 'ConsequenceSettings' });
export type ConsequenceSettings = z.output<typeof ConsequenceSettings>;
// Tenths, as cities' 创文 目标考核 rules count a case: a unit with hundreds of late cases in a year still
// scores above nothing, and the units stay apart.
export const DEFAULT_CONSEQUENCE_SETTINGS: ConsequenceSettings = { base: 100, supervision: 0.1, summons: 0.5 };

const Year = z
  .string()
  .regex(/^\d{4}$/, 'the year is four digits, e.g. 2026')
  .transform(Number)
  .pipe(z.number().int().min(2000).max(2100));

export const ConsequenceQuery = z.object({ year: Year.optional().meta({ description: 'the 目标考核 year; default this year (city time)' }) });
export const UnitParams = z.object({ unit: z.string().min(1).max(100).meta({ description: 'unit id, e.g. u01' }) });
export const EntryParams = z.object({
  id: z
    .string()
    .regex(/^\d{1,15}$/, 'an entry id is a number')
    .transform(Number),
});
export const NoticeParams = z.object({
  id: z
    .string()
    .regex(/^\d{1,15}$/, 'a notice id is a number')
    .transform(Number),
});

const Reason = z.string().trim().min(1, 'say why: the reason is part of the record').max(1000);
const YearField = z.number().int().min(2000).max(2100).optional().meta({ description: 'the 目标考核 year; default this year (city time)' });

/** `POST /api/consequences/units/:unit/deductions` body: a manual entry. */
export const DeductionBody = z
  .strictObject({
    points: z.number().gt(0, 'points must be more than 0').max(100).meta({ description: 'points off the unit’s score', example: 2 }),
    reason: Reason,
    problem: z.string().min(1).max(100).optional().meta({ description: 'the case it is for, if any' }),
    year: YearField,
  })
  .meta({ id: 'DeductionBody' });
export type DeductionBody = z.output<typeof DeductionBody>;

/** `POST /api/consequences/deductions/:id/reversal` body. */
export const ReversalBody = z.strictObject({ reason: Reason }).meta({ id: 'ReversalBody' });

/** `PUT /api/consequences/units/:unit/veto` body: set or lift the 一票否决 of a year. */
export const VetoBody = z.strictObject({ veto: z.boolean(), reason: Reason, year: YearField }).meta({ id: 'VetoBody' });
export type VetoBody = z.output<typeof VetoBody>;

/** `POST /api/consequences/units/:unit/notices` body: issue a 问责通报. */
export const NoticeBody = z
  .strictObject({ reason: Reason.meta({ description: 'what it holds the unit to account for, in the office’s words' }), year: YearField })
  .meta({ id: 'NoticeBody' });
export type NoticeBody = z.output<typeof NoticeBody>;

export const DeductionEntry = z
  .object({
    id: z.number().int(),
    kind: z.enum(DEDUCTION_KINDS),
    points: z.number().meta({ description: 'points off (a reversal: negative, giving them back)' }),
    reason: z.string().meta({ description: 'manual and reversal: as written; automatic: empty (the kind and the case say it)' }),
    problemId: z.string().nullable(),
    reverses: z.number().int().nullable(),
    reversedBy: z.number().int().nullable(),
    at: z.string(),
    actor: z.string(),
    score: z.number().meta({ description: 'the running score after this entry' }),
  })
  .meta({ id: 'DeductionEntry' });
export type DeductionEntry = z.infer<typeof DeductionEntry>;

export const Veto = z
  .object({
    id: z.number().int(),
    reason: z.string(),
    at: z.string(),
    actor: z.string(),
    liftedAt: z.string().nullable(),
    liftedBy: z.string().nullable(),
    liftReason: z.string().nullable(),
  })
  .meta({ id: 'Veto' });
export type Veto = z.infer<typeof Veto>;

export const NoticeOut = z
  .object({ id: z.number().int(), no: z.string(), year: z.number().int(), reason: z.string(), issuedAt: z.string(), issuedBy: z.string(), url: z.string() })
  .meta({ id: 'AccountabilityNotice' });
export type NoticeOut = z.infer<typeof NoticeOut>;

export const UnitStanding = z
  .object({
    unitId: z.string(),
    unitName: z.string(),
    subdistrictName: z.string().nullable(),
    score: z.number().meta({ description: 'the base less what was taken off, at least 0 (扣完为止)' }),
    deducted: z.number().meta({ description: 'points taken off in the year, net of reversals (may pass the base)' }),
    supervision: z.number().int().meta({ description: '督办 entries standing' }),
    summons: z.number().int().meta({ description: '约谈 entries standing' }),
    manual: z.number().int().meta({ description: 'manual entries standing' }),
    veto: Veto.nullable().meta({ description: 'the 一票否决 in force, or null' }),
    notices: z.number().int().meta({ description: '问责通报 issued this year' }),
  })
  .meta({ id: 'UnitStanding' });
export type UnitStanding = z.infer<typeof UnitStanding>;

export const ConsequenceOverview = z
  .object({
    year: z.number().int(),
    years: z.array(z.number().int()).meta({ description: 'years with entries, and this one' }),
    settings: ConsequenceSettings,
    units: z.array(UnitStanding).meta({ description: 'most taken off first; a vetoed unit before the others (a unit account: its own)' }),
  })
  .meta({ id: 'ConsequenceOverview' });
export type ConsequenceOverview = z.infer<typeof ConsequenceOverview>;

export const UnitLedger = z
  .object({
    year: z.number().int(),
    settings: ConsequenceSettings,
    unit: UnitStanding,
    entries: z.array(DeductionEntry).meta({ description: 'the latest 500, newest first, each with the running score after it' }),
    total: z.number().int().meta({ description: 'entries in the year, reversals too' }),
    vetoes: z.array(Veto).meta({ description: 'set and lifted this year, oldest first' }),
    notices: z.array(NoticeOut),
  })
  .meta({ id: 'UnitLedger' });
export type UnitLedger = z.infer<typeof UnitLedger>;

export const NoticeAnswer = z.object({ notice: NoticeOut, ledger: UnitLedger }).meta({ id: 'NoticeAnswer' });
export type NoticeAnswer = z.infer<typeof NoticeAnswer>;

export const CONSEQUENCES_API = endpoints({
  'GET /api/consequences': {
    tag: 'rankings',
    summary: '目标考核: every unit’s score of a year (most taken off first), its 督办/约谈/manual deductions, 一票否决 and 问责通报',
    description: 'A unit account sees its own unit. Cases whose deadline passed since the last look are entered first.',
    access: PEOPLE,
    query: ConsequenceQuery,
    responses: { 200: { description: 'Most taken off first', schema: ConsequenceOverview }, ...errorResponses(400) },
  },
  'GET /api/consequences/units/:unit': {
    tag: 'rankings',
    summary: 'One unit’s 目标考核 ledger of a year: entries with the running score, 一票否决, 问责通报',
    access: PEOPLE,
    params: UnitParams,
    query: ConsequenceQuery,
    responses: { 200: { description: 'The ledger', schema: UnitLedger }, ...errorResponses(400, 404) },
  },
  'POST /api/consequences/units/:unit/deductions': {
    tag: 'rankings',
    summary: 'Take points off a unit’s 目标考核 score by hand, with the reason (admin, leader)',
    access: LEADERS,
    bodyLimit: 16 * 1024,
    params: UnitParams,
    body: DeductionBody,
    responses: { 201: { description: 'The ledger with the entry', schema: UnitLedger }, ...errorResponses(400, 401, 403, 404) },
  },
  'POST /api/consequences/deductions/:id/reversal': {
    tag: 'rankings',
    summary: 'Cancel an entry with the reason (admin, leader): a reversal entry gives its points back',
    access: LEADERS,
    bodyLimit: 16 * 1024,
    params: EntryParams,
    body: ReversalBody,
    responses: { 200: { description: 'The unit’s ledger', schema: UnitLedger }, ...errorResponses(400, 401, 403, 404, 409) },
  },
  'PUT /api/consequences/units/:unit/veto': {
    tag: 'rankings',
    summary: 'Set or lift a unit’s 一票否决 of a year, with the reason (admin, leader)',
    access: LEADERS,
    bodyLimit: 16 * 1024,
    params: UnitParams,
    body: VetoBody,
    responses: { 200: { description: 'The unit’s ledger', schema: UnitLedger }, ...errorResponses(400, 401, 403, 404, 409) },
  },
  'POST /api/consequences/units/:unit/notices': {
    tag: 'rankings',
    summary: 'Issue a numbered 问责通报 on a unit (admin, leader): its score, deductions, 约谈 cases and 一票否决 as they stand',
    access: LEADERS,
    bodyLimit: 16 * 1024,
    params: UnitParams,
    body: NoticeBody,
    responses: { 201: { description: 'The notice and the unit’s ledger', schema: NoticeAnswer }, ...errorResponses(400, 401, 403, 404) },
  },
  'GET /api/consequences/notices/:id': {
    tag: 'rankings',
    summary: 'A 问责通报 to print (HTML), as it was issued',
    access: PEOPLE,
    params: NoticeParams,
    responses: { 200: { description: 'HTML page to print', contentType: 'text/html' }, ...errorResponses(400, 404) },
  },
  'PUT /api/consequences/settings': {
    tag: 'rankings',
    summary: 'Set the base score and the points a 督办 and a 约谈 take off (admin); entries made from then on use them',
    access: ADMINS,
    bodyLimit: 4 * 1024,
    body: ConsequenceSettings,
    responses: { 200: { description: 'The settings as stored', schema: ConsequenceSettings }, ...errorResponses(400, 401, 403) },
  },
});
