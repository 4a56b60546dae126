import { afterAll, describe, expect, it } from 'vitest';
import { cachedStatementCount, STATEMENT_CACHE_SIZE, statementCache } from '../../server/store/statement-cache';
import { fixtureApp, getJson } from './fixture';

const fx = await fixtureApp();
afterAll(async () => fx.close());

describe('prepared statements built per request', () => {
  it('stay bounded however many distinct ledger searches come in', async () => {
    for (let n = 1; n <= 2 * STATEMENT_CACHE_SIZE; n++) {
      const categories = Array.from({ length: n }, (_, i) => `category-${i}`).join(',');
      expect((await fx.app.request(`/api/ledger?limit=1&category=${categories}`)).status).toBe(200);
    }
    // Two statements per search (count and page): unbounded that is 4 × the bound; the ledger's, the problem list's and the layers' caches hold at most 3 ×.
    expect(cachedStatementCount(fx.store.db)).toBeLessThanOrEqual(3 * STATEMENT_CACHE_SIZE);
    expect((await getJson(fx.app, '/api/ledger?limit=1')).status).toBe(200);
  });

  it('drops the least recently used statement first', () => {
    const cache = statementCache(fx.store.db, (s) => s, 2);
    const a = cache.get('SELECT 1');
    cache.get('SELECT 2');
    expect(cache.get('SELECT 1')).toBe(a);
    cache.get('SELECT 3'); // drops SELECT 2, the least recently used
    expect(cache.size).toBe(2);
    expect(cache.get('SELECT 1')).toBe(a);
  });
});

describe('ledger parameters SQLite cannot take', () => {
  for (const query of ['offset=99999999999999999999', 'offset=9223372036854775807', 'q=abc%00def']) {
    it(`answers ${query} with 400 and a sentence`, async () => {
      for (const path of ['/api/ledger', '/api/ledger/export.csv']) {
        const res = await getJson(fx.app, `${path}?${query}`);
        expect(res.status, path).toBe(400);
        expect(res.body.error).toMatch(/offset must be at most|control characters/);
      }
    });
  }
});
