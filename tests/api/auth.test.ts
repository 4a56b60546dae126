import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureAccounts, DEMO_ACCOUNTS } from '../../server/auth/bootstrap';
import { ROUTE_RULES } from '../../server/auth/policy';
import { ROLES, type Role } from '../../server/contract/roles';
import { createUser, issueToken } from '../../server/services/auth/auth';
import { importLayers } from '../../server/store/import-layers';
import { openStore } from '../../server/store/index';
import { as, decodeTile, FIXTURE_DIR, fixtureApp, getJson, NOW, signIn, type Requester } from './fixture';

const fx = await fixtureApp();
afterAll(async () => fx.close());

const json = (body: unknown, headers: Record<string, string> = {}) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

/** The cookie a login response sets, for the next request. */
function cookieOf(res: Response): string {
  const set = res.headers.get('set-cookie') ?? '';
  return set.split(';')[0];
}

async function login(username: string, password: string): Promise<Response> {
  return fx.raw.request('/api/auth/login', json({ username, password }));
}

describe('the permission matrix', () => {
  // Every route of the app × every role (and nobody): generated from the app's own route list, so a
  // route registered without a declaration in the contract (whose access rule the gate reads) fails here.
  const routes = [...new Set(fx.raw.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method} ${r.path}`))];
  const callers: (Role | 'nobody')[] = [...ROLES, 'nobody'];

  async function callerFor(role: Role | 'nobody'): Promise<Requester> {
    if (role === 'nobody') return fx.raw;
    if (role === 'api' || role === 'screen') {
      const { secret } = await issueToken(fx.store, role, `matrix ${role}`, new Date(NOW));
      return {
        request: (input, init = {}) =>
          fx.raw.request(input, {
            ...init,
            headers: {
              ...(init.headers as Record<string, string>),
              ...(role === 'api' ? { authorization: `Bearer ${secret}` } : { 'x-screen-token': secret }),
            },
          }),
      };
    }
    return as(fx.raw, await signIn(fx.store, role, 'u01', NOW));
  }

  it('has a rule for every route, and no rule without a route', () => {
    expect(routes.filter((r) => !(r in ROUTE_RULES))).toEqual([]);
    expect(Object.keys(ROUTE_RULES).filter((r) => !routes.includes(r))).toEqual([]);
  });

  for (const route of routes) {
    it(`${route}: allowed roles pass the gate, the others get 403, nobody gets 401`, async () => {
      const [method, path] = route.split(' ');
      const rule = ROUTE_RULES[route];
      const url = path
        .replace('/*', '/')
        .replace(/:(\w+)/g, (_, name: string) => (name === 'layer' ? 'roads' : ['z', 'x', 'y'].includes(name) ? '0' : name === 'id' ? '1' : 'x'));
      for (const caller of callers) {
        const init: RequestInit = method === 'GET' ? {} : { method, headers: { 'content-type': 'application/json' }, body: '{}' };
        const res = await (await callerFor(caller)).request(url, init);
        const allowed = rule.roles === 'public' || (caller !== 'nobody' && rule.roles.includes(caller));
        // /api/auth/me is public but answers "nobody is signed in" with 401 itself.
        const refusedByHandler = route === 'GET /api/auth/me' && caller === 'nobody' ? [] : [401];
        if (allowed) expect([...refusedByHandler, 403], `${route} as ${caller}`).not.toContain(res.status);
        else expect(res.status, `${route} as ${caller}`).toBe(caller === 'nobody' ? 401 : 403);
      }
    });
  }
});

describe('signing in', () => {
  it('sets an HttpOnly SameSite=Lax cookie, and writes need the CSRF token', async () => {
    await createUser(fx.store, { username: 'zhang', displayName: '张三', role: 'inspector', password: 'correct horse' }, new Date(NOW));
    const res = await login('zhang', 'correct horse');
    expect(res.status).toBe(200);
    const set = res.headers.get('set-cookie')!;
    expect(set).toMatch(/^xuncha_session=/);
    expect(set).toMatch(/HttpOnly/);
    expect(set).toMatch(/SameSite=Lax/);
    expect(set).not.toMatch(/Secure/); // plain http here; https requests get Secure
    const body = await res.json();
    expect(body.user).toMatchObject({ username: 'zhang', role: 'inspector', displayName: '张三' });
    const cookie = cookieOf(res);

    const me = await fx.raw.request('/api/auth/me', { headers: { cookie } });
    expect((await me.json()).csrfToken).toBe(body.csrfToken);
    const matrix = { profile: 'walk', points: [[115.98, 36.45]] };
    const noToken = await fx.raw.request('/api/matrix', json(matrix, { cookie }));
    expect(noToken.status).toBe(403);
    expect((await noToken.json()).error).toMatch(/CSRF/);
    const withToken = await fx.raw.request('/api/matrix', json(matrix, { cookie, 'x-csrf-token': body.csrfToken }));
    expect(withToken.status).toBe(200);

    const out = await fx.raw.request('/api/auth/logout', { method: 'POST', headers: { cookie, 'x-csrf-token': body.csrfToken } });
    expect(out.status).toBe(204);
    expect((await fx.raw.request('/api/auth/me', { headers: { cookie } })).status).toBe(401);
  });

  it('says the same for an unknown name and a wrong password, and locks after five failures', async () => {
    await createUser(fx.store, { username: 'li', displayName: '李四', role: 'leader', password: 'right password' }, new Date(NOW));
    const unknown = await login('nobody-here', 'whatever');
    const wrong = await login('li', 'wrong password');
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect((await unknown.json()).error.split('（')[0]).toBe((await wrong.json()).error.split('（')[0]);
    for (let i = 0; i < 4; i++) await login('li', 'wrong password');
    const locked = await login('li', 'right password');
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(800);
    expect((await locked.json()).error).toMatch(/锁定.*Too many failed sign-ins/);
    // Failed attempts are in the audit log with the name they tried.
    const audit = await getJson(fx.app, '/api/audit?limit=50');
    expect(audit.body.filter((e: { username: string; status: number }) => e.username === 'li' && e.status === 401).length).toBeGreaterThanOrEqual(5);
  });

  it('refuses a disabled account and ends its sessions', async () => {
    const u = await createUser(fx.store, { username: 'wang', displayName: '王五', role: 'inspector', password: 'wang password' }, new Date(NOW));
    const cookie = cookieOf(await login('wang', 'wang password'));
    expect((await fx.raw.request('/api/meta', { headers: { cookie } })).status).toBe(200);
    const res = await fx.app.request(`/api/users/${u.id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ disabled: true }),
    });
    expect(res.status).toBe(200);
    expect((await fx.raw.request('/api/meta', { headers: { cookie } })).status).toBe(401);
    expect((await login('wang', 'wang password')).status).toBe(401);
  });

  it('ends a session that has been idle for 8 hours', async () => {
    const creds = await signIn(fx.store, 'leader', 'u01', NOW - 9 * 3600_000);
    expect((await as(fx.raw, creds).request('/api/meta')).status).toBe(401);
  });

  it('changes a password: checks the current one and the length, ends the other sessions', async () => {
    await createUser(fx.store, { username: 'zhao', displayName: '赵六', role: 'unit', unitId: 'u02', password: 'first password' }, new Date(NOW));
    const a = await login('zhao', 'first password');
    const b = await login('zhao', 'first password');
    const { csrfToken } = await a.json();
    const headers = { cookie: cookieOf(a), 'x-csrf-token': csrfToken };
    expect((await fx.raw.request('/api/auth/password', json({ current: 'nope nope', next: 'second password' }, headers))).status).toBe(400);
    expect((await fx.raw.request('/api/auth/password', json({ current: 'first password', next: 'short' }, headers))).status).toBe(400);
    expect((await fx.raw.request('/api/auth/password', json({ current: 'first password', next: 'second password' }, headers))).status).toBe(204);
    expect((await fx.raw.request('/api/meta', { headers: { cookie: cookieOf(a) } })).status).toBe(200);
    expect((await fx.raw.request('/api/meta', { headers: { cookie: cookieOf(b) } })).status).toBe(401);
    expect((await login('zhao', 'first password')).status).toBe(401);
    expect((await login('zhao', 'second password')).status).toBe(200);
  });
});

