import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../server/services/assessment/catalog';
import { fixtureApp, getJson } from './fixture';

const fx = await fixtureApp();
afterAll(async () => fx.close());

describe('standard codes (数字城管 小类)', () => {
  it('the ledger and the problem detail carry the category’s codes, each with its standard', async () => {
    const { body } = await getJson(fx.app, '/api/ledger?category=exposed-garbage&limit=5');
    expect(body.rows.length).toBeGreaterThan(0);
    for (const r of body.rows) expect(r).toMatchObject({ code: '06010', legacyCodes: 'GB/T 30428.2-2013 01-10' });
    const other = (await getJson(fx.app, '/api/ledger?category=occupy-road&limit=1')).body.rows[0];
    expect(other).toMatchObject({ code: null, legacyCodes: null });
    const detail = (await getJson(fx.app, '/api/problems/p04')).body.properties;
    expect(detail.codes.map((c: any) => [c.standard, c.code])).toEqual([
      ['GB/T 47678.5-2026', '06010'],
      ['GB/T 30428.2-2013', '01-10'],
    ]);
    expect(detail.limit).toEqual({ amount: 2, unit: 'day' });
  });

  it('the shipped catalog’s codes are consistent with their standards', () => {
    const catalog = loadCatalog(fileURLToPath(new URL('../../data/catalog', import.meta.url)));
    const coded = catalog.categories.filter((c) => c.codes.length > 0);
    expect(coded.length).toBeGreaterThanOrEqual(12);
    for (const c of coded) {
      // The current standard first, each standard once.
      expect(c.codes[0].standard, c.id).toBe('GB/T 47678.5-2026');
      expect(new Set(c.codes.map((x) => x.standard)).size, c.id).toBe(c.codes.length);
      for (const x of c.codes) {
        // GB/T 47678.5 writes 大类 + 3 digits, GB/T 30428.2 大类-小类, CJ/T 214 大类 + 2 digits.
        const shape = { 'GB/T 47678.5-2026': /^\d{5}$/, 'GB/T 30428.2-2013': /^\d{2}-\d{2}$/, 'CJ/T 214-2007': /^\d{4}$/ }[x.standard];
        expect(x.code, `${c.id} ${x.standard}`).toMatch(shape);
        expect(x.code.slice(0, 2), `${c.id} ${x.standard}`).toBe(x.major);
      }
    }
    // 门前三包 has no code in any standard: it stays a local category.
    expect(catalog.categories.find((c) => c.id === 'frontage-duty')?.codes).toEqual([]);
  });
});
