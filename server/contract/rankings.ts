import { z } from 'zod';
import { errorResponses, listParam, timeParam } from './common';
import { endpoints } from './endpoint';
import { ADMINS, READERS } from './roles';
import { ASSESSMENT_WEIGHT_MAX, INDICATOR_IDS, RANKING_FORMULA } from './ranking-formula';

export { ASSESSMENT_WEIGHT_MAX, RANKING_FORMULA, rankingFormula } from './ranking-formula';

/** How the 红黑榜 weighs the 测评 得分率 (set by the administrator). */
export const RankingWeights = z
  .object({
    assessment: z
      .number()
      .int()
      .min(0)
      .max(ASSESSMENT_WEIGHT_MAX)
      .meta({ description: `points of 100 given to the group's 测评 得分率 over the period (0 to ${ASSESSMENT_WEIGHT_MAX}; 0 = not weighed in)`, example: 20 }),
  })
  .meta({ id: 'RankingWeights' });
export type RankingWeights = z.infer<typeof RankingWeights>;

export const RankingWeightsOut = RankingWeights.extend({
  updatedAt: z.string().nullable().meta({ description: 'when the administrator last set it (ISO time); null = never, the default' }),
});
export type RankingWeightsOut = z.infer<typeof RankingWeightsOut>;

const Indicator = z.strictObject({
  id: z.string().meta({ description: `one of ${INDICATOR_IDS.join(', ')}` }),
  weight: z.number().min(0).max(100),
  direction: z.enum(['higher', 'lower']).optional().meta({ description: 'which way is better; default the indicator’s own' }),
});

/** `PUT /api/rankings/formula` body: a version of the city's 考评, from its day on. */
export const FormulaBody = z
  .strictObject({
    validFrom: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'validFrom is a date, e.g. 2027-01-01')
      .meta({ description: 'the first day it applies (city date); a version of the same day is replaced' }),
    indicators: z
      .array(Indicator)
      .min(1)
      .max(INDICATOR_IDS.length * 2),
    summonsPenalty: z.number().min(0).max(20).default(0).meta({ description: 'points off per problem at 约谈 level' }),
  })
  .meta({ id: 'FormulaBody' });
export type FormulaBody = z.output<typeof FormulaBody>;

export const FormulaVersionOut = z
  .object({
    validFrom: z.string(),
    indicators: z.array(z.object({ id: z.enum(INDICATOR_IDS), weight: z.number(), direction: z.enum(['higher', 'lower']) })),
    summonsPenalty: z.number(),
    formula: z.string().meta({ description: 'written out' }),
    updatedAt: z.string().nullable(),
  })
  .meta({ id: 'FormulaVersion' });
export type FormulaVersionOut = z.infer<typeof FormulaVersionOut>;

export const FormulaOut = z
  .object({
    versions: z.array(FormulaVersionOut).meta({ description: 'oldest first' }),
    inForce: FormulaVersionOut.nullable().meta({ description: 'today’s; null = the built-in formula' }),
    builtIn: FormulaVersionOut.omit({ validFrom: true, updatedAt: true }).meta({
      description: 'the built-in composite as indicators (with the 测评 weight set)',
    }),
    indicators: z.array(
      z.object({
        id: z.enum(INDICATOR_IDS),
        zh: z.string(),
        en: z.string(),
        formulaZh: z.string(),
        formulaEn: z.string(),
        direction: z.enum(['higher', 'lower']),
      }),
    ),
  })
  .meta({ id: 'RankingFormulas' });
export type FormulaOut = z.infer<typeof FormulaOut>;

