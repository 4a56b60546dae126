/**
 * The big screen (/screen) in Chromium against the real server and demo city, opened the way a wall PC
 * opens it: with a screen token the administrator issued, no sign-in. At 1920×1080 and 3840×2160 every
 * panel and tile lies inside the viewport, none overlaps another and none clips its own content; a
 * problem posted through the API shows in the latest-reports list within 2 s (event stream → refetch);
 * the server restarted under the page leaves the figures up (marked stale after a minute) and the page
 * follows the new server. The charts are ECharts (SVG), only in the screen's chunk, updated in place;
 * the ticker scrolls when its twelve rows do not fit (not under reduced motion); `?period=` names the
 * period in the panel titles; the header counts down to the assessment window set through the API; a
 * 32:9 wall (3840×1080) spreads the panels into more columns.
 */
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jpegWithExif } from '../fixtures/media/photos';
import { apiAs, launchBrowser, RESULTS_DIR, ROOT, signIn, startServer, waitForMapIdle, type Browser, type RunningServer } from './harness';
import { boxes, expectBoxesLaidOut } from './screen-layout';

let server: RunningServer;
let token: string;
let admin: typeof fetch;
let meta: { city: { center: [number, number] }; subdistricts: { id: string; name: string }[] };
/** The assessment window set before the pages open: 165 days ahead of today (city time). */
let assessment: { name: string; start: string; end: string };

const DAY_MS = 86_400_000;
/** The city date (+08:00) `days` from now, YYYY-MM-DD. */
const cityDayFromNow = (days: number) => new Date(Date.now() + 8 * 3_600_000 + days * DAY_MS).toISOString().slice(0, 10);

