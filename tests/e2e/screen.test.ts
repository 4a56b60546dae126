/**
 * The big screen (/screen) in Chromium against the real server and demo city, opened the way a wall PC
 * opens it: with a screen token the administrator issued, no sign-in. At 1920×1080 and 3840×2160 every
 * panel and tile lies inside the viewport, none overlaps another and none clips its own content; a
 * problem posted through the API shows in the latest-reports list within 2 s (event stream → refetch);
 * the server restarted under the page leaves the figures up (marked stale after a minute) and the page
 * follows the new server.
 */
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jpegWithExif } from '../fixtures/media/photos';
import { apiAs, launchBrowser, RESULTS_DIR, ROOT, startServer, waitForMapIdle, type Browser, type RunningServer } from './harness';

let server: RunningServer;
let token: string;
let admin: typeof fetch;
let meta: { city: { center: [number, number] }; subdistricts: { id: string; name: string }[] };

beforeAll(async () => {
  server = await startServer();
  admin = await apiAs(server.origin, 'admin');
  const res = await admin(`${server.origin}/api/screen-tokens`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'e2e 会议室大屏' }) });
  expect(res.status).toBe(201);
  token = ((await res.json()) as { secret: string }).secret;
  meta = (await (await admin(`${server.origin}/api/meta`)).json()) as typeof meta;
});

afterAll(async () => {
  await server?.stop();
});

interface Box {
  name: string;
  x: number;
  y: number;
  w: number;
  h: number;
  clipped: boolean;
}

/** Every `[data-box]` element's rectangle, and whether its content is taller or wider than it. */
function boxes(page: Page): Promise<Box[]> {
  return page.$$eval('[data-box]', (els) =>
    els.map((el) => {
      const r = el.getBoundingClientRect();
      return { name: (el as HTMLElement).dataset.box!, x: r.x, y: r.y, w: r.width, h: r.height, clipped: el.scrollHeight > el.clientHeight + 1 || el.scrollWidth > el.clientWidth + 1 };
    }),
  );
}

async function checkLayout(page: Page, width: number, height: number): Promise<void> {
  const all = await boxes(page);
  expect(all.map((b) => b.name).sort()).toEqual(
    ['categories', 'header', 'kpi-look-backs', 'kpi-on-time', 'kpi-open', 'kpi-overdue', 'kpi-recurrence', 'kpi-this-week', 'latest', 'map', 'rank-subdistricts', 'rank-units', 'trend'].sort(),
  );
  for (const b of all) {
    expect(b.w, `${b.name} has no width`).toBeGreaterThan(0);
    expect(b.x >= -0.5 && b.y >= -0.5 && b.x + b.w <= width + 0.5 && b.y + b.h <= height + 0.5, `${b.name} ${JSON.stringify(b)} outside ${width}×${height}`).toBe(true);
    expect(b.clipped, `${b.name} clips its content`).toBe(false);
  }
  for (let i = 0; i < all.length; i++) {
    for (let j = i + 1; j < all.length; j++) {
      const [a, b] = [all[i], all[j]];
      const overlap = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x) > 0.5 && Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y) > 0.5;
      expect(overlap, `${a.name} overlaps ${b.name}`).toBe(false);
    }
  }
  const scroll = await page.evaluate(() => ({ w: document.documentElement.scrollWidth, h: document.documentElement.scrollHeight }));
  expect(scroll).toEqual({ w: width, h: height });
}

async function openScreen(browser: Browser, query = ''): Promise<Page> {
  const page = await browser.context.newPage();
  await page.goto(`${server.origin}/screen?screen_token=${token}${query}`);
  await page.waitForSelector('[data-testid="kpi-open"]', { timeout: 60_000 });
  await waitForMapIdle(page);
  return page;
}

function saveScreenshot(name: string, png: Buffer): void {
  writeFileSync(join(RESULTS_DIR, name), png);
  mkdirSync(join(ROOT, 'data', 'screenshots'), { recursive: true });
  copyFileSync(join(RESULTS_DIR, name), join(ROOT, 'data', 'screenshots', name));
}

