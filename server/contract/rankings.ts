import { z } from 'zod';
import { errorResponses, timeParam } from './common';
import { endpoints } from './endpoint';
import { READERS } from './roles';

/**
 * 红黑榜 rankings. The composite score (0–100, higher is better) is
 *
 *   score = 40 × on-time rate + 20 × look-back pass rate + 20 × (1 − recurrence rate)
 *         + 20 × (1 − overdue share) − 2 × summons (约谈) problems, floored at 0
 *
 * where a rate with nothing to count (no problem fell due, none was checked) counts as fully met, the
 * overdue share is overdue ÷ found (at most 1), and each problem at 约谈 level (two strikes) costs 2
 * points. Ties rank by fewer problems per 100 inspection points, then by name.
 */
export const RANKING_FORMULA = 'score = 40·onTimeRate + 20·lookBackPassRate + 20·(1 − recurrenceRate) + 20·(1 − min(1, overdue/found)) − 2·summons, ≥ 0';

export const RankingQuery = z
  .object({
    by: z.enum(['subdistrict', 'unit']).default('subdistrict'),
    from: timeParam('start', 'problems reported at or after (date or ISO time); default 30 days before to', '2026-03-01').optional(),
    to: timeParam('end', 'problems reported at or before (a date includes the whole day); default now', '2026-03-31').optional(),
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
  score: z.number(),
});
export type RankingRow = z.infer<typeof RankingRow>;

export const RankingResponse = z
  .object({
    by: z.enum(['subdistrict', 'unit']),
    from: z.string(),
    to: z.string(),
    formula: z.string(),
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
});
