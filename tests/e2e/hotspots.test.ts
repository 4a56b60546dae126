/**
 * The hotspot page (热点分析) in a real browser against the real server and demo city: the heat map
 * and H3 cells draw (sampled pixels), labels still draw over them, the week slider changes what is
 * drawn, the legend and lists are there, the planner link carries the top sites, and no request leaves
 * the origin. Software WebGL: the scene is the demo city (24,000 problems).
 */
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, RESULTS_DIR, ROOT, signIn, startServer, waitForMapIdle, type Browser, type RunningServer } from './harness';
import { decodePng, type Rgba } from './png';

let server: RunningServer;
let browser: Browser;
let page: Page;

/** Waits until deck.gl has drawn a frame after the last change (the overlay redraws with MapLibre). */
async function settle(ms = 1500): Promise<void> {
  await waitForMapIdle(page);
  await page.waitForTimeout(ms);
}

async function mapShot(name: string): Promise<{ png: Buffer; img: Rgba; box: { x: number; y: number; width: number; height: number } }> {
  const box = await page.evaluate(() => {
    const r = window.__xunchaMap!.getCanvas().getBoundingClientRect();
    return { x: Math.round(r.left), y: Math.round(r.top), width: Math.round(r.width), height: Math.round(r.height) };
  });
  const png = await page.screenshot({ type: 'png' });
  writeFileSync(join(RESULTS_DIR, name), png);
  return { png, img: decodePng(png), box };
}

/** Sets a range input the way a drag does (React listens to the input event). */
async function setRange(testId: string, value: number): Promise<void> {
  await page.evaluate(
    ({ id, v }) => {
      const el = document.querySelector(`[data-testid="${id}"]`) as HTMLInputElement;
      const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;
      setter.call(el, String(v));
      el.dispatchEvent(new Event('input', { bubbles: true }));
    },
    { id: testId, v: value },
  );
}

/** Fraction of sampled map pixels that differ clearly between two screenshots. */
function changedShare(a: Rgba, b: Rgba, box: { x: number; y: number; width: number; height: number }): number {
  let changed = 0;
  let all = 0;
  const y1 = box.y + Math.floor(box.height * 0.7);
  for (let y = box.y; y < y1; y += 2) {
    for (let x = box.x; x < box.x + box.width; x += 2) {
      const o = (y * a.width + x) * 4;
      all++;
      if (Math.abs(a.data[o] - b.data[o]) + Math.abs(a.data[o + 1] - b.data[o + 1]) + Math.abs(a.data[o + 2] - b.data[o + 2]) > 60) changed++;
    }
  }
  return changed / all;
}

