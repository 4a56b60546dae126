import { z } from 'zod';

/** data/catalog/*.json, written for this project (see the common contract). */

export const Category = z.looseObject({
  id: z.string().min(1),
  zh: z.string().min(1),
  en: z.string().min(1),
  kinds: z.array(z.string().min(1)).meta({ description: 'where the category applies: market, community, back-street, road …' }),
  deadlineDays: z.number().int().positive(),
  color: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'color must be #rrggbb'),
});
export type Category = z.infer<typeof Category>;

export const Categories = z.array(Category).superRefine((list, ctx) => {
  const seen = new Set<string>();
  list.forEach((c, i) => {
    if (seen.has(c.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `duplicate category id "${c.id}"` });
    seen.add(c.id);
  });
});

export const CheckItem = z.looseObject({
  id: z.string().min(1),
  zh: z.string().min(1),
  en: z.string().min(1),
  category: z.string().nullable(),
});
export type CheckItem = z.infer<typeof CheckItem>;

export const CheckItems = z.looseObject({
  market: z.array(CheckItem),
  community: z.array(CheckItem),
  'back-street': z.array(CheckItem),
});
export type CheckItems = z.infer<typeof CheckItems>;

/** The whole catalog as the server holds it. */
export interface Catalog {
  categories: Category[];
  checkItems: CheckItems;
}
