/**
 * The 暗访片 (/screen/reel) in Chromium against the real server and demo city, opened as the wall PC
 * opens it: with a screen token, no sign-in. Four problems reported today through the API with a photo
 * each (the last with a clip instead), the second rectified with an after photo. The reel waits on its
 * title card (scope, count, the photos nobody has checked), then shows the problems in report order,
 * stepped with → and played by itself with sec=2, the rectified one with 整改前 and 整改后 side by side
 * and its map marking the place; it ends on its end card. 只放已审核的 leaves the unchecked photos out
 * (here: all of them, so the empty state says why), a period without photos shows the empty state,
 * the big screen and the ledger link to the reel with their own period and filters. At 1920×1080,
 * 3840×2160 and 1366×768 the slide's parts lie inside the screen, apart, clipping nothing; screenshots
 * go to /tmp/reel-shots/. No request leaves the app's origin.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AxeResults } from 'axe-core';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clip } from '../fixtures/media/clips';
import { jpegWithExif } from '../fixtures/media/photos';
import { apiAs, launchBrowser, ROOT, signIn, startServer, waitForMapIdle, type Browser, type RunningServer } from './harness';
import { boxes, expectBoxesLaidOut } from './screen-layout';

const SHOTS = '/tmp/reel-shots';
const AXE_SOURCE = readFileSync(join(ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

let server: RunningServer;
let token: string;
let admin: typeof fetch;
/** The problems made for the reel, in the order they were reported. */
const ids: string[] = [];
let rectifiedId: string;
let clipId: string;
let reelApi: { scope: string; unreviewed: number; slides: { id: string }[] };

interface Meta {
  city: { center: [number, number] };
  categories: { id: string; zh: string }[];
}

async function report(at: [number, number], category: string, description: string, file: { data: Buffer; name: string; type: string }): Promise<string> {
  const fd = new FormData();
  for (const [k, v] of Object.entries({ category, lng: at[0], lat: at[1], description, reporter: '暗访组 e2e', source: 'unannounced' })) fd.set(k, String(v));
  fd.append('photos', new File([new Uint8Array(file.data)], file.name, { type: file.type }));
  const res = await admin(`${server.origin}/api/problems`, { method: 'POST', body: fd });
  expect(res.status, await res.clone().text()).toBe(201);
  return ((await res.json()) as { problem: { id: string } }).problem.id;
}

async function move(id: string, body: object): Promise<void> {
  const res = await admin(`${server.origin}/api/problems/${id}/transitions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(res.status, await res.clone().text()).toBe(200);
}

const sleep = (ms: number) => new Promise((res) => setTimeout(res, ms));

beforeAll(async () => {
  server = await startServer();
  admin = await apiAs(server.origin, 'admin');
  const issued = await admin(`${server.origin}/api/screen-tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'e2e 暗访片' }),
  });
  expect(issued.status).toBe(201);
  token = ((await issued.json()) as { secret: string }).secret;
  const meta = (await (await admin(`${server.origin}/api/meta`)).json()) as Meta;
  const [c0, c1] = meta.city.center;
  const cats = meta.categories.slice(0, 4).map((c) => c.id);
  const photo = async (color: string) => ({ data: await jpegWithExif({ width: 1200, height: 900, color }), name: 'p.jpg', type: 'image/jpeg' });
  // A second apart, so report times differ whatever precision they are stored with.
  ids.push(await report([c0 - 0.004, c1 + 0.002], cats[0], '菜市场门口占道经营，摊位占用人行道', await photo('#b03a2e')));
  await sleep(1100);
  ids.push(await report([c0 + 0.003, c1 - 0.002], cats[1], '小区北门垃圾桶满溢，周边有暴露垃圾', await photo('#7d6608')));
  await sleep(1100);
  ids.push(await report([c0 + 0.001, c1 + 0.004], cats[2], '背街小巷墙面张贴小广告', await photo('#1f618d')));
  await sleep(1100);
  ids.push(
    await report([c0 - 0.002, c1 - 0.003], cats[3], '路口电动车乱停乱放（视频）', { data: clip('clip-2s.webm'), name: 'lane.webm', type: 'video/webm' }),
  );
  [, rectifiedId, , clipId] = ids;

  const fd = new FormData();
  fd.append('photos', new File([new Uint8Array((await photo('#1e8449')).data)], 'after.jpg', { type: 'image/jpeg' }));
  const up = await admin(`${server.origin}/api/media`, { method: 'POST', body: fd });
  expect(up.status, await up.clone().text()).toBe(200);
  const after = ((await up.json()) as { photos: { hash: string }[] }).photos[0].hash;
  await move(rectifiedId, { to: 'assigned', note: '请当日清运' });
  await move(rectifiedId, { to: 'rectified', note: '已清运，附照片', photos: [after] });

  const res = await admin(`${server.origin}/api/screen/reel?from=${today()}&to=${today()}`);
  expect(res.status, await res.clone().text()).toBe(200);
  reelApi = (await res.json()) as typeof reelApi;
  mkdirSync(SHOTS, { recursive: true });
});

