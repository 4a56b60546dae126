/* The 红黑榜's formula. Pure and zod-free, so the client may import values from it. */

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

/** The most of the 100 points the administrator may give to the 测评 得分率: the handling figures keep at least half. */
export const ASSESSMENT_WEIGHT_MAX = 50;

/**
 * The formula with the 测评 得分率 weighed in at `w` points of 100 (0: the formula above, unchanged). The
 * handling score is scaled to the rest, so the total stays out of 100; a group none of whose points was
 * checked in the period scores 0 on that part, as a point not checked is never counted as passed.
 */
export function rankingFormula(w: number): string {
  if (w <= 0) return RANKING_FORMULA;
  return `score = ${(100 - w) / 100}·(${RANKING_FORMULA.replace('score = ', '').replace(', ≥ 0', '')}) + ${w}·assessmentRate (0 when nothing was checked), ≥ 0`;
}