describe('a responsible unit', async () => {
  const unit = await fx.signedIn('unit', 'u01');

  it('sees only its own problems, in lists, details and tiles', async () => {
    const all = await getJson(fx.app, '/api/problems?limit=100');
    const own = await getJson(unit, '/api/problems?limit=100&unit=u02');
    expect(own.status).toBe(200);
    expect(own.body.features.length).toBeGreaterThan(0);
    expect(own.body.features.every((f: { properties: { unitId: string } }) => f.properties.unitId === 'u01')).toBe(true);
    expect(own.body.features.length).toBeLessThan(all.body.features.length);
    const other = all.body.features.find((f: { properties: { unitId: string } }) => f.properties.unitId !== 'u01');
    expect((await unit.request(`/api/problems/${other.properties.id}`)).status).toBe(404);
    const mine = own.body.features[0];
    expect((await unit.request(`/api/problems/${mine.properties.id}`)).status).toBe(200);
    // The city-wide tile holds every problem as clusters: the unit's adds up to its own count only.
    const total = async (r: Requester, query: string) =>
      (await decodeTile(await r.request(`/tiles/problems/0/0/0.pbf${query}`))).problems.reduce((n, f) => n + Number(f.properties.count ?? 1), 0);
    expect(await total(unit, '?unit=u02')).toBe(own.body.features.length);
    expect(await total(unit, '')).toBe(own.body.features.length);
    expect(await total(fx.app, '')).toBe(all.body.features.length);
  });

  it('has its own ledger and history only, and may only report its rectification, signed with its name', async () => {
    const ledger = await getJson(unit, '/api/ledger?unit=u02&limit=100');
    expect(ledger.status).toBe(200);
    const rows = JSON.stringify(ledger.body);
    expect(rows).toContain('p08');
    expect(rows).not.toContain('"p03"'); // u02's
    expect((await unit.request('/api/problems/p03/history')).status).toBe(404);
    expect((await unit.request('/api/problems/p08/history')).status).toBe(200);
    const post = (id: string, body: unknown) => unit.request(`/api/problems/${id}/transitions`, json(body));
    expect((await post('p03', { to: 'rectified', note: '已整改' })).status).toBe(404);
    expect((await post('p08', { to: 'closed', note: '自己销号' })).status).toBe(403);
    const done = await post('p08', { to: 'rectified', note: '车辆已挪走', actor: '冒名者' });
    expect(done.status).toBe(200);
    const history = (await getJson(unit, '/api/problems/p08/history')).body;
    expect(JSON.stringify(history)).toContain('test-unit-u01');
    expect(JSON.stringify(history)).not.toContain('冒名者');
  });

  it('may not plan routes or manage accounts', async () => {
    expect((await unit.request('/api/route?from=115.971,36.45&to=115.98,36.459')).status).toBe(403);
    expect((await unit.request('/api/users')).status).toBe(403);
  });
});