afterAll(async () => {
  await server?.stop();
});

function today(): string {
  return new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
}

/** Opens the reel with the screen token and waits for its title card and its map. */
async function openReel(browser: Browser, query: string): Promise<Page> {
  const page = await browser.context.newPage();
  await page.goto(`${server.origin}/screen/reel?screen_token=${token}&lang=zh${query}`);
  await page.waitForSelector('[data-testid="reel-title"], [data-testid="reel-empty"], [data-testid="reel-error"]', { timeout: 60_000 });
  return page;
}

const currentId = (page: Page) => page.getAttribute('[data-testid="reel-slide"]', 'data-problem-id', { timeout: 10_000 });

/** The slide's parts are inside the viewport, apart from one another, and none clips its text. */
async function checkSlideLayout(page: Page): Promise<void> {
  const size = page.viewportSize()!;
  const all = await boxes(page);
  expect(all.map((b) => b.name).sort()).toEqual(['info', 'map', 'media']);
  // The map sits inside the info column: checked against the photo, not against its own column.
  const outer = all.filter((b) => b.name !== 'map');
  expectBoxesLaidOut(outer, size.width, size.height);
  expectBoxesLaidOut(
    all.filter((b) => b.name !== 'info'),
    size.width,
    size.height,
  );
  const scroll = await page.evaluate(() => ({ w: document.documentElement.scrollWidth, h: document.documentElement.scrollHeight }));
  expect(scroll).toEqual({ w: size.width, h: size.height });
}

async function shot(page: Page, name: string): Promise<void> {
  writeFileSync(join(SHOTS, name), await page.screenshot({ type: 'png', animations: 'disabled' }));
}

