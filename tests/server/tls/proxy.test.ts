import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../server/app';
import { clientAddress, parseTrustProxy, requestIsHttps, resolveCaller, type ProxyTrust } from '../../../server/http/proxy';
import { parseEnv } from '../../../server/env';
import { loadCatalog } from '../../../server/services/assessment/catalog';
import { importLayers } from '../../../server/store/import-layers';
import { openStore } from '../../../server/store/index';
import { FIXTURE_DIR, NOW } from '../../api/fixture';

/** What a request from socket peer `peer` looks like to the node adapter. */
const fromPeer = (peer: string) => ({ incoming: { socket: { remoteAddress: peer } } });

function probe(trust: ProxyTrust) {
  return new Hono().use('*', resolveCaller(trust)).get('/who', (c) => c.json({ address: clientAddress(c), https: requestIsHttps(c) }));
}

async function who(app: Hono, peer: string, headers: Record<string, string> = {}, url = 'http://xuncha.test/who') {
  const res = await app.request(url, { headers }, fromPeer(peer));
  return (await res.json()) as { address: string; https: boolean };
}

describe('TRUST_PROXY', () => {
  it('parses names, addresses and CIDR ranges, IPv4 and IPv6', () => {
    const t = parseTrustProxy('loopback, 10.0.0.0/24, 192.168.1.7, fd00::/8');
    expect(t.trusts('127.0.0.1')).toBe(true);
    expect(t.trusts('::ffff:127.0.0.1')).toBe(true);
    expect(t.trusts('::1')).toBe(true);
    expect(t.trusts('10.0.0.200')).toBe(true);
    expect(t.trusts('10.0.1.1')).toBe(false);
    expect(t.trusts('192.168.1.7')).toBe(true);
    expect(t.trusts('192.168.1.8')).toBe(false);
    expect(t.trusts('fd12::1')).toBe(true);
    expect(t.trusts('local')).toBe(false);
    expect(parseTrustProxy('uniquelocal').trusts('172.20.3.4')).toBe(true);
    expect(parseTrustProxy('').trusts('127.0.0.1')).toBe(false);
  });

  it('refuses what is not an address or range, at startup', () => {
    expect(() => parseTrustProxy('nginx')).toThrow(/"nginx" is not an address/);
    expect(() => parseTrustProxy('10.0.0.0/33')).toThrow(/not an address/);
    expect(() => parseEnv({ TRUST_PROXY: 'loopback,10.0.0.0/99' })).toThrow(/TRUST_PROXY: "10.0.0.0\/99"/);
    expect(parseEnv({ TRUST_PROXY: 'loopback' }).TRUST_PROXY).toBe('loopback');
  });

  it('ignores forwarding headers from a peer it does not trust', async () => {
    const app = probe(parseTrustProxy('10.0.0.1'));
    expect(await who(app, '203.0.113.9', { 'x-forwarded-for': '1.2.3.4', 'x-forwarded-proto': 'https' })).toEqual({ address: '203.0.113.9', https: false });
    expect(await who(probe(parseTrustProxy('')), '127.0.0.1', { 'x-forwarded-for': '1.2.3.4', 'x-forwarded-proto': 'https' })).toEqual({
      address: '127.0.0.1',
      https: false,
    });
  });

  it('takes the client address and protocol from a trusted proxy, walking the chain from the right', async () => {
    const app = probe(parseTrustProxy('loopback,10.0.0.0/24'));
    expect(await who(app, '127.0.0.1', { 'x-forwarded-for': '192.168.5.20', 'x-forwarded-proto': 'https' })).toEqual({ address: '192.168.5.20', https: true });
    // A client that sends its own X-Forwarded-For gets it prepended: the spoofed left entry is not believed.
    expect(await who(app, '127.0.0.1', { 'x-forwarded-for': '6.6.6.6, 192.168.5.20, 10.0.0.3' })).toEqual({ address: '192.168.5.20', https: false });
    // Only proxies all the way: the address is the trusted proxy's own.
    expect(await who(app, '::ffff:127.0.0.1', { 'x-forwarded-for': '10.0.0.3' })).toEqual({ address: '10.0.0.3', https: false });
    expect(await who(app, '127.0.0.1', { 'x-forwarded-proto': 'http' }, 'https://xuncha.test/who')).toEqual({ address: '127.0.0.1', https: false });
  });

  it('sees a direct HTTPS connection as HTTPS, with or without a proxy rule', async () => {
    expect(await who(probe(parseTrustProxy('')), '10.9.9.9', {}, 'https://xuncha.test/who')).toEqual({ address: '10.9.9.9', https: true });
  });
});

describe('HSTS and the Secure cookie follow the real protocol', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'xuncha-hsts-'));
  const store = openStore(join(dir, 'xuncha.db'));
  importLayers(store, FIXTURE_DIR);
  const catalog = loadCatalog(join(FIXTURE_DIR, 'catalog'));
  const app = await createApp({ store, catalog, now: () => NOW, clientDir: null, trustProxy: parseTrustProxy('loopback') });
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sends no HSTS over plain HTTP, even when an untrusted peer claims HTTPS', async () => {
    expect((await app.request('http://10.1.2.3/api/openapi.json', {}, fromPeer('10.1.2.50'))).headers.get('strict-transport-security')).toBeNull();
    const claimed = await app.request('http://10.1.2.3/api/openapi.json', { headers: { 'x-forwarded-proto': 'https' } }, fromPeer('10.1.2.50'));
    expect(claimed.headers.get('strict-transport-security')).toBeNull();
  });

  it('sends HSTS over HTTPS, directly or through a trusted proxy, on errors too', async () => {
    expect((await app.request('https://10.1.2.3/api/openapi.json', {}, fromPeer('10.1.2.50'))).headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
    const proxied = await app.request('http://10.1.2.3/api/no-such-thing', { headers: { 'x-forwarded-proto': 'https' } }, fromPeer('127.0.0.1'));
    expect(proxied.status).toBe(404);
    expect(proxied.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
  });

  it('marks the session cookie Secure only on HTTPS', async () => {
    const headers = { 'content-type': 'application/json' };
    // The sign-out clears the cookie, with the same Secure flag it was set with.
    const plain = await app.request('http://10.1.2.3/api/auth/logout', { method: 'POST', headers }, fromPeer('10.1.2.50'));
    expect(plain.headers.get('set-cookie') ?? '').not.toMatch(/Secure/);
    const spoofed = await app.request(
      'http://10.1.2.3/api/auth/logout',
      { method: 'POST', headers: { ...headers, 'x-forwarded-proto': 'https' } },
      fromPeer('10.1.2.50'),
    );
    expect(spoofed.headers.get('set-cookie') ?? '').not.toMatch(/Secure/);
    const secure = await app.request('https://10.1.2.3/api/auth/logout', { method: 'POST', headers }, fromPeer('10.1.2.50'));
    expect(secure.headers.get('set-cookie')).toMatch(/Secure/);
  });
});
