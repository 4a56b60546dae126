/**
 * 延期 across the two sides of a case, in a real browser against the demo city: the unit account asks
 * for more time on an overdue case in its detail panel; the 创文办 finds the request on the ledger's
 * 待审批申请 tab and approves it; the deadline moves to the date asked and the case is no longer overdue.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cityDate, DAY_MS } from '../../server/contract/city-time';
import { apiAs, launchBrowser, RESULTS_DIR, signIn, startServer, type Browser, type RunningServer } from './harness';

let server: RunningServer;
let browser: Browser;
let page: Page;
let problemId: string;
// The demo's assigned cases are due within weeks: a month ahead is after any of their deadlines.
const until = cityDate(Date.now() + 30 * DAY_MS);

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser({ width: 1400, height: 900 });
  page = await browser.context.newPage();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('延期: the unit asks, the 创文办 approves on the ledger page', () => {
  it('the unit asks for more time on one of its overdue cases', async () => {
    await signIn(browser.context, server.origin, 'unit');
    await page.goto(`${server.origin}/ledger?status=overdue`);
    const first = page.locator('[data-testid^="ledger-row-"]').first();
    await first.waitFor({ timeout: 30_000 });
    problemId = (await first.getAttribute('data-testid'))!.replace('ledger-row-', '');
    await first.click();
    const panel = page.locator('[data-testid="detail-panel"]');
    const form = panel.locator('[data-testid="request-form"]');
    await form.waitFor({ timeout: 20_000 });
    await form.locator('[data-kind="extension"]').click();
    await form.locator('input[name="until"]').fill(until);
    await form.locator('textarea[name="reason"]').fill('需与物业协调清运车辆，申请延期');
    await form.locator('[data-testid="request-submit"]').click();
    await expect.poll(() => panel.locator('[data-testid="problem-requests"] [data-request-status="open"]').count(), { timeout: 20_000 }).toBe(1);
    // One open extension per case: the form no longer offers another.
    expect(await panel.locator('[data-testid="request-form"] [data-kind="extension"]').count()).toBe(0);
  });

  it('the office approves it on the 待审批申请 tab; the deadline moves and the case is not overdue', async () => {
    // Signed out first: a signed-in session's login needs its CSRF token.
    await browser.context.clearCookies();
    await signIn(browser.context, server.origin, 'inspector');
    await page.goto(`${server.origin}/ledger`);
    await page.locator('[data-testid="tab-requests"]').click();
    await expect.poll(() => page.textContent('[data-testid="requests-waiting"]'), { timeout: 20_000 }).toBe('1');
    const row = page.locator(`[data-testid="request-row"][data-problem="${problemId}"]`);
    await row.waitFor({ timeout: 20_000 });
    expect(await row.getAttribute('data-kind')).toBe('extension');
    await page.screenshot({ path: `${RESULTS_DIR}/requests-ledger.png` });
    await row.locator('[data-testid="request-note"]').fill('同意延期，请按期完成');
    await row.locator('[data-testid="request-approve"]').click();
    await expect.poll(() => page.locator('[data-testid="request-row"]').count(), { timeout: 20_000 }).toBe(0);

    const api = await apiAs(server.origin, 'inspector');
    const p = (await (await api(`${server.origin}/api/problems/${problemId}/history`)).json()) as {
      overdue: boolean;
      history: { action: string; deadline: string | null }[];
    };
    expect(p.overdue).toBe(false);
    expect(p.history.at(-1)).toMatchObject({ action: 'extend', deadline: `${until}T23:59:59+08:00` });
    const overdue = (await (await api(`${server.origin}/api/problems?status=overdue`)).json()) as { features: { id: string }[] };
    expect(overdue.features.map((f) => f.id)).not.toContain(problemId);
  });
});
