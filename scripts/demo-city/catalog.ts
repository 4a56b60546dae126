/**
 * The problem-category catalog (data/catalog/categories.json), read and checked once. The generator
 * draws categories only from here, so a category added to the catalog shows up in the demo city.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';

const CategorySchema = z.object({
  id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'ids are kebab-case English, e.g. "occupy-road"'),
  zh: z.string().min(1),
  en: z.string().min(1),
  kinds: z.array(z.string().min(1)).min(1),
  deadlineDays: z.number().positive(),
  color: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'colours are #rrggbb'),
});

export type Category = z.infer<typeof CategorySchema>;

/** Where the catalog lives in the repository. */
export const CATEGORIES_PATH = new URL('../../data/catalog/categories.json', import.meta.url);

/** Reads and validates the categories; throws a readable error naming the broken entry. */
export function loadCategories(path: URL | string = CATEGORIES_PATH): Category[] {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (cause) {
    throw new Error(`cannot read the category catalog ${String(path)}: restore data/catalog/categories.json from git`, { cause });
  }
  const parsed = z.array(CategorySchema).min(1).safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`data/catalog/categories.json is invalid at ${issue.path.join('.')}: ${issue.message}`);
  }
  const ids = new Set<string>();
  for (const c of parsed.data) {
    if (ids.has(c.id)) throw new Error(`data/catalog/categories.json lists "${c.id}" twice; ids must be unique`);
    ids.add(c.id);
  }
  return parsed.data;
}
