import { afterAll, describe, expect, it } from 'vitest';
import { ScreenSummary } from '../../server/contract/screen';
import { fixtureApp, getJson } from './fixture';

const fx = await fixtureApp();
afterAll(async () => fx.close());

const put = (who: { request: (p: string, i?: RequestInit) => Response | Promise<Response> }, body: unknown, headers: Record<string, string> = {}) =>
  who.request('/api/screen/assessment', { method: 'PUT', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

// The fixture's clock is 2026-03-20 12:00 (+08:00).
const WINDOW = { name: '2026年全国文明城市测评', start: '2026-05-11', end: '2026-06-10' };

describe('the assessment window (/api/screen/assessment)', () => {
  it('is none at first, and the summary shows no countdown', async () => {
    expect(await getJson(fx.app, '/api/screen/assessment')).toMatchObject({ status: 200, body: null });
    expect((await getJson(fx.app, '/api/screen/summary')).body.assessment).toBeNull();
  });

  it('is set by the administrator, audit-logged, and counted down in the summary', async () => {
    const res = await put(fx.app, WINDOW);
    expect(res.status).toBe(200);
    const stored = await res.json();
    expect(stored).toMatchObject(WINDOW);
    expect(stored.updatedAt).toBe('2026-03-20T04:00:00.000Z');
    expect((await getJson(fx.app, '/api/screen/assessment')).body).toEqual(stored);
    // 2026-03-20 → 2026-05-11: 11 days of March left, 30 of April, 10 of May.
    const s = ScreenSummary.parse((await getJson(fx.app, '/api/screen/summary')).body);
    expect(s.assessment).toEqual({ ...WINDOW, phase: 'ahead', days: 52 });
    const audit = (await getJson(fx.app, '/api/audit?limit=5')).body;
    expect(audit[0]).toMatchObject({ method: 'PUT', path: '/api/screen/assessment', status: 200, username: 'test-admin' });
  });

  it('counts the days of a window that is on, and drops one that is over', async () => {
    expect((await put(fx.app, { name: '测评', start: '2026-03-18', end: '2026-04-17' })).status).toBe(200);
    expect((await getJson(fx.app, '/api/screen/summary')).body.assessment).toMatchObject({ phase: 'during', days: 3 });
    expect((await put(fx.app, { name: '测评', start: '2026-02-01', end: '2026-03-19' })).status).toBe(200);
    expect((await getJson(fx.app, '/api/screen/summary')).body.assessment).toBeNull();
    const del = await fx.app.request('/api/screen/assessment', { method: 'DELETE' });
    expect(del.status).toBe(204);
    expect((await getJson(fx.app, '/api/screen/assessment')).body).toBeNull();
  });

  it('refuses a window it cannot use, saying what to fix', async () => {
    for (const [body, path, pattern] of [
      [{ ...WINDOW, name: '  ' }, 'json.name', /give the assessment a name/],
      [{ ...WINDOW, name: '测'.repeat(61) }, 'json.name', /under 60 characters/],
      [{ ...WINDOW, start: '2026-02-30' }, 'json.start', /date like/],
      [{ ...WINDOW, end: '2026-05-01' }, 'json.end', /must not be before start/],
      [{ ...WINDOW, end: '2027-06-01' }, 'json.end', /at most 366/],
      [{ name: '测评' }, 'json.start', /./],
    ] as const) {
      const res = await put(fx.app, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      const out = await res.json();
      expect(out.error).toMatch(pattern);
      expect(out.details[0].path).toBe(path);
    }
  });

  it('is read by the screen, leaders and inspectors, set only by the administrator, with the CSRF token', async () => {
    for (const role of ['leader', 'inspector'] as const) expect((await (await fx.signedIn(role)).request('/api/screen/assessment')).status).toBe(200);
    expect((await (await fx.signedIn('unit')).request('/api/screen/assessment')).status).toBe(403);
    expect((await fx.raw.request('/api/screen/assessment')).status).toBe(401);
    for (const role of ['leader', 'inspector', 'unit'] as const) expect((await put(await fx.signedIn(role), WINDOW)).status).toBe(403);
    expect((await (await fx.signedIn('leader')).request('/api/screen/assessment', { method: 'DELETE' })).status).toBe(403);
    // A cookie write without its CSRF header is refused, like every other.
    expect((await put(fx.app, WINDOW, { 'x-csrf-token': 'wrong' })).status).toBe(403);
    expect((await getJson(fx.app, '/api/screen/assessment')).body).toBeNull();
  });
});
