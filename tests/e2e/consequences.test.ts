/**
 * 目标考核 in a real browser against the demo city: a leader opens the ledger's 目标考核 tab (the demo's
 * overdue cases are entered as 督办 deductions on first look), takes points off the lowest unit by hand,
 * sets its 一票否决 and issues a 问责通报 that opens numbered, ready to print; the unit's own account then
 * sees its own ledger only, without the forms.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, RESULTS_DIR, signIn, startServer, type Browser, type RunningServer } from './harness';

let server: RunningServer;
let browser: Browser;
let page: Page;
let unitId: string;

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser({ width: 1400, height: 900 });
  page = await browser.context.newPage();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const score = async () => Number(await page.getByTestId('ledger-score').getAttribute('data-score'));
const deducted = async () => Number(await page.getByTestId('ledger-score').getAttribute('data-deducted'));

describe('目标考核: deductions, 一票否决 and 问责通报 on the ledger page', () => {
  it('lists the units most taken off first, the overdue cases entered as 督办', async () => {
    await signIn(browser.context, server.origin, 'leader');
    await page.goto(`${server.origin}/ledger`);
    await page.getByTestId('tab-consequences').click();
    const first = page.locator('tr[data-testid^="standing-"]').first();
    await first.waitFor({ timeout: 30_000 });
    unitId = (await first.getAttribute('data-testid'))!.replace('standing-', '');
    const scores = await page.locator('[data-testid="standing-score"]').allTextContents();
    expect(scores.length).toBeGreaterThan(1);
    expect(scores.map(Number)).toEqual([...scores.map(Number)].sort((a, b) => a - b));
    expect(Number(scores[0])).toBeLessThan(100);
    await first.locator('button').click();
    await page.locator('[data-testid="ledger-entry"][data-kind="supervision"]').first().waitFor({ timeout: 20_000 });
  });

  it('a manual deduction with its reason adds its points to what the unit lost', async () => {
    const before = await deducted();
    await page.getByTestId('deduct-points').fill('2.5');
    await page.getByTestId('deduct-reason').fill('迎检期间责任区域无人值守');
    await page.getByTestId('deduct-submit').click();
    await expect.poll(deducted, { timeout: 20_000 }).toBe(before + 2.5);
    // 扣完为止: a unit with more taken off than its base stands at 0.
    expect(await score()).toBe(Math.max(0, 100 - before - 2.5));
    const last = page.locator('[data-testid="ledger-entry"]').first();
    expect(await last.getAttribute('data-kind')).toBe('manual');
    expect(await last.textContent()).toContain('迎检期间责任区域无人值守');
  });

  it('一票否决 puts a black mark on the unit; a 问责通报 opens numbered in a new tab', async () => {
    await page.getByTestId('veto-reason').fill('年度内发生重大负面舆情');
    await page.getByTestId('veto-submit').click();
    await page.getByTestId('veto-note').waitFor({ timeout: 20_000 });
    // The unit's ledger answers first; the overview row follows with its own refetch.
    await expect.poll(() => page.locator(`[data-testid="standing-${unitId}"] .veto-badge`).count(), { timeout: 20_000 }).toBe(1);
    await page.getByTestId('notice-reason').fill('你单位责任区域问题多次超期未整改。');
    const [notice] = await Promise.all([browser.context.waitForEvent('page'), page.getByTestId('notice-submit').click()]);
    await notice.waitForURL(/\/api\/consequences\/notices\/\d+$/, { timeout: 20_000 });
    const text = await notice.textContent('body');
    expect(text).toMatch(/问责〔\d{4}〕1号/);
    expect(text).toContain('一票否决');
    expect(text).toContain('迎检期间责任区域无人值守');
    await notice.screenshot({ path: `${RESULTS_DIR}/consequences-notice.png`, fullPage: true });
    await notice.close();
    await page.getByTestId('notice-links').waitFor({ timeout: 20_000 });
    await page.screenshot({ path: `${RESULTS_DIR}/consequences-ledger.png`, fullPage: true });
  });

  it('a unit account sees its own unit only, and no forms', async () => {
    await browser.context.clearCookies();
    await signIn(browser.context, server.origin, 'unit');
    await page.goto(`${server.origin}/ledger`);
    await page.getByTestId('tab-consequences').click();
    await page.getByTestId('unit-ledger').locator('h3').waitFor({ timeout: 20_000 });
    expect(await page.locator('tr[data-testid^="standing-"]').count()).toBe(1);
    expect(await page.getByTestId('deduct-form').count()).toBe(0);
  });
});