function putAssessment(api: typeof fetch, body: unknown): Promise<Response> {
  return api(`${server.origin}/api/screen/assessment`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

beforeAll(async () => {
  server = await startServer();
  admin = await apiAs(server.origin, 'admin');
  const res = await admin(`${server.origin}/api/screen-tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'e2e 会议室大屏' }),
  });
  expect(res.status).toBe(201);
  token = ((await res.json()) as { secret: string }).secret;
  meta = (await (await admin(`${server.origin}/api/meta`)).json()) as typeof meta;
  const start = cityDayFromNow(165);
  assessment = { name: `${start.slice(0, 4)}年全国文明城市测评`, start, end: cityDayFromNow(195) };
  expect((await putAssessment(admin, assessment)).status).toBe(200);
});

afterAll(async () => {
  await server?.stop();
  writeFileSync(join(RESULTS_DIR, 'screen-paint.json'), `${JSON.stringify(paints, null, 2)}\n`);
});

async function checkLayout(page: Page, width: number, height: number): Promise<void> {
  const all = await boxes(page);
  expect(all.map((b) => b.name).sort()).toEqual(
    [
      'categories',
      'header',
      'kpi-look-backs',
      'kpi-on-time',
      'kpi-open',
      'kpi-overdue',
      'kpi-ready',
      'kpi-recurrence',
      'kpi-score-rate',
      'kpi-this-week',
      'latest',
      'map',
      'rank-subdistricts',
      'rank-units',
      'trend',
    ].sort(),
  );
  expectBoxesLaidOut(all, width, height);
  const scroll = await page.evaluate(() => ({ w: document.documentElement.scrollWidth, h: document.documentElement.scrollHeight }));
  expect(scroll).toEqual({ w: width, h: height });
}

/** First full paint (figures, charts drawn, map idle) per viewport, ms since navigation: reported, not asserted. */
const paints: Record<string, number> = {};

interface Summary {
  trend: { weekStart: string; count: number }[];
  categories: { zh: string; count: number }[];
  latest: { id: string }[];
}
/** The first summary each page loaded (the figures its charts must show). */
const summaries = new WeakMap<Page, { url: string; body: Summary }>();

async function openScreen(browser: Browser, query = ''): Promise<Page> {
  const page = await browser.context.newPage();
  const first = page.waitForResponse((r) => r.url().includes('/api/screen/summary') && r.status() === 200, { timeout: 60_000 });
  // The language sticks once a URL pins it: every page names its own (zh unless the test says).
  await page.goto(`${server.origin}/screen?screen_token=${token}${query}${query.includes('lang=') ? '' : '&lang=zh'}`);
  const res = await first;
  summaries.set(page, { url: res.url(), body: (await res.json()) as Summary });
  await page.waitForSelector('[data-testid="kpi-open"]', { timeout: 60_000 });
  await page.waitForSelector('[data-box="trend"] svg', { timeout: 60_000 });
  await waitForMapIdle(page);
  const size = page.viewportSize();
  const key = `${size?.width}x${size?.height}${query ? ` ${query}` : ''}`;
  paints[key] ??= Math.round(await page.evaluate(() => performance.now()));
  return page;
}

/** Waits for deck.gl (loaded and joined after the basemap's first idle) to have drawn, for a screenshot that shows the heat. */
async function deckDrawn(page: Page): Promise<void> {
  await page.waitForFunction(() => Boolean(window.__xunchaDeck), null, { timeout: 60_000 });
  await waitForMapIdle(page);
}

function saveScreenshot(name: string, png: Buffer): void {
  writeFileSync(join(RESULTS_DIR, name), png);
  mkdirSync(join(ROOT, 'data', 'screenshots'), { recursive: true });
  copyFileSync(join(RESULTS_DIR, name), join(ROOT, 'data', 'screenshots', name));
}

describe('the big screen at 1920×1080', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser({ width: 1920, height: 1080 });
  });
  afterAll(async () => browser?.close());

  it('fills the screen without overflow or overlap, with no top bar', async () => {
    const page = await openScreen(browser);
    expect(await page.locator('.topbar').count()).toBe(0);
    await checkLayout(page, 1920, 1080);
    expect(Number(await page.textContent('[data-testid="kpi-open"] .screen-kpi-value'))).toBeGreaterThan(0);
    // The screen token reads the 测评 figures: how many of the city's points are 迎检达标 in the last 30 days,
    // as the assessment API counts them (the demo city's check history makes some ready, not all).
    const readiness = (await (await admin(`${server.origin}/api/assessment/readiness?days=30&by=subdistrict`)).json()) as {
      totals: { ready: number; total: number };
    };
    expect(readiness.totals.ready).toBeGreaterThan(0);
    expect(readiness.totals.ready).toBeLessThan(readiness.totals.total);
    await expect
      .poll(() => page.textContent('[data-testid="kpi-ready"] .screen-kpi-note'), { timeout: 30_000 })
      .toBe(`${readiness.totals.ready} / ${readiness.totals.total} 个点位`);
    await deckDrawn(page);
    saveScreenshot('screen-1080.png', await page.screenshot({ type: 'png', animations: 'disabled' }));
    await page.close();
  });

  it('shows a problem posted through the API within 2 s', async () => {
    const page = await openScreen(browser);
    // The event stream is open once the page has listened for a moment; the report must not race it.
    await page.waitForTimeout(500);
    const before = Number(await page.textContent('[data-testid="kpi-this-week"] .screen-kpi-value'));
    const weekBefore = summaries.get(page)!.body.trend[11].count;
    const trendSvg = await page.$('[data-testid="chart-trend"] svg');
    if (!trendSvg) throw new Error('no trend chart');
    // The heat follows with the rows that changed (points.delta), not the whole points.bin again.
    const wholes: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/api/hotspots/points.bin')) wholes.push(r.url());
    });
    const delta = page.waitForResponse((r) => r.url().includes('/api/hotspots/points.delta'), { timeout: 15_000 });
    const form = new FormData();
    const at = meta.city.center;
    for (const [k, v] of Object.entries({ category: 'small-ads', lng: at[0], lat: at[1], description: `大屏测试 ${Date.now()}`, reporter: '督查组 e2e' }))
      form.set(k, String(v));
    form.append('photos', new File([new Uint8Array(await jpegWithExif({ color: '#e4572e' }))], 'p.jpg'));
    const res = await admin(`${server.origin}/api/problems`, { method: 'POST', body: form, headers: { 'Idempotency-Key': crypto.randomUUID() } });
    expect(res.status).toBe(201);
    const { problem } = (await res.json()) as { problem: { id: string } };
    await page.waitForSelector(`[data-testid="screen-latest"] li[data-id="${problem.id}"]`, { timeout: 2000 });
    expect(Number(await page.textContent('[data-testid="kpi-this-week"] .screen-kpi-value'))).toBe(before + 1);
    // The ticker keeps its twelve rows; the trend chart is updated in place (the same SVG node).
    expect(await page.locator('[data-testid="screen-latest"] li').count()).toBe(12);
    await expect
      .poll(() => trendSvg.evaluate((el, n) => el.isConnected && el.textContent!.includes(`本周至今 ${n}`), weekBefore + 1), { timeout: 3000 })
      .toBe(true);
    // …with its photo's thumbnail, which the wall PC may load with its token…
    const thumb = page.locator(`[data-testid="screen-latest"] li[data-id="${problem.id}"] img`);
    await expect.poll(() => thumb.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0), { timeout: 5000 }).toBe(true);
    // …and pulses on the map where it was reported.
    await expect
      .poll(() => page.evaluate(() => window.__xunchaMap!.queryRenderedFeatures({ layers: ['overlay-point'] }).map((f) => f.properties.id as string)), {
        timeout: 5000,
      })
      .toContain(problem.id);
    const changed = await delta;
    expect(changed.status()).toBe(200);
    expect((await changed.body()).byteLength).toBeLessThan(2000);
    expect(wholes).toEqual([]);
    await page.close();
  });

  it('pins the language and the subdistrict from the URL', async () => {
    const sd = meta.subdistricts[0];
    const page = await openScreen(browser, `&lang=en&district=${sd.id}`);
    expect(await page.textContent('[data-box="kpi-this-week"]')).toContain('Found this week');
    expect(await page.textContent('.screen-city')).toContain(sd.name);
    await checkLayout(page, 1920, 1080);
    await page.close();
  });

  it('says when a bookmarked parameter has a typo, and shows the default instead', async () => {
    const page = await openScreen(browser, '&period=fortnight');
    expect(await page.textContent('[data-testid="screen-url-note"]')).toContain('period=fortnight 无法识别');
    expect(await page.textContent('[data-box="categories"]')).toContain('近12周');
    await page.close();
  });

  it('draws the charts with ECharts as SVG from the summary, and follows the viewport', async () => {
    const page = await openScreen(browser);
    const s = summaries.get(page)!.body;
    const categories = page.locator('[data-testid="chart-categories"] svg');
    const trend = page.locator('[data-testid="chart-trend"] svg');
    // ECharts marks its container; the bars carry the top category's name and count.
    expect(await page.getAttribute('[data-testid="chart-categories"]', '_echarts_instance_')).toBeTruthy();
    const barText = await categories.textContent();
    expect(barText).toContain(s.categories[0].zh);
    expect(barText).toContain(String(s.categories[0].count));
    expect(await trend.textContent()).toContain(`本周至今 ${s.trend[11].count}`);
    // Resized with its box: the SVG spans the panel body at 1920 wide and again at 1600.
    const width = () =>
      page.evaluate(() => {
        const svg = document.querySelector('[data-testid="chart-trend"] svg')!.getBoundingClientRect().width;
        const box = document.querySelector('[data-testid="chart-trend"]')!.getBoundingClientRect().width;
        return { svg: Math.round(svg), box: Math.round(box) };
      });
    const wide = await width();
    expect(wide.svg).toBe(wide.box);
    await page.setViewportSize({ width: 1600, height: 900 });
    await expect
      .poll(
        async () => {
          const w = await width();
          return w.svg === w.box && w.box < wide.box;
        },
        { timeout: 5000 },
      )
      .toBe(true);
    await checkLayout(page, 1600, 900);
    await page.close();
  });

  it('keeps ECharts in the screen page chunks only (its charts load apart from the page)', () => {
    const assets = join(ROOT, 'dist', 'client', 'assets');
    const withECharts = readdirSync(assets).filter((f) => /\.(m?js)$/.test(f) && readFileSync(join(assets, f), 'latin1').includes('_echarts_instance_'));
    expect(withECharts).toHaveLength(1);
    expect(withECharts[0]).toMatch(/^charts-/);
  });

  it('counts down to the assessment window the administrator set', async () => {
    const page = await openScreen(browser);
    const countdown = page.locator('[data-testid="screen-countdown"]');
    expect(await countdown.textContent()).toBe(`距${assessment.name} 还有 165 天`);
    expect(await countdown.getAttribute('data-days')).toBe('165');
    await page.close();
    // During the window: the day of it (today is its third day), set on the 系统管理 page this time.
    await signIn(browser.context, server.origin, 'admin');
    const adminPage = await browser.context.newPage();
    await adminPage.goto(`${server.origin}/admin`);
    await adminPage.click('[data-testid="admin-tab-screens"]');
    const form = adminPage.locator('[data-testid="admin-assessment"]');
    await expect.poll(() => form.textContent()).toContain(assessment.start);
    await form.getByPlaceholder('如 2027年全国文明城市测评').fill('全国文明城市测评');
    await form.getByLabel('开始日期').fill(cityDayFromNow(-2));
    await form.getByLabel('结束日期').fill(cityDayFromNow(20));
    await form.getByRole('button', { name: '保存' }).click();
    await expect.poll(() => form.getByRole('status').textContent()).toContain(`全国文明城市测评，${cityDayFromNow(-2)} 至 ${cityDayFromNow(20)}`);
    await adminPage.close();
    // The wall PC is not signed in: back to its screen token only.
    await browser.context.clearCookies();
    const during = await openScreen(browser);
    expect(await during.textContent('[data-testid="screen-countdown"]')).toBe('测评进行中 · 第 3 天');
    await checkLayout(during, 1920, 1080);
    await during.close();
    // Removed: no countdown.
    expect((await admin(`${server.origin}/api/screen/assessment`, { method: 'DELETE' })).status).toBe(204);
    const none = await openScreen(browser);
    expect(await none.locator('[data-testid="screen-countdown"]').count()).toBe(0);
    await none.close();
    expect((await putAssessment(admin, assessment)).status).toBe(200);
  });

  it('scrolls the latest reports slowly when they do not fit, a fixed twelve rows, still under reduced motion', async () => {
    const page = await openScreen(browser);
    expect(await page.locator('[data-testid="screen-latest"] li').count()).toBe(12);
    const track = page.locator('[data-testid="screen-ticker"]');
    const anim = () =>
      track.evaluate((el) => ({
        name: getComputedStyle(el).animationName,
        state: getComputedStyle(el).animationPlayState,
        timing: getComputedStyle(el).animationTimingFunction,
      }));
    // One step per design pixel of the twelve rows (42 each), not a 60 fps glide.
    expect(await anim()).toEqual({ name: 'screen-ticker', state: 'running', timing: 'steps(504)' });
    await page.emulateMedia({ reducedMotion: 'reduce' });
    expect((await anim()).state).toBe('paused');
    await page.close();
  });

  it('names the period from ?period= in the panel titles and asks the server for it', async () => {
    const page = await openScreen(browser, '&period=30d');
    const { url } = summaries.get(page)!;
    const q = new URL(url).searchParams;
    expect(q.get('to')).toBe(cityDayFromNow(0));
    expect(q.get('from')).toBe(cityDayFromNow(-29));
    expect(await page.textContent('[data-box="categories"] .screen-panel-title')).toBe('问题类别 · 近30天');
    expect(await page.textContent('[data-box="rank-units"] .screen-panel-title')).toBe('责任单位红黑榜 · 近30天');
    await page.close();
  });
});

describe('a server restart under the page', () => {
  it('keeps the figures up while the server is away, marks them stale after a minute, and follows the new server', async () => {
    // A server of its own: this test takes it away under the page.
    const own = await startServer();
    const origin = own.origin;
    const browser = await launchBrowser({ width: 1920, height: 1080 });
    try {
      const api = await apiAs(origin, 'admin');
      const issued = await api(`${origin}/api/screen-tokens`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'e2e restart' }),
      });
      const secret = ((await issued.json()) as { secret: string }).secret;
      const page = await browser.context.newPage();
      // A page clock (flowing like the real one) lets the test jump past the one-minute stale bound.
      await page.clock.install();
      await page.goto(`${origin}/screen?screen_token=${secret}`);
      await page.waitForSelector('[data-testid="kpi-open"]', { timeout: 60_000 });
      const open = await page.textContent('[data-testid="kpi-open"] .screen-kpi-value');

      expect(await page.locator('[data-testid="screen-stale"]').count()).toBe(0);
      await own.kill();
      // Over a minute without the server: the polls fail, the figures stay, the stale mark says so.
      await page.clock.fastForward(65_000);
      await expect.poll(() => page.textContent('[data-testid="screen-stale"]').catch(() => null), { timeout: 5000 }).toBe('正在重新连接…');
      expect(await page.textContent('[data-testid="kpi-open"] .screen-kpi-value')).toBe(open);

      await own.restart();
      const center = ((await (await api(`${origin}/api/meta`)).json()) as typeof meta).city.center;
      const form = new FormData();
      for (const [k, v] of Object.entries({
        category: 'small-ads',
        lng: center[0],
        lat: center[1],
        description: `重启后 ${Date.now()}`,
        reporter: '督查组 e2e',
      }))
        form.set(k, String(v));
      form.append('photos', new File([new Uint8Array(await jpegWithExif({ color: '#5e35b1' }))], 'p.jpg'));
      const res = await api(`${origin}/api/problems`, { method: 'POST', body: form, headers: { 'Idempotency-Key': crypto.randomUUID() } });
      expect(res.status).toBe(201);
      const { problem } = (await res.json()) as { problem: { id: string } };
      // While the server is away the page retries every 3 s and reopens the event stream once it
      // answers, so the new report shows well before the next 30 s poll.
      await page.waitForSelector(`[data-testid="screen-latest"] li[data-id="${problem.id}"]`, { timeout: 15_000 });
      await expect.poll(() => page.locator('[data-testid="screen-stale"]').count(), { timeout: 3000 }).toBe(0);
    } finally {
      await browser.close();
      await own.stop();
    }
  });
});

describe('the big screen at 3840×2160', () => {
  it('scales to 4K without overflow or overlap', async () => {
    const browser = await launchBrowser({ width: 3840, height: 2160 });
    try {
      const page = await openScreen(browser);
      await checkLayout(page, 3840, 2160);
      // Twice the 1080p type: the same layout, not more of it.
      const size = await page.$eval('.screen-kpi-value', (el) => parseFloat(getComputedStyle(el).fontSize));
      expect(size).toBeCloseTo(100, 0);
      await deckDrawn(page);
      saveScreenshot('screen-2160.png', await page.screenshot({ type: 'png', animations: 'disabled' }));
    } finally {
      await browser.close();
    }
  });
});

describe('the big screen on a 32:9 wall (3840×1080)', () => {
  it('spreads the panels into five columns around the map, without overflow or overlap', async () => {
    const browser = await launchBrowser({ width: 3840, height: 1080 });
    try {
      const page = await openScreen(browser);
      await checkLayout(page, 3840, 1080);
      const all = Object.fromEntries((await boxes(page)).map((b) => [b.name, b]));
      // Left to right: KPI tiles, categories over trend, the map, the two 红黑榜 over the ticker.
      expect(all['kpi-open'].x + all['kpi-open'].w).toBeLessThan(all.categories.x);
      expect(all.categories.x).toBe(all.trend.x);
      expect(all.trend.y).toBeGreaterThan(all.categories.y);
      expect(all.categories.x + all.categories.w).toBeLessThan(all.map.x);
      expect(all.map.x + all.map.w).toBeLessThan(all['rank-subdistricts'].x);
      expect(all['rank-subdistricts'].x + all['rank-subdistricts'].w).toBeLessThan(all['rank-units'].x);
      expect(all.latest.x).toBe(all['rank-subdistricts'].x);
      expect(all.latest.y).toBeGreaterThan(all['rank-units'].y + all['rank-units'].h);
      // The map keeps a map's shape, not a letterbox: under 2:1, and the full height of the panels.
      expect(all.map.w / all.map.h).toBeLessThan(2);
      expect(Math.abs(all.map.y - all['kpi-this-week'].y)).toBeLessThan(2);
      expect(Math.abs(all.map.y + all.map.h - (all['kpi-ready'].y + all['kpi-ready'].h))).toBeLessThan(2);
      writeFileSync(join(RESULTS_DIR, 'screen-3840x1080.png'), await page.screenshot({ type: 'png', animations: 'disabled' }));
    } finally {
      await browser.close();
    }
  });
});
