/**
 * 网格 in Chromium on the demo city: the clerk draws a grid on the registry page's map (terra-draw), names
 * it and its 网格员, saves it, sees it listed with the points inside; the planner then offers it as a stop
 * filter, and a plan over it holds only points inside.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiAs, clickMapAt, jumpAndSettle, launchBrowser, RESULTS_DIR, signIn, startServer, waitForMapIdle, type Browser, type RunningServer } from './harness';

let server: RunningServer;
let browser: Browser;
let page: Page;
let api: typeof fetch;
let center: [number, number];
const NAME = '古楼第1网格';

beforeAll(async () => {
  server = await startServer();
  api = await apiAs(server.origin, 'inspector');
  center = ((await (await api(`${server.origin}/api/meta`)).json()) as { city: { center: [number, number] } }).city.center;
  browser = await launchBrowser({ width: 1366, height: 768 });
  await signIn(browser.context, server.origin, 'inspector');
  page = await browser.context.newPage();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('网格 on the registry page', () => {
  it('draws a grid, names its 网格员, saves it, and lists it with the points inside', async () => {
    await page.goto(`${server.origin}/registry`);
    await expect.poll(() => page.locator('.registry-count').textContent(), { timeout: 60_000 }).toMatch(/个点位$/);
    await waitForMapIdle(page);
    // The demo city comes with its own grids, one per block between arterials.
    const before = ((await (await api(`${server.origin}/api/grids`)).json()) as { features: unknown[] }).features.length;
    await page.click('[data-testid="registry-tab-grids"]');
    await expect.poll(() => page.locator('.registry-count').textContent()).toBe(`共 ${before} 个网格`);
    await jumpAndSettle(page, center, 17);

    await page.click('[data-testid="grid-add"]');
    const d = 0.0012;
    const corners: [number, number][] = [
      [center[0] - d, center[1] - d],
      [center[0] + d, center[1] - d],
      [center[0] + d, center[1] + d],
      [center[0] - d, center[1] + d],
    ];
    for (const c of corners) {
      await clickMapAt(page, c);
      await page.waitForTimeout(150);
    }
    await clickMapAt(page, corners[0]);
    await expect.poll(() => page.locator('[data-testid="grid-form"] .hint').textContent()).toMatch(/已画好范围/);
    await page.fill('[data-testid="grid-name"]', NAME);
    await page.fill('[data-testid="grid-member"]', '刘网格');
    await page.click('[data-testid="grid-save"]');
    await expect.poll(() => page.locator('[data-testid="grid-notice"]').textContent(), { timeout: 30_000 }).toBe(`网格「${NAME}」已保存`);
    const item = page.locator('[data-testid="grid-list"] li', { hasText: NAME });
    await expect.poll(() => item.textContent()).toMatch(new RegExp(`^${NAME}.*网格员 刘网格 · \\d+ 个点位$`));
    await waitForMapIdle(page);
    await page.screenshot({ path: join(RESULTS_DIR, 'registry-grid-1366.png') });

    await expect.poll(() => page.locator('.registry-count').textContent()).toBe(`共 ${before + 1} 个网格`);
    const grids = (await (await api(`${server.origin}/api/grids`)).json()) as { features: { properties: { name: string; points: number } }[] };
    expect(grids.features).toHaveLength(before + 1);
    expect(grids.features.find((g) => g.properties.name === NAME)!.properties.points).toBeGreaterThan(0);
  }, 180_000);

  it('is a stop filter of the planner: a plan over the grid holds only its points', async () => {
    await page.goto(`${server.origin}/plan`);
    await page.waitForSelector('[data-testid="plan-grids"]', { timeout: 60_000 });
    const grids = (await (await api(`${server.origin}/api/grids`)).json()) as { features: { id: string; properties: { name: string; points: number } }[] };
    const drawn = grids.features.find((g) => g.properties.name === NAME)!;
    await page.selectOption('[data-testid="plan-grids"]', drawn.id);
    // Every point of the grid, whatever its type: no type ticked, no sample.
    for (const box of await page.locator('.plan-checks input[type="checkbox"]:checked').all()) await box.uncheck();
    await page.fill('[data-testid="plan-sample"]', '0');
    await page.click('[data-testid="plan-optimise"]');
    await page.waitForSelector('[data-testid="plan-result"], .form-error, [role="alert"]', { timeout: 90_000 });
    await page.screenshot({ path: join(RESULTS_DIR, 'plan-grid-1366.png') });
    await page.waitForSelector('[data-testid="plan-result"]', { timeout: 5_000 });
    const planId = new URL(page.url()).searchParams.get('plan')!;
    const plan = (await (await api(`${server.origin}/api/plans/${planId}`)).json()) as { teams: { stops: unknown[] }[]; dropped: unknown[] };
    const total = plan.teams.reduce((n, t) => n + t.stops.length, 0) + plan.dropped.length;
    expect(total).toBe(drawn.properties.points);
  }, 180_000);
});
