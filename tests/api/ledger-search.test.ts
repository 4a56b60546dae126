/**
 * The ledger's search index: character pairs find words of any length as substrings (one character
 * too), never across two fields; it is built in slices after an import while the intake keeps adding
 * to it; a search before it is complete waits a moment and is then answered 503 with how far it is.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app';
import { createSearchIndex } from '../../server/services/problems/search-index';
import { searchMatch, searchTokens } from '../../server/store/search-text';
import type { SearchIndexState } from '../../server/store/ledger';
import { as, fixtureApp, getJson, NOW, signIn } from './fixture';

describe('search text', () => {
  it('makes a token per neighbouring pair, a lone token before a space or the end, and the same query from a word', () => {
    const t = searchTokens('垃圾 外溢', null, 'KTV');
    expect(t.split(' ')).toHaveLength(2 + 2 + 3);
    expect(t).toContain(searchMatch(['垃圾'])!.replace(/"/g, ''));
    expect(searchMatch(['ktv'])).toBe(searchMatch(['KTV']));
    expect(searchMatch(['外'])).toMatch(/^[0-9a-z]{4}\*$/);
    expect(searchMatch(['农贸市场'])!.split(' ')).toHaveLength(3);
    expect(searchMatch(['', ' '])).toBeNull();
    expect(searchMatch(['a', 'bc'])).toContain(' AND ');
  });
});

describe('the search index over the fixture city', async () => {
  const fx = await fixtureApp();
  afterAll(async () => fx.close());
  const search = async (q: string) =>
    (
      (await getJson(fx.app, `/api/ledger?q=${encodeURIComponent(q)}&sort=id&order=asc`)).body as {
        rows: { id: string; description: string; location: string }[];
      }
    ).rows;

  it('finds one character, a two-character word and a long one, where they occur and only there', async () => {
    const all = ((await getJson(fx.app, '/api/ledger?limit=1000')).body as { rows: { id: string; description: string; location: string }[] }).rows;
    for (const word of ['圾', '垃圾', '小广告', '东关街12号']) {
      const expected = all
        .filter((r) => r.description.includes(word) || r.location.includes(word))
        .map((r) => r.id)
        .sort();
      expect(expected.length, word).toBeGreaterThan(0);
      expect((await search(word)).map((r) => r.id).sort(), word).toEqual(expected);
    }
    // The end of a description and the start of the place name are not one word.
    const r = all.find((x) => x.location && x.description)!;
    expect(await search(`${[...r.description].at(-1)}${[...r.location][0]}`)).not.toContainEqual(expect.objectContaining({ id: r.id }));
  });

  it('is rebuilt in slices after an import, with what the intake adds meanwhile', async () => {
    // A new import stamp: the index is stale, as after `npm run import`.
    fx.store.db.prepare("UPDATE fts_state SET stamp = 'older'").run();
    expect((await fx.store.searchIndexState()).ready).toBe(false);
    const first = await fx.store.buildSearchIndex(0);
    expect(first.ready).toBe((await fx.store.counts()).problems <= 2000);
    for (let i = 0; i < 100 && !(await fx.store.buildSearchIndex(0)).ready; i++);
    expect(await fx.store.searchIndexState()).toMatchObject({ ready: true });
    expect(await fx.store.ledgerCount({ filter: {}, words: ['垃圾'], sort: 'id', order: 'asc', offset: 0, limit: null, nowMs: NOW })).toBeGreaterThan(0);
  });

  it('a search while it is incomplete waits, then is answered 503 with Retry-After and the progress; filters still work', async () => {
    fx.store.db.prepare("UPDATE fts_state SET stamp = 'older'").run();
    let slices = 0;
    const never = createSearchIndex(fx.store, () => {
      slices++;
      return new Promise<SearchIndexState>(() => {});
    });
    const app = as(
      await createApp({ store: fx.store, catalog: fx.catalog, now: () => NOW, clientDir: null, search: never }),
      await signIn(fx.store, 'admin', 'u01', NOW),
    );
    const started = Date.now();
    const res = await getJson(app, `/api/ledger?q=${encodeURIComponent('垃圾')}`);
    expect(res.status).toBe(503);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(Number(res.headers.get('Retry-After'))).toBeGreaterThan(0);
    expect(res.body.error).toMatch(/全文检索索引正在建立（已完成 \d+%）.*search index is being built/);
    expect(slices).toBe(1);
    expect((await getJson(app, '/api/ledger?status=assigned')).status).toBe(200);
    // The server's own index (over the inline pool) then builds it on the next search.
    expect((await search('垃圾')).length).toBeGreaterThan(0);
  });
});
