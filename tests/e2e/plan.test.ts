/**
 * The route planner in a real browser against the real server and demo city: plan a small 暗访
 * sample of markets for two teams, move a stop to the other team by drag and drop and re-time it,
 * see it saved, and print the task sheets (A4 PDF through Chromium's print path).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clickMapAt, launchBrowser, RESULTS_DIR, signIn, startServer, waitForMapIdle, type Browser, type RunningServer } from './harness';

let server: RunningServer;
let browser: Browser;
let page: Page;
let center: [number, number];
let planId = '';

interface PlanLite {
  id: string;
  teams: { name: string; stops: { id: string; seq: number }[]; geometry: unknown }[];
  dropped: { id: string }[];
}

async function apiPlan(id: string): Promise<PlanLite> {
  const res = await browser.context.request.get(`${server.origin}/api/plans/${id}`);
  if (!res.ok()) throw new Error(`plan ${id}: HTTP ${res.status()}`);
  return (await res.json()) as PlanLite;
}

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser({ width: 1400, height: 900 });
  await signIn(browser.context, server.origin, 'inspector');
  const meta = (await (await browser.context.request.get(`${server.origin}/api/meta`)).json()) as { city: { center: [number, number] } };
  center = meta.city.center;
  page = await browser.context.newPage();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('route planner page', () => {
  it('plans two teams over a sample of markets and draws the routes', async () => {
    await page.goto(`${server.origin}/plan`);
    await waitForMapIdle(page);
    expect(await page.textContent('nav.topbar-nav [aria-current="page"]')).toBe('路线规划');
    await expect.poll(() => page.isVisible('[data-testid="plan-empty"]')).toBe(true);

    // Team 1 starts where it is clicked on the map.
    await page.click('[data-testid="plan-team-0"] .plan-points button >> nth=0');
    await expect.poll(() => page.isVisible('[data-testid="plan-click-hint"]')).toBe(true);
    await clickMapAt(page, center);
    await expect.poll(() => page.isVisible('[data-testid="plan-click-hint"]')).toBe(false);
    // Named by what is there, not shown as coordinates.
    await expect.poll(() => page.textContent('[data-testid="plan-start-0"]')).toMatch(/^起点: (?!\d+\.\d{4}, )\S+/);
    const start0 = (await page.textContent('[data-testid="plan-start-0"]'))!.replace('起点: ', '');
    // Team 2 sets off from a unit office picked by its name.
    await page.fill('[data-testid="plan-find-start-1"]', '街道办事处');
    const office = page.locator('[data-testid="plan-team-1"] .spot-results button').first();
    await office.waitFor({ timeout: 15_000 });
    const officeName = (await office.textContent())!.replace(/单位$/, '').trim();
    writeFileSync(join(RESULTS_DIR, 'plan-spot-picker.png'), await page.locator('.plan-form').screenshot({ type: 'png' }));
    await office.click();
    expect(await page.textContent('[data-testid="plan-start-1"]')).toBe(`起点: ${officeName}`);

    await page.fill('[data-testid="plan-sample"]', '6');
    await page.click('[data-testid="plan-optimise"]');
    await page.waitForSelector('[data-testid="plan-result"]', { timeout: 60_000 });
    planId = new URL(page.url()).searchParams.get('plan') ?? '';
    expect(planId).toMatch(/^pl-/);
    const plan = await apiPlan(planId);
    const served = plan.teams.flatMap((t) => t.stops.map((s) => s.id));
    expect(served.length + plan.dropped.length).toBe(6);
    expect(served.length).toBeGreaterThan(1);
    expect(await page.locator('.plan-stop').count()).toBe(served.length);
    expect(await page.textContent('[data-testid="plan-team-ends-0"]')).toContain(`起点：${start0}`);
    expect(await page.textContent('[data-testid="plan-team-ends-1"]')).toContain(`起点：${officeName}`);
    writeFileSync(join(RESULTS_DIR, 'plan-team-ends.png'), await page.locator('[data-testid="plan-result"]').screenshot({ type: 'png' }));
    // Numbered stops and the routes are on the map.
    await waitForMapIdle(page);
    const labels = await page.evaluate(() => window.__xunchaMap!.queryRenderedFeatures({ layers: ['overlay-label'] }).map((f) => String(f.properties.label)));
    for (let n = 1; n <= Math.max(...plan.teams.map((t) => t.stops.length)); n++) expect(labels).toContain(String(n));
    const lines = await page.evaluate(() => window.__xunchaMap!.queryRenderedFeatures({ layers: ['overlay-line'] }).length);
    expect(lines).toBeGreaterThan(0);
    writeFileSync(join(RESULTS_DIR, 'plan.png'), await page.screenshot({ type: 'png' }));
  });

  it('moves a stop to the other team by drag and drop, re-times and saves it', async () => {
    const before = await apiPlan(planId);
    const from = before.teams[0].stops.length > 1 ? 0 : 1;
    const to = 1 - from;
    const moved = before.teams[from].stops[0].id;
    // Dropped on the other team's first stop it goes before it; on an empty list, into it.
    const target = before.teams[to].stops[0];
    await page.dragAndDrop(`[data-testid="plan-stop-${moved}"]`, target ? `[data-testid="plan-stop-${target.id}"]` : `[data-testid="plan-stops-${to}"]`);
    await expect.poll(() => page.textContent('[data-testid="plan-save-state"]')).toBe('有未保存的调整');
    await page.click('[data-testid="plan-retime"]');
    await expect.poll(() => page.textContent('[data-testid="plan-save-state"]'), { timeout: 30_000 }).toBe('已保存');
    const after = await apiPlan(planId);
    expect(after.teams[to].stops[0].id).toBe(moved);
    expect(after.teams[to].stops.slice(1).map((s) => s.id)).toEqual(before.teams[to].stops.map((s) => s.id));
    expect(after.teams[from].stops.map((s) => s.id)).not.toContain(moved);
    writeFileSync(join(RESULTS_DIR, 'plan-lists.png'), await page.locator('[data-testid="plan-result"]').screenshot({ type: 'png' }));
    // The list shows the saved order.
    expect(await page.locator(`[data-testid="plan-stops-${to}"] .plan-stop`).first().getAttribute('data-testid')).toBe(`plan-stop-${moved}`);
  });

  it('prints the task sheets: one A4 sheet per team with its stops and check items', async () => {
    const plan = await apiPlan(planId);
    const used = plan.teams.filter((t) => t.stops.length > 0);
    const sheet = await browser.context.newPage();
    await sheet.goto(`${server.origin}/plan/print?id=${planId}`);
    await sheet.waitForSelector('[data-testid="print-page"]', { timeout: 30_000 });
    expect(await sheet.locator('.sheet').count()).toBe(used.length);
    const first = used[0];
    const text = await sheet.textContent(`[data-testid="sheet-team-${plan.teams.indexOf(first)}"]`);
    expect(text).toContain('巡查任务单');
    expect(text).toContain(first.name);
    expect(text).toContain('划行归市'); // a market check item from the catalog
    expect(text).toContain('巡查人员签字');
    expect(await sheet.textContent(`[data-testid="sheet-start-${plan.teams.indexOf(first)}"]`)).not.toMatch(/^\d+\.\d{4}, /);
    expect(await sheet.locator('[data-testid^="sheet-stop-"]').count()).toBe(used.reduce((a, t) => a + t.stops.length, 0));
    await sheet.emulateMedia({ media: 'print' });
    expect(await sheet.isVisible('header.topbar')).toBe(false);
    writeFileSync(join(RESULTS_DIR, 'plan-sheet.png'), await sheet.screenshot({ type: 'png' }));
    const pdf = await sheet.pdf({ format: 'A4', printBackground: true });
    writeFileSync(join(RESULTS_DIR, 'plan-sheet.pdf'), pdf);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const pages = pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? [];
    expect(pages.length).toBeGreaterThanOrEqual(used.length);
    await sheet.close();
  });

  it('opens with ?stops= preselected (the hotspots page link) and plans exactly those, in English too', async () => {
    const markets = (await (await browser.context.request.get(`${server.origin}/api/layers/markets`)).json()) as { features: { id: string }[] };
    const problems = (await (await browser.context.request.get(`${server.origin}/api/problems?status=reported&limit=2`)).json()) as {
      features: { id: string }[];
    };
    const ids = [markets.features[0].id, markets.features[1].id, problems.features[0].id];
    await page.goto(`${server.origin}/plan?stops=${ids.join(',')}&lang=en`);
    await waitForMapIdle(page);
    expect(await page.textContent('nav.topbar-nav [aria-current="page"]')).toBe('Route planner');
    expect(await page.textContent('[data-testid="plan-preselected"]')).toContain('3 stops preselected');
    expect(await page.isChecked('[data-testid="plan-kind-market"]')).toBe(false);
    await page.click('[data-testid="plan-optimise"]');
    await page.waitForSelector('[data-testid="plan-result"]', { timeout: 60_000 });
    const plan = await apiPlan(new URL(page.url()).searchParams.get('plan')!);
    expect([...plan.teams.flatMap((t) => t.stops.map((s) => s.id)), ...plan.dropped.map((d) => d.id)].sort()).toEqual([...ids].sort());
    expect(await page.textContent('[data-testid="plan-totals"]')).toMatch(/stops · travel/);
  });

  it('made no request outside its own origin', () => {
    const outside = browser.requests.filter((u) => !u.startsWith(`${server.origin}/`) && !u.startsWith('data:') && !u.startsWith('blob:'));
    expect(outside).toEqual([]);
  });
});
