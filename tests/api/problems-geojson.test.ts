import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { fixtureApp } from './fixture';
import { PROBLEM_QUERIES } from './problems-geojson-queries';

// What GET /api/problems answered before its page went out as bytes (recorded at commit 253f573 from
// this fixture and clock): the speed-up must not change a byte of it.
const BEFORE = JSON.parse(readFileSync(new URL('../fixtures/problems-geojson-before.json', import.meta.url), 'utf8')) as Record<string, string>;

const fx = await fixtureApp();
afterAll(async () => fx.close());

describe('GET /api/problems answers as it did before', () => {
  it('holds an answer for every query', () => {
    expect(Object.keys(BEFORE).sort()).toEqual([...PROBLEM_QUERIES].sort());
  });
  for (const query of PROBLEM_QUERIES) {
    it(query, async () => {
      const res = await fx.app.request(query);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/json; charset=UTF-8');
      expect(await res.text()).toBe(BEFORE[query]);
    });
  }
  it('writes the same features as bytes as the text every other reader gets', async () => {
    const filter = { bbox: [115.97, 36.44, 115.99, 36.46] as [number, number, number, number] };
    const opts = { limit: 7, nowMs: Date.parse('2026-03-20T12:00:00+08:00') };
    const text = await fx.store.queryProblems(filter, opts);
    const bytes = await fx.store.queryProblemsBytes(filter, opts);
    expect(bytes.next).toEqual(text.next);
    expect(text.features).toHaveLength(7);
    expect(Buffer.from(bytes.json).toString('utf8')).toBe(text.features.join(','));
    const redacted = await fx.store.queryProblemsBytes(filter, { ...opts, redact: true });
    expect(Buffer.from(redacted.json).toString('utf8')).toBe((await fx.store.queryProblems(filter, { ...opts, redact: true })).features.join(','));
    expect(JSON.parse(`[${Buffer.from(redacted.json).toString('utf8')}]`).map((f: any) => f.properties.reporter)).toEqual(Array(7).fill(''));
    expect((await fx.store.queryProblemsBytes({ bbox: [100, 10, 101, 11] }, opts)).json.length).toBe(0);
  });
});