describe('the big screen at 1920×1080', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser({ width: 1920, height: 1080 });
  });
  afterAll(async () => browser?.close());

  it('fills the screen without overflow or overlap, with no top bar', async () => {
    const page = await openScreen(browser);
    expect(await page.locator('.topbar').count()).toBe(0);
    await checkLayout(page, 1920, 1080);
    expect(Number(await page.textContent('[data-testid="kpi-open"] .screen-kpi-value'))).toBeGreaterThan(0);
    saveScreenshot('screen-1080.png', await page.screenshot({ type: 'png' }));
    await page.close();
  });

  it('shows a problem posted through the API within 2 s', async () => {
    const page = await openScreen(browser);
    // The event stream is open once the page has listened for a moment; the report must not race it.
    await page.waitForTimeout(500);
    const before = Number(await page.textContent('[data-testid="kpi-this-week"] .screen-kpi-value'));
    const form = new FormData();
    const at = meta.city.center;
    for (const [k, v] of Object.entries({ category: 'small-ads', lng: at[0], lat: at[1], description: `大屏测试 ${Date.now()}`, reporter: '督查组 e2e' })) form.set(k, String(v));
    form.append('photos', new File([new Uint8Array(await jpegWithExif({ color: '#e4572e' }))], 'p.jpg'));
    const res = await admin(`${server.origin}/api/problems`, { method: 'POST', body: form, headers: { 'Idempotency-Key': crypto.randomUUID() } });
    expect(res.status).toBe(201);
    const { problem } = (await res.json()) as { problem: { id: string } };
    await page.waitForSelector(`[data-testid="screen-latest"] li[data-id="${problem.id}"]`, { timeout: 2000 });
    expect(Number(await page.textContent('[data-testid="kpi-this-week"] .screen-kpi-value'))).toBe(before + 1);
    // …with its photo's thumbnail, which the wall PC may load with its token…
    const thumb = page.locator(`[data-testid="screen-latest"] li[data-id="${problem.id}"] img`);
    await expect.poll(() => thumb.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0), { timeout: 5000 }).toBe(true);
    // …and pulses on the map where it was reported.
    await expect
      .poll(() => page.evaluate(() => window.__xunchaMap!.queryRenderedFeatures({ layers: ['overlay-point'] }).map((f) => f.properties.id as string)), { timeout: 5000 })
      .toContain(problem.id);
    await page.close();
  });

  it('pins the language and the subdistrict from the URL', async () => {
    const sd = meta.subdistricts[0];
    const page = await openScreen(browser, `&lang=en&district=${sd.id}`);
    expect(await page.textContent('[data-box="kpi-this-week"]')).toContain('Found this week');
    expect(await page.textContent('.screen-city')).toContain(sd.name);
    await checkLayout(page, 1920, 1080);
    await page.close();
  });
});

describe('a server restart under the page', () => {
  it('keeps the figures up while the server is away, marks them stale after a minute, and follows the new server', async () => {
    // A server of its own: this test takes it away under the page.
    const own = await startServer();
    const origin = own.origin;
    const browser = await launchBrowser({ width: 1920, height: 1080 });
    try {
      const api = await apiAs(origin, 'admin');
      const issued = await api(`${origin}/api/screen-tokens`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'e2e restart' }) });
      const secret = ((await issued.json()) as { secret: string }).secret;
      const page = await browser.context.newPage();
      // A page clock (flowing like the real one) lets the test jump past the one-minute stale bound.
      await page.clock.install();
      await page.goto(`${origin}/screen?screen_token=${secret}`);
      await page.waitForSelector('[data-testid="kpi-open"]', { timeout: 60_000 });
      const open = await page.textContent('[data-testid="kpi-open"] .screen-kpi-value');

      expect(await page.locator('[data-testid="screen-stale"]').count()).toBe(0);
      await own.kill();
      // Over a minute without the server: the polls fail, the figures stay, the stale mark says so.
      await page.clock.fastForward(65_000);
      await expect.poll(() => page.textContent('[data-testid="screen-stale"]').catch(() => null), { timeout: 5000 }).toBe('正在重新连接…');
      expect(await page.textContent('[data-testid="kpi-open"] .screen-kpi-value')).toBe(open);

      await own.restart();
      const center = ((await (await api(`${origin}/api/meta`)).json()) as typeof meta).city.center;
      const form = new FormData();
      for (const [k, v] of Object.entries({ category: 'small-ads', lng: center[0], lat: center[1], description: `重启后 ${Date.now()}`, reporter: '督查组 e2e' })) form.set(k, String(v));
      form.append('photos', new File([new Uint8Array(await jpegWithExif({ color: '#5e35b1' }))], 'p.jpg'));
      const res = await api(`${origin}/api/problems`, { method: 'POST', body: form, headers: { 'Idempotency-Key': crypto.randomUUID() } });
      expect(res.status).toBe(201);
      const { problem } = (await res.json()) as { problem: { id: string } };
      // While the server is away the page retries every 3 s and reopens the event stream once it
      // answers, so the new report shows well before the next 30 s poll.
      await page.waitForSelector(`[data-testid="screen-latest"] li[data-id="${problem.id}"]`, { timeout: 15_000 });
      await expect.poll(() => page.locator('[data-testid="screen-stale"]').count(), { timeout: 3000 }).toBe(0);
    } finally {
      await browser.close();
      await own.stop();
    }
  });
});

describe('the big screen at 3840×2160', () => {
  it('scales to 4K without overflow or overlap', async () => {
    const browser = await launchBrowser({ width: 3840, height: 2160 });
    try {
      const page = await openScreen(browser);
      await checkLayout(page, 3840, 2160);
      // Twice the 1080p type: the same layout, not more of it.
      const size = await page.$eval('.screen-kpi-value', (el) => parseFloat(getComputedStyle(el).fontSize));
      expect(size).toBeCloseTo(100, 0);
      saveScreenshot('screen-2160.png', await page.screenshot({ type: 'png' }));
    } finally {
      await browser.close();
    }
  });
});
