/**
 * 系统管理 → 手机接入 and 备份, as an administrator sees them: over HTTPS at a name that is not localhost
 * (a certificate from `npm run tls:init`, trusted by its public key as in https.test.ts) the field page's
 * QR code is drawn in the page and the CA link downloads the PEM; over plain HTTP the tab says that phones
 * need HTTPS and what to run; the backup tab shows the schedule and the backup found on disk.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AxeResults } from 'axe-core';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackup } from '../../server/backup/backup';
import { backupName } from '../../server/backup/schedule';
import { cityClock } from '../../server/contract/city-time';
import { importLayers } from '../../server/store/import-layers';
import { openStore } from '../../server/store/index';
import { initTls, tlsPaths } from '../../server/tls/ca';
import { summarize } from '../../server/tls/config';
import { FIXTURE_DIR } from '../api/fixture';
import { E2E_ADMIN_PASSWORD, freePort, RESULTS_DIR, ROOT } from './harness';

const HOST = 'xuncha.test';
const CHROMIUM = '/usr/bin/chromium';
const DESKTOP = { width: 1366, height: 768 };
const PHONE = { width: 390, height: 844 };
const dirs: string[] = [];
const children: ChildProcess[] = [];
const contexts: BrowserContext[] = [];

/** A fresh DATA_DIR with the small fixture city (starts in a second; no demo city to generate). */
async function fixtureDataDir(): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), 'xuncha-e2e-admin-phone-'));
  dirs.push(dataDir);
  const store = openStore(join(dataDir, 'xuncha.db'));
  importLayers(store, FIXTURE_DIR);
  await store.close();
  return dataDir;
}

/** server/index.ts on 127.0.0.1 with `env`; resolves with its port once it listens. */
async function startApp(dataDir: string, env: Record<string, string>): Promise<number> {
  const port = await freePort();
  const log: string[] = [];
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/index.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, ADMIN_PASSWORD: E2E_ADMIN_PASSWORD, DEMO_ACCOUNTS: 'off', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      log.push(d.toString());
      if (/listening on/.test(log.join(''))) resolve();
    });
    child.stderr!.on('data', (d: Buffer) => log.push(d.toString()));
    child.once('exit', (code) => reject(new Error(`server exited with ${code}:\n${log.join('')}`)));
  });
  return port;
}

/** Chromium resolving HOST to 127.0.0.1, trusting the certificate with this SPKI hash when given; every request URL recorded. */
async function browserFor(spki?: string): Promise<{ context: BrowserContext; requests: string[] }> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'xuncha-e2e-chromium-'));
  dirs.push(userDataDir);
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: DESKTOP,
    locale: 'zh-CN',
    acceptDownloads: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      `--host-resolver-rules=MAP ${HOST} 127.0.0.1`,
      ...(spki ? [`--ignore-certificate-errors-spki-list=${spki}`] : []),
    ],
  });
  contexts.push(context);
  const requests: string[] = [];
  context.on('request', (req) => requests.push(req.url()));
  return { context, requests };
}

/** Signs the administrator in from the page itself, so the cookie is the browser's for this origin. */
async function signInAdmin(page: Page, origin: string): Promise<void> {
  await page.goto(`${origin}/api/openapi.json`);
  const status = await page.evaluate(async (password) => {
    const res = await fetch('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password }),
    });
    return res.status;
  }, E2E_ADMIN_PASSWORD);
  expect(status).toBe(200);
}

/**
 * The viewport as the admin first sees it, and the whole tab: the admin page scrolls inside its own box,
 * so for the second picture the page is let grow to its content for a moment.
 */
async function shoot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(RESULTS_DIR, name) });
  const grown = await page.addStyleTag({
    content: 'html, body, #root { height: auto !important } .admin-page { position: static !important; overflow: visible !important }',
  });
  await page.screenshot({ path: join(RESULTS_DIR, name.replace(/\.png$/, '-whole.png')), fullPage: true });
  await grown.evaluate((el) => el.parentNode?.removeChild(el));
}

