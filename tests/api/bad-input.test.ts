/**
 * Every route of the app × hostile input: malformed JSON, wrong types, huge numbers, NaN/Infinity,
 * unicode edge cases, SQL and path-traversal strings, oversized bodies, invalid GeoJSON. Each must get
 * a clear 4xx (or be ignored where the route takes no such input), never a 500, and nothing may be
 * written. Generated from the app's own route list, so a new route is covered without a new line here.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { fixtureApp } from './fixture';

const fx = await fixtureApp();
afterAll(async () => fx.close());

const HOSTILE_STRINGS = [
  "' OR 1=1 --",
  '"; DROP TABLE problems; --',
  '../../../../etc/passwd',
  '..%2F..%2Fetc%2Fpasswd',
  '%00',
  '\u0000',
  '𠮷😀\u202e\u200b',
  '<script>alert(1)</script>',
  'x'.repeat(10_000),
  'NaN',
  'Infinity',
  '-1e309',
  '1e309',
  '9007199254740993',
];

/** A query string that gives every parameter our routes know a bad value. */
function hostileQuery(v: string): string {
  const keys = [
    'bbox',
    'from',
    'to',
    'category',
    'status',
    'subdistrict',
    'unit',
    'limit',
    'cursor',
    'offset',
    'sort',
    'q',
    'lng',
    'lat',
    'res',
    'profile',
    'date',
    'radius',
    'minRecurrences',
    'by',
    'week',
    'since',
    'service_code',
    'service_request_id',
    'start_date',
    'end_date',
    'before',
    'maxSnapM',
    'lang',
  ];
  return keys.map((k) => `${k}=${encodeURIComponent(v)}`).join('&') + `&from=2026-13-45&to=2026-01-01&bbox=NaN,Infinity,1e309,-1e309&limit=1e12`;
}

const HOSTILE_BODIES: { name: string; body: string; type?: string }[] = [
  { name: 'malformed JSON', body: '{"to": ' },
  { name: 'an array', body: '[]' },
  { name: 'null', body: 'null' },
  { name: 'wrong types', body: JSON.stringify({ to: 42, points: 'x', teams: 'all', stops: [], username: [], password: {}, name: Infinity, ids: 'p01' }) },
  { name: 'huge numbers', body: JSON.stringify({ points: [[1e308, -1e308]], budgetS: 1e300, limit: Number.MAX_SAFE_INTEGER + 1, n: 1e20 }) },
  { name: 'NaN/Infinity as text', body: '{"points":[[NaN, Infinity]], "profile": "walk"}' },
  { name: 'prototype pollution', body: '{"__proto__": {"role": "admin"}, "constructor": {"prototype": {"x": 1}}}' },
  { name: 'deep nesting', body: '['.repeat(5000) + ']'.repeat(5000) },
  {
    name: 'invalid GeoJSON',
    body: JSON.stringify({
      date: '2026-03-20',
      teams: [],
      stops: {
        polygon: {
          type: 'Polygon',
          coordinates: [
            [
              [0, 0],
              [1, 1],
              [0, 1],
              [1, 0],
              [0, 0],
            ],
          ],
        },
      },
    }),
  },
  {
    name: 'hostile strings',
    body: JSON.stringify(
      Object.fromEntries(
        ['to', 'note', 'name', 'username', 'password', 'unit', 'deadline', 'actor', 'into', 'profile'].map((k, i) => [
          k,
          HOSTILE_STRINGS[i % HOSTILE_STRINGS.length],
        ]),
      ),
    ),
  },
  { name: 'a form where JSON is expected', body: 'a=1&b=2', type: 'application/x-www-form-urlencoded' },
  {
    name: 'a broken multipart body',
    body: '--x\r\nContent-Disposition: form-data; name="photo"; filename="../../evil.jpg"\r\n\r\nGIF89a',
    type: 'multipart/form-data; boundary=x',
  },
];

/** What must not change: the rows a bad request could write (the audit log records attempts by design). */
async function snapshot() {
  const db = fx.store.db;
  const count = (table: string) => db.prepare(`SELECT count(*) FROM ${table}`).pluck().get();
  return {
    problems: count('problems'),
    revision: await fx.store.problemsRevision(),
    history: count('problem_history'),
    plans: count('plans'),
    users: count('users'),
    keys: count('api_keys'),
    media: count('media'),
  };
}

const routes = [...new Set(fx.raw.routes.filter((r) => r.method !== 'ALL' && r.path !== '/*').map((r) => `${r.method} ${r.path}`))].sort();
let tried = 0;

describe('bad input on every route', () => {
  it('covers every route the app has', () => {
    expect(routes.length).toBeGreaterThan(50);
  });

  for (const route of routes) {
    it(`${route}: 4xx or ignored, never a 500, nothing written`, async () => {
      const [method, path] = route.split(' ');
      const before = await snapshot();
      const errorsBefore = fx.errors.length;
      for (const v of HOSTILE_STRINGS) {
        const url = path.replace(/:(\w+)/g, () => encodeURIComponent(v)) + `?${hostileQuery(v)}`;
        const requests: RequestInit[] =
          method === 'GET'
            ? [{}]
            : HOSTILE_BODIES.map((b) => ({ method, headers: { 'content-type': b.type ?? 'application/json', 'idempotency-key': 'not-a-uuid' }, body: b.body }));
        for (const init of requests) {
          const res = await fx.app.request(url, init);
          tried++;
          expect(res.status, `${route} with ${v.slice(0, 20)} ${init.body ? String(init.body).slice(0, 30) : ''}`).toBeLessThan(500);
          if (res.status >= 400 && (res.headers.get('content-type') ?? '').includes('application/json')) {
            const body = await res.json();
            // Our error shape, or Open311's own ([{ code, description }]).
            const sentence = Array.isArray(body) ? body[0]?.description : body.error;
            expect(typeof sentence, route).toBe('string');
            expect(sentence.length).toBeGreaterThan(5);
          }
        }
      }
      expect(fx.errors.slice(errorsBefore)).toEqual([]);
      expect(await snapshot()).toEqual(before);
    });
  }

  it(`tried many bad inputs`, () => {
    expect(tried).toBeGreaterThan(1000);
    console.log(`bad-input suite: ${routes.length} routes, ${tried} requests`);
  });
});