export const FormulaParams = z.object({ validFrom: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date, e.g. 2027-01-01') });

/** What the 红黑榜 ranks: 区/县 (a district's figures are its subdistricts' summed, then scored alike), 街道, units. */
export const RANKING_GROUPS = ['district', 'subdistrict', 'unit'] as const;
export type RankingGroup = (typeof RANKING_GROUPS)[number];

export const RankingQuery = z
  .object({
    by: z.enum(RANKING_GROUPS).default('subdistrict'),
    district: z
      .string()
      .min(1)
      .max(100)
      .optional()
      .meta({ description: 'rank only within this district (id): its subdistricts, or its units; a district-scoped account always is' }),
    from: timeParam('start', 'problems reported at or after (date or ISO time); default 30 days before to', '2026-03-01').optional(),
    to: timeParam('end', 'problems reported at or before (a date includes the whole day); default now', '2026-03-31').optional(),
    grid: listParam(
      '网格 ids, comma-separated: rank on what lies inside them only (their problems, points and visits); groups with nothing there are left out',
      'grid-1a2b3c4d',
    ).optional(),
  })
  .superRefine((q, ctx) => {
    if (q.from !== undefined && q.to !== undefined && q.from > q.to) ctx.addIssue({ code: 'custom', path: ['from'], message: 'from must not be after to' });
  });

export const RankingRow = z.object({
  rank: z.number().int(),
  id: z.string(),
  name: z.string(),
  found: z.number().int().meta({ description: 'problems reported in the period' }),
  points: z.number().int().meta({ description: 'inspection points (markets, communities, back streets) it answers for' }),
  per100Points: z.number().nullable().meta({ description: 'problems per 100 inspection points; null without points' }),
  visits: z.number().int().meta({ description: 'inspection visits (check results recorded at its points) in the period' }),
  perVisit: z
    .number()
    .nullable()
    .meta({ description: 'problems found per inspection visit: a place walked more often finds more, and does not look worse for it; null without visits' }),
  onTimeRate: z.number().nullable(),
  overdue: z.number().int(),
  recurrenceRate: z.number().nullable(),
  lookBackPassRate: z.number().nullable(),
  supervision: z.number().int().meta({ description: 'problems at 督办单 level now' }),
  summons: z.number().int().meta({ description: 'problems at 约谈 level now' }),
  handlingRate: z.number().nullable().meta({ description: '处置率: rectified ÷ due' }),
  reworkRate: z.number().nullable().meta({ description: '返工率: failed look-backs ÷ look-backs' }),
  overdueRate: z.number().nullable().meta({ description: '超期率: overdue now ÷ found' }),
  extensionRate: z.number().nullable().meta({ description: '延期率: cases with an approved extension ÷ due' }),
  returnRate: z.number().nullable().meta({ description: '退单率: approved returns ÷ (assigned cases + approved returns)' }),
  assessmentRate: z
    .number()
    .nullable()
    .optional()
    .meta({ description: "the group's 测评 得分率 (0–1) over the period, when the administrator weighs it in; null = none of its points was checked" }),
  score: z.number(),
});
export type RankingRow = z.infer<typeof RankingRow>;

export const RankingResponse = z
  .object({
    by: z.enum(RANKING_GROUPS),
    from: z.string(),
    to: z.string(),
    formula: z.string(),
    weights: RankingWeights,
    version: FormulaVersionOut.nullable().meta({
      description: 'the city’s 考评 version applied (in force on the period’s last day); null = the built-in formula',
    }),
    changedInPeriod: z
      .array(z.string())
      .meta({ description: 'days inside the period on which another 考评 version began: the figures are scored by the one in force at its end' }),
    rows: z.array(RankingRow),
  })
  .meta({ id: 'RankingResponse' });
export type RankingResponse = z.infer<typeof RankingResponse>;

/** 红黑榜. */
export const RANKINGS_API = endpoints({
  'GET /api/rankings': {
    tag: 'rankings',
    summary: '红黑榜: districts, subdistricts or units ranked by a composite score over a period',
    description: `Figures per group for problems reported in [from, to] (default: the last 30 days). ${RANKING_FORMULA}`,
    access: READERS,
    query: RankingQuery,
    responses: { 200: { description: 'Best first', schema: RankingResponse }, ...errorResponses(400) },
  },
  'GET /api/rankings/weights': {
    tag: 'rankings',
    summary: 'How the 红黑榜 weighs the 测评 得分率 (0 until the administrator sets it)',
    access: READERS,
    responses: { 200: { description: 'The weights in force', schema: RankingWeightsOut }, ...errorResponses(401, 403) },
  },
  'GET /api/rankings/formula': {
    tag: 'rankings',
    summary: 'The city’s 考评 versions (indicators, weights, directions), the one in force, and the indicators’ formulas',
    access: READERS,
    responses: { 200: { description: 'The versions', schema: FormulaOut }, ...errorResponses(401, 403) },
  },
  'PUT /api/rankings/formula': {
    tag: 'rankings',
    summary: 'Save a version of the city’s 考评 from a day on (admin); the 红黑榜 of a period uses the version in force on its last day',
    description: 'Weights must sum to 100; an unknown indicator is 400 naming it. A version of the same validFrom is replaced.',
    access: ADMINS,
    bodyLimit: 16 * 1024,
    body: FormulaBody,
    responses: { 200: { description: 'The versions after the change', schema: FormulaOut }, ...errorResponses(400, 401, 403) },
  },
  'DELETE /api/rankings/formula/:validFrom': {
    tag: 'rankings',
    summary: 'Remove the 考评 version of a day (admin)',
    access: ADMINS,
    params: FormulaParams,
    responses: { 200: { description: 'The versions after the change', schema: FormulaOut }, ...errorResponses(400, 401, 403, 404) },
  },
  'PUT /api/rankings/weights': {
    tag: 'rankings',
    summary: 'Set how the 红黑榜 weighs the 测评 得分率 (admin)',
    description: 'Applies to every ranking computed from then on, past periods included: the formula is part of each answer.',
    access: ADMINS,
    bodyLimit: 1024,
    body: RankingWeights,
    responses: { 200: { description: 'The weights as stored', schema: RankingWeightsOut }, ...errorResponses(400, 401, 403) },
  },
});
