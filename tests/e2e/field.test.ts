/**
 * The field page on a phone, offline: with the browser offline an inspector records two problems with
 * photos, reloads the page (the service worker serves the shell, the records are still queued in
 * IndexedDB), goes back online, and each report reaches the server exactly once.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jpegWithExif } from '../fixtures/media/photos';
import { join } from 'node:path';
import { apiAs, launchBrowser, RESULTS_DIR, signIn, startServer, type Browser, type RunningServer } from './harness';

let server: RunningServer;
let browser: Browser;
let page: Page;
let api: typeof fetch;
let at: [number, number];
let category: string;
const RUN = Date.now();
const NOTES = [`现场端到端一 ${RUN}`, `现场端到端二 ${RUN}`];

const records = () => page.locator('[data-testid="field-record"]');
const states = () => records().evaluateAll((els) => els.map((e) => e.getAttribute('data-state')));

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser({ width: 390, height: 844 });
  api = await apiAs(server.origin, 'inspector');
  const meta = (await (await api(`${server.origin}/api/meta`)).json()) as { city: { center: [number, number] }; categories: { id: string }[] };
  at = meta.city.center;
  // Not the first in the catalog: after a report, the page should put the category I use first.
  category = meta.categories[2].id;
  await signIn(browser.context, server.origin, 'inspector');
  await browser.context.grantPermissions(['geolocation'], { origin: server.origin });
  await browser.context.setGeolocation({ longitude: at[0], latitude: at[1], accuracy: 8 });
  page = await browser.context.newPage();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function recordProblem(note: string, color: string): Promise<void> {
  await page.locator(`[data-category="${category}"]`).click();
  const photo = await jpegWithExif({ width: 640, height: 480, color, gps: at });
  await page.locator('[data-testid="field-photo"]').setInputFiles({ name: 'scene.jpg', mimeType: 'image/jpeg', buffer: photo });
  await page.locator('.field-report input[type="text"]').fill(note);
  const save = page.locator('[data-testid="field-save"]');
  await expect.poll(() => save.isEnabled()).toBe(true);
  await save.click();
}

/** The problems on the server whose description is `note`. */
async function serverCount(note: string): Promise<number> {
  const res = await api(`${server.origin}/api/problems?category=${category}&limit=50000`);
  const fc = (await res.json()) as { features: { properties: { description: string } }[] };
  return fc.features.filter((f) => f.properties.description === note).length;
}

