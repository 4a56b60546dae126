/**
 * The big screen's map (ScreenMap) in Chromium against the real server and demo city, opened with a
 * screen token as a wall PC opens it: today's planned routes are animated with deck.gl's TripsLayer
 * (a plan saved through the API first), `?period=` changes what the heat layer is fed, tour mode shows a
 * caption and moves the camera between stops, the street labels still render over the deck layers and
 * are scaled for 4K, and the page layout still holds at 1920×1080 and 3840×2160.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiAs, launchBrowser, RESULTS_DIR, ROOT, startServer, waitForMapIdle, type Browser, type RunningServer } from './harness';
import { boxes, expectBoxesLaidOut } from './screen-layout';

let server: RunningServer;
let token: string;
let teamNames: string[];

/** Today in the city (+08:00), the plan's date. */
function cityToday(): string {
  return new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
}

beforeAll(async () => {
  server = await startServer();
  const admin = await apiAs(server.origin, 'admin');
  const issued = await admin(`${server.origin}/api/screen-tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'e2e 大屏地图' }),
  });
  expect(issued.status).toBe(201);
  token = ((await issued.json()) as { secret: string }).secret;
  const meta = (await (await admin(`${server.origin}/api/meta`)).json()) as { city: { center: [number, number] } };
  const leader = await apiAs(server.origin, 'leader');
  const c = meta.city.center;
  const res = await leader(`${server.origin}/api/plans`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      name: '大屏测试',
      date: cityToday(),
      teams: [
        { name: '第一组', start: c, budgetS: 4 * 3600, shiftStart: '08:30' },
        { name: '第二组', start: [c[0] + 0.01, c[1] - 0.005], budgetS: 4 * 3600, shiftStart: '09:00' },
      ],
      stops: { kinds: ['market'], sample: { n: 8, seed: 3 } },
    }),
  });
  expect(res.status, await res.clone().text()).toBe(201);
  const plan = (await res.json()) as { teams: { name: string; stops: unknown[] }[] };
  teamNames = plan.teams.filter((t) => t.stops.length > 0).map((t) => t.name);
  expect(teamNames.length).toBeGreaterThan(0);
});

afterAll(async () => {
  await server?.stop();
});

async function checkLayout(page: Page, width: number, height: number): Promise<void> {
  const all = await boxes(page);
  expect(all.map((b) => b.name)).toContain('map');
  expectBoxesLaidOut(all, width, height);
  // The legend and the caption stay inside the map's box.
  const map = all.find((b) => b.name === 'map')!;
  const inner = await page.$$eval('.screen-map-legend, .screen-map-caption', (els) => els.map((el) => el.getBoundingClientRect().toJSON() as DOMRect));
  // (An element between two renders has no box yet and cannot overflow.)
  for (const r of inner.filter((x) => x.width > 0))
    expect(r.x >= map.x - 0.5 && r.y >= map.y - 0.5 && r.right <= map.x + map.w + 0.5 && r.bottom <= map.y + map.h + 0.5, JSON.stringify(r)).toBe(true);
}

async function openScreen(browser: Browser, query = ''): Promise<Page> {
  const page = await browser.context.newPage();
  await page.goto(`${server.origin}/screen?screen_token=${token}${query}`);
  await page.waitForSelector('[data-testid="kpi-open"]', { timeout: 60_000 });
  await waitForMapIdle(page);
  return page;
}

/** The deck.gl layers ScreenMap set last: id, visible data length, and the trips' current time. */
function deckLayers(page: Page): Promise<{ id: string; length: number | null; currentTime: number | null }[]> {
  return page.evaluate(() =>
    (window.__xunchaDeckLayers ?? []).map((l) => {
      const p = l.props as { data?: unknown; currentTime?: number };
      const data = p.data as { length?: number } | undefined;
      return { id: l.id, length: typeof data?.length === 'number' ? data.length : null, currentTime: typeof p.currentTime === 'number' ? p.currentTime : null };
    }),
  );
}

async function heatCount(page: Page): Promise<number> {
  await expect.poll(async () => (await deckLayers(page)).find((l) => l.id === 'screen-heat')?.length ?? 0, { timeout: 30_000 }).toBeGreaterThan(0);
  return (await deckLayers(page)).find((l) => l.id === 'screen-heat')!.length!;
}

describe('the big screen map at 1920×1080', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser({ width: 1920, height: 1080 });
  });
  afterAll(async () => browser?.close());

  it("animates today's routes along the streets under the labels, with the teams in the legend", async () => {
    const page = await openScreen(browser);
    await expect.poll(async () => (await deckLayers(page)).find((l) => l.id === 'screen-trips')?.length ?? 0, { timeout: 30_000 }).toBe(teamNames.length);
    const ids = (await deckLayers(page)).map((l) => l.id);
    expect(ids).toEqual(expect.arrayContaining(['screen-heat', 'screen-hot-cells', 'screen-routes', 'screen-trips']));
    // The day loops: the trips' time moves on from frame to frame.
    const t0 = (await deckLayers(page)).find((l) => l.id === 'screen-trips')!.currentTime;
    await expect.poll(async () => (await deckLayers(page)).find((l) => l.id === 'screen-trips')!.currentTime, { timeout: 10_000 }).not.toBe(t0);
    // Every deck layer sits in the style under the first label layer, and the labels still draw.
    const order = await page.evaluate(() => window.__xunchaMap!.getStyle().layers.map((l) => l.id));
    for (const id of ['screen-heat', 'screen-trips']) expect(order.indexOf(id), id).toBeLessThan(order.indexOf('water-label-river'));
    await waitForMapIdle(page);
    const labels = await page.evaluate(() => window.__xunchaMap!.queryRenderedFeatures({ layers: ['road-label', 'subdistrict-label'] }).length);
    expect(labels).toBeGreaterThan(0);
    const legend = await page.textContent('[data-testid="screen-map-routes"]');
    for (const name of teamNames) expect(legend).toContain(name);
    await checkLayout(page, 1920, 1080);
    writeFileSync(join(RESULTS_DIR, 'screen-map-1080.png'), await page.screenshot({ type: 'png' }));
    await page.close();
  });

  it('feeds the heat layer the problems of the chosen period', async () => {
    const week = await openScreen(browser, '&period=7d');
    const weekCount = await heatCount(week);
    await week.close();
    const quarter = await openScreen(browser, '&period=12w');
    const quarterCount = await heatCount(quarter);
    await quarter.close();
    expect(quarterCount).toBeGreaterThan(weekCount);
  });

  it('tours: a caption saying why, and the camera moves from stop to stop', async () => {
    const page = await openScreen(browser, '&tour=1&interval=5');
    const caption = page.locator('[data-testid="screen-tour-caption"]');
    await caption.waitFor({ timeout: 30_000 });
    // The data (hot cells, ranking) arrives after the map: wait for a tour longer than the overview alone.
    await expect.poll(() => page.evaluate(() => window.__xunchaTourStop?.total ?? 0), { timeout: 30_000 }).toBeGreaterThan(1);
    const first = await page.evaluate(() => window.__xunchaTourStop!.key);
    await page.waitForFunction((key) => window.__xunchaTourStop?.key !== key, first, { timeout: 20_000 });
    await waitForMapIdle(page);
    const a = await page.evaluate(() => ({
      key: window.__xunchaTourStop!.key,
      center: window.__xunchaMap!.getCenter().toArray(),
      text: document.querySelector('[data-testid="screen-tour-caption"]')!.textContent,
    }));
    await page.waitForFunction((key) => window.__xunchaTourStop?.key !== key, a.key, { timeout: 20_000 });
    // The stop changes before React has drawn its caption: wait for the new words, not only the new key.
    await expect.poll(() => caption.textContent(), { timeout: 10_000 }).not.toBe(a.text);
    await waitForMapIdle(page);
    const b = await page.evaluate(() => ({
      key: window.__xunchaTourStop!.key,
      center: window.__xunchaMap!.getCenter().toArray(),
      text: document.querySelector('[data-testid="screen-tour-caption"]')!.textContent,
    }));
    expect(b.key).not.toBe(a.key);
    expect(b.text).not.toBe(a.text);
    expect(Math.hypot(b.center[0] - a.center[0], b.center[1] - a.center[1])).toBeGreaterThan(1e-4);
    // Captions say why in plain words: a hot spot's class or the ranking place.
    const texts = [a.text, b.text].join(' ');
    expect(texts).toMatch(/热点|红黑榜|共发现问题/);
    await checkLayout(page, 1920, 1080);
    // Finished entry animations (the caption fades in): the README shows the caption as a wall does.
    const png = await page.screenshot({ type: 'png', animations: 'disabled' });
    writeFileSync(join(RESULTS_DIR, 'screen-map-tour-1080.png'), png);
    writeFileSync(join(ROOT, 'data', 'screenshots', 'screen-map-tour-1080.png'), png);
    await page.close();
  });
});

describe('the big screen map at 3840×2160', () => {
  it('draws its labels and lines at twice the designed size, inside the layout', async () => {
    const browser = await launchBrowser({ width: 3840, height: 2160 });
    try {
      const page = await openScreen(browser);
      const size = await page.evaluate(
        () => (window.__xunchaMap!.getStyle().layers.find((l) => l.id === 'water-label-river')!.layout as Record<string, unknown>)['text-size'],
      );
      // 12 px designed, × 2 (4K) × 1.25 (read from five metres).
      expect(size).toBe(30);
      await waitForMapIdle(page);
      const labels = await page.evaluate(() => window.__xunchaMap!.queryRenderedFeatures({ layers: ['road-label', 'subdistrict-label'] }).length);
      expect(labels).toBeGreaterThan(0);
      await checkLayout(page, 3840, 2160);
      writeFileSync(join(RESULTS_DIR, 'screen-map-2160.png'), await page.screenshot({ type: 'png' }));
      await page.close();
    } finally {
      await browser.close();
    }
  });
});
