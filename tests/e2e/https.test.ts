/**
 * The field page over HTTPS at a name that is not localhost, as a phone on the intranet sees it: the
 * certificate comes from `npm run tls:init` for `xuncha.test`, Chromium resolves that name to 127.0.0.1
 * (--host-resolver-rules) and trusts the certificate by its public key (--ignore-certificate-errors-spki-list,
 * what a phone gets by installing /ca.crt). A secure context: the service worker registers, geolocation
 * works, and a report made offline is queued and sent exactly once.
 *
 * And the same page over plain HTTP at such a name, as a phone sees it before HTTPS is set up: not a
 * secure context (no GPS, no service worker, no crypto.randomUUID). The page says so in its own words
 * instead of the browser's error string, and a report placed on the map is still queued, kept through a
 * reload while the server cannot be reached, and arrives once.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page, type Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importLayers } from '../../server/store/import-layers';
import { openStore } from '../../server/store/index';
import { initTls, tlsPaths } from '../../server/tls/ca';
import { summarize } from '../../server/tls/config';
import { FIXTURE_DIR } from '../api/fixture';
import { jpegWithExif } from '../fixtures/media/photos';
import { E2E_ADMIN_PASSWORD, freePort, RESULTS_DIR, ROOT } from './harness';

const HOST = 'xuncha.test';
// Another name for the plain-HTTP server: the HTTPS half's HSTS would make Chromium upgrade any port of HOST to HTTPS.
const PLAIN_HOST = 'xuncha-http.test';
const CHROMIUM = '/usr/bin/chromium';
const dirs: string[] = [];
const children: ChildProcess[] = [];
let context: BrowserContext;
let page: Page;
let origin: string;
let httpOrigin: string;
let at: [number, number];
let category: string;
const log: string[] = [];
const NOTE = `HTTPS 端到端 ${Date.now()}`;

/** The server on a free port over the fixture city in a fresh DATA_DIR; with `tls`, a certificate for HOST from tls:init. */
async function startFixtureServer(tls: boolean): Promise<{ port: number; spki: string | null }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'xuncha-e2e-https-'));
  dirs.push(dataDir);
  // The small fixture city is enough for the field page, and starts in a second (no demo city to generate).
  const store = openStore(join(dataDir, 'xuncha.db'));
  importLayers(store, FIXTURE_DIR);
  await store.close();
  let spki: string | null = null;
  if (tls) {
    await initTls(dataDir, [HOST]);
    spki = summarize(readFileSync(tlsPaths(dataDir).cert)).spkiSha256;
  }
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/index.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, ADMIN_PASSWORD: E2E_ADMIN_PASSWORD, DEMO_ACCOUNTS: 'off' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const out: string[] = [];
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out.push(d.toString());
      log.push(d.toString());
      if (new RegExp(`listening on ${tls ? 'https' : 'http'}:`).test(out.join(''))) resolve();
    });
    child.stderr!.on('data', (d: Buffer) => log.push(d.toString()));
    child.once('exit', (code) => reject(new Error(`server exited with ${code}:\n${log.join('')}`)));
  });
  return { port, spki };
}

/** Signs `p` in as the administrator from the page itself: the cookie is then the browser's, for that origin. Returns the CSRF token. */
async function signIn(p: Page, at: string): Promise<string> {
  await p.goto(`${at}/api/openapi.json`);
  const { status, csrfToken } = await p.evaluate(async (password) => {
    const res = await fetch('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password }),
    });
    return { status: res.status, csrfToken: ((await res.json()) as { csrfToken: string }).csrfToken };
  }, E2E_ADMIN_PASSWORD);
  expect(status).toBe(200);
  return csrfToken;
}

