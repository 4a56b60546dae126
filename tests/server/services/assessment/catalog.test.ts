import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../../server/errors';
import { assessmentOn, checkItemsOn, loadCatalog } from '../../../../server/services/assessment/catalog';
import { flattenIndicators } from '../../../../server/contract/assessment';
import { FIXTURE_DIR } from '../../../api/fixture';

const REPO_CATALOG = fileURLToPath(new URL('../../../../data/catalog', import.meta.url));
const FIXTURE_CATALOG = join(FIXTURE_DIR, 'catalog');
const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'xuncha-catalog-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const problemsOf = (dir: string): string[] => {
  try {
    loadCatalog(dir);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).problems;
  }
  throw new Error('expected the catalog to be refused');
};

/** A copy of the fixture catalog whose assessment version is edited by `edit`. */
function editedFixture(edit: (c: Record<string, any>) => void): string {
  const dir = tempDir();
  cpSync(FIXTURE_CATALOG, dir, { recursive: true });
  const path = join(dir, 'assessment', 'fixture-2026.1.json');
  const json = JSON.parse(JSON.stringify(loadCatalog(FIXTURE_CATALOG).assessment[0])) as Record<string, any>;
  edit(json);
  writeFileSync(path, JSON.stringify(json));
  return dir;
}

describe('loadCatalog', () => {
  it('loads the fixture catalog: categories and the assessment version with check items per point type', () => {
    const c = loadCatalog(FIXTURE_CATALOG);
    expect(c.categories.map((x) => x.id)).toEqual(['occupy-road', 'outside-store', 'disorderly-parking', 'exposed-garbage', 'small-ads']);
    expect(c.assessment.map((v) => v.version)).toEqual(['fixture-2026.1']);
    const items = checkItemsOn(c, '2026-03-20');
    expect(items.market[0]).toEqual({
      id: 'market-zoning',
      zh: '划行归市',
      en: 'Stalls grouped by trade',
      category: 'occupy-road',
      rule: { kind: 'pass-fail' },
    });
    expect(items['back-street'][1].rule).toEqual({ kind: 'rate', min: 0.95 });
    expect(items.problem.map((i) => i.id)).toEqual(['problem-rectified', 'problem-not-back', 'problem-photo']);
  });

  it.skipIf(!existsSync(join(REPO_CATALOG, 'categories.json')))('loads the catalog in data/catalog: every 实地考察 point type the issue names', () => {
    const c = loadCatalog(REPO_CATALOG);
    expect(c.categories.length).toBeGreaterThanOrEqual(20);
    const v = assessmentOn(c, '2026-12-04');
    const types = v.pointTypes.map((t) => t.zh).join(' ');
    for (const name of [
      '农贸市场',
      '社区',
      '背街小巷',
      '主次干道',
      '商业大街',
      '交通路口',
      '公交站点',
      '公共厕所',
      '公园',
      '学校周边',
      '医院',
      '建筑工地',
      '城中村',
      '窗口单位',
      '文化场馆',
    ])
      expect(types).toContain(name);
    const kinds = new Set(v.pointTypes.flatMap((t) => t.items.map((i) => i.rule.kind)));
    expect([...kinds].sort()).toEqual(['count', 'pass-fail', 'rate']);
    expect(
      flattenIndicators(v.indicators)
        .filter((x) => x.depth === 1)
        .reduce((a, x) => a + x.indicator.points, 0),
    ).toBe(v.totalPoints);
  });

  it('names what to fix: a missing indicator, points that do not add up, an unknown category, a count item without a threshold', () => {
    const dir = editedFixture((c) => {
      c.pointTypes[0].items[0].indicator = '9.9';
      delete c.pointTypes[0].items[2].rule.min;
    });
    const path = join(dir, 'assessment', 'fixture-2026.1.json');
    expect(problemsOf(dir)).toEqual([`${path}: pointTypes.0.items.2.rule.min: a count item needs its threshold: give rule.min, the least number that passes`]);
    // The cross checks run once the shape is right.
    const dir2 = editedFixture((c) => {
      c.pointTypes[0].items[0].indicator = '9.9';
      c.pointTypes[0].items[1].indicator = '1';
      c.indicators[0].points = 9;
    });
    const path2 = join(dir2, 'assessment', 'fixture-2026.1.json');
    const problems2 = problemsOf(dir2);
    expect(problems2).toContain(`${path2}: indicators: indicator 1 is worth 9 points but its parts add up to 8; make them agree`);
    expect(problems2).toContain(`${path2}: totalPoints: the indicators add up to 21 points, not the stated total 20`);
    expect(problems2).toContain(`${path2}: pointTypes.0.items.0.indicator: there is no indicator 9.9; give the number of a 测评指标 in the tree`);
    expect(problems2).toContain(`${path2}: pointTypes.0.items.1.indicator: indicator 1 has parts; link the item to one of them`);
    const dir3 = editedFixture((c) => {
      c.pointTypes[0].items[1].categories = ['no-such-category'];
    });
    expect(problemsOf(dir3)).toEqual([
      `${join(dir3, 'assessment', 'fixture-2026.1.json')}: pointTypes.0.items.1.categories: item "market-fair-scale" names the problem category "no-such-category", which is not in categories.json`,
    ]);
  });

  it('picks the version in force on a day and refuses two versions from the same day', () => {
    const dir = tempDir();
    cpSync(FIXTURE_CATALOG, dir, { recursive: true });
    const v1 = loadCatalog(FIXTURE_CATALOG).assessment[0];
    const v2 = { ...v1, version: 'fixture-2026.2', effectiveFrom: '2026-07-01' };
    writeFileSync(join(dir, 'assessment', 'fixture-2026.2.json'), JSON.stringify(v2));
    const c = loadCatalog(dir);
    expect(assessmentOn(c, '2026-06-30').version).toBe('fixture-2026.1');
    expect(assessmentOn(c, '2026-07-01').version).toBe('fixture-2026.2');
    expect(assessmentOn(c, '2025-12-31').version).toBe('fixture-2026.1');
    writeFileSync(join(dir, 'assessment', 'fixture-2026.3.json'), JSON.stringify({ ...v2, version: 'fixture-2026.3' }));
    expect(problemsOf(dir)[0]).toMatch(/version fixture-2026.3 from 2026-07-01 clashes with fixture-2026.2 from 2026-07-01/);
  });

  it('lists every problem with the file it is in', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'categories.json'), JSON.stringify([{ id: 'a', zh: '甲', en: 'A', kinds: [], deadlineDays: 0, color: 'red' }]));
    const problems = problemsOf(dir);
    expect(problems).toContain(`${join(dir, 'categories.json')}: 0.deadline.amount: Too small: expected number to be >0`);
    expect(problems).toContain(`${join(dir, 'categories.json')}: 0.color: color must be #rrggbb`);
    expect(problems.some((p) => p.startsWith(`${join(dir, 'assessment')} holds no assessment catalog`))).toBe(true);
  });

  it('reads the working-day calendars and names what is wrong in one', () => {
    expect(loadCatalog(REPO_CATALOG).calendars.map((y) => y.year)).toContain(2026);
    // A city's older catalog without calendars or deadline units still loads: its days are calendar days.
    const fixture = loadCatalog(FIXTURE_CATALOG);
    expect(fixture.calendars).toEqual([]);
    expect(fixture.categories.find((c) => c.id === 'exposed-garbage')?.deadline).toEqual({ amount: 2, unit: 'day' });
    const dir = tempDir();
    cpSync(FIXTURE_CATALOG, dir, { recursive: true });
    mkdirSync(join(dir, 'calendar'));
    const day = { date: '2027-02-06', name: '' };
    writeFileSync(join(dir, 'calendar', '2026.json'), JSON.stringify({ year: 2027, holidays: [day], workdays: [day] }));
    expect(problemsOf(dir)).toEqual([
      `${join(dir, 'calendar', '2026.json')}: holds the calendar of 2027; name it 2027.json`,
      `${join(dir, 'calendar', '2026.json')}: workdays.0.date: 2027-02-06 is listed both as a holiday and as a working day; it can be only one`,
    ]);
  });
});
