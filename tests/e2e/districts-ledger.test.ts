/**
 * Districts (区/县) on the ledger and admin pages, in a real browser against a demo city of three
 * districts: the administrator creates a 区创文办 leader for one district; that leader's ledger holds its
 * district's rows only (the 所属区县 column says so) and its 红黑榜 by 区县 lists its own district alone;
 * a city leader sees all three districts ranked, the column, and each district's weekly 通报. Screenshots
 * at a laptop and at a phone go to test-results/.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiAs, launchBrowser, RESULTS_DIR, signIn, startServer, type Browser, type RunningServer } from './harness';

interface District {
  id: string;
  name: string;
}

const LEADER = { username: 'qu-leader', password: 'qu-leader-pass-1', displayName: '区创文办 李主任' };
const PHONE = { width: 390, height: 844 };
const LAPTOP = { width: 1280, height: 800 };

let server: RunningServer;
let browser: Browser;
let page: Page;
let districts: District[];
let subdistrictsOf: Map<string, string[]>;
/** The district the new account is limited to: the demo's second (its 开发区, the longest name). */
let own: District;

beforeAll(async () => {
  server = await startServer({ env: { DEMO_DISTRICTS: '3' } });
  browser = await launchBrowser(LAPTOP);
  page = await browser.context.newPage();
  const api = await apiAs(server.origin, 'leader');
  const meta = (await (await api(`${server.origin}/api/meta`)).json()) as {
    districts: District[];
    subdistricts: { id: string; districtId: string }[];
  };
  districts = meta.districts;
  subdistrictsOf = new Map(districts.map((d) => [d.id, meta.subdistricts.filter((s) => s.districtId === d.id).map((s) => s.id)]));
  own = districts[1];
}, 320_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** The 所属区县 cells of the ledger rows in view. */
const districtCells = () => page.locator('[data-testid^="ledger-row-"] .col-district').allTextContents();

/** Waits for the ledger's first rows and its total; returns the total. */
async function ledgerTotal(): Promise<number> {
  await page.locator('[data-testid^="ledger-row-"]').first().waitFor({ timeout: 30_000 });
  await expect.poll(() => page.getByTestId('ledger-total').textContent(), { timeout: 30_000 }).toMatch(/\d/);
  return Number((await page.getByTestId('ledger-total').textContent())!.replace(/\D/g, ''));
}

/** The ids of the 红黑榜 rows, in rank order, once they are for `by` (the header names the group). */
async function rankingIds(by: 'district' | 'subdistrict' | 'unit'): Promise<string[]> {
  await page.getByTestId(`rankings-by-${by}`).click();
  const header = { district: '所属区县', subdistrict: '所属街道', unit: '责任单位' }[by];
  const table = page.getByTestId('rankings').locator('.rankings-table');
  await expect.poll(() => table.locator('thead th').nth(1).textContent(), { timeout: 30_000 }).toBe(header);
  await table.locator('tbody tr').first().waitFor({ timeout: 30_000 });
  const ids = await table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-testid')!.replace('ranking-', '')));
  return ids;
}

describe('districts on the ledger and admin pages (a city of three districts)', () => {
  it('the administrator creates a district leader; the list shows its district, a refusal shows as the page’s error', async () => {
    expect(districts.length).toBe(3);
    await signIn(browser.context, server.origin, 'admin');
    await page.goto(`${server.origin}/admin`);
    const form = page.locator('.admin-form');
    await form.waitFor({ timeout: 30_000 });
    // A unit account cannot belong to a district office: the choice is not offered for it.
    await form.getByLabel('角色').selectOption('unit');
    expect(await page.getByTestId('user-district-select').count()).toBe(0);
    await form.getByLabel('角色').selectOption('leader');
    const select = page.getByTestId('user-district-select');
    expect(await select.locator('option').allTextContents()).toEqual(['全市（不限区县）', ...districts.map((d) => d.name)]);
    await form.getByPlaceholder('用户名').fill(LEADER.username);
    await form.getByPlaceholder('姓名').fill(LEADER.displayName);
    await select.selectOption(own.id);
    await form.locator('input[type="password"]').fill(LEADER.password);
    await form.locator('button[type="submit"]').click();
    const row = page.locator('.admin-table tbody tr', { hasText: LEADER.username });
    await row.waitFor({ timeout: 20_000 });
    expect(await row.getByTestId('user-district').textContent()).toBe(` · ${own.name}`);
    // The demo's leader is a city-wide one.
    expect(await page.locator('.admin-table tbody tr', { hasText: '创文办 王主任' }).getByTestId('user-district').textContent()).toBe(' · 全市');

    // The same username again: the server's refusal in the panel's banner, the form kept.
    await form.getByPlaceholder('用户名').fill(LEADER.username);
    await form.getByPlaceholder('姓名').fill(LEADER.displayName);
    await form.locator('input[type="password"]').fill(LEADER.password);
    await form.locator('button[type="submit"]').click();
    const banner = page.locator('.admin-page [role="alert"]');
    await banner.waitFor({ timeout: 20_000 });
    expect((await banner.textContent())!.length).toBeGreaterThan(4);
    expect(await form.getByPlaceholder('用户名').inputValue()).toBe(LEADER.username);
    await page.screenshot({ path: `${RESULTS_DIR}/districts-admin-users.png`, fullPage: true });
  });

  it('the district leader’s ledger holds its district’s rows only, and its 红黑榜 its district’s subdistricts', async () => {
    await browser.context.clearCookies();
    const res = await browser.context.request.post(`${server.origin}/api/auth/login`, { data: { username: LEADER.username, password: LEADER.password } });
    expect(res.ok()).toBe(true);
    await page.goto(`${server.origin}/ledger`);
    const total = await ledgerTotal();
    const api = await apiAs(server.origin, 'leader');
    const cityPage = (await (await api(`${server.origin}/api/ledger?limit=1&district=${own.id}`)).json()) as { total: number };
    expect(total).toBe(cityPage.total);
    // Its meta is its own district's (the server narrows it): a 区县 column would say the same name in every row.
    expect(await page.locator('.ledger-head .col-district').count()).toBe(0);
    expect(await page.locator('select[name="district"]').count()).toBe(0);
    await page.screenshot({ path: `${RESULTS_DIR}/districts-ledger-district-leader.png` });

    await page.getByTestId('tab-rankings').click();
    // 按区县 would rank its district alone: not offered. Subdistricts are ranked within its district, and nothing else is offered.
    await page.getByTestId('rankings-by-subdistrict').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('rankings-by-district').count()).toBe(0);
    expect((await rankingIds('subdistrict')).sort()).toEqual([...subdistrictsOf.get(own.id)!].sort());
    expect(await page.getByTestId('rankings-scope').evaluate((el) => el.tagName)).toBe('STRONG');
    expect(await page.getByTestId('rankings-scope').textContent()).toBe(own.name);
    await page.getByTestId('ranking-map').waitFor({ timeout: 20_000 });
    await page.screenshot({ path: `${RESULTS_DIR}/districts-rankings-district-leader.png`, fullPage: true });
  });

  it('a city leader sees the three districts ranked, each with its weekly 通报, and the ledger’s 所属区县 column', async () => {
    await browser.context.clearCookies();
    await signIn(browser.context, server.origin, 'leader');
    await page.goto(`${server.origin}/ledger`);
    const total = await ledgerTotal();
    expect(await page.locator('.ledger-head .col-district').textContent()).toBe('所属区县');
    const names = new Set(districts.map((d) => d.name));
    for (const cell of await districtCells()) expect(names.has(cell)).toBe(true);
    await page.screenshot({ path: `${RESULTS_DIR}/districts-ledger-city-leader.png` });

    await page.getByTestId('tab-rankings').click();
    const ids = await rankingIds('district');
    expect(ids.sort()).toEqual(districts.map((d) => d.id).sort());
    const links = await page.getByTestId('ranking-briefing').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    expect(links.map((href) => new URL(href!, server.origin).searchParams.get('district')).sort()).toEqual(districts.map((d) => d.id).sort());
    const [briefing] = await Promise.all([browser.context.waitForEvent('page'), page.locator(`[data-testid="ranking-${own.id}"] a`).click()]);
    await briefing.waitForLoadState();
    expect(await briefing.title()).toContain(own.name);
    await briefing.close();
    await page.getByTestId('ranking-map').waitFor({ timeout: 20_000 });
    await page.screenshot({ path: `${RESULTS_DIR}/districts-rankings-city-leader.png`, fullPage: true });

    // Subdistricts city-wide, then within one district.
    expect((await rankingIds('subdistrict')).length).toBe([...subdistrictsOf.values()].flat().length);
    await page.getByTestId('rankings-scope').selectOption(own.id);
    await expect
      .poll(async () => (await page.locator('.rankings-table tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-testid')))).sort(), {
        timeout: 30_000,
      })
      .toEqual(
        subdistrictsOf
          .get(own.id)!
          .map((id) => `ranking-${id}`)
          .sort(),
      );
    await page.screenshot({ path: `${RESULTS_DIR}/districts-rankings-within.png`, fullPage: true });
    expect(total).toBeGreaterThan(0);
  });

  it('the ledger filtered to one district offers that district’s 通报, and its 红黑榜 opens ranked within it', async () => {
    await page.goto(`${server.origin}/ledger?district=${own.id}`);
    await ledgerTotal();
    expect(new Set(await districtCells())).toEqual(new Set([own.name]));
    const href = await page.getByTestId('ledger-briefing').getAttribute('href');
    expect(new URL(href!, server.origin).searchParams.get('district')).toBe(own.id);
    await page.getByTestId('tab-rankings').click();
    expect(await page.getByTestId('rankings-scope').inputValue()).toBe(own.id);
    expect((await rankingIds('subdistrict')).sort()).toEqual([...subdistrictsOf.get(own.id)!].sort());
  });

  it('at a phone the ledger and the 红黑榜 by 区县 fit the screen', async () => {
    await page.setViewportSize(PHONE);
    await page.goto(`${server.origin}/ledger`);
    await ledgerTotal();
    await page.screenshot({ path: `${RESULTS_DIR}/districts-ledger-phone.png` });
    // Scrolled sideways, the header moves with the rows.
    await page.getByTestId('ledger-scroll').evaluate((el) => (el.scrollLeft = 400));
    await page.screenshot({ path: `${RESULTS_DIR}/districts-ledger-phone-scrolled.png` });
    await page.getByTestId('tab-rankings').click();
    await rankingIds('district');
    await page.screenshot({ path: `${RESULTS_DIR}/districts-rankings-phone.png`, fullPage: true });
    await page.setViewportSize(LAPTOP);
  });
});
