import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { importLayers } from '../../server/store/import-layers';
import { openStore } from '../../server/store/index';
import { FIXTURE_DIR } from '../api/fixture';
import { freePort } from '../../scripts/free-port';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'xuncha-index-'));
  dirs.push(d);
  return d;
};

/** Runs server/index.ts; resolves when `until` matches stdout, or when the process exits. */
function start(env: Record<string, string>, until?: RegExp) {
  const child: ChildProcess = spawn(TSX, [join(ROOT, 'server', 'index.ts')], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const ready = new Promise<void>((resolve) => {
    const check = () => {
      if (until && until.test(stdout)) resolve();
    };
    child.stdout!.on('data', check);
    exited.then(() => resolve());
  });
  return { child, ready, exited, out: () => stdout, err: () => stderr };
}

describe('server/index.ts', () => {
  it('serves the city, says where, and shuts down cleanly on SIGTERM', async () => {
    const dataDir = tempDir();
    const store = openStore(join(dataDir, 'xuncha.db'));
    importLayers(store, FIXTURE_DIR);
    await store.close();
    const port = await freePort();
    const server = start({ PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, ADMIN_PASSWORD: '', DEMO_ACCOUNTS: '' }, /problems/);
    try {
      await server.ready;
      expect(server.out()).toContain(`Xuncha 巡查 listening on http://127.0.0.1:${port}`);
      expect(server.out()).toContain('City: 示例区 (Sample District), 20 problems');
      // The first start made the administrator with a one-time password, printed once.
      const password = /admin \/ (\S+)/.exec(server.out())?.[1];
      expect(password).toBeTruthy();
      const origin = `http://127.0.0.1:${port}`;
      expect((await fetch(`${origin}/api/meta`)).status).toBe(401);
      const login = await fetch(`${origin}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'admin', password }),
      });
      expect(login.status).toBe(200);
      const body = (await login.json()) as { user: { mustChange: boolean }; csrfToken: string };
      expect(body.user.mustChange).toBe(true);
      const cookie = login.headers.get('set-cookie')!.split(';')[0];
      // Nothing but the password change until the one-time password is changed.
      expect((await fetch(`${origin}/api/meta`, { headers: { cookie } })).status).toBe(403);
      const { csrfToken } = body;
      const changed = await fetch(`${origin}/api/auth/password`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
        body: JSON.stringify({ current: password, next: 'the chosen one' }),
      });
      expect(changed.status).toBe(204);
      const res = await fetch(`${origin}/api/meta`, { headers: { cookie } });
      expect(res.status).toBe(200);
      expect(((await res.json()) as { counts: { problems: number } }).counts.problems).toBe(20);
    } finally {
      server.child.kill('SIGTERM');
    }
    expect(await server.exited).toBe(0);
    expect(server.out()).toContain('SIGTERM: shutting down');
  });

  it('says when no city is loaded', async () => {
    const port = await freePort();
    const server = start({ PORT: String(port), DATA_DIR: tempDir() }, /No city/);
    try {
      await server.ready;
      expect(server.out()).toMatch(/No city is loaded in .*Run `npm start`/);
    } finally {
      server.child.kill('SIGINT');
    }
    expect(await server.exited).toBe(0);
  });

  it('stops with a readable message, not a stack, on a broken database file', async () => {
    const dataDir = tempDir();
    writeFileSync(join(dataDir, 'xuncha.db'), 'garbage '.repeat(1000));
    const server = start({ PORT: String(await freePort()), DATA_DIR: dataDir });
    expect(await server.exited).toBe(1);
    expect(server.err()).toContain(join(dataDir, 'xuncha.db'));
    expect(server.err()).toMatch(/Move it away/);
    expect(server.err()).not.toMatch(/^\s+at /m);
  });

  it('stops with the list of invalid settings', async () => {
    const server = start({ PORT: 'eighty', DATA_DIR: tempDir() });
    expect(await server.exited).toBe(1);
    expect(server.err()).toContain('Invalid configuration:');
    expect(server.err()).toContain('PORT: PORT must be a number');
  });
});
