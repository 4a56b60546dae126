import { afterAll, describe, expect, it } from 'vitest';
import { fixtureApp, NOW, signIn } from './fixture';

const fx = await fixtureApp();
afterAll(async () => fx.close());

const lastAudit = async () => (await fx.store.auditLog(1, null))[0];

describe('write refusals at the gate are in the audit log', () => {
  it('logs a write of the wrong role', async () => {
    const inspector = await fx.signedIn('inspector');
    const res = await inspector.request('/api/users', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'x', displayName: 'x', role: 'admin', password: 'long enough' }),
    });
    expect(res.status).toBe(403);
    expect(await lastAudit()).toMatchObject({ username: 'test-inspector', role: 'inspector', method: 'POST', path: '/api/users', status: 403 });
    expect((await lastAudit()).detail).toMatch(/wrong role/);
  });

  it('logs a write without its CSRF token', async () => {
    const { cookie } = await signIn(fx.store, 'admin', 'u01', NOW);
    const res = await fx.raw.request('/api/screen-tokens', { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: '{"name":"x"}' });
    expect(res.status).toBe(403);
    expect(await lastAudit()).toMatchObject({ username: 'test-admin', method: 'POST', path: '/api/screen-tokens', status: 403 });
    expect((await lastAudit()).detail).toMatch(/CSRF/);
  });

  it('does not log refused reads (the log would drown)', async () => {
    const before = (await fx.store.auditLog(1000, null)).length;
    expect((await (await fx.signedIn('unit')).request('/api/users')).status).toBe(403);
    expect((await fx.store.auditLog(1000, null)).length).toBe(before);
  });
});
