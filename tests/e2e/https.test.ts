/**
 * The field page over HTTPS at a name that is not localhost, as a phone on the intranet sees it: the
 * certificate comes from `npm run tls:init` for `xuncha.test`, Chromium resolves that name to 127.0.0.1
 * (--host-resolver-rules) and trusts the certificate by its public key (--ignore-certificate-errors-spki-list,
 * what a phone gets by installing /ca.crt). A secure context: the service worker registers, geolocation
 * works, and a report made offline is queued and sent exactly once.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importLayers } from '../../server/store/import-layers';
import { openStore } from '../../server/store/index';
import { initTls, tlsPaths } from '../../server/tls/ca';
import { summarize } from '../../server/tls/config';
import { FIXTURE_DIR } from '../api/fixture';
import { jpegWithExif } from '../fixtures/media/photos';
import { E2E_ADMIN_PASSWORD, freePort, RESULTS_DIR, ROOT } from './harness';

const HOST = 'xuncha.test';
const CHROMIUM = '/usr/bin/chromium';
const dirs: string[] = [];
let child: ChildProcess;
let context: BrowserContext;
let page: Page;
let origin: string;
let at: [number, number];
let category: string;
const log: string[] = [];
const NOTE = `HTTPS 端到端 ${Date.now()}`;

beforeAll(async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'xuncha-e2e-https-'));
  dirs.push(dataDir);
  // The small fixture city is enough for the field page, and starts in a second (no demo city to generate).
  const store = openStore(join(dataDir, 'xuncha.db'));
  importLayers(store, FIXTURE_DIR);
  store.close();
  await initTls(dataDir, [HOST]);
  const spki = summarize(readFileSync(tlsPaths(dataDir).cert)).spkiSha256;

  const port = await freePort();
  origin = `https://${HOST}:${port}`;
  child = spawn(process.execPath, ['--import', 'tsx', 'server/index.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, ADMIN_PASSWORD: E2E_ADMIN_PASSWORD, DEMO_ACCOUNTS: 'off' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      log.push(d.toString());
      if (/listening on https:/.test(log.join(''))) resolve();
    });
    child.stderr!.on('data', (d: Buffer) => log.push(d.toString()));
    child.once('exit', (code) => reject(new Error(`server exited with ${code}:\n${log.join('')}`)));
  });

  const userDataDir = mkdtempSync(join(tmpdir(), 'xuncha-e2e-chromium-'));
  dirs.push(userDataDir);
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 390, height: 844 },
    locale: 'zh-CN',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      `--host-resolver-rules=MAP ${HOST} 127.0.0.1`,
      `--ignore-certificate-errors-spki-list=${spki}`,
    ],
  });
  page = await context.newPage();
  // Sign in from the page itself: the cookie is then the browser's, for this origin, marked Secure.
  await page.goto(`${origin}/api/openapi.json`);
  const signedIn = await page.evaluate(async (password) => {
    const res = await fetch('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password }),
    });
    return res.status;
  }, E2E_ADMIN_PASSWORD);
  expect(signedIn).toBe(200);
  const meta = await page.evaluate(
    async () => (await (await fetch('/api/meta')).json()) as { city: { center: [number, number] }; categories: { id: string }[] },
  );
  at = meta.city.center;
  category = meta.categories[0].id;
  await context.grantPermissions(['geolocation'], { origin });
  await context.setGeolocation({ longitude: at[0], latitude: at[1], accuracy: 8 });
}, 120_000);

afterAll(async () => {
  await context?.close();
  if (child && child.exitCode === null) {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const records = () => page.locator('[data-testid="field-record"]');
const states = () => records().evaluateAll((els) => els.map((e) => e.getAttribute('data-state')));

/** Problems on the server with this description, asked from the page (signed in there). */
const serverCount = (note: string) =>
  page.evaluate(
    async ({ note, category }) => {
      const fc = (await (await fetch(`/api/problems?category=${category}&limit=50000`)).json()) as { features: { properties: { description: string } }[] };
      return fc.features.filter((f) => f.properties.description === note).length;
    },
    { note, category },
  );

describe(`the field page over HTTPS at ${HOST}`, () => {
  it('is a secure context: the service worker registers and the position comes from geolocation', async () => {
    await page.goto(`${origin}/field`);
    await page.locator('[data-testid="field-page"]').waitFor({ timeout: 60_000 });
    expect(await page.evaluate(() => [window.isSecureContext, location.protocol, typeof crypto.randomUUID])).toEqual([true, 'https:', 'function']);
    await expect.poll(() => page.textContent('[data-testid="field-status"]'), { timeout: 20_000 }).toMatch(/定位精度约 8 米/);
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 30_000 });
    const cookies = await context.cookies(origin);
    expect(cookies.find((c) => c.name === 'xuncha_session')?.secure).toBe(true);
    // Once more online through the worker, so the page's chunks are kept for offline.
    await page.reload();
    await page.locator('[data-testid="field-page"]').waitFor();
    await page.screenshot({ path: join(RESULTS_DIR, 'https-field.png'), fullPage: true });
  });

  it('queues a report made offline and sends it exactly once when back online', async () => {
    await context.setOffline(true);
    await expect.poll(() => page.textContent('[data-testid="field-status"]')).toMatch(/离线/);
    await page.locator(`[data-category="${category}"]`).click();
    const photo = await jpegWithExif({ width: 640, height: 480, color: '#00695c', gps: at });
    await page.locator('[data-testid="field-photo"]').setInputFiles({ name: 'scene.jpg', mimeType: 'image/jpeg', buffer: photo });
    await page.locator('.field-report input[type="text"]').fill(NOTE);
    const save = page.locator('[data-testid="field-save"]');
    await expect.poll(() => save.isEnabled()).toBe(true);
    await save.click();
    await expect.poll(states).toEqual(['waiting']);

    await context.setOffline(false);
    await expect.poll(states, { timeout: 60_000 }).toEqual(['sent']);
    expect(await serverCount(NOTE)).toBe(1);
    // A reload and a few sync ticks later, still once.
    await page.reload();
    await page.locator('[data-testid="field-page"]').waitFor();
    await expect.poll(states).toEqual(['sent']);
    await page.waitForTimeout(4500);
    expect(await serverCount(NOTE)).toBe(1);
  });
});
