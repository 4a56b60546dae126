import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app';
import type { BackupStatus, SystemStatus } from '../../server/contract/system';
import { parseTrustProxy } from '../../server/http/proxy';
import { initTls } from '../../server/tls/ca';
import { loadTls } from '../../server/tls/config';
import { phoneAddresses } from '../../server/tls/addresses';
import { as, fixtureApp, NOW, signIn } from './fixture';

const fx = await fixtureApp();
const dirs: string[] = [];
afterAll(async () => {
  await fx.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('GET /api/system/status', () => {
  it('is for administrators only', async () => {
    expect((await fx.raw.request('/api/system/status')).status).toBe(401);
    for (const role of ['leader', 'inspector', 'unit'] as const) expect((await (await fx.signedIn(role)).request('/api/system/status')).status).toBe(403);
  });

  it('over plain HTTP: HTTPS off, no certificate, no CA, no backups', async () => {
    const res = await fx.app.request('/api/system/status');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = (await res.json()) as SystemStatus;
    expect(body.tls).toEqual({ https: false, requestHttps: false, trustProxy: null, phoneAddresses: [], certificate: null, ca: null });
    expect(body.backup).toEqual({ schedule: null, running: false, last: null, lastFailure: null });
  });

  it('with a tls:init certificate: the addresses for phones, the CA fingerprint, the backups as the schedule reports them', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'xuncha-system-'));
    dirs.push(dataDir);
    await initTls(dataDir, ['10.1.2.3', 'xuncha.local']);
    const tls = loadTls(dataDir, {})!;
    const backup: BackupStatus = {
      schedule: { dir: '/srv/backups', at: '02:00', keep: 7, next: '2026-03-21T02:00:00+08:00' },
      running: false,
      last: { at: '2026-03-20T02:00:03.000Z', dir: '/srv/backups/xuncha-20260320-0200', sizeBytes: 1234, files: 3, schemaVersion: 9 },
      lastFailure: null,
    };
    const app = await createApp({
      store: fx.store,
      catalog: fx.catalog,
      now: () => NOW,
      clientDir: null,
      trustProxy: parseTrustProxy('loopback'),
      system: { tls, phoneAddresses: phoneAddresses(tls, { host: '0.0.0.0', port: 8443 }), trustProxy: 'loopback', backups: () => backup },
    });
    const admin = as(app, await signIn(fx.store, 'admin', 'u01', NOW));
    const body = (await (await admin.request('https://10.1.2.3:8443/api/system/status')).json()) as SystemStatus;
    expect(body.tls).toMatchObject({
      https: true,
      requestHttps: true,
      trustProxy: 'loopback',
      phoneAddresses: ['https://10.1.2.3:8443/field', 'https://xuncha.local:8443/field'],
      certificate: { source: 'tls:init', hosts: ['10.1.2.3', 'xuncha.local', 'localhost', '127.0.0.1'] },
      ca: { fingerprint: tls.ca!.summary.fingerprint, url: '/ca.crt' },
    });
    expect(body.tls.ca!.fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(body.backup).toEqual(backup);

    const ca = await app.request('/ca.crt');
    expect(ca.status).toBe(200);
    expect(ca.headers.get('content-type')).toBe('application/x-x509-ca-cert');
    expect(await ca.text()).toBe(tls.ca!.pem);
  });
});

describe('GET /ca.crt', () => {
  it('answers 404 with a sentence when there is no local CA', async () => {
    const res = await fx.raw.request('/ca.crt');
    expect(res.status).toBe(404);
    expect((await res.json()).error).toMatch(/没有可下载的本地根证书.* \/ This server has no local CA/);
  });
});
