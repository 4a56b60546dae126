import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';
import { ConfigError } from '../../errors';
import { Categories, type Catalog, type CheckItem } from '../../contract/catalog';
import { AssessmentCatalog, catalogInForce, checkItemsOf, unknownCategories } from '../../contract/assessment';
import type { Store } from '../../store/index';
import { CalendarFile, checkCalendar } from '../../contract/calendar';
import type { CalendarYear } from '../../contract/work-calendar';

/**
 * Reads and validates the catalog folder (`categories.json` and the assessment catalog's versions in
 * `assessment/*.json`; data/catalog in the repo). Called once at startup.
 *
 * @throws ConfigError listing every problem found, with the file it is in.
 */
export function loadCatalog(dir: string): Catalog {
  const problems: string[] = [];
  const read = <S extends z.ZodType>(path: string, schema: S): z.output<S> | undefined => {
    if (!existsSync(path)) {
      problems.push(`${path} is missing (the catalog is written for this project; restore it with git checkout -- data/catalog)`);
      return undefined;
    }
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(path, 'utf8'));
    } catch (err) {
      problems.push(`${path}: not valid JSON (${(err as Error).message})`);
      return undefined;
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      for (const i of parsed.error.issues) problems.push(`${path}: ${i.path.join('.') || '(root)'}: ${i.message}`);
      return undefined;
    }
    return parsed.data;
  };
  const categories = read(join(dir, 'categories.json'), Categories);
  const assessmentDir = join(dir, 'assessment');
  const files = existsSync(assessmentDir) ? readdirSync(assessmentDir).filter((f) => f.endsWith('.json')) : [];
  if (files.length === 0) problems.push(`${assessmentDir} holds no assessment catalog (*.json); restore it with git checkout -- data/catalog`);
  const assessment: AssessmentCatalog[] = [];
  for (const f of files.sort()) {
    const path = join(assessmentDir, f);
    const version = read(path, AssessmentCatalog);
    if (!version) continue;
    if (categories) for (const p of unknownCategories(version, new Set(categories.map((c) => c.id)))) problems.push(`${path}: ${p}`);
    const clash = assessment.find((v) => v.version === version.version || v.effectiveFrom === version.effectiveFrom);
    if (clash)
      problems.push(
        `${path}: version ${version.version} from ${version.effectiveFrom} clashes with ${clash.version} from ${clash.effectiveFrom}; each needs its own name and day`,
      );
    assessment.push(version);
  }
  // Optional: a catalog without calendars counts weekends off only until the administrator enters a year.
  const calendarDir = join(dir, 'calendar');
  const calendars: CalendarYear[] = [];
  for (const f of existsSync(calendarDir)
    ? readdirSync(calendarDir)
        .filter((f) => f.endsWith('.json'))
        .sort()
    : []) {
    const path = join(calendarDir, f);
    const file = read(path, CalendarFile);
    if (!file) continue;
    const { year, ...body } = file;
    if (f !== `${year}.json`) problems.push(`${path}: holds the calendar of ${year}; name it ${year}.json`);
    const checked = checkCalendar(year, body);
    for (const p of checked.problems) problems.push(`${path}: ${p.path}: ${p.message}`);
    calendars.push(checked.year);
  }
  if (!categories || problems.length > 0) throw new ConfigError(`The catalog in ${dir} is not usable:`, problems);
  assessment.sort((a, b) => (a.effectiveFrom < b.effectiveFrom ? -1 : 1));
  return { categories, assessment, calendars };
}

const merged = new WeakMap<Store, { count: number; base: Catalog; catalog: Catalog }>();

/**
 * The catalog with the versions the administrator imported (assessment_catalogs) beside the shipped
 * files; an imported version replaces a shipped one of the same name or day. Read again only when a
 * version was added, so every request and every worker sees a new version from its next call on.
 */
export async function catalogOf(store: Store, base: Catalog): Promise<Catalog> {
  const count = await store.storedCatalogCount();
  const hit = merged.get(store);
  if (hit && hit.count === count && hit.base === base) return hit.catalog;
  const stored = await store.storedCatalogVersions();
  const shipped = base.assessment.filter((v) => !stored.some((s) => s.version === v.version || s.effectiveFrom === v.effectiveFrom));
  const catalog = { ...base, assessment: [...shipped, ...stored].sort((a, b) => (a.effectiveFrom < b.effectiveFrom ? -1 : 1)) };
  merged.set(store, { count, base, catalog });
  return catalog;
}

/** The assessment version in force on `day`; before the first version, the first. */
export function assessmentOn(catalog: Catalog, day: string): AssessmentCatalog {
  return catalogInForce(catalog.assessment, day) ?? catalog.assessment[0];
}

/** The check items of each point type on `day`, and the look-back items of a problem stop. */
export function checkItemsOn(catalog: Catalog, day: string): Record<string, CheckItem[]> {
  const version = assessmentOn(catalog, day);
  return { ...checkItemsOf(version), problem: version.lookBackItems };
}
