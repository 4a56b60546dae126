/**
 * 测评迎检 in Chromium on the demo city: its year of check results and an inspector's today (one market
 * short of posters, a community that passes) reach the page as the city's 得分率, the estimated score,
 * the table by subdistrict and by indicator, and the losses with the places' names; a point never
 * checked counts as 未检查. Screenshots at a laptop's size and a phone's. Then a 模拟测评 made on the page (a market and a
 * community), walked on the phone (one item failing, with a photo), finishing by itself, and its report.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { jpegWithExif } from '../fixtures/media/photos';
import { apiAs, launchBrowser, RESULTS_DIR, signIn, startServer, type Browser, type RunningServer } from './harness';

let server: RunningServer;
let browser: Browser;
let page: Page;
let market: { id: string; name: string };

beforeAll(async () => {
  server = await startServer();
  const api = await apiAs(server.origin, 'inspector');
  const layer = async (name: string) =>
    ((await (await api(`${server.origin}/api/layers/${name}`)).json()) as { features: { properties: { id: string; name: string } }[] }).features.map(
      (f) => f.properties,
    );
  market = (await layer('markets'))[0];
  const community = (await layer('communities'))[0];
  const at = new Date(Date.now() - 3600_000).toISOString();
  const post = async (pointId: string, items: unknown[]) => {
    const res = await api(`${server.origin}/api/checks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: randomUUID(), pointId, at, items }),
    });
    expect(res.status, await res.clone().text()).toBe(201);
  };
  await post(market.id, [
    { itemId: 'market-psa', result: 'fail', value: 3 },
    { itemId: 'market-fair-scale', result: 'pass' },
  ]);
  await post(community.id, [{ itemId: 'community-volunteer-station', result: 'pass' }]);
  browser = await launchBrowser({ width: 1366, height: 768 });
  await signIn(browser.context, server.origin, 'leader');
  page = await browser.context.newPage();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('测评迎检 page', () => {
  it('shows the score rate, the unchecked points, the groupings and where points are lost', async () => {
    await page.goto(`${server.origin}/assessment`);
    const rate = page.locator('[data-testid="assess-rate"]');
    await expect.poll(() => rate.textContent(), { timeout: 60_000 }).toMatch(/%$/);
    // The page shows what the assessment API computes over the demo city's year of checks and the two
    // posted today: the 30-day window up to today.
    const api = await apiAs(server.origin, 'leader');
    const day = (ms: number) => new Date(ms + 8 * 3600_000).toISOString().slice(0, 10);
    const span = `from=${day(Date.now() - 29 * 86_400_000)}&to=${day(Date.now())}`;
    const scores = (await (await api(`${server.origin}/api/assessment/scores?by=city&${span}`)).json()) as { rows: { scoreRate: number }[] };
    const expected = scores.rows[0].scoreRate;
    expect(expected).toBeGreaterThan(0.5);
    expect(expected).toBeLessThan(1);
    expect(await rate.textContent()).toBe(`${(expected * 100).toFixed(1)}%`);
    const kpis = await page.locator('[data-testid="assess-kpis"]').textContent();
    expect(kpis).toContain('未检查点位');
    // Where points are lost: the page lists the API's items in its order, each with its first places by
    // name; the market short of posters today is among the places losing 公益广告 points.
    type Losses = { rows: { itemId: string; places: { pointId: string; name: string }[] }[] };
    const losses = async (query: string) => (await (await api(`${server.origin}/api/assessment/losses?${span}&${query}`)).json()) as Losses;
    const top = await losses('limit=20');
    const list = page.locator('[data-testid="assess-losses"] [data-item]');
    await expect.poll(() => list.count(), { timeout: 30_000 }).toBe(top.rows.length);
    expect(await list.evaluateAll((els) => els.map((e) => e.getAttribute('data-item')))).toEqual(top.rows.map((r) => r.itemId));
    const firstText = (await list.first().textContent())!;
    for (const p of top.rows[0].places.slice(0, 5)) expect(firstText).toContain(p.name);
    const psa = (await losses('type=market&limit=100')).rows.find((r) => r.itemId === 'market-psa')!;
    expect(psa.places.map((p) => p.pointId)).toContain(market.id);
    // Readiness: hundreds of points were never checked, so they lead the points behind, before the market checked today.
    await expect.poll(() => page.locator('[data-testid="assess-ready-totals"]').textContent(), { timeout: 30_000 }).toMatch(/^达标率/);
    await expect.poll(() => page.locator(`[data-testid="assess-behind"] [data-point="${market.id}"]`).count(), { timeout: 30_000 }).toBe(0);
    expect(await page.locator('[data-testid="assess-behind"]').textContent()).toContain('从未检查');
    // The 点位信息表 link beside readiness downloads every point as Excel.
    const registry = await page.locator('[data-testid="registry-xlsx"]').getAttribute('href');
    const sheet = await api(`${server.origin}${registry}`);
    expect(sheet.status).toBe(200);
    expect(sheet.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect((await sheet.arrayBuffer()).byteLength).toBeGreaterThan(20_000);
    const table = page.locator('[data-testid="assess-table"]');
    await expect.poll(() => table.locator('tbody tr').count()).toBeGreaterThan(1);
    await page.screenshot({ path: join(RESULTS_DIR, 'assessment-laptop.png'), fullPage: true });

    await page.locator('[data-testid="assess-by-indicator"]').click();
    await expect.poll(() => table.locator('tbody tr').first().textContent()).toMatch(/^1 公共秩序/);
    expect(await table.textContent()).toContain('4.1.1 公益广告数量和分布');

    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: join(RESULTS_DIR, 'assessment-phone.png'), fullPage: true });
  });

  it('on the phone, a counted number decides a count item and reaches the server with it', async () => {
    const api = await apiAs(server.origin, 'inspector');
    const meta = (await (await api(`${server.origin}/api/meta`)).json()) as { city: { center: [number, number] } };
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    const made = await api(`${server.origin}/api/plans`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        date: today,
        name: '测评 e2e',
        teams: [{ name: '一组', start: meta.city.center, budgetS: 4 * 3600 }],
        stops: { kinds: ['market'], sample: { n: 1, seed: 7 } },
        timeLimitMs: 300,
      }),
    });
    const plan = (await made.json()) as { id: string; teams: { stops: { id: string }[] }[] };
    expect(made.status, JSON.stringify(plan)).toBe(201);
    const phone = await launchBrowser({ width: 390, height: 844 });
    try {
      await signIn(phone.context, server.origin, 'inspector');
      const p = await phone.context.newPage();
      await p.goto(`${server.origin}/field`);
      const card = p.locator('[data-testid="field-next-stop"]');
      await card.waitFor({ timeout: 60_000 });
      const psa = card.locator('[data-item="market-psa"]');
      await psa.locator('input[data-value-for="market-psa"]').fill('6');
      await expect.poll(() => psa.locator('[data-result="pass"]').getAttribute('aria-pressed')).toBe('true');
      await psa.locator('input[data-value-for="market-psa"]').fill('3');
      await expect.poll(() => psa.locator('[data-result="fail"]').getAttribute('aria-pressed')).toBe('true');
      await p.screenshot({ path: join(RESULTS_DIR, 'assessment-field-count.png'), fullPage: true });
      await card.locator('[data-testid="field-stop-done"]').click();
      const stored = async () => {
        const res = await api(`${server.origin}/api/checks?planId=${plan.id}`);
        return ((await res.json()) as { checks: { items: { itemId: string; result: string; value?: number }[] }[] }).checks;
      };
      await expect.poll(async () => (await stored()).length, { timeout: 60_000 }).toBe(1);
      expect((await stored())[0].items).toContainEqual({ itemId: 'market-psa', result: 'fail', value: 3 });
    } finally {
      await phone.close();
    }
  }, 180_000);

  it('makes a mock on the page, walks it on the phone with a failing item and its photo, and shows its report', async () => {
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.goto(`${server.origin}/assessment`);
    await page.locator('[data-testid="mock-new"]').click();
    const form = page.locator('[data-testid="mock-form"]');
    await form.waitFor({ timeout: 30_000 });
    await form.locator('[data-testid="mock-date"]').fill(today);
    await form.locator('input[placeholder="成员1"]').fill('张三');
    await form.locator('input[placeholder="成员2"]').fill('李四');
    const quotas = form.locator('[data-testid^="mock-quota-"]:enabled');
    for (let i = 0; i < (await quotas.count()); i++) await quotas.nth(i).fill('0');
    await form.locator('[data-testid="mock-quota-market"]').fill('1');
    await form.locator('[data-testid="mock-quota-community"]').fill('1');
    await expect.poll(() => form.locator('legend').nth(1).textContent()).toContain('共 2 个');
    await page.screenshot({ path: join(RESULTS_DIR, 'assessment-mock-form.png'), fullPage: true });
    await form.locator('[data-testid="mock-create"]').click();
    const detail = page.locator('[data-testid="mock-detail"]');
    await expect.poll(() => detail.textContent(), { timeout: 60_000 }).toContain('已查 0/2');
    expect(await detail.textContent()).toContain('张三、李四');

    const api = await apiAs(server.origin, 'inspector');
    const mocks = (await (await api(`${server.origin}/api/assessment/mocks`)).json()) as { mocks: { id: string }[] };
    const id = mocks.mocks[0].id;
    const mockNow = async () => (await (await api(`${server.origin}/api/assessment/mocks/${id}`)).json()) as any;
    const planId = (await mockNow()).planId as string;
    const plan = (await (await api(`${server.origin}/api/plans/${planId}`)).json()) as { teams: { stops: { id: string; lngLat: [number, number] }[] }[] };
    const stops = plan.teams[0].stops;
    expect(stops).toHaveLength(2);

    let failedItem = '';
    const phone = await launchBrowser({ width: 390, height: 844 });
    try {
      await signIn(phone.context, server.origin, 'inspector');
      const p = await phone.context.newPage();
      await p.goto(`${server.origin}/field`);
      const card = p.locator('[data-testid="field-next-stop"]');
      await card.waitFor({ timeout: 60_000 });
      // The first stop: its first item fails; the report it opens gets a photo taken there.
      failedItem = (await card.locator('[data-item]').first().getAttribute('data-item'))!;
      await card.locator('[data-item]').first().locator('[data-result="fail"]').click();
      await p.locator('[data-testid="field-photo"]').setInputFiles({
        name: 'fail.jpg',
        mimeType: 'image/jpeg',
        buffer: await jpegWithExif({ width: 640, height: 480, color: '#c62828', gps: stops[0].lngLat }),
      });
      const save = p.locator('[data-testid="field-save"]');
      await expect.poll(() => save.isEnabled()).toBe(true);
      await save.click();
      await expect.poll(() => p.locator('[data-testid="field-save"]').count()).toBe(0);
      await card.locator('[data-testid="field-stop-done"]').click();
      // The second stop passes its first item.
      await expect.poll(() => card.locator('[data-item]').first().getAttribute('data-item'), { timeout: 30_000 }).not.toBeNull();
      await card.locator('[data-item]').first().locator('[data-result="pass"]').click();
      await p.screenshot({ path: join(RESULTS_DIR, 'assessment-mock-field.png'), fullPage: true });
      await card.locator('[data-testid="field-stop-done"]').click();
      await expect.poll(async () => (await mockNow()).status, { timeout: 90_000 }).toBe('done');
    } finally {
      await phone.close();
    }
    const report = (await mockNow()).report;
    expect(report.checked).toBe(2);
    // The item failed at the first stop is a deduction there with the photo of the problem reported for it.
    const deduction = report.deductions.find((d: { itemId: string }) => d.itemId === failedItem);
    const failed = deduction.places.find((pl: { pointId: string }) => pl.pointId === stops[0].id);
    expect(failed.failedAtCheck).toBe(true);
    expect(failed.photos.length).toBeGreaterThan(0);

    await page.reload();
    await page.locator(`[data-mock="${id}"] button`).click();
    await expect.poll(() => page.locator('[data-testid="mock-report"]').textContent(), { timeout: 30_000 }).toMatch(/得分率 \d/);
    await page.locator('[data-testid="assess-mocks"]').screenshot({ path: join(RESULTS_DIR, 'assessment-mock-done.png') });
    const print = await browser.context.newPage();
    await print.goto(`${server.origin}/api/assessment/mocks/${id}/report`);
    expect(await print.locator('h1').textContent()).toBe('模拟测评报告');
    await expect
      .poll(() => print.locator('img.thumb').evaluateAll((imgs) => imgs.filter((i) => (i as HTMLImageElement).naturalWidth > 0).length))
      .toBeGreaterThan(0);
    await print.screenshot({ path: join(RESULTS_DIR, 'assessment-mock-report.png'), fullPage: true });
    await print.close();
    const xlsx = await api(`${server.origin}/api/assessment/mocks/${id}/report.xlsx`);
    expect(xlsx.status).toBe(200);
  }, 300_000);

  it('lets the administrator download the catalog, and import an edited version or be told what is wrong', async () => {
    const admin = await launchBrowser({ width: 1366, height: 768 });
    try {
      await signIn(admin.context, server.origin, 'admin');
      const p = await admin.context.newPage();
      await p.goto(`${server.origin}/assessment`);
      const section = p.locator('[data-testid="assess-catalog"]');
      await expect.poll(() => section.locator('li').count(), { timeout: 30_000 }).toBe(1);
      const href = await section.locator('[data-testid="catalog-xlsx"]').getAttribute('href');
      const res = await p.request.get(`${server.origin}${href}`);
      expect(res.status()).toBe(200);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load((await res.body()) as unknown as ArrayBuffer);
      const meta = wb.getWorksheet('目录')!;
      const set = (key: string, value: string | number) =>
        meta.eachRow((row) => {
          if (row.getCell(1).value === key) row.getCell(2).value = value;
        });
      const tomorrow = new Date(Date.now() + 8 * 3600_000 + 86_400_000).toISOString().slice(0, 10);
      set('版本', 'xuncha-e2e.2');
      set('生效日期', tomorrow);
      set('总分', 90);
      const file = section.locator('[data-testid="catalog-file"]');
      const xlsx = (buffer: ArrayBuffer) => ({
        name: 'catalog.xlsx',
        mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        buffer: Buffer.from(buffer),
      });
      await file.setInputFiles(xlsx(await wb.xlsx.writeBuffer()));
      await expect.poll(() => section.locator('[data-testid="catalog-error"]').textContent(), { timeout: 30_000 }).toMatch(/目录 第 \d+ 行/);
      await section.screenshot({ path: join(RESULTS_DIR, 'assessment-catalog-error.png') });
      set('总分', 100);
      await file.setInputFiles(xlsx(await wb.xlsx.writeBuffer()));
      await expect.poll(() => section.locator('[data-testid="catalog-done"]').textContent(), { timeout: 30_000 }).toContain('xuncha-e2e.2');
      await expect.poll(() => section.locator('li').count()).toBe(2);
    } finally {
      await admin.close();
    }
  }, 120_000);

  it('lets the administrator weigh the 得分率 into the 红黑榜, which then shows it beside each subdistrict', async () => {
    const admin = await launchBrowser({ width: 1366, height: 768 });
    try {
      await signIn(admin.context, server.origin, 'admin');
      const p = await admin.context.newPage();
      await p.goto(`${server.origin}/admin`);
      await p.getByTestId('admin-tab-rankings').click();
      const panel = p.getByTestId('admin-weights');
      await expect.poll(() => panel.locator('[role="status"]').textContent(), { timeout: 30_000 }).toContain('未计入');
      await panel.getByTestId('admin-weights-input').fill('20');
      await panel.locator('button[type="submit"]').click();
      await expect.poll(() => panel.locator('[role="status"]').textContent(), { timeout: 30_000 }).toContain('占 20 分');
      await panel.screenshot({ path: join(RESULTS_DIR, 'admin-ranking-weights.png') });

      await p.goto(`${server.origin}/ledger`);
      await p.getByTestId('tab-rankings').click();
      const rankings = p.getByTestId('rankings');
      await expect.poll(() => rankings.locator('thead').textContent(), { timeout: 30_000 }).toContain('测评得分率');
      expect(await rankings.getByTestId('rankings-formula').textContent()).toContain('80% × 处置得分 + 20 × 测评得分率');
      // The market checked above lies in one subdistrict: that row has a rate, the ones never checked a dash.
      const rates = await rankings.getByTestId('ranking-assessment-rate').allTextContents();
      expect(rates.some((r) => r.endsWith('%'))).toBe(true);
      await p.screenshot({ path: join(RESULTS_DIR, 'ledger-rankings-weighted.png'), fullPage: true });
    } finally {
      const api = await apiAs(server.origin, 'admin');
      await api(`${server.origin}/api/rankings/weights`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ assessment: 0 }),
      });
      await admin.close();
    }
  }, 120_000);
});
