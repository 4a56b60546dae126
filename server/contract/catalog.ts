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

/**
 * The standards a category's code may come from, newest first: GB/T 47678.5-2026 (城市运行管理服务平台
 * 管理部件和事项, replacing GB/T 30428.2-2013 from 2026-07-01) and the older ones a city's 数字城管 platform
 * may still exchange cases in.
 */
export const CODE_STANDARDS = ['GB/T 47678.5-2026', 'GB/T 30428.2-2013', 'CJ/T 214-2007'] as const;
export type CodeStandard = (typeof CODE_STANDARDS)[number];

export const CategoryCode = z.strictObject({
  standard: z.enum(CODE_STANDARDS),
  kind: z.enum(['event', 'component']).meta({ description: 'event (事件/事项) or component (部件)' }),
  major: z
    .string()
    .regex(/^\d{2}$/, 'the 大类 is two digits')
    .meta({ description: '大类, e.g. 06 市容环境类' }),
  code: z
    .string()
    .regex(/^[0-9-]{4,6}$/, 'a 小类 code is digits, e.g. 06010 or 01-10')
    .meta({ description: '小类 as the standard writes it' }),
  name: z.string().min(1).meta({ description: 'the 小类 as the standard names it (it may differ from the category’s name)' }),
});
export type CategoryCode = z.infer<typeof CategoryCode>;

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
    codes: z
      .array(CategoryCode)
      .default([])
      .meta({ description: 'the 数字城管 小类 codes of the category, each with its standard (none: no standard has it, e.g. 门前三包)' }),
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
