import { afterAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../server/auth/passwords';
import { createUser } from '../../server/services/auth/auth';
import { fixtureApp, getJson, NOW } from './fixture';

const fx = await fixtureApp();
afterAll(async () => fx.close());

const post = (body: unknown, headers: Record<string, string> = {}, method = 'POST'): RequestInit => ({
  method,
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

/** Signs in with the password; returns the headers of the session. */
async function signIn(username: string, password: string): Promise<Record<string, string>> {
  const res = await fx.raw.request('/api/auth/login', post({ username, password }));
  expect(res.status).toBe(200);
  return { cookie: (res.headers.get('set-cookie') ?? '').split(';')[0], 'x-csrf-token': (await res.json()).csrfToken };
}

describe('a password that must be changed', () => {
  it('allows nothing but changing it (to another one), seeing who one is, and signing out', async () => {
    await fx.store.createUser({
      username: 'first-admin',
      displayName: '系统管理员',
      role: 'admin',
      unitId: null,
      passwordHash: await hashPassword('one-time secret'),
      mustChange: true,
      now: new Date(NOW).toISOString(),
    });
    const headers = await signIn('first-admin', 'one-time secret');
    for (const [path, init] of [
      ['/api/users', { headers }],
      ['/api/audit', { headers }],
      ['/api/meta', { headers }],
      ['/api/api-keys', post({ name: 'sneaky' }, headers)],
    ] as const) {
      const res = await fx.raw.request(path, init);
      expect(res.status, path).toBe(403);
      expect((await res.json()).error).toMatch(/修改密码.*Change your password/);
    }
    expect((await fx.raw.request('/api/auth/me', { headers })).status).toBe(200);
    const same = await fx.raw.request('/api/auth/password', post({ current: 'one-time secret', next: 'one-time secret' }, headers));
    expect(same.status).toBe(400);
    expect((await same.json()).error).toMatch(/differ/);
    expect((await fx.raw.request('/api/users', { headers })).status).toBe(403);
    expect((await fx.raw.request('/api/auth/password', post({ current: 'one-time secret', next: 'my own secret' }, headers))).status).toBe(204);
    expect((await fx.raw.request('/api/users', { headers })).status).toBe(200);
  });

  it('is what an administrator’s reset gives: the person must choose their own at the next sign-in', async () => {
    const u = await createUser(fx.store, { username: 'forgetful', displayName: '健忘', role: 'inspector', password: 'old password' }, new Date(NOW));
    const reset = await fx.app.request(`/api/users/${u.id}`, post({ password: 'temporary one' }, {}, 'PATCH'));
    expect(reset.status).toBe(200);
    expect((await reset.json()).mustChange).toBe(true);
    const headers = await signIn('forgetful', 'temporary one');
    expect((await getJson({ request: (p) => fx.raw.request(p, { headers }) }, '/api/meta')).status).toBe(403);
    expect((await fx.raw.request('/api/auth/password', post({ current: 'temporary one', next: 'chosen by me' }, headers))).status).toBe(204);
    expect((await fx.raw.request('/api/meta', { headers })).status).toBe(200);
  });
});
