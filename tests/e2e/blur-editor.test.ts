/**
 * 曝光前打码 in a real browser against the real server: an inspector opens a reported problem from the
 * ledger, drags a rectangle over its photo in the blur editor (mouse on a laptop, touch on a phone),
 * sees the mosaic preview, saves, and the server's blurred copy is what the thumbnail's toggle shows
 * (other bytes than the original's); the check is undone and the photo excluded; a clip can only be
 * marked. Screenshots go to /tmp/blur-shots/.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HistoryResponse, PhotoRef, Redaction } from '../../server/contract';
import { clip } from '../fixtures/media/clips';
import { apiAs, launchBrowser, signIn, startServer, type Browser, type RunningServer } from './harness';

const SHOTS = '/tmp/blur-shots';
const LAPTOP = { width: 1366, height: 768 };
const PHONE = { width: 390, height: 844 };
const TAG = `打码测试 ${Date.now()}`;

let server: RunningServer;
let browser: Browser;
let page: Page;
let api: typeof fetch;
let at: [number, number];

/**
 * A 1200 × 900 street scene of shapes, so a mosaic visibly changes it: stripes, a "face" (a disc with
 * eyes) and a "number plate" (a white plate with dark bars).
 */
function structuredJpeg(hue: number): Promise<Buffer> {
  const stripes = Array.from({ length: 24 }, (_, i) => `<rect x="${i * 50}" y="0" width="25" height="900" fill="hsl(${hue} 40% ${30 + (i % 3) * 15}%)"/>`).join(
    '',
  );
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="900">
    <rect width="1200" height="900" fill="hsl(${hue} 30% 70%)"/>${stripes}
    <circle cx="420" cy="380" r="120" fill="#f1c27d" stroke="#222" stroke-width="8"/>
    <circle cx="380" cy="350" r="16" fill="#111"/><circle cx="460" cy="350" r="16" fill="#111"/>
    <rect x="360" y="420" width="120" height="20" fill="#8b1a1a"/>
    <rect x="760" y="640" width="300" height="100" fill="#fff" stroke="#0d47a1" stroke-width="10"/>
    ${Array.from({ length: 7 }, (_, i) => `<rect x="${785 + i * 38}" y="660" width="22" height="60" fill="#111"/>`).join('')}
  </svg>`;
  return sharp(Buffer.from(svg)).jpeg({ quality: 90 }).toBuffer();
}

/** Reports a problem with `files` (as the field page posts it); returns its id and its media. */
async function report(description: string, files: { data: Buffer; name: string; type: string }[]): Promise<{ id: string; photos: PhotoRef[] }> {
  const form = new FormData();
  for (const [k, v] of Object.entries({ category: 'occupy-road', lng: at[0], lat: at[1], description, reporter: '督查组 e2e' })) form.set(k, String(v));
  for (const f of files) form.append('photos', new File([new Uint8Array(f.data)], f.name, { type: f.type }));
  const res = await api(`${server.origin}/api/problems`, { method: 'POST', body: form, headers: { 'Idempotency-Key': crypto.randomUUID() } });
  expect(res.status, await res.clone().text()).toBe(201);
  const body = (await res.json()) as { problem: { id: string }; photos: PhotoRef[] };
  return { id: body.problem.id, photos: body.photos };
}

async function redactionOf(hash: string): Promise<Redaction | null> {
  const res = await api(`${server.origin}/api/media/${hash}/redaction`);
  expect(res.status).toBe(200);
  return (await res.json()) as Redaction | null;
}

async function bytes(url: string): Promise<Buffer> {
  const res = await api(new URL(url, server.origin).href);
  expect(res.status).toBe(200);
  return Buffer.from(await res.arrayBuffer());
}

async function shoot(name: string): Promise<void> {
  writeFileSync(join(SHOTS, name), await page.screenshot({ type: 'png' }));
}

/** Opens the problem's detail from the ledger (searched by its description), as a clerk would. */
async function openFromLedger(description: string, id: string): Promise<Locator> {
  await page.goto(`${server.origin}/ledger`);
  await page.locator('[data-testid="ledger-table"]').waitFor();
  await page.fill('[data-testid="ledger-search"]', description);
  await expect.poll(() => page.textContent('[data-testid="ledger-total"]'), { timeout: 20_000 }).toMatch(/共 1 条/);
  await page.locator(`[data-testid="ledger-row-${id}"]`).click();
  const panel = page.locator('[data-testid="detail-panel"]');
  await panel.locator('[data-testid="photo-compare"]').waitFor();
  return panel;
}

/** The blur editor once its photo is loaded and fitted (the stage has its size). */
async function openEditor(item: Locator): Promise<Locator> {
  await item.locator('[data-testid="blur-open"]').click();
  const editor = page.locator('[data-testid="blur-editor"]');
  await editor.waitFor();
  await expect.poll(() => editor.locator('[data-testid="blur-state"]').textContent()).not.toBe('正在读取审核记录…');
  return editor;
}

async function stageBox(editor: Locator) {
  const stage = editor.locator('[data-testid="blur-stage"]');
  await expect.poll(async () => (await stage.boundingBox())?.width ?? 0, { timeout: 15_000 }).toBeGreaterThan(100);
  const box = await stage.boundingBox();
  return box!;
}

/** Share of the preview canvas's pixels inside `r` (shares) that are drawn (not transparent). */
function previewCoverage(editor: Locator, r: { x: number; y: number; w: number; h: number }): Promise<number> {
  return editor.locator('[data-testid="blur-preview"]').evaluate((c: HTMLCanvasElement, r) => {
    const ctx = c.getContext('2d')!;
    const x = Math.round((r.x + 0.02) * c.width);
    const y = Math.round((r.y + 0.02) * c.height);
    const w = Math.round((r.w - 0.04) * c.width);
    const h = Math.round((r.h - 0.04) * c.height);
    const data = ctx.getImageData(x, y, w, h).data;
    let drawn = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] > 0) drawn++;
    return drawn / (w * h);
  }, r);
}

const near = (a: number, b: number) => Math.abs(a - b) < 0.01;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  server = await startServer();
  browser = await launchBrowser(LAPTOP);
  await signIn(browser.context, server.origin, 'inspector');
  api = await apiAs(server.origin, 'inspector');
  page = await browser.context.newPage();
  const meta = (await (await api(`${server.origin}/api/meta`)).json()) as { city: { center: [number, number] } };
  at = meta.city.center;
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('the blur editor (曝光前打码)', () => {
  let photo: PhotoRef;
  let video: PhotoRef;
  let problem: string;
  const description = `${TAG} 笔记本`;

  it('seeds a report with a photo and a clip', async () => {
    const r = await report(description, [
      { data: await structuredJpeg(200), name: 'scene.jpg', type: 'image/jpeg' },
      { data: clip('clip-2s.webm'), name: 'lane.webm', type: 'video/webm' },
    ]);
    problem = r.id;
    photo = r.photos.find((p) => p.kind !== 'video')!;
    video = r.photos.find((p) => p.kind === 'video')!;
    expect(photo).toMatchObject({ width: 1200, height: 900 });
    expect(video).toBeDefined();
  });

  it('at 1366 × 768: drags a rectangle with the mouse, previews the mosaic and saves the blurred copy', async () => {
    const panel = await openFromLedger(description, problem);
    const item = panel.locator(`[data-testid="media-item"][data-hash="${photo.hash}"]`);
    await expect.poll(() => item.locator('[data-testid="redaction-badge"]').textContent()).toBe('未审核');
    await shoot('01-panel-unchecked-1366.png');

    const editor = await openEditor(item);
    expect(await editor.locator('[data-testid="blur-state"]').textContent()).toBe('当前：未审核');
    expect(await editor.locator('[data-testid="blur-save"]').isDisabled()).toBe(true);
    const box = await stageBox(editor);
    // Over the "face": from 20 % × 25 % to 50 % × 60 % of the picture.
    const drag = { x: 0.2, y: 0.25, w: 0.3, h: 0.35 };
    await page.mouse.move(box.x + drag.x * box.width, box.y + drag.y * box.height);
    await page.mouse.down();
    await page.mouse.move(box.x + 0.35 * box.width, box.y + 0.4 * box.height, { steps: 5 });
    await page.mouse.move(box.x + (drag.x + drag.w) * box.width, box.y + (drag.y + drag.h) * box.height, { steps: 5 });
    await page.mouse.up();
    await expect.poll(() => editor.locator('[data-testid="blur-count"]').textContent()).toBe('1 / 40 个区域');
    // A click is no rectangle.
    await page.mouse.click(box.x + 0.8 * box.width, box.y + 0.2 * box.height);
    expect(await editor.locator('[data-testid="blur-count"]').textContent()).toBe('1 / 40 个区域');
    // The preview covers the rectangle, and nothing outside it.
    await expect.poll(() => previewCoverage(editor, drag)).toBe(1);
    expect(await previewCoverage(editor, { x: 0.6, y: 0.05, w: 0.3, h: 0.2 })).toBe(0);
    await shoot('02-editor-drawn-1366.png');

    // A second one, removed by its ×, then put back with 撤销上一步.
    await page.mouse.move(box.x + 0.65 * box.width, box.y + 0.72 * box.height);
    await page.mouse.down();
    await page.mouse.move(box.x + 0.88 * box.width, box.y + 0.82 * box.height, { steps: 4 });
    await page.mouse.up();
    await expect.poll(() => editor.locator('[data-testid="blur-count"]').textContent()).toBe('2 / 40 个区域');
    await editor.getByRole('button', { name: '删除打码区域 2' }).click();
    await expect.poll(() => editor.locator('[data-testid="blur-count"]').textContent()).toBe('1 / 40 个区域');
    await editor.locator('[data-testid="blur-undo"]').click();
    await expect.poll(() => editor.locator('[data-testid="blur-count"]').textContent()).toBe('2 / 40 个区域');
    // Selected (by a click) and removed with the Delete key.
    await editor.getByRole('button', { name: '打码区域 2', exact: true }).click();
    await page.keyboard.press('Delete');
    await expect.poll(() => editor.locator('[data-testid="blur-count"]').textContent()).toBe('1 / 40 个区域');

    await editor.locator('[data-testid="blur-save"]').click();
    const result = editor.locator('[data-testid="blur-result"]');
    await result.waitFor({ timeout: 30_000 });
    await expect.poll(() => result.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
    await shoot('03-editor-saved-1366.png');
    await editor.locator('[data-testid="blur-done"]').click();
    await editor.waitFor({ state: 'detached' });
    await expect.poll(() => item.locator('[data-testid="redaction-badge"]').textContent()).toBe('已打码');

    const stored = await redactionOf(photo.hash);
    expect(stored?.status).toBe('blurred');
    expect(stored?.regions).toHaveLength(1);
    const r = stored!.regions[0];
    expect([near(r.x, drag.x), near(r.y, drag.y), near(r.w, drag.w), near(r.h, drag.h)], JSON.stringify(r)).toEqual([true, true, true, true]);
    expect(stored?.by).toBeTruthy();

    // The history carries the copy; its thumbnail is other bytes than the original's.
    const history = (await (await api(`${server.origin}/api/problems/${problem}/history`)).json()) as HistoryResponse;
    const ref = history.photos.find((p) => p.hash === photo.hash)!;
    expect(ref.redaction).toMatchObject({ status: 'blurred' });
    const blurredThumb = await bytes(ref.redaction!.thumbUrl!);
    const originalThumb = await bytes(photo.thumbUrl);
    expect(blurredThumb.equals(originalThumb)).toBe(false);
    expect(Buffer.compare(await bytes(ref.redaction!.screenUrl!), await bytes(photo.screenUrl))).not.toBe(0);

    // The record shows the original; the toggle shows the blurred copy.
    const thumb = item.locator('[data-testid="photo-thumb"]');
    expect(await thumb.getAttribute('src')).toBe(photo.thumbUrl);
    await item.locator('[data-testid="blur-toggle"]').click();
    await expect.poll(() => thumb.getAttribute('src')).toBe(ref.redaction!.thumbUrl);
    await expect.poll(() => thumb.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
    await shoot('04-panel-blurred-1366.png');
    await item.locator('[data-testid="blur-toggle"]').click();
    await expect.poll(() => thumb.getAttribute('src')).toBe(photo.thumbUrl);
  });

  it('opens a checked photo with its rectangles, undoes the check, then excludes it', async () => {
    const panel = page.locator('[data-testid="detail-panel"]');
    const item = panel.locator(`[data-testid="media-item"][data-hash="${photo.hash}"]`);
    let editor = await openEditor(item);
    await expect.poll(() => editor.locator('[data-testid="blur-state"]').textContent()).toMatch(/^当前：已打码（.+ 于 .+ 审核）$/);
    expect(await editor.locator('[data-testid="blur-count"]').textContent()).toBe('1 / 40 个区域');
    await stageBox(editor);
    await expect.poll(() => editor.locator('.blur-region').count()).toBe(1);
    // Esc closes without a change.
    await page.keyboard.press('Escape');
    await editor.waitFor({ state: 'detached' });
    expect((await redactionOf(photo.hash))?.status).toBe('blurred');

    editor = await openEditor(item);
    await editor.locator('[data-testid="blur-uncheck"]').click();
    await editor.waitFor({ state: 'detached' });
    await expect.poll(() => item.locator('[data-testid="redaction-badge"]').textContent()).toBe('未审核');
    expect(await redactionOf(photo.hash)).toBeNull();
    expect(await item.locator('[data-testid="blur-toggle"]').count()).toBe(0);

    editor = await openEditor(item);
    expect(await editor.locator('[data-testid="blur-uncheck"]').count()).toBe(0);
    await editor.locator('[data-testid="blur-exclude"]').click();
    await editor.waitFor({ state: 'detached' });
    await expect.poll(() => item.locator('[data-testid="redaction-badge"]').textContent()).toBe('不曝光');
    expect(await redactionOf(photo.hash)).toMatchObject({ status: 'excluded', regions: [], blurred: null });
  });

  it('offers a clip only 无需打码 and 不用于曝光', async () => {
    const panel = page.locator('[data-testid="detail-panel"]');
    const item = panel.locator(`[data-testid="media-item"][data-hash="${video.hash}"]`);
    await expect.poll(() => item.locator('[data-testid="redaction-badge"]').textContent()).toBe('未审核');
    const editor = await openEditor(item);
    expect(await editor.textContent()).toContain('巡查无法给视频打码');
    expect(await editor.locator('[data-testid="blur-stage"]').count()).toBe(0);
    expect(await editor.locator('[data-testid="blur-save"]').count()).toBe(0);
    await shoot('05-editor-clip-1366.png');
    await editor.locator('[data-testid="blur-clear"]').click();
    await editor.waitFor({ state: 'detached' });
    await expect.poll(() => item.locator('[data-testid="redaction-badge"]').textContent()).toBe('无需打码');
    expect((await redactionOf(video.hash))?.status).toBe('clear');
  });

  it('at 390 × 844: drags a rectangle by touch and saves it', async () => {
    const phoneDescription = `${TAG} 手机`;
    const r = await report(phoneDescription, [{ data: await structuredJpeg(30), name: 'plate.jpg', type: 'image/jpeg' }]);
    const phonePhoto = r.photos[0];
    await page.setViewportSize(PHONE);
    const panel = await openFromLedger(phoneDescription, r.id);
    const item = panel.locator(`[data-testid="media-item"][data-hash="${phonePhoto.hash}"]`);
    await item.scrollIntoViewIfNeeded();
    await expect.poll(() => item.locator('[data-testid="redaction-badge"]').textContent()).toBe('未审核');
    await shoot('06-panel-390.png');
    const editor = await openEditor(item);
    const box = await stageBox(editor);
    expect(box.width).toBeLessThanOrEqual(PHONE.width);
    // The buttons are on the screen, under the picture.
    const save = await editor.locator('[data-testid="blur-save"]').boundingBox();
    expect(save!.y + save!.height).toBeLessThanOrEqual(PHONE.height);
    expect(save!.y).toBeGreaterThan(box.y + box.height - 1);

    // Touch, through the DevTools protocol (the harness's context has no touch screen of its own).
    const cdp = await browser.context.newCDPSession(page);
    await cdp.send('Emulation.setTouchEmulationEnabled', { enabled: true, maxTouchPoints: 1 });
    // Which pointer the stage saw (listening before the touch, read after it).
    await editor
      .locator('[data-testid="blur-stage"]')
      .evaluate((el) => el.addEventListener('pointerdown', (e) => el.setAttribute('data-last-pointer', (e as PointerEvent).pointerType), { once: true }));
    // Over the "plate": 62 % × 70 % to 90 % × 84 %.
    const drag = { x: 0.62, y: 0.7, w: 0.28, h: 0.14 };
    const point = (sx: number, sy: number) => [{ x: box.x + sx * box.width, y: box.y + sy * box.height, id: 1 }];
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: point(drag.x, drag.y) });
    for (let i = 1; i <= 6; i++) {
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: point(drag.x + (drag.w * i) / 6, drag.y + (drag.h * i) / 6) });
    }
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    expect(await editor.locator('[data-testid="blur-stage"]').getAttribute('data-last-pointer')).toBe('touch');
    await expect.poll(() => editor.locator('[data-testid="blur-count"]').textContent()).toBe('1 / 40 个区域');
    await expect.poll(() => previewCoverage(editor, drag)).toBe(1);
    await shoot('07-editor-drawn-390.png');

    // The tap on 保存打码 by touch too, as a person's: not within Chromium's double-tap time of the drag's end
    // (a tap at once is taken for the second of a double tap, and no click follows).
    await new Promise((r) => setTimeout(r, 600));
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x: save!.x + save!.width / 2, y: save!.y + save!.height / 2, id: 2 }] });
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    await editor.locator('[data-testid="blur-result"]').waitFor({ timeout: 30_000 });
    await shoot('08-editor-saved-390.png');
    await editor.locator('[data-testid="blur-done"]').click();
    await editor.waitFor({ state: 'detached' });
    await expect.poll(() => item.locator('[data-testid="redaction-badge"]').textContent()).toBe('已打码');
    await shoot('09-panel-blurred-390.png');
    const stored = (await redactionOf(phonePhoto.hash))!;
    const got = stored.regions[0];
    expect([near(got.x, drag.x), near(got.y, drag.y), near(got.w, drag.w), near(got.h, drag.h)], JSON.stringify(got)).toEqual([true, true, true, true]);
    await cdp.detach();
    await page.setViewportSize(LAPTOP);
  });

  it('made no request outside its own origin', () => {
    const outside = browser.requests.filter((u) => !u.startsWith(server.origin) && !u.startsWith('data:') && !u.startsWith('blob:'));
    expect(outside).toEqual([]);
  });
});
