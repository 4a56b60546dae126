/**
 * The client's network layer against the real API in-process: the typed calls, a refusal the
 * contract gives a body (the look-back's 409) coming back as a value, multipart bodies with their
 * headers, and the server's sentence in an ApiError. The browser's globals the session layer reads
 * (location, sessionStorage, fetch) are given here, with fetch answered by the fixture app.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { jpegWithExif } from '../../fixtures/media/photos';
import { fixtureApp } from '../../api/fixture';

const fx = await fixtureApp();
const inspector = await fx.signedIn('inspector');
const leader = await fx.signedIn('leader');

type Http = typeof import('../../../client/src/api/http');
type Field = typeof import('../../../client/src/api/field');
type Ledger = typeof import('../../../client/src/api/ledger');
let http: Http;
let field: Field;
let ledger: Ledger;
let ApiError: typeof import('../../../client/src/api/client').ApiError;

beforeAll(async () => {
  const storage = new Map<string, string>();
  vi.stubGlobal('window', {
    location: new URL('http://xuncha.test/field'),
    sessionStorage: { getItem: (k: string) => storage.get(k) ?? null, setItem: (k: string, v: string) => void storage.set(k, v) },
  });
  vi.stubGlobal('fetch', (input: RequestInfo | URL, init?: RequestInit) => inspector.request(String(input), init));
  // Imported after the globals exist: the session layer reads the screen token at load.
  http = await import('../../../client/src/api/http');
  field = await import('../../../client/src/api/field');
  ledger = await import('../../../client/src/api/ledger');
  ApiError = (await import('../../../client/src/api/client')).ApiError;
});
afterAll(() => {
  vi.unstubAllGlobals();
  fx.close();
});

describe('resolve', () => {
  it('fills path parameters and writes lists comma-separated, leaving out what is unset', () => {
    expect(http.resolve('GET /api/problems/:id/history', { id: 'p 1' })).toEqual({ method: 'GET', path: '/api/problems/p%201/history' });
    expect(http.resolve('GET /api/ledger', undefined, { status: 'assigned,overdue', q: undefined, unit: ['u1', 'u2'] }).path).toBe(
      '/api/ledger?status=assigned%2Coverdue&unit=u1%2Cu2',
    );
    expect(() => http.resolve('GET /api/problems/:id', {})).toThrow(/"id" is missing/);
  });
});

describe('call', () => {
  it('returns the body the contract declares', async () => {
    const p = await http.call('GET /api/problems/:id', { params: { id: 'p03' } });
    expect(p.properties.id).toBe('p03');
    const page = await ledger.getLedgerPage({ status: 'overdue', sort: 'id', order: 'asc', limit: '2' }, new AbortController().signal);
    expect(page.rows.map((r) => r.id)).toEqual(['p03', 'p08']);
  });

  it("fails with an ApiError carrying the status and the server's sentence", async () => {
    const err = await http.call('GET /api/problems/:id', { params: { id: 'p-none' } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as InstanceType<typeof ApiError>).status).toBe(404);
    expect((err as Error).message).toMatch(/p-none/);
  });
});

describe('callOr', () => {
  it("hands back a look-back's 409 conflict body as a value, saying who moved the problem", async () => {
    // The leader closes p15 while the inspector's look-back waits in the phone's queue.
    expect(
      (
        await leader.request('/api/problems/p15/transitions', {
          method: 'POST',
          body: JSON.stringify({ to: 'closed', note: '已复查' }),
          headers: { 'content-type': 'application/json' },
        })
      ).status,
    ).toBe(200);
    const out = await field.postExpectedTransition('p15', { to: 'assigned', expect: 'rectified', note: '仍有车辆停放' });
    expect('conflict' in out && out.conflict).toMatchObject({ status: 'closed', allowed: [], last: { action: 'pass', to: 'closed' } });
    const ok = await field.postExpectedTransition('p06', { to: 'closed', expect: 'rectified', note: '复查合格' });
    expect('history' in ok && ok.history.status).toBe('closed');
  });

  it('still throws for refusals other than the one asked for', async () => {
    const err = await field.postExpectedTransition('p-none', { to: 'closed', expect: 'rectified', note: '' }).catch((e: unknown) => e);
    expect((err as InstanceType<typeof ApiError>).status).toBe(404);
  });
});

describe('callForm', () => {
  it('sends the fields and photos as multipart with its headers: a report resent under the same Idempotency-Key is stored once', async () => {
    const photo = new File([new Uint8Array(await jpegWithExif({}))], 'a.jpg', { type: 'image/jpeg' });
    const fields = { category: 'occupy-road', lng: 115.9841, lat: 36.4481, description: '东门外占道', reporter: '督查组', source: 'inspection' };
    const key = 'c0ffee00-0000-4000-8000-000000000001';
    const first = await ledger.postReport(fields, [photo], key);
    expect(first.problem.properties.description).toBe('东门外占道');
    const again = await ledger.postReport(fields, [photo], key);
    expect(again.problem.id).toBe(first.problem.id);
    const stored = await ledger.uploadPhotos([photo]);
    expect(stored.photos).toHaveLength(1);
  });
});
