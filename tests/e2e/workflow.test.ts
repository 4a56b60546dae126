/**
 * The governed workflow in a real browser against the real server and demo city: a report with a photo
 * (POST /api/problems, as the field page will send it) is found on the ledger by full-text search,
 * assigned, rectified with an after-photo and closed after its look-back in the detail panel; the
 * ledger row and the problem on the map then show it closed.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jpegWithExif } from '../fixtures/media/photos';
import {
  apiAs,
  jumpAndSettle,
  launchBrowser,
  signIn,
  renderedFeatures,
  RESULTS_DIR,
  startServer,
  waitForMapIdle,
  type Browser,
  type RunningServer,
} from './harness';

let server: RunningServer;
let browser: Browser;
let page: Page;
let problemId: string;
let at: [number, number];
const DESCRIPTION = `端到端测试：人行道上堆放装修垃圾 ${Date.now()}`;

let api: typeof fetch;

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser({ width: 1400, height: 900 });
  // One inspector walks the whole flow here (the unit-only rules are API-tested in tests/api/auth.test.ts).
  await signIn(browser.context, server.origin, 'inspector');
  api = await apiAs(server.origin, 'inspector');
  page = await browser.context.newPage();
  const meta = (await (await api(`${server.origin}/api/meta`)).json()) as { city: { center: [number, number] } };
  at = meta.city.center;
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('report → assign → rectify → look back → closed', () => {
  it('takes a report with a photo', async () => {
    const form = new FormData();
    for (const [k, v] of Object.entries({ category: 'exposed-garbage', lng: at[0], lat: at[1], description: DESCRIPTION, reporter: '督查组 e2e' }))
      form.set(k, String(v));
    form.append('photos', new File([new Uint8Array(await jpegWithExif({ width: 320, height: 240, gps: at, takenAt: '2026:11:25 09:00:00' }))], 'before.jpg'));
    const res = await api(`${server.origin}/api/problems`, { method: 'POST', body: form, headers: { 'Idempotency-Key': crypto.randomUUID() } });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { problem: { id: string; properties: { status: string; subdistrictId: string | null } } };
    problemId = body.problem.id;
    expect(body.problem.properties).toMatchObject({ status: 'reported' });
    expect(body.problem.properties.subdistrictId).not.toBeNull();
  });

  it('is found on the ledger and moved through the workflow in the detail panel', async () => {
    await page.goto(`${server.origin}/ledger`);
    await page.locator('[data-testid="ledger-table"]').waitFor();
    await expect.poll(() => page.textContent('[data-testid="ledger-total"]'), { timeout: 20_000 }).toMatch(/\d/);
    await page.fill('[data-testid="ledger-search"]', DESCRIPTION.slice(-20));
    // The new problem is the newest, so it heads the unfiltered list too: wait for the search to apply.
    await expect.poll(() => page.textContent('[data-testid="ledger-total"]'), { timeout: 20_000 }).toMatch(/共 1 条/);
    const row = page.locator(`[data-testid="ledger-row-${problemId}"]`);
    await row.waitFor({ timeout: 20_000 });
    await row.click();

    const panel = page.locator('[data-testid="detail-panel"]');
    await panel.locator('[data-testid="problem-workflow"]').waitFor();
    expect(await panel.locator('[data-testid="problem-description"]').textContent()).toBe(DESCRIPTION);
    // The before photo is shown (and loads: the thumbnail has a size).
    const before = panel.locator('.photo-compare img').first();
    await before.waitFor();
    await expect.poll(() => before.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);

    // Assign with the category default deadline.
    await panel.locator('[data-step="assign"]').waitFor();
    await panel.locator('[data-testid="action-submit"]').click();
    await expect.poll(() => panel.locator('[data-testid="problem-status"]').textContent()).toBe('已交办');

    // Rectify with a note and an after-photo.
    await panel.locator('[data-step="rectify"]').waitFor();
    await panel.locator('textarea[name="note"]').fill('已清运完毕');
    const afterPath = join(RESULTS_DIR, 'workflow-after.jpg');
    writeFileSync(afterPath, await jpegWithExif({ width: 320, height: 240, color: '#2e7d32', gps: at }));
    await panel.locator('input[name="photos"]').setInputFiles(afterPath);
    await panel.locator('[data-testid="action-submit"]').click();
    await expect.poll(() => panel.locator('[data-testid="problem-status"]').textContent()).toBe('已整改');
    await expect.poll(() => panel.locator('.photo-compare .photo-column').nth(1).locator('img').count()).toBe(1);

    // Look back: pass → closed.
    await panel.locator('[data-step="pass"]').click();
    await panel.locator('[data-testid="action-submit"]').click();
    await expect.poll(() => panel.locator('[data-testid="problem-status"]').textContent()).toBe('已销号');
    // The panel reloads its history after a step (and again when the step's own event arrives): wait for it.
    await expect
      .poll(() => panel.locator('[data-testid="problem-history"] li').evaluateAll((lis) => lis.map((li) => li.getAttribute('data-action'))))
      .toEqual(['report', 'assign', 'rectify', 'pass']);
    writeFileSync(join(RESULTS_DIR, 'ledger-workflow-zh.png'), await page.screenshot({ type: 'png' }));

    // The row follows (live events refresh the ledger).
    await expect.poll(() => row.textContent(), { timeout: 15_000 }).toContain('已销号');
    expect(await row.textContent()).toContain('合格');
  });

  it('shows the closed problem on the map', async () => {
    await page.goto(`${server.origin}/?c=${at[0].toFixed(5)},${at[1].toFixed(5)}&z=17&status=closed`);
    await waitForMapIdle(page);
    await jumpAndSettle(page, at, 17.5);
    await expect
      .poll(async () => (await renderedFeatures(page, 'problem-points')).find((f) => f.props.id === problemId)?.props.status, { timeout: 20_000 })
      .toBe('closed');
  });

  it('downloads the ledger as XLSX with the 台账 columns', async () => {
    const res = await api(`${server.origin}/api/ledger/export.xlsx?q=${encodeURIComponent(DESCRIPTION.slice(-20))}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/spreadsheetml/);
  });

  it('assigns every filtered reported problem at once from the ledger', async () => {
    const tag = `批量${Date.now()}`;
    const ids: string[] = [];
    for (const dx of [0.0004, 0.0008]) {
      const form = new FormData();
      for (const [k, v] of Object.entries({ category: 'small-ads', lng: at[0] + dx, lat: at[1], description: `小广告 ${tag}`, reporter: '督查组 e2e' }))
        form.set(k, String(v));
      form.append('photos', new File([new Uint8Array(await jpegWithExif({ color: '#5e35b1' }))], 'p.jpg'));
      ids.push(((await (await api(`${server.origin}/api/problems`, { method: 'POST', body: form })).json()) as { problem: { id: string } }).problem.id);
    }
    await page.goto(`${server.origin}/ledger?status=reported`);
    await page.fill('[data-testid="ledger-search"]', tag);
    await expect.poll(() => page.textContent('[data-testid="ledger-total"]'), { timeout: 20_000 }).toMatch(/共 2 条/);
    page.once('dialog', (d) => void d.accept());
    await page.click('[data-testid="bulk-assign"]');
    await expect.poll(() => page.textContent('.ledger-toolbar'), { timeout: 20_000 }).toContain('已交办 2 条');
    for (const id of ids) {
      const p = (await (await api(`${server.origin}/api/problems/${id}`)).json()) as { properties: { status: string; noticeNo: string | null } };
      expect(p.properties.status).toBe('assigned');
      expect(p.properties.noticeNo).toMatch(/^[A-Z]+-\d{4}-\d{6}$/);
    }
    // The list follows: with the reported filter, nothing of the two is left.
    await expect.poll(() => page.textContent('[data-testid="ledger-total"]'), { timeout: 20_000 }).toMatch(/共 0 条/);
  });

  it('reports through the web form, which previews the place and offers duplicates', async () => {
    await page.goto(`${server.origin}/ledger`);
    await page.click('[data-testid="report-open"]');
    const form = page.locator('[data-testid="report-form"]');
    await form.locator('select[name="category"]').selectOption('small-ads');
    // Next to the two problems the bulk test assigned (same category, open): they are offered for merging.
    await form.locator('input[name="lng"]').fill(String(at[0] + 0.0004));
    await form.locator('input[name="lat"]').fill(String(at[1]));
    await expect.poll(() => form.locator('[data-testid="report-duplicates"] input[type="radio"]').count(), { timeout: 15_000 }).toBeGreaterThan(1);
    expect(await form.locator('[data-testid="report-preview"]').textContent()).toMatch(/街道/);
    const description = `网页上报 ${Date.now()}`;
    await form.locator('textarea[name="description"]').fill(description);
    await form.locator('input[name="reporter"]').fill('督查组 web');
    const photoPath = join(RESULTS_DIR, 'workflow-report.jpg');
    writeFileSync(photoPath, await jpegWithExif({ width: 200, height: 150, color: '#ff8f00' }));
    await form.locator('input[name="photos"]').setInputFiles(photoPath);
    await form.locator('[data-testid="report-submit"]').click();
    const panel = page.locator('[data-testid="detail-panel"]');
    await expect.poll(() => panel.locator('[data-testid="problem-description"]').textContent(), { timeout: 15_000 }).toBe(description);
    expect(await panel.locator('[data-testid="problem-status"]').textContent()).toBe('已上报');
    await expect.poll(() => panel.locator('.photo-compare img').count()).toBe(1);
  });

  it('made no request outside its own origin', () => {
    const outside = browser.requests.filter((u) => !u.startsWith(server.origin) && !u.startsWith('data:') && !u.startsWith('blob:'));
    expect(outside).toEqual([]);
  });
});
