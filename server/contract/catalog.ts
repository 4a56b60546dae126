import { z } from 'zod';
import type { AssessmentCatalog } from './assessment';
import type { ItemRule as Rule } from './assessment-rules';
import { DEADLINE_UNITS, type CalendarYear } from './work-calendar';

export const Text = z.strictObject({ zh: z.string().min(1), en: z.string().min(1) });

/** data/catalog/*.json, written for this project (see the common contract). */

export const DeadlineLimit = z.strictObject({
  amount: z.number().positive().max(1000),
  unit: z.enum(DEADLINE_UNITS, { error: () => `deadline.unit must be one of ${DEADLINE_UNITS.join(', ')}` }),
});

export const Category = z.preprocess(
  // A catalog written before deadlines had units gave whole calendar days.
  (v) => {
    if (v === null || typeof v !== 'object' || 'deadline' in v || !('deadlineDays' in v)) return v;
    const { deadlineDays, ...rest } = v as Record<string, unknown>;
    return { ...rest, deadline: { amount: deadlineDays, unit: 'day' } };
  },
  z.looseObject({
    id: z.string().min(1),
    zh: z.string().min(1),
    en: z.string().min(1),
    kinds: z.array(z.string().min(1)).meta({ description: 'where the category applies: market, community, back-street, road …' }),
    deadline: DeadlineLimit.meta({ description: '处置时限: e.g. { amount: 3, unit: "workday" } (workday, workhour, day, hour)' }),
    color: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'color must be #rrggbb'),
  }),
);
export type Category = z.infer<typeof Category>;

export const Categories = z.array(Category).superRefine((list, ctx) => {
  const seen = new Set<string>();
  list.forEach((c, i) => {
    if (seen.has(c.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `duplicate category id "${c.id}"` });
    seen.add(c.id);
  });
});

/** How an item is judged from what the inspector recorded. */
export type ItemRule = Rule;
export const ItemRule: z.ZodType<Rule> = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('pass-fail') }),
  z
    .strictObject({
      kind: z.literal('count'),
      min: z.number({ error: 'a count item needs its threshold: give rule.min, the least number that passes' }).int().nonnegative(),
      unit: Text,
    })
    .meta({ description: 'passes when the counted number is at least min (e.g. 公益广告 ≥ 5 处 in 300 m)' }),
  z
    .strictObject({
      kind: z.literal('rate'),
      min: z.number({ error: 'a rate item needs its threshold: give rule.min as a fraction, e.g. 0.95 for 95 %' }).gt(0).lte(1),
    })
    .meta({ description: 'passes when the observed rate (0–1) is at least min (e.g. 亮灯率 ≥ 0.95)' }),
]);

export const CheckItem = z.looseObject({
  id: z.string().min(1),
  zh: z.string().min(1),
  en: z.string().min(1),
  category: z.string().nullable().meta({ description: 'the problem category a failed item is reported as, or null' }),
  rule: ItemRule.optional().meta({ description: 'how the item is judged (the assessment catalog); a count or rate item takes a number' }),
});
export type CheckItem = z.infer<typeof CheckItem>;

/** The whole catalog as the server holds it. */
export interface Catalog {
  categories: Category[];
  /** The assessment catalog's versions (data/catalog/assessment/), by effectiveFrom, oldest first. */
  assessment: AssessmentCatalog[];
  /** The working-day calendars shipped with the catalog (data/catalog/calendar/), by year. */
  calendars: CalendarYear[];
}
