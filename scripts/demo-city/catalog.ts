/**
 * The problem-category catalog (data/catalog/categories.json), read and checked once. The generator
 * draws categories only from here, so a category added to the catalog shows up in the demo city.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { AssessmentCatalog } from '../../server/contract/assessment';
import { DEADLINE_UNITS, type DeadlineLimit } from '../../server/contract/work-calendar';

const CategorySchema = z.object({
  id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'ids are kebab-case English, e.g. "occupy-road"'),
  zh: z.string().min(1),
  en: z.string().min(1),
  kinds: z.array(z.string().min(1)).min(1),
  deadline: z.object({ amount: z.number().positive(), unit: z.enum(DEADLINE_UNITS) }),
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

/** Where the assessment catalog's versions live in the repository (catalog/assessment/README.md). */
export const ASSESSMENT_DIR = new URL('../../data/catalog/assessment/', import.meta.url);

/**
 * Every version of the assessment catalog, oldest first, checked by the server's own schema: the demo's
 * check history ticks the items in force on each day, and the other points draw the categories those
 * items name.
 */
export function loadAssessmentCatalogs(dir: URL = ASSESSMENT_DIR): AssessmentCatalog[] {
  const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
  if (files.length === 0) throw new Error(`${dir.pathname} holds no assessment catalog: restore data/catalog/assessment from git`);
  const versions = files.map((f) => {
    const parsed = AssessmentCatalog.safeParse(JSON.parse(readFileSync(new URL(f, dir), 'utf8')));
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Error(`data/catalog/assessment/${f} is invalid at ${issue.path.join('.')}: ${issue.message}`);
    }
    return parsed.data;
  });
  return versions.sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom));
}

/** Per point type, every category any version's items of that type name. */
export function pointTypeCategories(versions: readonly AssessmentCatalog[]): Map<string, string[]> {
  const out = new Map<string, Set<string>>();
  for (const v of versions) {
    for (const t of v.pointTypes) {
      const set = out.get(t.id) ?? new Set<string>();
      for (const it of t.items) for (const c of it.categories) set.add(c);
      out.set(t.id, set);
    }
  }
  return new Map([...out].map(([k, v]) => [k, [...v]]));
}

/**
 * The days the demo's made-up history gives a category to rectify: its limit read as calendar days
 * (hours as parts of a day). The history is invented and only needs to look plausible; cases assigned
 * in the app count through the working-day calendar.
 */
export function demoDeadlineDays(limit: DeadlineLimit): number {
  return limit.unit === 'workhour' || limit.unit === 'hour' ? limit.amount / 24 : limit.amount;
}
