import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';
import { ConfigError } from '../../errors';
import { Categories, type Catalog, CheckItems } from '../../contract/catalog';

/**
 * Reads and validates the catalog folder (`categories.json`, `check-items.json`; data/catalog in the
 * repo). Called once at startup.
 *
 * @throws ConfigError listing every problem found, with the file it is in.
 */
export function loadCatalog(dir: string): Catalog {
  const problems: string[] = [];
  const read = <S extends z.ZodType>(file: string, schema: S): z.output<S> | undefined => {
    const path = join(dir, file);
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
  const categories = read('categories.json', Categories);
  const checkItems = read('check-items.json', CheckItems);
  if (!categories || !checkItems) throw new ConfigError(`The catalog in ${dir} is not usable:`, problems);
  return { categories, checkItems };
}
