/**
 * A saved plan reopened from its URL: after planning, the page sets `/plan?plan=<id>`, so a reload or a
 * shared link lands there. The plan arrives while the map's style may still be loading; its routes must
 * be drawn all the same (they once were listed and not drawn).
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { apiAs, launchBrowser, RESULTS_DIR, signIn, startServer, waitForMapIdle, type Browser, type RunningServer } from './harness';

let server: RunningServer;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser({ width: 1280, height: 800 });
  await signIn(browser.context, server.origin, 'inspector');
  page = await browser.context.newPage();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** What the map holds of the plan: rendered route lines and stop labels, and the overlay source's line features. */
function drawnPlan(p: Page): Promise<{ lines: number; labels: string[]; sourceLines: number }> {
  return p.evaluate(async () => {
    const map = window.__xunchaMap!;
    const has = (id: string) => Boolean(map.getLayer(id));
    const lines = has('overlay-line') ? map.queryRenderedFeatures({ layers: ['overlay-line'] }).length : 0;
    const labels = has('overlay-label') ? map.queryRenderedFeatures({ layers: ['overlay-label'] }).map((f) => String(f.properties.label)) : [];
    const source = map.getSource<import('maplibre-gl').GeoJSONSource>('overlay');
    // The source's data tells "not drawn" apart from "drawn off screen".
    const data = source ? ((await source.getData()) as GeoJSON.FeatureCollection) : null;
    const sourceLines = data?.features.filter((f) => f.geometry.type === 'LineString' && !f.properties?.dashed).length ?? 0;
    return { lines, labels, sourceLines };
  });
}

describe('a saved plan reopened at /plan?plan=<id>', () => {
  it('draws the routes of the plan it lists', async () => {
    await page.goto(`${server.origin}/plan`);
    await waitForMapIdle(page);
    await page.fill('[data-testid="plan-sample"]', '4');
    await page.click('[data-testid="plan-optimise"]');
    await page.waitForSelector('[data-testid="plan-result"]', { timeout: 60_000 });
    const planId = new URL(page.url()).searchParams.get('plan') ?? '';
    expect(planId).toMatch(/^pl-/);
    const res = await browser.context.request.get(`${server.origin}/api/plans/${planId}`);
    const plan = (await res.json()) as { teams: { stops: unknown[] }[] };
    const routed = plan.teams.filter((t) => t.stops.length > 0).length;
    expect(routed).toBeGreaterThan(0);
    await waitForMapIdle(page);
    expect((await drawnPlan(page)).lines).toBeGreaterThan(0);

    await page.reload();
    await page.waitForSelector('[data-testid="plan-result"]', { timeout: 60_000 });
    expect(await page.locator('.plan-stop').count()).toBe(plan.teams.reduce((n, t) => n + t.stops.length, 0));
    await waitForMapIdle(page);
    // One line per team with stops in the overlay source, and drawn on the map with its numbered stops.
    await expect.poll(async () => (await drawnPlan(page)).sourceLines, { timeout: 15_000 }).toBe(routed);
    await expect.poll(async () => (await drawnPlan(page)).lines, { timeout: 15_000 }).toBeGreaterThan(0);
    expect((await drawnPlan(page)).labels).toContain('1');
  });

  it("shows someone else's plan read only: its routes and exports, no edit controls and no delete", async () => {
    const leader = await apiAs(server.origin, 'leader');
    const made = await leader(`${server.origin}/api/plans`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ date: '2026-03-20', teams: [{ name: '领导组', start: [115.98, 36.45], budgetS: 4 * 3600 }], stops: { kinds: ['market'] } }),
    });
    expect(made.status).toBe(201);
    const { id } = (await made.json()) as { id: string };

    await page.goto(`${server.origin}/plan?plan=${id}`);
    await page.waitForSelector('[data-testid="plan-read-only"]', { timeout: 60_000 });
    expect(await page.locator('[data-testid="plan-retime"], [data-testid="plan-reoptimise"]').count()).toBe(0);
    // Every edit control of the stop lists (lock, move, remove, team select) is disabled.
    expect(await page.locator('[data-testid="plan-result"] button, [data-testid="plan-result"] select').count()).toBeGreaterThan(0);
    expect(await page.locator('[data-testid="plan-result"] button:enabled, [data-testid="plan-result"] select:enabled').count()).toBe(0);
    expect(await page.locator('.plan-stop[draggable="true"]').count()).toBe(0);
    expect(await page.locator('.plan-stop').count()).toBeGreaterThan(0);
    expect(await page.locator('[data-testid="plan-gpx"]').count()).toBe(1);
    await page.screenshot({ path: join(RESULTS_DIR, 'plan-read-only.png') });
  });
});
