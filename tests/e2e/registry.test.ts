/**
 * 点位管理 in Chromium on the demo city: a clerk draws a new market on the map with terra-draw, fills in
 * who answers for it, saves it; it is then one of the planner's stops and a row of the 点位信息表. A rename
 * on a stale version is refused with the name of who changed it; the 点位信息表 edited by hand and a JOSM
 * file come back through a dry run first.
 */
import type { Page } from 'playwright-core';
import ExcelJS from 'exceljs';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiAs, clickMapAt, jumpAndSettle, launchBrowser, RESULTS_DIR, signIn, startServer, waitForMapIdle, type Browser, type RunningServer } from './harness';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

let server: RunningServer;
let browser: Browser;
let page: Page;
let api: typeof fetch;
const NAME = '槐花巷便民市场';

beforeAll(async () => {
  server = await startServer();
  api = await apiAs(server.origin, 'leader');
  browser = await launchBrowser({ width: 1366, height: 768 });
  await signIn(browser.context, server.origin, 'inspector');
  page = await browser.context.newPage();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('点位管理 page', () => {
  let id = '';
  let at: [number, number] = [0, 0];

  it('draws a new market on the map, saves it with who answers for it, and shows its history', async () => {
    await page.goto(`${server.origin}/registry`);
    await expect.poll(() => page.locator('.registry-count').textContent(), { timeout: 60_000 }).toMatch(/^共 [\d,]+ 个点位$/);
    const meta = (await (await api(`${server.origin}/api/meta`)).json()) as { city: { center: [number, number] } };
    at = meta.city.center;
    await waitForMapIdle(page);
    await jumpAndSettle(page, at, 17);

    await page.click('[data-testid="registry-add"]');
    await page.click('[data-testid="registry-draw"]');
    await expect.poll(() => page.locator('[data-testid="draw-hint"]').textContent()).toBe('在地图上点击，放置点位');
    await clickMapAt(page, at);
    await expect.poll(() => page.locator('[data-testid="draw-hint"]').count()).toBe(0);
    await page.fill('[data-testid="field-name"]', NAME);
    await page.fill('[data-testid="field-address"]', '槐花巷 3 号');
    await page.fill('[data-testid="field-keeper"]', '周点位');
    await page.fill('[data-testid="field-contact"]', '吴经理');
    await page.fill('[data-testid="field-phone"]', '电话');
    expect(await page.locator('[data-testid="registry-save"]').isDisabled()).toBe(true);
    await page.fill('[data-testid="field-phone"]', '0634-6123456');
    await page.selectOption('[data-testid="field-unit"]', { index: 1 });
    await page.selectOption('[data-testid="field-leader"]', { label: '张领导' }).catch(() => page.selectOption('[data-testid="field-leader"]', { index: 1 }));
    // A photo of its gate, uploaded before the point is saved and saved with it.
    const photo = join(RESULTS_DIR, 'registry-gate.jpg');
    await sharp({ create: { width: 320, height: 240, channels: 3, background: '#8d6e63' } })
      .jpeg()
      .toFile(photo);
    await page.setInputFiles('[data-testid="place-photos-input"]', photo);
    await page.locator('[data-testid="place-photos"] img').waitFor({ timeout: 30_000 });
    await page.click('[data-testid="registry-save"]');

    const editor = page.locator('[data-testid="place-editor"]');
    await expect.poll(() => editor.locator('h3').textContent(), { timeout: 30_000 }).toBe(NAME);
    await expect.poll(() => editor.locator('.registry-history li strong').first().textContent()).toBe('新增');
    await page.screenshot({ path: join(RESULTS_DIR, 'registry-new-market-1366.png') });

    const found = (await (await api(`${server.origin}/api/places?q=${encodeURIComponent(NAME)}`)).json()) as { places: { id: string; at: [number, number] }[] };
    expect(found.places).toHaveLength(1);
    id = found.places[0].id;
    expect(id).toMatch(/^mk-/);
    // Where it was clicked, to a few metres (one pixel at z17 is about a metre).
    expect(Math.abs(found.places[0].at[0] - at[0])).toBeLessThan(0.0001);
    expect(Math.abs(found.places[0].at[1] - at[1])).toBeLessThan(0.0001);
    const detail = (await (await api(`${server.origin}/api/places/${id}`)).json()) as { properties: Record<string, unknown> };
    expect(detail.properties).toMatchObject({ keeper: '周点位', contact: '吴经理', phone: '0634-6123456', version: 1 });
    expect(detail.properties.photos).toHaveLength(1);
    expect(detail.properties.leaderName).not.toBeNull();
    expect(detail.properties.unitId).not.toBeNull();
  }, 180_000);

  it('is one of the planner’s stops and a row of the 点位信息表', async () => {
    const plan = await api(`${server.origin}/api/plans`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        date: '2026-12-07',
        stops: { ids: [id] },
        teams: [{ name: '一组', start: at, budgetS: 4 * 3600 }],
        timeLimitMs: 300,
      }),
    });
    expect(plan.status, await plan.clone().text()).toBe(201);
    const body = (await plan.json()) as { teams: { stops: { id: string; name: string }[] }[] };
    expect(body.teams[0].stops.map((s) => s.id)).toContain(id);

    const res = await api(`${server.origin}/api/places/export.xlsx?kind=market`);
    expect(res.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as unknown as ArrayBuffer);
    const rows: unknown[][] = [];
    wb.getWorksheet('点位信息表')!.eachRow((r) => rows.push((r.values as unknown[]).slice(1)));
    const row = rows.find((r) => r[2] === NAME)!;
    expect(row.slice(1, 4)).toEqual(['农贸市场', NAME, '槐花巷 3 号']);
    expect(row.slice(7, 10)).toEqual(['周点位', '吴经理', '0634-6123456']);
  }, 120_000);

  it('refuses a save on a version someone changed meanwhile, naming who', async () => {
    const changed = await api(`${server.origin}/api/places/${id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ version: 1, contact: '郑经理' }),
    });
    expect(changed.status).toBe(200);
    await page.fill('[data-testid="field-contact"]', '王经理');
    await page.click('[data-testid="registry-save"]');
    await expect.poll(() => page.locator('[data-testid="registry-error"]').textContent(), { timeout: 30_000 }).toMatch(/已被 .*（leader） 于 .* 修改/);
    await page.screenshot({ path: join(RESULTS_DIR, 'registry-conflict-1366.png') });
  }, 60_000);

  it('imports the 点位信息表 edited by hand: shows the one change first, applies it when asked', async () => {
    const res = await api(`${server.origin}/api/places/export.xlsx?kind=market`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('点位信息表')!;
    let edited = 0;
    ws.eachRow((r) => {
      if (r.getCell(3).value === NAME) [r.getCell(9).value, edited] = ['冯经理', r.number];
    });
    expect(edited).toBeGreaterThan(2);
    const file = join(RESULTS_DIR, 'registry-edited.xlsx');
    await wb.xlsx.writeFile(file);

    await page.setInputFiles('[data-testid="registry-import-file"]', file);
    const dialog = page.locator('[data-testid="registry-import"]');
    await expect.poll(() => dialog.locator('[data-testid="registry-import-counts"]').textContent(), { timeout: 60_000 }).toMatch(/修改 1，移动 0，停用 0/);
    expect(await dialog.locator('li').allTextContents()).toEqual([`修改 ${NAME}第 ${edited} 行 · 联系人`]);
    await page.screenshot({ path: join(RESULTS_DIR, 'registry-import-1366.png') });
    // Only the dry run so far.
    const before = (await (await api(`${server.origin}/api/places/${id}`)).json()) as { properties: { contact: string } };
    expect(before.properties.contact).toBe('郑经理');

    await page.click('[data-testid="registry-import-apply"]');
    await expect.poll(() => dialog.locator('h2').textContent(), { timeout: 60_000 }).toBe('点位信息表已导入');
    const after = (await (await api(`${server.origin}/api/places/${id}`)).json()) as { properties: { contact: string } };
    expect(after.properties.contact).toBe('冯经理');
    await dialog.locator('button', { hasText: '关闭' }).click();
    expect(await dialog.count()).toBe(0);
  }, 120_000);

  it('lays a back street drawn by hand onto the streets (贴合道路), then saves it', async () => {
    const list = (await (await api(`${server.origin}/api/places?kind=back-street`)).json()) as { places: { id: string }[] };
    const street = (await (await api(`${server.origin}/api/places/${list.places[0].id}`)).json()) as { geometry: { type: string; coordinates: number[][] } };
    const line = street.geometry.type === 'LineString' ? street.geometry.coordinates : (street.geometry.coordinates as unknown as number[][][])[0];
    const picks: [number, number][] = [line[0], line[Math.floor(line.length / 2)], line[line.length - 1]].map((c) => [c[0] + 0.00003, c[1] + 0.00003]);
    await jumpAndSettle(page, picks[1], 17);
    await page.click('[data-testid="registry-add"]');
    await page.selectOption('[data-testid="registry-kind"]', 'back-street');
    await page.click('[data-testid="registry-draw"]');
    for (const p of picks) await clickMapAt(page, p);
    await clickMapAt(page, picks[2]); // a second click on the last point ends the line
    await page.click('[data-testid="registry-snap"]');
    await expect
      .poll(() => page.evaluate(() => window.__xunchaDraw!.getSnapshot().find((f) => f.geometry.type === 'LineString')?.geometry.coordinates.length ?? 0), {
        timeout: 30_000,
      })
      .toBeGreaterThanOrEqual(3);
    await page.fill('[data-testid="field-name"]', '贴合测试巷');
    await page.click('[data-testid="registry-save"]');
    await expect.poll(() => page.locator('[data-testid="place-editor"] h3').textContent(), { timeout: 30_000 }).toBe('贴合测试巷');
    const found = (await (await api(`${server.origin}/api/places?q=${encodeURIComponent('贴合测试巷')}`)).json()) as { places: { id: string }[] };
    const saved = (await (await api(`${server.origin}/api/places/${found.places[0].id}`)).json()) as { geometry: { type: string; coordinates: number[][] } };
    expect(saved.geometry.type).toBe('LineString');
    // On the streets: its ends moved off the clicks (4 m beside the lane) onto the network, a few metres at most.
    const metres = (a: number[], b: number[]) => Math.hypot((a[0] - b[0]) * 111_320 * Math.cos((a[1] * Math.PI) / 180), (a[1] - b[1]) * 110_574);
    const first = metres(saved.geometry.coordinates[0], picks[0]);
    expect(first).toBeGreaterThan(0.5);
    expect(first).toBeLessThan(30);
    expect(saved.geometry.coordinates.length).toBeGreaterThanOrEqual(3);
    await page.screenshot({ path: join(RESULTS_DIR, 'registry-snap-1366.png') });
    await page
      .locator('[data-testid="place-editor"] button[aria-label="关闭"], [data-testid="place-editor"] .close')
      .first()
      .click()
      .catch(() => undefined);
  }, 120_000);

  it('fits a 390×844 phone and a 1080p screen: no sideways scrolling, the list and the map both there', async () => {
    for (const [width, height] of [
      [390, 844],
      [1920, 1080],
    ] as const) {
      await page.setViewportSize({ width, height });
      await page.goto(`${server.origin}/registry`);
      await page.waitForSelector('.registry-count', { timeout: 60_000 });
      await waitForMapIdle(page);
      expect(await page.evaluate(() => document.documentElement.scrollWidth), `${width}`).toBeLessThanOrEqual(width);
      expect(await page.locator('.registry-list li').count()).toBeGreaterThan(0);
      await page.screenshot({ path: join(RESULTS_DIR, `registry-${width}.png`) });
      // A point opened shows its editor in full view (on the phone in place of the list's sheet).
      await page.locator('.registry-list li').first().click();
      const editor = page.locator('[data-testid="place-editor"]');
      await editor.locator('[data-testid="field-name"]').waitFor();
      const box = (await editor.boundingBox())!;
      expect(box.y + box.height, `${width}`).toBeLessThanOrEqual(height + 1);
      const hit = await page.evaluate(
        ([x, y]) => document.elementFromPoint(x, y)?.closest('[data-testid="place-editor"]') !== null,
        [box.x + box.width / 2, box.y + 40],
      );
      expect(hit, `the editor is on top at ${width}`).toBe(true);
      await page.screenshot({ path: join(RESULTS_DIR, `registry-editor-${width}.png`) });
      await editor.locator('.detail-close').click();
      if (width < 720)
        await expect
          .poll(() =>
            page
              .locator('.registry-sidebar')
              .boundingBox()
              .then((b) => (b?.y ?? 9999) < height),
          )
          .toBe(true);
    }
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.goto(`${server.origin}/registry`);
    await page.waitForSelector('.registry-count', { timeout: 60_000 });
  }, 120_000);

  it('merges map data saved by JOSM: the dry run names the new market, 应用 adds it with its OSM id', async () => {
    const [lng, lat] = [at[0] + 0.003, at[1]];
    const file = join(RESULTS_DIR, 'registry-josm.osm');
    writeFileSync(
      file,
      `<?xml version='1.0' encoding='UTF-8'?>\n<osm version='0.6' generator='JOSM'>\n  <node id='-25361' action='modify' lat='${lat}' lon='${lng}'>\n` +
        `    <tag k='amenity' v='marketplace' />\n    <tag k='name' v='运河农贸市场' />\n  </node>\n</osm>\n`,
    );
    await page.setInputFiles('[data-testid="registry-merge-file"]', file);
    const dialog = page.locator('[data-testid="registry-import"]');
    await expect.poll(() => dialog.locator('[data-testid="registry-import-counts"]').textContent(), { timeout: 60_000 }).toMatch(/共 1 个点位：新增 1/);
    expect(await dialog.locator('li').allTextContents()).toEqual(['新增 运河农贸市场农贸市场']);
    await page.screenshot({ path: join(RESULTS_DIR, 'registry-merge-1366.png') });
    await page.click('[data-testid="registry-import-apply"]');
    await expect.poll(() => dialog.locator('h2').textContent(), { timeout: 60_000 }).toBe('地图数据已合并');
    const added = (await (await api(`${server.origin}/api/places/mkn-25361`)).json()) as { properties: { name: string } };
    expect(added.properties.name).toBe('运河农贸市场');
    await dialog.locator('button', { hasText: '关闭' }).click();
  }, 120_000);
});