describe('API keys and screen tokens', () => {
  it('issues a key once, keeps only its hash, and a revoked key stops working', async () => {
    const res = await fx.app.request('/api/api-keys', json({ name: '12345 热线' }));
    expect(res.status).toBe(201);
    const key = await res.json();
    expect(key.secret).toMatch(/^xk_/);
    const list = await getJson(fx.app, '/api/api-keys');
    expect(JSON.stringify(list.body)).not.toContain(key.secret);
    expect(JSON.stringify(fx.store.db.prepare('SELECT * FROM api_keys').all())).not.toContain(key.secret);
    const me = await fx.raw.request('/api/auth/me', { headers: { authorization: `Bearer ${key.secret}` } });
    expect(await me.json()).toEqual({ role: 'api', user: null, csrfToken: null });
    expect((await fx.app.request(`/api/api-keys/${key.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await fx.raw.request('/api/auth/me', { headers: { authorization: `Bearer ${key.secret}` } })).status).toBe(401);
  });

  it('lets a wall PC read with a screen token in the URL, and nothing more', async () => {
    const token = (await (await fx.app.request('/api/screen-tokens', json({ name: '会议室大屏' }))).json()).secret as string;
    expect((await fx.raw.request(`/api/meta?screen_token=${token}`)).status).toBe(200);
    expect((await fx.raw.request(`/tiles/problems/0/0/0.pbf?screen_token=${token}`)).status).not.toBe(401);
    expect((await fx.raw.request(`/api/matrix?screen_token=${token}`, json({ points: [[115.98, 36.45]] }))).status).toBe(403);
    expect((await fx.raw.request('/api/meta?screen_token=xs_forged')).status).toBe(401);
  });
});

describe('hardening', () => {
  it('sends a Content-Security-Policy that allows no other origin, and the usual headers', async () => {
    for (const path of ['/api/meta', '/api/nope', '/']) {
      const res = await fx.app.request(path);
      const csp = res.headers.get('content-security-policy')!;
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toMatch(/https?:|\*/);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
    }
  });

  it('refuses an oversized body with 413 before reading it', async () => {
    const res = await fx.raw.request('/api/auth/login', json({ username: 'x'.repeat(10_000), password: 'y' }));
    expect(res.status).toBe(413);
  });

  it('keeps the audit log append-only, with who, what, when and from where', async () => {
    await fx.app.request('/api/screen-tokens', json({ name: 'audit check' }));
    const [entry] = (await getJson(fx.app, '/api/audit?limit=1')).body;
    expect(entry).toMatchObject({ username: 'test-admin', role: 'admin', method: 'POST', path: '/api/screen-tokens', status: 201, ip: 'local' });
    expect(Date.parse(entry.at)).toBe(NOW);
    expect(() => fx.store.db.prepare('UPDATE audit_log SET status = 200').run()).toThrow(/append-only/);
    expect(() => fx.store.db.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
    // Reads are not audited (the log would drown); every write is.
    const before = (await fx.store.auditLog(1000, null)).length;
    await fx.app.request('/api/meta');
    expect((await fx.store.auditLog(1000, null)).length).toBe(before);
  });
});

describe('accounts at start', () => {
  it('creates the administrator once, with a one-time password when ADMIN_PASSWORD is not set', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xuncha-boot-'));
    const store = openStore(join(dir, 'xuncha.db'));
    try {
      const lines: string[] = [];
      await ensureAccounts(store, { demoAccounts: true, now: new Date(NOW), log: (l) => lines.push(l) });
      const [admin] = await store.listUsers();
      expect(admin).toMatchObject({ username: 'admin', role: 'admin', mustChange: true });
      const password = /admin \/ (\S+)/.exec(lines[0])![1];
      expect(password.length).toBeGreaterThanOrEqual(12);
      await ensureAccounts(store, { demoAccounts: true, now: new Date(NOW), log: (l) => lines.push(l) });
      expect(await store.listUsers()).toHaveLength(1);
      expect(lines.filter((l) => l.includes('admin /'))).toHaveLength(1);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('adds demo accounts for a demo city, and DEMO_ACCOUNTS=off turns them off', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xuncha-demo-acc-'));
    const layers = join(dir, 'layers');
    cpSync(FIXTURE_DIR, layers, { recursive: true });
    const city = JSON.parse(readFileSync(join(layers, 'city.json'), 'utf8'));
    writeFileSync(join(layers, 'city.json'), JSON.stringify({ ...city, source: 'generated' }));
    const store = openStore(join(dir, 'xuncha.db'));
    try {
      importLayers(store, layers);
      await ensureAccounts(store, { adminPassword: 'admin password', demoAccounts: true, now: new Date(NOW), log: () => {} });
      const users = await store.listUsers();
      expect(users.map((u) => u.username)).toEqual(['admin', ...DEMO_ACCOUNTS.map((a) => a.username)]);
      expect(users.find((u) => u.role === 'unit')!.unitId).toMatch(/^u0[12]$/);
      // The demo's leader is 包抓领导 of the points with problems, most first (我的点位 has them), set once.
      const leader = users.find((u) => u.role === 'leader')!;
      expect((await store.placesOf(leader.id, leader.displayName)).map((p) => p.id).sort()).toEqual(['bs01', 'cm01', 'mk01']);
      expect(await store.placeHistory('mk01')).toEqual([]);
      await ensureAccounts(store, { demoAccounts: false, now: new Date(NOW), log: () => {} });
      expect((await store.listUsers()).filter((u) => u.demo).every((u) => u.disabled)).toBe(true);
      expect((await store.listUsers()).find((u) => u.username === 'admin')!.disabled).toBe(false);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
