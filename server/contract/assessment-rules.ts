/**
 * The scoring rules of check items, without zod: the field page judges a count or rate as the server does
 * (the schemas are in assessment.ts).
 */

/** How an item is judged from what the inspector recorded. */
export type ItemRule = { kind: 'pass-fail' } | { kind: 'count'; min: number; unit: { zh: string; en: string } } | { kind: 'rate'; min: number };

/**
 * The verdict of one recorded item. A count or rate item recorded with its number is judged by the
 * threshold; recorded with only a verdict, the verdict stands. `na` is not applicable: never scored.
 */
export function itemVerdict(rule: ItemRule, result: 'pass' | 'fail' | 'na', value?: number): 'pass' | 'fail' | 'na' {
  if (result === 'na') return 'na';
  if (value === undefined || rule.kind === 'pass-fail') return result;
  return value >= rule.min ? 'pass' : 'fail';
}

/** The windows (days) a point's latest check may be old and still count as 达标, offered wherever readiness is shown. */
export const READINESS_DAY_CHOICES = [7, 14, 30, 60] as const;