beforeAll(async () => {
  const [secure, plain] = await Promise.all([startFixtureServer(true), startFixtureServer(false)]);
  origin = `https://${HOST}:${secure.port}`;
  httpOrigin = `http://${PLAIN_HOST}:${plain.port}`;

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
      `--host-resolver-rules=MAP ${HOST} 127.0.0.1, MAP ${PLAIN_HOST} 127.0.0.1`,
      `--ignore-certificate-errors-spki-list=${secure.spki}`,
    ],
  });
  page = await context.newPage();
  // Marked Secure over HTTPS (checked below).
  await signIn(page, origin);
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
  for (const child of children) {
    if (child.exitCode !== null) continue;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const records = () => page.locator('[data-testid="field-record"]');
const states = () => records().evaluateAll((els) => els.map((e) => e.getAttribute('data-state')));

/** Where the problems with this description are on the server, asked from `p` (signed in there). */
const serverPlaces = (note: string, p = page) =>
  p.evaluate(
    async ({ note, category }) => {
      const fc = (await (await fetch(`/api/problems?category=${category}&limit=50000`)).json()) as {
        features: { geometry: { coordinates: [number, number] }; properties: { description: string } }[];
      };
      return fc.features.filter((f) => f.properties.description === note).map((f) => f.geometry.coordinates);
    },
    { note, category },
  );
const serverCount = async (note: string, p = page) => (await serverPlaces(note, p)).length;

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

describe(`the field page over plain HTTP at ${PLAIN_HOST}`, () => {
  let plain: Page;
  let csrf: string;
  const note = `HTTP 端到端 ${Date.now()}`;
  const plainRecords = () => plain.locator('[data-testid="field-record"]');
  const plainStates = () => plainRecords().evaluateAll((els) => els.map((e) => e.getAttribute('data-state')));

  beforeAll(async () => {
    plain = await context.newPage();
    // (Geolocation cannot even be granted to an insecure origin: Chromium refuses the permission.)
    csrf = await signIn(plain, httpOrigin);
  });

  it('is not a secure context, and says so in its own words instead of the browser error string', async () => {
    await plain.goto(`${httpOrigin}/field`);
    await plain.locator('[data-testid="field-page"]').waitFor({ timeout: 60_000 });
    expect(await plain.evaluate(() => [window.isSecureContext, location.protocol, typeof crypto.randomUUID, 'serviceWorker' in navigator])).toEqual([
      false,
      'http:',
      'undefined',
      false,
    ]);
    const notice = plain.locator('[data-testid="field-insecure"]');
    await notice.waitFor({ timeout: 20_000 });
    const text = (await notice.textContent()) ?? '';
    // What works, what does not, and what to ask for.
    expect(text).toMatch(/在地图上点选位置/);
    expect(text).toMatch(/定位/);
    expect(text).toMatch(/离线/);
    expect(text).toMatch(/HTTPS/);
    expect(text).toMatch(/系统管理.*手机接入/);
    // Long enough for a GPS error to have come back, were the page asking for one.
    await plain.waitForTimeout(1500);
    const body = (await plain.textContent('body')) ?? '';
    expect(body).not.toMatch(/secure origin/i);
    expect(body).not.toMatch(/无法获取定位/);
    await plain.screenshot({ path: join(RESULTS_DIR, 'http-field.png'), fullPage: true });
    // The English switch says it in English.
    await plain.locator('.lang-switch button[lang="en"]').click();
    await expect.poll(() => notice.textContent()).toMatch(/HTTPS/);
    await expect.poll(() => notice.textContent()).toMatch(/administrator/i);
    await notice.screenshot({ path: join(RESULTS_DIR, 'http-field-notice-en.png') });
    await plain.locator('.lang-switch button[lang="zh-CN"]').click();
    await expect.poll(() => notice.textContent()).toMatch(/系统管理/);
  });

  it('a report placed on the map is queued, kept through a reload while the server is unreachable, and arrives once there', async () => {
    let refused = 0;
    // The phone is on the network but the server cannot be reached (the page's own requests go on).
    const unreachable = async (route: Route) => {
      if (route.request().method() !== 'POST') return route.continue();
      refused++;
      return route.abort('connectionrefused');
    };
    await plain.route('**/api/problems', unreachable);
    await plain.locator(`[data-category="${category}"]`).click();
    const save = plain.locator('[data-testid="field-save"]');
    const photo = await jpegWithExif({ width: 640, height: 480, color: '#6a1b9a', gps: at });
    await plain.locator('[data-testid="field-photo"]').setInputFiles({ name: 'scene.jpg', mimeType: 'image/jpeg', buffer: photo });
    await plain.locator('.field-report input[type="text"]').fill(note);
    // No GPS here: with its photo, the report still waits for a place on the map (never the city centre by default).
    await expect.poll(() => plain.textContent('[data-testid="field-report"]')).toMatch(/在地图上点选/);
    expect(await save.isEnabled()).toBe(false);
    await plain.screenshot({ path: join(RESULTS_DIR, 'http-field-report.png'), fullPage: true });
    // The map is far above the form on a phone: one tap brings it into view.
    const map = plain.locator('[data-testid="field-map"]');
    await plain.locator('[data-testid="field-report"] button', { hasText: '去地图上点选' }).click();
    const inView = () => map.evaluate((el) => el.getBoundingClientRect().top >= 0 && el.getBoundingClientRect().bottom <= window.innerHeight);
    await expect.poll(inView).toBe(true);
    const box = (await map.boundingBox())!;
    await plain.mouse.click(box.x + box.width / 2 + 50, box.y + box.height / 2 - 30);
    await expect.poll(() => plain.textContent('[data-testid="field-report"]')).toMatch(/位置已在地图上修正/);
    await expect.poll(() => save.isEnabled()).toBe(true);
    const label = (await save.textContent()) ?? '';
    const picked = label
      .match(/(-?\d+\.\d+), (-?\d+\.\d+)/)!
      .slice(1)
      .map(Number);
    expect(Math.abs(picked[0] - at[0]) + Math.abs(picked[1] - at[1])).toBeGreaterThan(1e-5);
    await save.click();
    await expect.poll(() => refused, { timeout: 20_000 }).toBeGreaterThan(0);
    await expect.poll(plainStates).toEqual(['waiting']);

    // Kept on the phone (IndexedDB works over HTTP): a reload still has it, still unsent.
    await plain.reload();
    await plain.locator('[data-testid="field-page"]').waitFor();
    await expect.poll(plainStates).toEqual(['waiting']);
    expect(await serverCount(note, plain)).toBe(0);

    await plain.unroute('**/api/problems', unreachable);
    await expect.poll(plainStates, { timeout: 60_000 }).toEqual(['sent']);
    const places = await serverPlaces(note, plain);
    expect(places).toHaveLength(1);
    expect(places[0][0]).toBeCloseTo(picked[0], 5);
    expect(places[0][1]).toBeCloseTo(picked[1], 5);
    await plain.waitForTimeout(4500);
    expect(await serverCount(note, plain)).toBe(1);
  });
  it("a stop's check results are queued, kept through a reload while the server is unreachable, and arrive once", async () => {
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    const made = await plain.evaluate(
      async ({ today, csrf, start }) => {
        const res = await fetch('/api/plans', {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
          body: JSON.stringify({
            date: today,
            name: 'HTTP 检查',
            teams: [{ name: '一组', start, budgetS: 4 * 3600 }],
            stops: { kinds: ['market'] },
            timeLimitMs: 300,
          }),
        });
        return { status: res.status, id: ((await res.json()) as { id: string }).id };
      },
      { today, csrf, start: at },
    );
    expect(made.status).toBe(201);
    const checksOnServer = () =>
      plain.evaluate(async (planId) => ((await (await fetch(`/api/checks?planId=${planId}`)).json()) as { checks: { pointId: string }[] }).checks, made.id);
    let refused = 0;
    const unreachable = async (route: Route) => {
      if (route.request().method() !== 'POST') return route.continue();
      refused++;
      return route.abort('connectionrefused');
    };
    await plain.route('**/api/checks', unreachable);
    await plain.reload();
    const card = plain.locator('[data-testid="field-next-stop"]');
    await card.waitFor({ timeout: 30_000 });
    // No distance from the city centre pretending to be from me.
    expect(await card.locator('.field-distance').count()).toBe(0);
    await card.locator('[data-item]').first().locator('[data-result="pass"]').click();
    await card.locator('[data-testid="field-stop-done"]').click();
    const checkStates = () =>
      plain.locator('[data-testid="field-record"][data-kind="check"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-state')));
    await expect.poll(() => refused, { timeout: 20_000 }).toBeGreaterThan(0);
    await expect.poll(checkStates).toEqual(['waiting']);

    await plain.reload();
    await plain.locator('[data-testid="field-page"]').waitFor();
    await expect.poll(checkStates).toEqual(['waiting']);
    expect(await checksOnServer()).toEqual([]);

    await plain.unroute('**/api/checks', unreachable);
    await expect.poll(checkStates, { timeout: 60_000 }).toEqual(['sent']);
    await plain.waitForTimeout(4500);
    expect(await checksOnServer()).toHaveLength(1);
  });
});