const AXE_SOURCE = readFileSync(join(ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

/**
 * axe-core's critical and serious findings on the page as it stands, as a11y.test.ts counts them; that
 * test sees these tabs only as a plain-HTTP server without backups shows them (no QR codes, no tables).
 */
async function axeFailures(page: Page): Promise<string[]> {
  await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (context: Document) => Promise<AxeResults> } }).axe;
    const { violations } = await axe.run(document);
    return violations
      .filter((v) => v.impact === 'critical' || v.impact === 'serious')
      .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`);
  });
}

/** Opens 系统管理 and the tab, and waits until the tab has read the system status. */
async function openTab(page: Page, origin: string, tab: 'phone' | 'backups'): Promise<void> {
  await page.goto(`${origin}/admin`);
  await page.getByTestId(`admin-tab-${tab}`).click();
  await page.locator(`[data-testid="admin-${tab}"][data-state="ready"]`).waitFor({ timeout: 60_000 });
}

afterAll(async () => {
  for (const context of contexts) await context.close();
  for (const child of children) {
    if (child.exitCode !== null) continue;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe(`手机接入 over HTTPS at ${HOST}`, () => {
  let origin: string;
  let page: Page;
  let requests: string[];
  let caPem: string;

  beforeAll(async () => {
    const dataDir = await fixtureDataDir();
    await initTls(dataDir, [HOST]);
    caPem = readFileSync(tlsPaths(dataDir).caCert, 'utf8');
    const spki = summarize(readFileSync(tlsPaths(dataDir).cert)).spkiSha256;
    origin = `https://${HOST}:${await startApp(dataDir, {})}`;
    const browser = await browserFor(spki);
    requests = browser.requests;
    page = await browser.context.newPage();
    await signInAdmin(page, origin);
  }, 120_000);

  it('shows the field page’s address as a QR code drawn in the page, the CA fingerprint and the steps per phone system', async () => {
    await openTab(page, origin, 'phone');
    const qr = page.locator('[data-testid="phone-addresses"] [data-testid="qr-code"]');
    expect(await qr.evaluateAll((els) => els.map((e) => [e.tagName, e.getAttribute('data-text')]))).toEqual([['svg', `${origin}/field`]]);
    // A drawn symbol, not an empty box: the path covers a good share of the modules.
    expect((await qr.locator('path').getAttribute('d'))!.length).toBeGreaterThan(500);
    expect(await page.locator('[data-testid="phone-http-only"]').count()).toBe(0);
    const fingerprint = (await page.textContent('[data-testid="ca-fingerprint"]'))!;
    expect(fingerprint.replace(/[^0-9A-F]/g, '')).toBe(summarize(caPem).fingerprint.replace(/:/g, ''));
    const text = (await page.textContent('[data-testid="admin-ca"]'))!;
    for (const words of ['Android', 'HarmonyOS', 'iOS', '证书信任设置', '针对根证书启用完全信任', `${origin}/ca.crt`]) expect(text).toContain(words);
    expect(await axeFailures(page)).toEqual([]);
    await shoot(page, 'admin-phone-https-1366.png');
    await page.setViewportSize(PHONE);
    await shoot(page, 'admin-phone-https-390.png');
    await page.setViewportSize(DESKTOP);
    // The switch to English keeps the steps.
    await page.locator('.topbar .lang-switch button[lang="en"]').click();
    await expect.poll(() => page.textContent('[data-testid="admin-ca"]')).toContain('Certificate Trust Settings');
    await shoot(page, 'admin-phone-https-en-1366.png');
    await page.locator('.topbar .lang-switch button[lang="zh-CN"]').click();
  });

  it('downloads the CA certificate as PEM from the link', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('ca-download').click()]);
    expect(download.suggestedFilename()).toBe('xuncha-ca.crt');
    const pem = readFileSync((await download.path())!, 'utf8');
    expect(pem).toMatch(/^-----BEGIN CERTIFICATE-----\n[A-Za-z0-9+/=\n]+-----END CERTIFICATE-----\n?$/);
    expect(pem).toBe(caPem);
  });

  it('says how to turn scheduled backups on when BACKUP_DIR is unset', async () => {
    await openTab(page, origin, 'backups');
    const text = (await page.textContent('[data-testid="backup-off"]'))!;
    expect(text).toContain('自动备份没有开启');
    expect(text).toContain('BACKUP_DIR=');
    expect(await page.textContent('[data-testid="backup-none"]')).toContain('还没有完成过备份');
    await shoot(page, 'admin-backups-off-1366.png');
  });

  it('made no request outside the origin (the QR codes are drawn locally)', () => {
    expect(requests.filter((u) => !u.startsWith(`${origin}/`))).toEqual([]);
  });
});