describe('field page offline', () => {
  it('opens on a phone with my position and installs its service worker', async () => {
    await page.goto(`${server.origin}/field`);
    await page.locator('[data-testid="field-page"]').waitFor({ timeout: 60_000 });
    await expect.poll(() => page.textContent('[data-testid="field-status"]'), { timeout: 20_000 }).toMatch(/定位精度约 8 米/);
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 30_000 });
    // Once more online through the worker, so the page's own chunks and data are kept for offline.
    await page.reload();
    await page.locator('[data-testid="field-page"]').waitFor();
    await page.locator('[data-testid="field-next-stop"]').waitFor({ timeout: 30_000 });
    await page.locator('[data-testid="field-map"] canvas').waitFor({ timeout: 30_000 });
    // Installable: the page links its web manifest, served with the field page as start URL.
    const href = await page.locator('link[rel="manifest"]').getAttribute('href');
    const manifest = (await (await fetch(`${server.origin}${href}`)).json()) as { start_url: string; icons: unknown[] };
    expect(manifest.start_url).toBe('/field');
    expect(manifest.icons.length).toBeGreaterThan(0);
  });

  it('keeps two reports made offline through a reload, then sends each exactly once', async () => {
    await browser.context.setOffline(true);
    await expect.poll(() => page.textContent('[data-testid="field-status"]')).toMatch(/离线/);
    await recordProblem(NOTES[0], '#c62828');
    await recordProblem(NOTES[1], '#1565c0');
    await expect.poll(states).toEqual(['waiting', 'waiting']);
    await page.screenshot({ path: join(RESULTS_DIR, 'field-offline.png'), fullPage: true });

    await page.reload();
    await page.locator('[data-testid="field-page"]').waitFor({ timeout: 30_000 });
    await expect.poll(states, { timeout: 20_000 }).toEqual(['waiting', 'waiting']);
    expect(await page.locator('.field-categories button').first().getAttribute('data-category')).toBe(category);
    expect(await serverCount(NOTES[0])).toBe(0);

    await browser.context.setOffline(false);
    await expect.poll(states, { timeout: 60_000 }).toEqual(['sent', 'sent']);
    expect(await serverCount(NOTES[0])).toBe(1);
    expect(await serverCount(NOTES[1])).toBe(1);

    // Another reload and a few sync ticks send nothing again.
    await page.reload();
    await page.locator('[data-testid="field-page"]').waitFor();
    await expect.poll(states).toEqual(['sent', 'sent']);
    await page.waitForTimeout(4500);
    expect(await serverCount(NOTES[0])).toBe(1);
    expect(await serverCount(NOTES[1])).toBe(1);
  });

  it("shows today's plan: the next stop's check items, and a failed item reports a problem at the stop", async () => {
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    const res = await api(`${server.origin}/api/plans`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ date: today, teams: [{ name: '一组', start: at, budgetS: 4 * 3600 }], stops: { kinds: ['market'], sample: { n: 2, seed: 1 } }, timeLimitMs: 300 }),
    });
    expect(res.status).toBe(201);
    const plan = (await res.json()) as { teams: { stops: { name: string; lngLat: [number, number] }[] }[] };
    const first = plan.teams[0].stops[0];

    await page.reload();
    const card = page.locator('[data-testid="field-next-stop"]');
    await expect.poll(() => card.locator('h2').textContent(), { timeout: 30_000 }).toBe(first.name);
    await card.locator('[data-item="market-zoning"] [data-result="fail"]').click();
    // The report opens on the item's category with the stop named in the note and placed at the stop.
    await expect.poll(() => page.locator('[data-category="occupy-road"]').getAttribute('aria-pressed')).toBe('true');
    const note = await page.locator('.field-report input[type="text"]').inputValue();
    await page.screenshot({ path: join(RESULTS_DIR, 'field-plan.png'), fullPage: true });
    expect(note).toBe(`${first.name}：划行归市`);
    await page.locator('[data-testid="field-photo"]').setInputFiles({ name: 'stall.jpg', mimeType: 'image/jpeg', buffer: await jpegWithExif({ width: 640, height: 480, color: '#6a1b9a', gps: first.lngLat }) });
    await page.locator('[data-testid="field-save"]').click();
    await expect.poll(states, { timeout: 30_000 }).toEqual(['sent', 'sent', 'sent']);

    const list = await api(`${server.origin}/api/problems?category=occupy-road&limit=50000`);
    const mine = ((await list.json()) as { features: { geometry: { coordinates: [number, number] }; properties: { description: string } }[] }).features.filter((f) => f.properties.description === note);
    expect(mine).toHaveLength(1);
    expect(mine[0].geometry.coordinates[0]).toBeCloseTo(first.lngLat[0], 5);
    expect(mine[0].geometry.coordinates[1]).toBeCloseTo(first.lngLat[1], 5);
  });

  it('an answer lost after the server stored the report (a cut connection) is retried and still counted once', async () => {
    const note = `现场端到端断线 ${RUN}`;
    let cut = 0;
    // The request reaches the server and is stored, but the phone never hears back.
    await page.route('**/api/problems', async (route) => {
      if (route.request().method() === 'POST' && cut === 0) {
        cut++;
        await route.fetch();
        return route.abort('connectionreset');
      }
      return route.continue();
    });
    await recordProblem(note, '#ef6c00');
    await expect.poll(() => cut, { timeout: 20_000 }).toBe(1);
    await expect.poll(states, { timeout: 30_000 }).toEqual(['sent', 'sent', 'sent', 'sent']);
    await page.unroute('**/api/problems');
    expect(await serverCount(note)).toBe(1);
  });

  it('a tap on the map corrects the location of the report being made', async () => {
    await page.locator(`[data-category="${category}"]`).click();
    const save = page.locator('[data-testid="field-save"]');
    const before = await save.textContent();
    await page.locator('[data-testid="field-map"]').scrollIntoViewIfNeeded();
    const box = (await page.locator('[data-testid="field-map"]').boundingBox())!;
    await page.mouse.click(box.x + box.width / 2 + 60, box.y + box.height / 2 - 40);
    await expect.poll(() => save.textContent()).not.toBe(before);
    await expect.poll(() => page.textContent('[data-testid="field-report"]')).toMatch(/位置已在地图上修正/);
    // Back to the GPS fix with one tap.
    await page.locator('[data-testid="field-report"] button', { hasText: '使用当前位置' }).click();
    await expect.poll(() => save.textContent()).toBe(before);
  });
});
