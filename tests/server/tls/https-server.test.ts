import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { importLayers } from '../../../server/store/import-layers';
import { openStore } from '../../../server/store/index';
import { initTls, tlsPaths } from '../../../server/tls/ca';
import { FIXTURE_DIR } from '../../api/fixture';
import { freePort } from '../../../scripts/free-port';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'xuncha-https-'));
  dirs.push(d);
  return d;
};

function start(env: Record<string, string>, until: RegExp) {
  const child: ChildProcess = spawn(TSX, [join(ROOT, 'server', 'index.ts')], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const ready = new Promise<void>((resolve) => {
    child.stdout!.on('data', (d) => {
      stdout += d;
      if (until.test(stdout)) resolve();
    });
    void exited.then(() => resolve());
  });
  return { child, ready, exited, out: () => stdout, err: () => stderr };
}

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One HTTPS request that trusts only `ca`, with `servername` as the name checked against the certificate. */
function fetchHttps(port: number, path: string, ca: string, opts: { method?: string; body?: string; servername?: string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      {
        host: '127.0.0.1',
        port,
        path,
        method: opts.method ?? 'GET',
        ca,
        servername: opts.servername ?? 'localhost',
        headers: opts.body ? { 'content-type': 'application/json', host: 'localhost' } : { host: 'localhost' },
      },
      (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

async function cityDir(): Promise<string> {
  const dataDir = tempDir();
  const store = openStore(join(dataDir, 'xuncha.db'));
  importLayers(store, FIXTURE_DIR);
  await store.close();
  return dataDir;
}

describe('HTTPS from npm run tls:init', () => {
  it('serves HTTPS with the certificate in DATA_DIR/tls, HSTS, a Secure cookie, /ca.crt, and redirects HTTP_PORT', async () => {
    const dataDir = await cityDir();
    await initTls(dataDir, ['10.1.2.3']);
    const ca = readFileSync(tlsPaths(dataDir).caCert, 'utf8');
    const [port, httpPort] = [await freePort(), await freePort()];
    const server = start(
      { PORT: String(port), HTTP_PORT: String(httpPort), HOST: '127.0.0.1', DATA_DIR: dataDir, ADMIN_PASSWORD: 'a long password', DEMO_ACCOUNTS: 'off' },
      /Redirecting/,
    );
    try {
      await server.ready;
      expect(server.out()).toContain(`Xuncha 巡查 listening on https://127.0.0.1:${port}`);
      expect(server.out()).toContain('HOST is 127.0.0.1: phones cannot reach this server; set HOST=0.0.0.0 to serve them.');
      // tsx runs the server in a child process of its own: the pid is the server's, not the one spawned here.
      expect(readFileSync(join(dataDir, 'xuncha.pid'), 'utf8').trim()).toMatch(/^\d+$/);

      // A client that trusts only our CA accepts the server: the chain and the names are right.
      const meta = await fetchHttps(port, '/api/openapi.json', ca);
      expect(meta.status).toBe(200);
      expect(meta.headers['strict-transport-security']).toMatch(/max-age=/);
      await expect(fetchHttps(port, '/api/openapi.json', ca, { servername: 'other.example' })).rejects.toThrow(/altnames|not in the cert/i);

      const caCrt = await fetchHttps(port, '/ca.crt', ca);
      expect(caCrt.status).toBe(200);
      expect(caCrt.headers['content-type']).toBe('application/x-x509-ca-cert');
      expect(caCrt.body).toBe(ca);

      const login = await fetchHttps(port, '/api/auth/login', ca, { method: 'POST', body: JSON.stringify({ username: 'admin', password: 'a long password' }) });
      expect(login.status).toBe(200);
      expect(String(login.headers['set-cookie'])).toMatch(/; Secure/);

      const redirected = await new Promise<Answer>((resolve, reject) => {
        const req = httpRequest({ host: '127.0.0.1', port: httpPort, path: '/field', headers: { host: `10.1.2.3:${httpPort}` } }, (res) => {
          res.resume();
          resolve({ status: res.statusCode!, headers: res.headers, body: '' });
        });
        req.on('error', reject);
        req.end();
      });
      expect(redirected.status).toBe(308);
      expect(redirected.headers.location).toBe(`https://10.1.2.3:${port}/field`);
    } finally {
      server.child.kill('SIGTERM');
    }
    expect(await server.exited).toBe(0);
    expect(existsSync(join(dataDir, 'xuncha.pid'))).toBe(false);
  });

  it('behind a proxy: believes X-Forwarded-Proto from a TRUST_PROXY peer, and reports the backup schedule', async () => {
    const dataDir = await cityDir();
    const backupDir = join(tempDir(), 'backups');
    const port = await freePort();
    const server = start(
      {
        PORT: String(port),
        HOST: '127.0.0.1',
        DATA_DIR: dataDir,
        ADMIN_PASSWORD: 'a long password',
        DEMO_ACCOUNTS: 'off',
        TRUST_PROXY: 'loopback',
        BACKUP_DIR: backupDir,
        BACKUP_AT: '03:30',
        BACKUP_KEEP: '3',
      },
      /Backups into/,
    );
    try {
      await server.ready;
      expect(server.out()).toContain('Trusting X-Forwarded-For/-Proto from loopback');
      expect(server.out()).toContain(`Backups into ${backupDir} daily at 03:30 city time, keeping 3`);
      const origin = `http://127.0.0.1:${port}`;
      // This test stands in for a proxy on the same machine (the socket's peer is 127.0.0.1); untrusted peers: proxy.test.ts.
      const direct = await fetch(`${origin}/api/openapi.json`);
      expect(direct.headers.get('strict-transport-security')).toBeNull();
      const proxied = await fetch(`${origin}/api/openapi.json`, { headers: { 'x-forwarded-proto': 'https' } });
      expect(proxied.headers.get('strict-transport-security')).toMatch(/max-age=/);
      const login = await fetch(`${origin}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-proto': 'https' },
        body: JSON.stringify({ username: 'admin', password: 'a long password' }),
      });
      expect(login.headers.get('set-cookie')).toMatch(/; Secure/);
      const status = await fetch(`${origin}/api/system/status`, { headers: { cookie: login.headers.get('set-cookie')!.split(';')[0] } });
      const body = (await status.json()) as { tls: { https: boolean; trustProxy: string }; backup: { schedule: { dir: string; at: string; keep: number } } };
      expect(body.tls).toMatchObject({ https: false, trustProxy: 'loopback' });
      expect(body.backup.schedule).toMatchObject({ dir: backupDir, at: '03:30', keep: 3 });
    } finally {
      server.child.kill('SIGTERM');
    }
    expect(await server.exited).toBe(0);
  });

  it('stops with one sentence when only one of TLS_CERT and TLS_KEY is set, or the key does not fit', async () => {
    const dataDir = tempDir();
    const one = start({ PORT: String(await freePort()), DATA_DIR: dataDir, TLS_CERT: '/etc/hostname' }, /$^/);
    expect(await one.exited).toBe(1);
    expect(one.err()).toContain('TLS_CERT and TLS_KEY go together');

    const a = tempDir();
    const b = tempDir();
    await initTls(a, ['10.0.0.1']);
    await initTls(b, ['10.0.0.2']);
    const wrong = start({ PORT: String(await freePort()), DATA_DIR: dataDir, TLS_CERT: tlsPaths(a).cert, TLS_KEY: tlsPaths(b).key }, /$^/);
    expect(await wrong.exited).toBe(1);
    expect(wrong.err()).toMatch(/private key does not belong to the certificate/);
    expect(wrong.err()).not.toMatch(/^\s+at /m);

    const file = join(tempDir(), 'a-file');
    writeFileSync(file, '');
    const backups = start({ PORT: String(await freePort()), DATA_DIR: dataDir, BACKUP_DIR: join(file, 'backups') }, /$^/);
    expect(await backups.exited).toBe(1);
    expect(backups.err()).toMatch(/BACKUP_DIR .*a-file\/backups cannot be written/);
  });
});