/** Share of the map's pixels (above the time bar) whose colour is "warm": red clearly above green and blue. */
function warmShare(img: Rgba, box: { x: number; y: number; width: number; height: number }): number {
  let warm = 0;
  let all = 0;
  const y1 = box.y + Math.floor(box.height * 0.7);
  for (let y = box.y; y < y1; y += 2) {
    for (let x = box.x; x < box.x + box.width; x += 2) {
      const o = (y * img.width + x) * 4;
      const [r, g, b] = [img.data[o], img.data[o + 1], img.data[o + 2]];
      all++;
      if (r > 180 && r - b > 70 && r - g > 30) warm++;
    }
  }
  return warm / all;
}

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser({ width: 1400, height: 900 });
  await signIn(browser.context, server.origin, 'leader');
  page = await browser.context.newPage();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('热点分析 /hotspots', () => {
  it('draws the heat map and the hotspot cells under the labels, with legend and lists', async () => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${server.origin}/hotspots`);
    await page.waitForSelector('[data-testid=hot-cells] li', { timeout: 120_000 });
    await page.waitForSelector('[data-testid=hot-sites] li', { timeout: 60_000 });
    await settle(2500);
    const { img, box, png } = await mapShot('hotspots-zh.png');
    expect(errors).toEqual([]);
    expect(warmShare(img, box), 'heat/hex colours on the map').toBeGreaterThan(0.01);

    // Labels still draw with deck.gl interleaved (deck.gl #10700): MapLibre reports rendered label features.
    const labels = await page.evaluate(() => window.__xunchaMap!.queryRenderedFeatures({ layers: ['subdistrict-label'] }).length);
    expect(labels).toBeGreaterThan(0);

    await expect(page.getByTestId('hot-legend').textContent()).resolves.toContain('持续热点');
    const cells = await page.getByTestId('hot-cells').locator('li').count();
    expect(cells).toBeGreaterThan(0);
    const plan = await page.getByTestId('hot-plan').getAttribute('href');
    expect(plan).toMatch(/^\/plan\?stops=[\w-]+(,[\w-]+)*$/);
    mkdirSync(join(ROOT, 'data', 'screenshots'), { recursive: true });
    copyFileSync(join(RESULTS_DIR, 'hotspots-zh.png'), join(ROOT, 'data', 'screenshots', 'hotspots-zh.png'));
    void png;
  }, 180_000);

  it('the week slider changes what is drawn, the window and its count', async () => {
    const before = await mapShot('hotspots-all-weeks.png');
    const label = await page.getByTestId('hot-window').textContent();
    const countBefore = await page.locator('.hot-timebar-row .muted').textContent();
    // The heat layer's binary attributes stay the same objects: the window is a GPU filter range.
    await page.evaluate(() => {
      const heat = window.__xunchaDeckLayers!.find((l) => l.id === 'problem-heat')!;
      (window as unknown as { __heatData: unknown }).__heatData = heat.props.data;
    });
    // Only the first four weeks: other problems, other cells, other sites.
    await setRange('hot-to', 3);
    await page.waitForFunction((l) => document.querySelector('[data-testid="hot-window"]')?.textContent !== l, label);
    await settle(2500);
    const after = await mapShot('hotspots-four-weeks.png');
    expect(await page.getByTestId('hot-window').textContent()).toMatch(/共 4 周/);
    const sameData = await page.evaluate(() => {
      const heat = window.__xunchaDeckLayers!.find((l) => l.id === 'problem-heat')!;
      const range = (heat.props as unknown as { filterRange: [number, number] }).filterRange;
      return { same: heat.props.data === (window as unknown as { __heatData: unknown }).__heatData, days: range[1] - range[0] + 1 };
    });
    expect(sameData, 'same attribute data, a four-week filter range').toEqual({ same: true, days: 28 });
    expect(await page.locator('.hot-timebar-row .muted').textContent()).not.toBe(countBefore);
    expect(changedShare(before.img, after.img, before.box), 'pixels changed by the slider').toBeGreaterThan(0.02);
    // The heat still shows (its domain is per week of window, so four weeks are not washed out).
    expect(warmShare(after.img, after.box)).toBeGreaterThan(0.005);

    // The window is in the URL: a reload (a copied link) opens the same four weeks.
    const fourWeeks = await page.getByTestId('hot-window').textContent();
    await page.waitForFunction(() => /[?&]to=\d{4}-\d{2}-\d{2}/.test(window.location.search));
    await page.reload();
    await page.waitForFunction((l) => document.querySelector('[data-testid="hot-window"]')?.textContent === l, fourWeeks, { timeout: 60_000 });
    await settle(1000);

    // Play steps the window week by week.
    await page.getByTestId('hot-play').click();
    await page.waitForFunction(() => /2024-12-0/.test(document.querySelector('[data-testid="hot-window"]')?.textContent ?? ''), null, { timeout: 20_000 });
    await page.getByTestId('hot-play').click();
  }, 120_000);

  it('a hotspot cell opens its weekly history, and nothing leaves the origin', async () => {
    await setRange('hot-from', 0);
    await setRange('hot-to', 200);
    await page.waitForSelector('[data-testid=hot-cells] li button');
    await page.locator('[data-testid=hot-cells] li button').first().click();
    await page.waitForSelector('[data-testid=hot-detail]');
    await expect(page.getByTestId('hot-timeline').getAttribute('aria-label')).resolves.toContain('所选网格');
    await settle(1500);
    await mapShot('hotspots-cell.png');

    // A recurring site: its dates and a link that puts it on an inspection route.
    await page.locator('[data-testid=hot-sites] li button').first().click();
    await expect(page.getByTestId('hot-site-plan').getAttribute('href')).resolves.toMatch(/^\/plan\?stops=[\w-]+$/);
    // Beside its recurrences, the inspection visits at its place in the analysed weeks (a site at a place) or nothing.
    const href = (await page.getByTestId('hot-site-plan').getAttribute('href'))!;
    if (!/stops=p\d/.test(href))
      await expect.poll(() => page.locator('[data-testid=hot-detail] [data-testid=site-visits]').textContent(), { timeout: 30_000 }).toMatch(/期间/);

    // Another heat weight: new weights (one upload), another picture.
    const byCount = await mapShot('hotspots-weight-count.png');
    await page.getByTestId('hot-measure').selectOption('lateDays');
    await settle(1500);
    const byLate = await mapShot('hotspots-weight-late-days.png');
    expect(changedShare(byCount.img, byLate.img, byCount.box), 'pixels changed by the heat weight').toBeGreaterThan(0.01);

    await page.getByRole('button', { name: 'EN' }).click();
    await page.waitForFunction(() => document.querySelector('[data-testid="hot-legend"]')?.textContent?.includes('Persistent hot spot'));

    const outside = browser.requests.filter((u) => !u.startsWith(server.origin) && !u.startsWith('data:') && !u.startsWith('blob:'));
    expect(outside).toEqual([]);
  }, 120_000);
});