describe('手机接入 and 备份 over plain HTTP', () => {
  let origin: string;
  let page: Page;
  let backup: { files: number; dir: string };
  let at: string;

  beforeAll(async () => {
    const dataDir = await fixtureDataDir();
    const backupDir = join(dataDir, 'backups');
    // One backup already on disk, found by the server at start as its last one.
    const store = openStore(join(dataDir, 'xuncha.db'));
    const made = await createBackup({
      db: store.db,
      mediaDir: join(dataDir, 'media'),
      outDir: join(backupDir, 'xuncha-20261201-0200'),
      now: new Date('2026-12-01T02:00:00+08:00'),
    });
    await store.close();
    backup = { files: made.manifest.files.length, dir: made.dir };
    // The first scheduled run, a minute or so from now, finds its folder taken and fails: the failure the tab shows in red.
    const runAt = (Math.floor((Date.now() + 30_000) / 60_000) + 1) * 60_000;
    at = cityClock(runAt);
    mkdirSync(join(backupDir, backupName(runAt)));
    writeFileSync(join(backupDir, backupName(runAt), 'in-the-way.txt'), 'not a backup\n');
    origin = `http://${HOST}:${await startApp(dataDir, { BACKUP_DIR: backupDir, BACKUP_AT: at, BACKUP_KEEP: '5' })}`;
    page = await (await browserFor()).context.newPage();
    await signInAdmin(page, origin);
  }, 120_000);

  it('says that phones need HTTPS and what to run, with this address filled in, and offers no QR code', async () => {
    await openTab(page, origin, 'phone');
    const text = (await page.textContent('[data-testid="phone-http-only"]'))!;
    expect(text).toContain('只提供 HTTP');
    expect(text).toContain(`npm run tls:init -- --host ${HOST}`);
    expect(text).toContain('HOST=0.0.0.0 PORT=8443 HTTP_PORT=8080 npm start');
    expect(await page.locator('[data-testid="qr-code"]').count()).toBe(0);
    expect(await page.textContent('[data-testid="ca-none"]')).toContain('npm run tls:init');
    await shoot(page, 'admin-phone-http-1366.png');
    await page.setViewportSize(PHONE);
    await shoot(page, 'admin-phone-http-390.png');
    await page.setViewportSize(DESKTOP);
  });

  it('shows the backup schedule and the last backup with its size and files', async () => {
    await openTab(page, origin, 'backups');
    const schedule = (await page.textContent('[data-testid="backup-schedule"]'))!;
    expect(schedule).toContain(`${at}（城市时间）`);
    expect(schedule).toContain('最近 5 份');
    const last = (await page.textContent('[data-testid="backup-last"]'))!;
    expect(last).toContain('2026-12-01');
    expect(last).toMatch(/\d+\.\d+ MB/);
    expect(last).toContain(String(backup.files));
    expect(last).toContain(backup.dir);
    await shoot(page, 'admin-backups-1366.png');
    await page.setViewportSize(PHONE);
    await shoot(page, 'admin-backups-390.png');
    await page.setViewportSize(DESKTOP);
  });

  it('shows the last failure in red with the server’s sentence, beside the last good backup', async () => {
    const failure = () =>
      page.evaluate(
        async () => ((await (await fetch('/api/system/status')).json()) as { backup: { lastFailure: { error: string } | null } }).backup.lastFailure,
      );
    await expect.poll(failure, { timeout: 100_000, interval: 2000 }).not.toBeNull();
    await openTab(page, origin, 'backups');
    const banner = page.getByTestId('backup-failure');
    expect(await banner.textContent()).toContain('is not empty');
    expect(await banner.evaluate((el) => getComputedStyle(el).color)).toBe('rgb(200, 16, 46)');
    expect(await page.textContent('[data-testid="backup-last"]')).toContain('2026-12-01');
    expect(await axeFailures(page)).toEqual([]);
    await shoot(page, 'admin-backups-failed-1366.png');
  }, 120_000);
});
