import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app';
import { parseTrustProxy } from '../../server/http/proxy';
import { loadCatalog } from '../../server/services/assessment/catalog';
import { createUser, IP_SLOW_AFTER_FAILURES, IP_SLOW_INTERVAL_MS, LOCK_AFTER_FAILURES } from '../../server/services/auth/auth';
import { importLayers } from '../../server/store/import-layers';
import { openStore } from '../../server/store/index';
import { FIXTURE_DIR, NOW } from './fixture';

// An app whose clock the tests move, so that waiting out a limit takes no time.
const dir = mkdtempSync(join(tmpdir(), 'xuncha-signin-'));
const store = openStore(join(dir, 'xuncha.db'));
importLayers(store, FIXTURE_DIR);
let clock = NOW;
const app = await createApp({ store, catalog: loadCatalog(join(FIXTURE_DIR, 'catalog')), now: () => clock, clientDir: null, logError: () => {} });
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A request from `ip`, as the socket would give it. */
const from = (ip: string, path: string, init: RequestInit) => app.request(path, init, { incoming: { socket: { remoteAddress: ip } } });
const post = (body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});
const login = (ip: string, username: string, password: string) => from(ip, '/api/auth/login', post({ username, password }));
const account = async (username: string) =>
  createUser(store, { username, displayName: username, role: 'inspector', password: `${username} password` }, new Date(NOW));

describe('sign-in limits', () => {
  it('counts a guess before checking it: of 40 parallel wrong passwords only the limit is checked, and a right one among them is refused', async () => {
    await account('parallel');
    const wrong = Array.from({ length: 40 }, () => login('10.0.0.1', 'parallel', 'not the password'));
    const right = login('10.0.0.1', 'parallel', 'parallel password');
    const statuses = await Promise.all([...wrong, right].map(async (r) => (await r).status));
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(LOCK_AFTER_FAILURES);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(40 - LOCK_AFTER_FAILURES);
    expect(statuses.at(-1)).toBe(429);
  });

  it('locks an account from the guessing address only: the right password from another address still works', async () => {
    await account('target');
    for (let i = 0; i < LOCK_AFTER_FAILURES; i++) expect((await login('10.0.0.66', 'target', 'guess')).status).toBe(401);
    expect((await login('10.0.0.66', 'target', 'target password')).status).toBe(429);
    expect((await login('10.0.0.7', 'target', 'target password')).status).toBe(200);
  });

  it('slows a busy address down instead of locking out everyone behind it', async () => {
    await account('colleague');
    // Someone behind the office NAT sprays passwords at many accounts.
    for (let i = 0; i < IP_SLOW_AFTER_FAILURES; i++) await store.recordLoginFailure(`sprayed${i}`, '10.9.9.9', clock);
    const slowed = await login('10.9.9.9', 'colleague', 'colleague password');
    expect(slowed.status).toBe(429);
    expect(Number(slowed.headers.get('retry-after'))).toBeLessThanOrEqual(IP_SLOW_INTERVAL_MS / 1000);
    clock += IP_SLOW_INTERVAL_MS + 1000;
    expect((await login('10.9.9.9', 'colleague', 'colleague password')).status).toBe(200);
  });

  it('locks an account for everyone only after many failures from many addresses', async () => {
    await account('famous');
    for (let i = 0; i < 50; i++) await store.recordLoginFailure('famous', `10.1.${i % 10}.1`, clock);
    const res = await login('10.2.0.1', 'famous', 'famous password');
    expect(res.status).toBe(429);
    expect((await res.json()).error).toMatch(/many addresses/);
  });

  it('counts wrong current passwords on /api/auth/password like sign-ins', async () => {
    await account('changer');
    const res = await login('10.3.0.1', 'changer', 'changer password');
    const { csrfToken } = await res.json();
    const headers = { cookie: (res.headers.get('set-cookie') ?? '').split(';')[0], 'x-csrf-token': csrfToken };
    for (let i = 0; i < LOCK_AFTER_FAILURES; i++) {
      expect((await from('10.3.0.1', '/api/auth/password', post({ current: `guess ${i} guess`, next: 'a new password' }, headers))).status).toBe(400);
    }
    const locked = await from('10.3.0.1', '/api/auth/password', post({ current: 'changer password', next: 'a new password' }, headers));
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});

describe('sign-in limits behind a trusted reverse proxy', async () => {
  // Every request arrives from the proxy's address; TRUST_PROXY makes the forwarded one count.
  const proxied = await createApp({
    store,
    catalog: loadCatalog(join(FIXTURE_DIR, 'catalog')),
    now: () => clock,
    clientDir: null,
    logError: () => {},
    trustProxy: parseTrustProxy('10.9.9.9'),
  });
  const via = (forwardedFor: string, username: string, password: string) =>
    proxied.request(
      '/api/auth/login',
      { ...post({ username, password }), headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor } },
      {
        incoming: { socket: { remoteAddress: '10.9.9.9' } },
      },
    );

  it('counts the forwarded address: a guesser behind the proxy does not lock out a colleague behind the same proxy', async () => {
    await account('proxied');
    for (let i = 0; i < LOCK_AFTER_FAILURES; i++) expect((await via('192.168.5.1', 'proxied', 'wrong')).status).toBe(401);
    expect((await via('192.168.5.1', 'proxied', 'proxied password')).status).toBe(429);
    expect((await via('192.168.5.2', 'proxied', 'proxied password')).status).toBe(200);
  });
});
