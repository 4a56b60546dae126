/**
 * The big screen of a city of three districts (the demo city with DEMO_DISTRICTS=3), in Chromium with a
 * screen token, one server for the file: the city wall alternates the districts' and the subdistricts'
 * 红黑榜 in one panel, inside the layout at 1920×1080 and 3840×2160; `?district=dt02` names the district
 * in the title, ranks its own subdistricts, frames the map on its shape, feeds the heat its problems only
 * and tours its subdistricts; `?district=sd01` (a link from before districts) still pins a subdistrict;
 * `?district=nowhere` says so in the corner and shows the whole city. Screenshots in test-results/.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiAs, launchBrowser, RESULTS_DIR, startServer, waitForMapIdle, type Browser, type RunningServer } from './harness';
import { boxes, expectBoxesLaidOut } from './screen-layout';

type BBox = [number, number, number, number];

interface Meta {
  city: { name: string; bbox: BBox };
  districts: { id: string; name: string }[];
  subdistricts: { id: string; name: string; districtId: string | null }[];
}

let server: RunningServer;
let token: string;
let meta: Meta;
/** Each district's box, from its polygon in GET /api/layers/districts. */
const districtBox = new Map<string, BBox>();

beforeAll(async () => {
  server = await startServer({ env: { DEMO_DISTRICTS: '3' } });
  const admin = await apiAs(server.origin, 'admin');
  const issued = await admin(`${server.origin}/api/screen-tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'e2e 区县大屏' }),
  });
  expect(issued.status).toBe(201);
  token = ((await issued.json()) as { secret: string }).secret;
  meta = (await (await admin(`${server.origin}/api/meta`)).json()) as Meta;
  expect(meta.districts.map((d) => d.id)).toEqual(['dt01', 'dt02', 'dt03']);
  const fc = (await (await admin(`${server.origin}/api/layers/districts`)).json()) as GeoJSON.FeatureCollection;
  for (const f of fc.features) districtBox.set(String(f.id ?? f.properties?.id), boxOf(f.geometry));
  expect([...districtBox.keys()].sort()).toEqual(['dt01', 'dt02', 'dt03']);
});

afterAll(async () => {
  await server?.stop();
});

function boxOf(g: GeoJSON.Geometry): BBox {
  const b: BBox = [Infinity, Infinity, -Infinity, -Infinity];
  const walk = (c: unknown): void => {
    if (Array.isArray(c) && typeof c[0] === 'number') {
      b[0] = Math.min(b[0], c[0]);
      b[1] = Math.min(b[1], c[1] as number);
      b[2] = Math.max(b[2], c[0]);
      b[3] = Math.max(b[3], c[1] as number);
    } else if (Array.isArray(c)) c.forEach(walk);
  };
  if (g.type !== 'GeometryCollection') walk(g.coordinates);
  return b;
}

/** The summary request the page made first (its URL says what it asked for). */
const summaryUrls = new WeakMap<Page, URL>();

async function openScreen(browser: Browser, query: string, opts: { clock?: boolean } = {}): Promise<Page> {
  const page = await browser.context.newPage();
  // A page clock (flowing like the real one) lets a test jump to the ranking panel's next turn.
  if (opts.clock) await page.clock.install();
  // Generous: WebGL in software on a shared two-core machine (a 4K page after another is slow to start).
  const first = page.waitForResponse((r) => r.url().includes('/api/screen/summary'), { timeout: 120_000 });
  await page.goto(`${server.origin}/screen?screen_token=${token}${query}${query.includes('lang=') ? '' : '&lang=zh'}`);
  const res = await first;
  expect(res.status(), await res.text()).toBe(200);
  summaryUrls.set(page, new URL(res.url()));
  await page.waitForSelector('[data-testid="kpi-open"]', { timeout: 60_000 });
  await page.waitForSelector('[data-box="trend"] svg', { timeout: 60_000 });
  await waitForMapIdle(page);
  return page;
}

/** The layout holds: the same boxes as a one-district city's wall, inside the viewport, none overlapping or clipped. */
async function checkLayout(page: Page, width: number, height: number): Promise<void> {
  const all = await boxes(page);
  expect(all.map((b) => b.name)).toEqual(expect.arrayContaining(['header', 'map', 'rank-subdistricts', 'rank-units', 'trend', 'latest', 'categories']));
  expectBoxesLaidOut(all, width, height);
  const scroll = await page.evaluate(() => ({ w: document.documentElement.scrollWidth, h: document.documentElement.scrollHeight }));
  expect(scroll).toEqual({ w: width, h: height });
}

/** The names in the area ranking panel, in order, and what it shows. */
async function areaRanking(page: Page): Promise<{ showing: string | null; names: string[]; tabs: string[] }> {
  return page.$eval('[data-box="rank-subdistricts"]', (el) => ({
    showing: el.getAttribute('data-showing'),
    names: [...el.querySelectorAll('.screen-rank-name')].map((n) => n.textContent ?? ''),
    tabs: [...el.querySelectorAll('.screen-panel-tab')].map((n) => `${n.textContent}${n.classList.contains('screen-panel-tab-on') ? '*' : ''}`),
  }));
}

async function heatCount(page: Page): Promise<number> {
  const count = () =>
    page.evaluate(() => {
      const heat = (window.__xunchaDeckLayers ?? []).find((l) => l.id === 'screen-heat');
      const data = (heat?.props as { data?: { length?: number } } | undefined)?.data;
      return typeof data?.length === 'number' ? data.length : 0;
    });
  await expect.poll(count, { timeout: 30_000 }).toBeGreaterThan(0);
  return count();
}

/** A screenshot once deck.gl has drawn; `districts`: with the districts' 红黑榜 up (a page with the clock installed). */
async function shot(page: Page, name: string, opts: { districts?: boolean } = {}): Promise<void> {
  await page.waitForFunction(() => Boolean(window.__xunchaDeck), null, { timeout: 60_000 });
  await waitForMapIdle(page);
  if (opts.districts && (await areaRanking(page)).showing !== 'districts') {
    await page.clock.fastForward(15_000);
    await expect.poll(async () => (await areaRanking(page)).showing, { timeout: 5000 }).toBe('districts');
  }
  writeFileSync(join(RESULTS_DIR, name), await page.screenshot({ type: 'png', animations: 'disabled' }));
}

describe('the big screen of a three-district city at 1920×1080', () => {
  let browser: Browser;
  let cityHeat = 0;
  let cityZoom = 0;
  beforeAll(async () => {
    browser = await launchBrowser({ width: 1920, height: 1080 });
  });
  afterAll(async () => browser?.close());

  it("shows the districts' 红黑榜 on the city wall, then the subdistricts' in the same panel", async () => {
    const page = await openScreen(browser, '', { clock: true });
    expect(await page.textContent('.screen-city')).toBe(meta.city.name);
    const first = await areaRanking(page);
    expect(first.showing).toBe('districts');
    expect(first.tabs).toEqual(['区县*', '街道']);
    // Three districts come whole in one list, best first.
    expect([...first.names].sort()).toEqual(meta.districts.map((d) => d.name).sort());
    expect(await page.locator('[data-box="rank-subdistricts"] [data-testid="screen-rank-whole"]').count()).toBe(1);
    await checkLayout(page, 1920, 1080);
    cityHeat = await heatCount(page);
    cityZoom = await page.evaluate(() => window.__xunchaMap!.getZoom());
    await shot(page, 'screen-districts-city-1080.png');

    await page.clock.fastForward(16_000);
    await expect.poll(async () => (await areaRanking(page)).showing, { timeout: 5000 }).toBe('subdistricts');
    const second = await areaRanking(page);
    expect(second.tabs).toEqual(['区县', '街道*']);
    const sdNames = new Set(meta.subdistricts.map((s) => s.name));
    expect(second.names.length).toBeGreaterThan(5);
    for (const n of second.names) expect(sdNames.has(n), n).toBe(true);
    // The same boxes after the turn: the panel keeps its height, so nothing under it moves.
    await checkLayout(page, 1920, 1080);
    await shot(page, 'screen-districts-city-subdistricts-1080.png');
    await page.close();
  });

  it('pins a district: its name in the title, its own subdistricts ranked, the map on its shape, its problems in the heat', async () => {
    const dt = meta.districts.find((d) => d.id === 'dt02')!;
    const own = meta.subdistricts.filter((s) => s.districtId === 'dt02');
    expect(own.length).toBeGreaterThan(0);
    const page = await openScreen(browser, '&district=dt02');
    expect(summaryUrls.get(page)!.searchParams.get('district')).toBe('dt02');
    expect(await page.textContent('.screen-city')).toBe(`${meta.city.name} · ${dt.name}`);
    const ranking = await areaRanking(page);
    expect(ranking.showing).toBe('subdistricts');
    expect(ranking.tabs).toEqual([]);
    expect([...ranking.names].sort()).toEqual(own.map((s) => s.name).sort());
    expect(await page.locator('[data-testid="screen-url-note"]').count()).toBe(0);
    // Framed on the district: its whole box in view, the view's centre inside it, less than the city across.
    const box = districtBox.get('dt02')!;
    const view = await page.evaluate(() => window.__xunchaMap!.getBounds().toArray().flat() as [number, number, number, number]);
    const eps = 1e-4;
    expect(view[0] <= box[0] + eps && view[1] <= box[1] + eps && view[2] >= box[2] - eps && view[3] >= box[3] - eps, `${view} holds ${box}`).toBe(true);
    const [cx, cy] = [(view[0] + view[2]) / 2, (view[1] + view[3]) / 2];
    expect(cx > box[0] && cx < box[2] && cy > box[1] && cy < box[3]).toBe(true);
    if (cityZoom) expect(await page.evaluate(() => window.__xunchaMap!.getZoom())).toBeGreaterThan(cityZoom);
    // The heat keeps the district's problems: fewer than the city's.
    const heat = await heatCount(page);
    if (cityHeat) expect(heat).toBeLessThan(cityHeat);
    await checkLayout(page, 1920, 1080);
    await shot(page, 'screen-districts-dt02-1080.png');
    await page.close();
  });

  it('still pins a subdistrict from a link made before districts (?district=sd01)', async () => {
    const sd = meta.subdistricts.find((s) => s.id === 'sd01')!;
    const page = await openScreen(browser, '&district=sd01&lang=en');
    expect(summaryUrls.get(page)!.searchParams.get('district')).toBe('sd01');
    expect(await page.textContent('.screen-city')).toContain(sd.name);
    expect(await page.textContent('[data-box="kpi-this-week"]')).toContain('Found this week');
    expect((await areaRanking(page)).showing).toBe('subdistricts');
    expect(await page.locator('[data-testid="screen-url-note"]').count()).toBe(0);
    await checkLayout(page, 1920, 1080);
    await shot(page, 'screen-districts-sd01-1080-en.png');
    await page.close();
  });

  it('says so when ?district= names nothing, and shows the whole city', async () => {
    const page = await openScreen(browser, '&district=nowhere');
    expect(await page.textContent('[data-testid="screen-url-note"]')).toContain('district=nowhere 不是本市的区县或街道，已显示全市');
    expect(summaryUrls.get(page)!.searchParams.has('district')).toBe(false);
    expect(await page.textContent('.screen-city')).toBe(meta.city.name);
    expect((await areaRanking(page)).showing).toBe('districts');
    await checkLayout(page, 1920, 1080);
    await shot(page, 'screen-districts-nowhere-1080.png');
    await page.close();
  });

  it("tours a pinned district's own subdistricts", async () => {
    const own = new Set(meta.subdistricts.filter((s) => s.districtId === 'dt02').map((s) => `sd:${s.id}`));
    const page = await openScreen(browser, '&district=dt02&tour=1&interval=5');
    await expect.poll(() => page.evaluate(() => window.__xunchaTourStop?.total ?? 0), { timeout: 30_000 }).toBeGreaterThan(1);
    // Stops go hot spot, subdistrict, …: the first subdistrict stop comes within a few intervals.
    await page.waitForFunction(() => window.__xunchaTourStop?.key.startsWith('sd:') ?? false, null, { timeout: 30_000 });
    const key = await page.evaluate(() => window.__xunchaTourStop!.key);
    expect(own.has(key), `${key} in ${[...own]}`).toBe(true);
    await page.close();
  });
});

describe('the big screen of a three-district city at 3840×2160', () => {
  it('lays the districts’ 红黑榜 and a pinned district out at twice the size', async () => {
    const browser = await launchBrowser({ width: 3840, height: 2160 });
    try {
      const city = await openScreen(browser, '', { clock: true });
      // The panel turns every 15 s: on a loaded machine the 4K page may come up after the first turn.
      expect(['districts', 'subdistricts']).toContain((await areaRanking(city)).showing);
      await checkLayout(city, 3840, 2160);
      await shot(city, 'screen-districts-city-2160.png', { districts: true });
      await city.close();
      const dt = await openScreen(browser, '&district=dt02&lang=en');
      await checkLayout(dt, 3840, 2160);
      await shot(dt, 'screen-districts-dt02-2160-en.png');
      await dt.close();
    } finally {
      await browser.close();
    }
  });
});