describe('the reel at 1920×1080', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser({ width: 1920, height: 1080 });
  });
  afterAll(async () => browser?.close());

  it('the API puts the four problems in report order, with their photos unchecked', () => {
    expect(reelApi.slides.map((s) => s.id)).toEqual(ids);
    // Four report photos and clips and one after photo, none checked yet.
    expect(reelApi.unreviewed).toBe(5);
  });

  it('waits on a title card saying what it covers and how many photos nobody has checked', async () => {
    const page = await openReel(browser, '&period=1d&sec=2');
    expect(await page.locator('.topbar').count()).toBe(0);
    expect(await page.textContent('[data-testid="reel-scope"]')).toBe(reelApi.scope);
    expect(await page.textContent('[data-testid="reel-count"]')).toMatch(/^本片 4 个问题，约 \d+ 秒$/);
    expect(await page.textContent('[data-testid="reel-unreviewed"]')).toBe(`其中 ${reelApi.unreviewed} 张照片/视频尚未打码审核`);
    expect(await page.isChecked('[data-testid="reel-reviewed"]')).toBe(false);
    // It does not start by itself: the presenter starts it.
    await sleep(2500);
    expect(await page.getAttribute('[data-testid="reel-show"]', 'data-pos')).toBe('0');
    await waitForMapIdle(page);
    await shot(page, 'title-1080.png');
    await page.close();
  });

  it('steps through the problems in report order with →, the rectified one before and after', async () => {
    const page = await openReel(browser, '&period=1d&sec=30');
    const seen: (string | null)[] = [];
    for (let i = 0; i < ids.length; i++) {
      await page.keyboard.press('ArrowRight');
      await page.waitForSelector(`[data-testid="reel-slide"][data-problem-id="${ids[i]}"]`, { timeout: 10_000 });
      seen.push(await currentId(page));
      expect(await page.textContent('[data-testid="reel-counter"]')).toBe(`${i + 1} / 4`);
      const pair = await page.locator('.reel-figure-label').allTextContents();
      if (ids[i] === rectifiedId) {
        expect(pair).toEqual(['整改前', '整改后']);
        expect(await page.textContent('[data-testid="reel-days"]')).toBe('当天整改');
        await waitForMapIdle(page);
        await checkSlideLayout(page);
        await shot(page, 'rectified-1080.png');
      } else {
        expect(pair).toEqual([]);
        // The clip plays muted and inline (browsers autoplay only muted video), with its poster meanwhile.
        if (ids[i] === clipId)
          expect(await page.$eval('[data-testid="reel-clip"]', (v) => [(v as HTMLVideoElement).muted, v.hasAttribute('playsinline')])).toEqual([true, true]);
        expect(await page.textContent('[data-testid="reel-days"]')).toBe('今日发现，尚未整改');
      }
    }
    expect(seen).toEqual(ids);
    // Photos and clips are asked for with the wall's token (an <img> cannot send the header).
    const clipSrc = await page.getAttribute('[data-testid="reel-clip"]', 'src');
    expect(clipSrc).toContain(`screen_token=${token}`);
    await page.keyboard.press('ArrowLeft');
    expect(await currentId(page)).toBe(ids[2]);
    expect(await page.getAttribute('[data-testid="reel-before"] img', 'src')).toContain(`screen_token=${token}`);
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await page.waitForSelector('[data-testid="reel-end"]');
    expect(await page.textContent('[data-testid="reel-end-count"]')).toBe('共 4 个问题');
    await shot(page, 'end-1080.png');
    await page.close();
  });

  it('plays by itself with sec=2: each photo about two seconds, the clip to its end, then the end card', async () => {
    const page = await openReel(browser, '&period=1d&sec=2');
    await waitForMapIdle(page);
    // The slide changes as the page shows them, with the time of each, recorded from before the start.
    await page.evaluate(() => {
      const out: { id: string | null; at: number }[] = [];
      (window as unknown as { __reelChanges: typeof out }).__reelChanges = out;
      const read = () => {
        const id = document.querySelector('[data-testid="reel-slide"]')?.getAttribute('data-problem-id') ?? null;
        const now = id ?? (document.querySelector('[data-testid="reel-end"]') ? 'end' : null);
        if (now && (out.length === 0 || out[out.length - 1].id !== now)) out.push({ id: now, at: performance.now() });
        if (now !== 'end') requestAnimationFrame(read);
      };
      read();
    });
    await page.keyboard.press('Space');
    await page.waitForSelector('[data-testid="reel-end"]', { timeout: 30_000 });
    const changes = await page.evaluate(() => (window as unknown as { __reelChanges: { id: string | null; at: number }[] }).__reelChanges);
    expect(changes.map((c) => c.id)).toEqual([...ids, 'end']);
    const lengths = changes.slice(1).map((c, i) => c.at - changes[i].at);
    // Three photo slides of 2 s; the clip (2 s) plays to its end, which is at least the photo time.
    for (const ms of lengths.slice(0, 3)) expect(ms).toBeGreaterThan(1_900);
    for (const ms of lengths.slice(0, 3)) expect(ms).toBeLessThan(3_500);
    expect(lengths[3]).toBeGreaterThan(1_900);
    expect(lengths[3]).toBeLessThan(2_000 + 3_000 + 1_000);
    await page.close();
  });

  it('pauses with Space and keeps the slide', async () => {
    const page = await openReel(browser, '&period=1d&sec=2');
    await page.click('[data-testid="reel-start"]');
    expect(await currentId(page)).toBe(ids[0]);
    await page.keyboard.press('Space');
    expect(await page.getAttribute('[data-testid="reel-show"]', 'data-playing')).toBe('false');
    await sleep(3000);
    expect(await currentId(page)).toBe(ids[0]);
    await page.keyboard.press('Space');
    await page.waitForSelector(`[data-testid="reel-slide"][data-problem-id="${ids[1]}"]`, { timeout: 5_000 });
    await page.close();
  });

  it('leaves the unchecked photos out with 只放已审核的, and says why the reel is then empty', async () => {
    const page = await openReel(browser, '&period=1d');
    await page.click('.reel-switch');
    await page.waitForSelector('[data-testid="reel-empty"]', { timeout: 30_000 });
    expect(new URL(page.url()).searchParams.get('reviewed')).toBe('1');
    const text = await page.textContent('[data-testid="reel-empty"]');
    expect(text).toContain('该时段没有带照片或视频的问题');
    expect(text).toContain('已打开「只放已审核的」');
    expect(await page.isChecked('[data-testid="reel-reviewed"]')).toBe(true);
    await page.click('.reel-switch');
    await page.waitForSelector('[data-testid="reel-title"]', { timeout: 30_000 });
    expect(new URL(page.url()).searchParams.get('reviewed')).toBeNull();
    await page.close();
  });

  it('shows the empty state, and a way out, for a period without photos', async () => {
    const page = await openReel(browser, '&period=2020-01-01..2020-01-07');
    await page.waitForSelector('[data-testid="reel-empty"]');
    const text = await page.textContent('[data-testid="reel-empty"]');
    expect(text).toContain('该时段没有带照片或视频的问题');
    expect(await page.getAttribute('[data-testid="reel-wider"]', 'href')).toContain('period=30d');
    await shot(page, 'empty-1080.png');
    // Esc goes back to the big screen with the wall's token.
    await page.keyboard.press('Escape');
    await page.waitForURL((u) => u.pathname === '/screen', { timeout: 30_000 });
    expect(new URL(page.url()).searchParams.get('screen_token')).toBe(token);
    await page.close();
  });

  it('has no serious accessibility faults on its title card and a slide (axe-core)', async () => {
    const page = await openReel(browser, '&period=1d&sec=30');
    const serious = async () => {
      // Through the DevTools protocol: the server's CSP refuses an inline <script>.
      await page.evaluate(AXE_SOURCE);
      return page.evaluate(async () => {
        const axe = (window as unknown as { axe: { run: (context: Document) => Promise<AxeResults> } }).axe;
        const result = await axe.run(document);
        return result.violations
          .filter((v) => v.impact === 'critical' || v.impact === 'serious')
          .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`);
      });
    };
    expect(await serious()).toEqual([]);
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await page.waitForSelector(`[data-testid="reel-slide"][data-problem-id="${rectifiedId}"]`);
    await page.mouse.move(400, 400);
    expect(await serious()).toEqual([]);
    await page.close();
  });

  it('speaks English with lang=en, the title worded from the same parameters', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${server.origin}/screen/reel?screen_token=${token}&period=1d&lang=en`);
    await page.waitForSelector('[data-testid="reel-title"]', { timeout: 60_000 });
    expect(await page.textContent('[data-testid="reel-scope"]')).toMatch(/ · over the last 1 day$/);
    expect(await page.textContent('[data-testid="reel-count"]')).toMatch(/^Problems in this reel: 4, about \d+ s$/);
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    expect(await page.locator('.reel-figure-label').allTextContents()).toEqual(['Before', 'After']);
    expect(await page.textContent('[data-testid="reel-days"]')).toBe('Rectified the same day');
    await page.close();
  });

  it('is linked from the big screen with its district, period and token', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${server.origin}/screen?screen_token=${token}&period=30d&lang=zh`);
    const link = page.locator('[data-testid="screen-reel-link"]');
    await link.waitFor({ timeout: 60_000 });
    expect(await link.getAttribute('href')).toBe(`/screen/reel?screen_token=${token}&period=30d&lang=zh`);
    await page.close();
  });

  it('makes no request outside its own origin', () => {
    const outside = browser.requests.filter((u) => !u.startsWith(server.origin) && !u.startsWith('data:') && !u.startsWith('blob:'));
    expect(outside).toEqual([]);
  });
});

describe('the reel from the ledger', () => {
  it("opens with the ledger's period and filters", async () => {
    const browser = await launchBrowser({ width: 1366, height: 768 });
    try {
      await signIn(browser.context, server.origin, 'leader');
      const page = await browser.context.newPage();
      await page.goto(`${server.origin}/ledger?from=${today()}&to=${today()}&status=reported&lang=zh`);
      const link = page.locator('[data-testid="ledger-reel"]');
      await link.waitFor({ timeout: 60_000 });
      expect(await link.getAttribute('href')).toBe(`/screen/reel?period=${today()}..${today()}&status=reported&lang=zh`);
      expect(await link.getAttribute('target')).toBe('_blank');
      const [reel] = await Promise.all([browser.context.waitForEvent('page'), link.click()]);
      await reel.waitForSelector('[data-testid="reel-title"]', { timeout: 60_000 });
      // The rectified problem is not `reported`: three of the four remain.
      expect(await reel.textContent('[data-testid="reel-count"]')).toMatch(/^本片 3 个问题/);
    } finally {
      await browser.close();
    }
  });
});

describe.each([
  { width: 3840, height: 2160, name: '2160' },
  { width: 1366, height: 768, name: '768' },
])('the reel at $width×$height', ({ width, height, name }) => {
  it('lays the title card and the slides out inside the screen', async () => {
    const browser = await launchBrowser({ width, height });
    try {
      const page = await openReel(browser, '&period=1d&sec=30');
      await waitForMapIdle(page);
      await shot(page, `title-${name}.png`);
      for (const id of ids) {
        await page.keyboard.press('ArrowRight');
        await page.waitForSelector(`[data-testid="reel-slide"][data-problem-id="${id}"]`);
        await checkSlideLayout(page);
        if (id === rectifiedId || id === ids[0]) {
          await waitForMapIdle(page);
          await shot(page, `${id === rectifiedId ? 'rectified' : 'photo'}-${name}.png`);
        }
      }
      // The controls show on a mouse move and fade when it rests.
      await page.mouse.move(width / 2, height / 2);
      expect(await page.locator('.reel-idle').count()).toBe(0);
      await shot(page, `controls-${name}.png`);
      await page.waitForSelector('.reel-idle', { timeout: 10_000 });
      await page.close();
    } finally {
      await browser.close();
    }
  });
});
