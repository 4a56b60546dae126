import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../../server/errors';
import { loadCatalog } from '../../../../server/services/assessment/catalog';
import { FIXTURE_DIR } from '../../../api/fixture';

const REPO_CATALOG = fileURLToPath(new URL('../../../../data/catalog', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'xuncha-catalog-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('loadCatalog', () => {
  it('loads the fixture catalog', () => {
    const c = loadCatalog(join(FIXTURE_DIR, 'catalog'));
    expect(c.categories.map((x) => x.id)).toEqual(['occupy-road', 'outside-store', 'disorderly-parking', 'exposed-garbage', 'small-ads']);
    expect(c.checkItems.market[0]).toEqual({ id: 'market-zoning', zh: '划行归市', en: 'Stalls grouped by trade', category: 'occupy-road' });
  });

  it.skipIf(!existsSync(join(REPO_CATALOG, 'categories.json')))('loads the catalog in data/catalog', () => {
    const c = loadCatalog(REPO_CATALOG);
    expect(c.categories.length).toBeGreaterThanOrEqual(20);
    expect(c.checkItems['back-street'].length).toBeGreaterThan(0);
  });

  it('lists every problem with the file it is in', () => {
    writeFileSync(join(dir, 'categories.json'), JSON.stringify([{ id: 'a', zh: '甲', en: 'A', kinds: [], deadlineDays: 0, color: 'red' }]));
    let err: unknown;
    try {
      loadCatalog(dir);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const problems = (err as ConfigError).problems;
    expect(problems).toContain(`${join(dir, 'categories.json')}: 0.deadlineDays: Too small: expected number to be >0`);
    expect(problems).toContain(`${join(dir, 'categories.json')}: 0.color: color must be #rrggbb`);
    expect(problems.some((p) => p.startsWith(`${join(dir, 'check-items.json')} is missing`))).toBe(true);
  });
});
