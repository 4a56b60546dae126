import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createServer, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../server/errors';
import { initTls, parseHosts, tlsPaths } from '../../../server/tls/ca';
import { loadTls, summarize } from '../../../server/tls/config';
import { phoneAddresses } from '../../../server/tls/addresses';
import { redirectToHttps } from '../../../server/tls/redirect';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'xuncha-tls-'));
  dirs.push(d);
  return d;
};

describe('tls:init', () => {
  it('makes a CA and a server certificate for the given addresses and names, keys readable by the owner only', async () => {
    const dataDir = tempDir();
    const result = await initTls(dataDir, ['10.1.2.3', 'Xuncha.Local']);
    expect(result.newCa).toBe(true);
    const paths = tlsPaths(dataDir);
    expect(statSync(paths.dir).mode & 0o777).toBe(0o700);
    expect(statSync(paths.caKey).mode & 0o777).toBe(0o600);
    expect(statSync(paths.key).mode & 0o777).toBe(0o600);

    const ca = new X509Certificate(readFileSync(paths.caCert));
    const server = new X509Certificate(readFileSync(paths.cert));
    expect(ca.ca).toBe(true);
    expect(server.ca).toBe(false);
    expect(server.checkIssued(ca)).toBe(true);
    expect(server.verify(ca.publicKey)).toBe(true);
    expect(server.checkIP('10.1.2.3')).toBe('10.1.2.3');
    expect(server.checkHost('xuncha.local')).toBe('xuncha.local');
    expect(server.checkHost('localhost')).toBe('localhost');
    expect(server.checkHost('other.local')).toBeUndefined();
    expect(server.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']);
    // iOS refuses server certificates valid for more than 825 days.
    expect((Date.parse(server.validTo) - Date.parse(server.validFrom)) / 86_400_000).toBeLessThanOrEqual(825);
    expect(summarize(readFileSync(paths.cert)).hosts).toEqual(['10.1.2.3', 'xuncha.local', 'localhost', '127.0.0.1']);
    expect(ca.subject).toContain('Xuncha 巡查 local CA');
  });

  it('keeps the CA when run again for other hosts, unless told to make a new one', async () => {
    const dataDir = tempDir();
    await initTls(dataDir, ['10.1.2.3']);
    const paths = tlsPaths(dataDir);
    const firstCa = readFileSync(paths.caCert, 'utf8');
    const again = await initTls(dataDir, ['10.1.2.4']);
    expect(again.newCa).toBe(false);
    expect(readFileSync(paths.caCert, 'utf8')).toBe(firstCa);
    const server = new X509Certificate(readFileSync(paths.cert));
    expect(server.checkIP('10.1.2.4')).toBe('10.1.2.4');
    expect(server.checkIP('10.1.2.3')).toBeUndefined();
    expect(server.checkIssued(new X509Certificate(firstCa))).toBe(true);
    await initTls(dataDir, ['10.1.2.4'], { newCa: true });
    expect(readFileSync(paths.caCert, 'utf8')).not.toBe(firstCa);
  });

  it('runs from the command line and prints the CA fingerprint a phone shows', () => {
    const root = fileURLToPath(new URL('../../..', import.meta.url));
    const dataDir = tempDir();
    const run = (args: string[]) =>
      spawnSync(join(root, 'node_modules', '.bin', 'tsx'), [join(root, 'scripts', 'tls-init.ts'), ...args], {
        env: { ...process.env, DATA_DIR: dataDir },
        encoding: 'utf8',
      });
    const ok = run(['--host', '10.1.2.3', '--host', 'xuncha.local']);
    expect(ok.status).toBe(0);
    const fingerprint = new X509Certificate(readFileSync(tlsPaths(dataDir).caCert)).fingerprint256;
    expect(ok.stdout).toContain(`CA fingerprint (SHA-256): ${fingerprint}`);
    expect(ok.stdout).toContain('for: 10.1.2.3, xuncha.local, localhost, 127.0.0.1');
    const none = run([]);
    expect(none.status).toBe(1);
    expect(none.stderr).toMatch(/Name at least one address/);
  });

  it('refuses a host that is neither an address nor a name', () => {
    expect(() => parseHosts(['10.1.2.3', 'http://x/'])).toThrow(/"http:\/\/x\/" is neither an IP address/);
    expect(parseHosts(['[fd00::1]', 'a.b']).map((h) => h.type)).toEqual(['ip', 'dns', 'dns', 'ip']);
  });
});

describe('loadTls', () => {
  it('uses DATA_DIR/tls when present, TLS_CERT/TLS_KEY when set, and nothing otherwise', async () => {
    const plain = tempDir();
    expect(loadTls(plain, {})).toBeNull();

    const dataDir = tempDir();
    await initTls(dataDir, ['10.1.2.3']);
    const own = loadTls(dataDir, {})!;
    expect(own.source).toBe('tls:init');
    expect(own.ca?.summary.fingerprint).toBe(new X509Certificate(readFileSync(tlsPaths(dataDir).caCert)).fingerprint256);

    // Another certificate from the environment wins; this data folder's CA did not issue it, so it is not offered.
    const other = tempDir();
    await initTls(other, ['xuncha.example']);
    const fromEnv = loadTls(dataDir, { TLS_CERT: tlsPaths(other).cert, TLS_KEY: tlsPaths(other).key })!;
    expect(fromEnv.source).toBe('env');
    expect(fromEnv.server.hosts).toContain('xuncha.example');
    expect(fromEnv.ca).toBeNull();
  });

  it('says what is wrong with a missing file, a non-PEM file or a key of another certificate', async () => {
    const a = tempDir();
    const b = tempDir();
    await initTls(a, ['10.0.0.1']);
    await initTls(b, ['10.0.0.2']);
    expect(() => loadTls(a, { TLS_CERT: join(a, 'nope.crt'), TLS_KEY: tlsPaths(a).key })).toThrow(ConfigError);
    expect(() => loadTls(a, { TLS_CERT: join(a, 'nope.crt'), TLS_KEY: tlsPaths(a).key })).toThrow(/TLS_CERT .*nope\.crt: it does not exist/);
    const junk = join(a, 'junk.pem');
    writeFileSync(junk, 'hello');
    expect(() => loadTls(a, { TLS_CERT: junk, TLS_KEY: tlsPaths(a).key })).toThrow(/not a PEM certificate/);
    expect(() => loadTls(a, { TLS_CERT: tlsPaths(a).cert, TLS_KEY: tlsPaths(b).key })).toThrow(/does not belong to the certificate/);
  });
});

describe('phone addresses', () => {
  it('lists the certificate’s names over HTTPS, the LAN addresses over HTTP on all interfaces', async () => {
    const dataDir = tempDir();
    await initTls(dataDir, ['10.1.2.3', 'xuncha.local']);
    const tls = loadTls(dataDir, {});
    expect(phoneAddresses(tls, { host: '0.0.0.0', port: 8443 })).toEqual(['https://10.1.2.3:8443/field', 'https://xuncha.local:8443/field']);
    expect(phoneAddresses(tls, { host: '0.0.0.0', port: 443 })).toEqual(['https://10.1.2.3/field', 'https://xuncha.local/field']);
    expect(phoneAddresses(null, { host: '0.0.0.0', port: 8080 }, () => ['192.168.1.5'])).toEqual(['http://192.168.1.5:8080/field']);
    expect(phoneAddresses(null, { host: '127.0.0.1', port: 8080 }, () => ['192.168.1.5'])).toEqual([]);
    expect(phoneAddresses(tls, { host: '127.0.0.1', port: 8443 })).toEqual([]);
    expect(phoneAddresses(null, { host: '10.1.2.3', port: 8080 })).toEqual(['http://10.1.2.3:8080/field']);
  });
});

describe('HTTP_PORT redirect', () => {
  it('sends every request to the same path over HTTPS, and refuses a Host it cannot echo safely', async () => {
    const server = createServer(redirectToHttps(8443));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    const get = (path: string, host: string) =>
      new Promise<{ status: number; location?: string }>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, path, method: 'POST', headers: { host } }, (res) => {
          res.resume();
          resolve({ status: res.statusCode!, location: res.headers.location });
        });
        req.on('error', reject);
        req.end();
      });
    try {
      expect(await get('/field?x=1', `10.1.2.3:${port}`)).toEqual({ status: 308, location: 'https://10.1.2.3:8443/field?x=1' });
      expect(await get('/', 'xuncha.local')).toEqual({ status: 308, location: 'https://xuncha.local:8443/' });
      expect(await get('/', '[fd00::1]:80')).toEqual({ status: 308, location: 'https://[fd00::1]:8443/' });
      expect((await get('/', 'evil.example/@x')).status).toBe(400);
    } finally {
      server.close();
    }
  });
});
