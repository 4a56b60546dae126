import { z } from 'zod';
import { errorResponses, listParam, timeParam } from './common';
import { endpoints } from './endpoint';
import { ADMINS, READERS } from './roles';
import { ASSESSMENT_WEIGHT_MAX, RANKING_FORMULA } from './ranking-formula';

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

export const RankingQuery = z
  .object({
    by: z.enum(['subdistrict', 'unit']).default('subdistrict'),
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
    by: z.enum(['subdistrict', 'unit']),
    from: z.string(),
    to: z.string(),
    formula: z.string(),
    weights: RankingWeights,
    rows: z.array(RankingRow),
  })
  .meta({ id: 'RankingResponse' });
export type RankingResponse = z.infer<typeof RankingResponse>;

/** 红黑榜. */
export const RANKINGS_API = endpoints({
  'GET /api/rankings': {
    tag: 'rankings',
    summary: '红黑榜: subdistricts or units ranked by a composite score over a period',
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
