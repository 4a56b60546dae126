/**
 * The map page in a real browser against the real server and demo city: it draws, its features
 * open the side panel, the language switches, a link restores filters, and nothing leaves the origin.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  clickMapAt,
  jumpAndSettle,
  launchBrowser,
  renderedFeatures,
  RESULTS_DIR,
  signIn,
  startServer,
  waitForMapIdle,
  type Browser,
  type RunningServer,
} from './harness';
import { colourHistogram, decodePng } from './png';

interface MetaLite {
  city: { name: string; nameEn: string; bbox: [number, number, number, number] };
  categories: { id: string; zh: string; en: string }[];
  subdistricts: { id: string; name: string }[];
}

let server: RunningServer;
let browser: Browser;
let page: Page;
let meta: MetaLite;

/** The API as the signed-in browser sees it (its cookies). */
async function api<T>(path: string): Promise<T> {
  const res = await browser.context.request.get(`${server.origin}${path}`);
  if (!res.ok()) throw new Error(`${path}: HTTP ${res.status()} ${await res.text()}`);
  return (await res.json()) as T;
}

async function openMap(query = ''): Promise<void> {
  await page.goto(`${server.origin}/${query ? `?${query}` : ''}`);
  await waitForMapIdle(page);
}

async function screenshot(name: string): Promise<Buffer> {
  const png = await page.screenshot({ type: 'png' });
  writeFileSync(join(RESULTS_DIR, name), png);
  return png;
}

/** Finds a spot dense with problems and moves there at a zoom where single problems are drawn. */
async function goToProblems(): Promise<void> {
  const clusters = await renderedFeatures(page, 'problem-clusters');
  if (clusters.length > 0) {
    const densest = clusters.reduce((a, b) => (Number(b.props.count) > Number(a.props.count) ? b : a));
    await jumpAndSettle(page, densest.lngLat, 16);
    return;
  }
  // Zoomed in far enough already: single problems are drawn.
  const points = await renderedFeatures(page, 'problem-points');
  expect(points.length, 'problems at the city view').toBeGreaterThan(0);
  await jumpAndSettle(page, points[0].lngLat, 16);
}

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  // The map page is every role's; the route tool is for planners, so the inspector walks through it.
  await signIn(browser.context, server.origin, 'inspector');
  meta = await api<MetaLite>('/api/meta');
  page = await browser.context.newPage();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('map page', () => {
  it('draws the city: a non-blank canvas with markets, communities and problems', async () => {
    await openMap();
    await expect.poll(() => page.textContent('[data-testid="city-name"]')).toBe(meta.city.name);
    expect(await page.textContent('header.topbar')).toContain('巡查');

    const png = await screenshot('map-zh.png');
    const img = decodePng(png);
    const box = (await page.locator('.map-view canvas').boundingBox())!;
    const hist = colourHistogram(img, { x: Math.round(box.x), y: Math.round(box.y), width: Math.round(box.width), height: Math.round(box.height) });
    const total = [...hist.values()].reduce((a, b) => a + b, 0);
    const top = Math.max(...hist.values());
    const significant = [...hist.values()].filter((n) => n > total * 0.001).length;
    expect(significant, 'distinct colours on the map').toBeGreaterThanOrEqual(6);
    expect(top / total, 'share of the most common colour').toBeLessThan(0.9);

    expect((await renderedFeatures(page, 'market-symbol')).length).toBeGreaterThan(0);
    expect((await renderedFeatures(page, 'community-fill')).length).toBeGreaterThan(0);
    const problems = (await renderedFeatures(page, 'problem-clusters')).length + (await renderedFeatures(page, 'problem-points')).length;
    expect(problems).toBeGreaterThan(0);
    expect((await renderedFeatures(page, 'road')).length).toBeGreaterThan(0);

    // The count is summed from the problem tiles; with no filter it is every problem in the city.
    const counts = await api<{ counts: { problems: number } }>('/api/meta');
    await expect.poll(() => page.textContent('[data-testid="problem-count"]')).toContain(counts.counts.problems.toLocaleString('en-US'));
  });

  it('opens a problem in the side panel with its fields, and its linked point from there', async () => {
    await openMap();
    await goToProblems();
    const points = await renderedFeatures(page, 'problem-points');
    expect(points.length, 'single problems at z16').toBeGreaterThan(0);
    // An open problem (drawn larger) that no market icon, control or card covers: those would take the click.
    const clear = await page.evaluate(
      (candidates) => {
        const map = window.__xunchaMap!;
        const canvas = map.getCanvas();
        const rect = canvas.getBoundingClientRect();
        return candidates.filter((c) => {
          const pt = map.project(c.lngLat);
          // Not under the legend card, a map control or the edge.
          if (document.elementFromPoint(rect.left + pt.x, rect.top + pt.y) !== canvas) return false;
          const box: [[number, number], [number, number]] = [
            [pt.x - 8, pt.y - 8],
            [pt.x + 8, pt.y + 8],
          ];
          return map.queryRenderedFeatures(box, { layers: ['market-symbol', 'problem-clusters'] }).length === 0;
        });
      },
      points.map((p) => ({ id: p.id, lngLat: p.lngLat, status: p.props.status })),
    );
    expect(clear.length, 'problems not covered by a market').toBeGreaterThan(0);
    const target = clear.find((p) => p.status !== 'closed') ?? clear[0];
    expect(target.id).toMatch(/^p/);
    await clickMapAt(page, target.lngLat);

    const panel = page.locator('[data-testid="detail-panel"]');
    await panel.locator('[data-testid="problem-category"]').waitFor();
    // The click may land on a neighbouring problem; the panel says which one opened.
    const id = (await panel.locator('[data-testid="problem-id"] dd').textContent())!.trim();
    expect(points.map((p) => p.id)).toContain(id);
    const detail = await api<{
      properties: {
        status: string;
        overdue: boolean;
        description: string;
        unitName: string | null;
        subdistrictName: string | null;
        noticeNo: string | null;
        categoryName: { zh: string };
      };
    }>(`/api/problems/${encodeURIComponent(id)}`);
    const p = detail.properties;
    const STATUS_ZH: Record<string, string> = { reported: '已上报', assigned: '已交办', rectified: '已整改', closed: '已销号' };
    expect(await panel.locator('[data-testid="problem-category"]').textContent()).toBe(p.categoryName.zh);
    expect(await panel.locator('[data-testid="problem-status"]').textContent()).toBe(STATUS_ZH[p.status]);
    expect(await panel.locator('[data-testid="problem-overdue"]').count()).toBe(p.overdue ? 1 : 0);
    expect(await panel.locator('[data-testid="problem-description"]').textContent()).toBe(p.description);
    expect(await panel.locator('[data-testid="problem-unit"] dd').textContent()).toBe(p.unitName ?? '—');
    expect(await panel.locator('[data-testid="problem-subdistrict"] dd').textContent()).toBe(p.subdistrictName ?? '—');
    expect(await panel.locator('[data-testid="problem-notice"] dd').textContent()).toBe(p.noticeNo ?? '—');
    for (const row of ['problem.reportedAt', 'problem.assignedAt', 'problem.deadline', 'problem.rectifiedAt', 'problem.closedAt']) {
      expect(await panel.locator(`[data-testid="${row}"]`).count(), row).toBe(1);
    }
    expect((await panel.locator('[data-testid="problem-description"]').textContent())!.length).toBeGreaterThan(0);
    await screenshot('panel.png');

    const placeLink = panel.locator('[data-testid="problem-place"] button');
    if ((await placeLink.count()) > 0) {
      const linked = (await placeLink.textContent())!;
      await placeLink.click();
      await panel.locator('[data-testid="place-name"]').waitFor();
      expect(linked).toContain((await panel.locator('[data-testid="place-name"]').textContent())!.trim());
      await expect.poll(() => panel.locator('[data-testid="place-counts"]').textContent()).toMatch(/\d/);
    }
    await panel.getByRole('button', { name: '关闭' }).click();
    expect(await panel.count()).toBe(0);
  });

  it('opens a market in the side panel', async () => {
    await openMap();
    const markets = await renderedFeatures(page, 'market-symbol');
    expect(markets.length).toBeGreaterThan(0);
    await jumpAndSettle(page, markets[0].lngLat, 16.5);
    const near = await renderedFeatures(page, 'market-symbol');
    const market = near.find((m) => m.id === markets[0].id) ?? near[0];
    await clickMapAt(page, market.lngLat);
    const panel = page.locator('[data-testid="detail-panel"]');
    await panel.locator('[data-testid="place-name"]').waitFor();
    expect(await panel.locator('[data-testid="place-kind"]').textContent()).toBe('农贸市场');
    const place = await api<{ properties: { name: string; subdistrictName: string | null; unitName: string | null; problemCounts: { total: number } } }>(
      `/api/places/${encodeURIComponent(market.id!)}`,
    );
    expect(await panel.locator('[data-testid="place-name"]').textContent()).toBe(place.properties.name);
    expect(await panel.locator('[data-testid="place-subdistrict"] dd').textContent()).toBe(place.properties.subdistrictName ?? '—');
    expect(await panel.locator('[data-testid="place-unit"] dd').textContent()).toBe(place.properties.unitName ?? '—');
    expect(await panel.locator('[data-testid="place-counts"]').textContent()).toContain(place.properties.problemCounts.total.toLocaleString('en-US'));
    // Its inspection visits of the last 30 days, as /api/visits counts them (none on a fresh demo city).
    await expect.poll(() => panel.locator('[data-testid="place-visits"] dd').textContent(), { timeout: 30_000 }).toMatch(/^(未检查|\d+ 次，最近一次 .+)$/);
  });

  it('opens a point of another type (a school) in the side panel, named by the catalog', async () => {
    await openMap();
    const layer = await api<{
      features: { id: string; geometry: { type: string; coordinates: [number, number] }; properties: { kind: string; name: string } }[];
    }>('/api/layers/points');
    const school = layer.features.find((f) => f.properties.kind === 'school-area' && f.geometry.type === 'Point')!;
    await jumpAndSettle(page, school.geometry.coordinates, 17);
    const near = await renderedFeatures(page, 'point-circle');
    const shown = near.find((f) => f.id === school.id);
    expect(shown, 'the school is drawn at z17').toBeTruthy();
    await clickMapAt(page, shown!.lngLat);
    const panel = page.locator('[data-testid="detail-panel"]');
    await panel.locator('[data-testid="place-name"]').waitFor();
    expect(await panel.locator('[data-testid="place-kind"]').textContent()).toBe('学校周边');
    expect(await panel.locator('[data-testid="place-name"]').textContent()).toBe(school.properties.name);
  });

  it('colours every inspection point by its readiness when asked, and counts them beside the switch', async () => {
    await openMap();
    const section = page.getByTestId('readiness-layer');
    expect(await page.locator('[data-testid="readiness-legend"]').count()).toBe(0);
    // The switch, as a clerk clicks it: below the filters (a city with 网格 has one more), scrolled to.
    const toggle = section.locator('label.toggle', { has: page.locator('input[name="layer-readiness"]') });
    await toggle.click();
    expect(await section.locator('input[name="layer-readiness"]').isChecked()).toBe(true);
    await section.getByTestId('readiness-legend').waitFor({ timeout: 30_000 });
    const ready = await api<{ features: { properties: { status: string } }[] }>('/api/assessment/readiness/map?days=30');
    const stale = ready.features.filter((f) => f.properties.status === 'stale').length;
    expect(await section.getByTestId('readiness-legend').textContent()).toContain(`超期未查 ${stale}`);
    const [w, so, e, n] = meta.city.bbox;
    await jumpAndSettle(page, [(w + e) / 2, (so + n) / 2], 13);
    expect((await renderedFeatures(page, 'overlay-point')).length, 'readiness dots drawn').toBeGreaterThan(0);
    // Checking the switch scrolled it into view; the picture is of the page as it stands.
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot('map-readiness.png');
    await toggle.click();
    await expect.poll(async () => (await renderedFeatures(page, 'overlay-point')).length).toBe(0);
  });

  it('switches the interface to English and back, and remembers it in the URL', async () => {
    await openMap();
    await page.getByRole('button', { name: 'EN', exact: true }).click();
    await expect.poll(() => page.textContent('#filters-title')).toBe('Filter problems');
    expect(await page.textContent('[data-testid="city-name"]')).toBe(meta.city.nameEn);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await expect.poll(() => page.url()).toContain('lang=en');
    await waitForMapIdle(page);
    await screenshot('map-en.png');

    // A reload without the parameter keeps English (localStorage).
    await page.goto(server.origin);
    await expect.poll(() => page.textContent('#filters-title')).toBe('Filter problems');

    await page.getByRole('button', { name: '中', exact: true }).click();
    await expect.poll(() => page.textContent('#filters-title')).toBe('问题筛选');
    await expect.poll(() => page.url()).toContain('lang=zh');
  });

  it('restores view, filters and language from a shared link', async () => {
    const cat = meta.categories[0];
    const [w, s, e, n] = meta.city.bbox;
    const center: [number, number] = [Number(((w + e) / 2).toFixed(5)), Number(((s + n) / 2).toFixed(5))];
    const query = `c=${center[0].toFixed(5)},${center[1].toFixed(5)}&z=14.50&lang=en&from=2025-01-01&to=2030-12-31&category=${cat.id}&status=overdue,assigned`;
    await openMap(query);

    expect(await page.locator(`button[data-category="${cat.id}"]`).getAttribute('aria-pressed')).toBe('true');
    expect(await page.locator('button[data-status="overdue"]').getAttribute('aria-pressed')).toBe('true');
    expect(await page.locator('button[data-status="assigned"]').getAttribute('aria-pressed')).toBe('true');
    expect(await page.locator('button[data-status="closed"]').getAttribute('aria-pressed')).toBe('false');
    expect(await page.inputValue('input[name="from"]')).toBe('2025-01-01');
    expect(await page.inputValue('input[name="to"]')).toBe('2030-12-31');
    expect(await page.textContent('#filters-title')).toBe('Filter problems');

    const view = await page.evaluate(() => {
      const m = window.__xunchaMap!;
      const c = m.getCenter();
      return { lng: c.lng, lat: c.lat, zoom: m.getZoom(), tiles: m.getStyle().sources.problems };
    });
    expect(view.zoom).toBeCloseTo(14.5, 2);
    expect(view.lng).toBeCloseTo(center[0], 4);
    expect(view.lat).toBeCloseTo(center[1], 4);
    expect(JSON.stringify(view.tiles)).toContain(`status=assigned,overdue`);
    expect(JSON.stringify(view.tiles)).toContain(`category=${cat.id}`);

    // The page writes the same state back (after its debounce), so the link stays shareable.
    await expect.poll(() => new URL(page.url()).searchParams.get('category')).toBe(cat.id);
    expect(new URL(page.url()).searchParams.get('status')).toBe('assigned,overdue');
  });

  it('changes only the problem tiles when a filter changes, and shows the empty state', async () => {
    await openMap('lang=zh');
    await expect.poll(() => page.textContent('[data-testid="problem-count"]')).toMatch(/共 [\d,]+ 条问题/);
    const before = browser.requests.length;
    await page.locator('button[data-status="overdue"]').click();
    await expect.poll(() => page.url()).toContain('status=overdue');
    await waitForMapIdle(page);
    const tiles = await page.evaluate(() => JSON.stringify(window.__xunchaMap!.getStyle().sources.problems));
    expect(tiles).toContain('status=overdue');
    const after = browser.requests.slice(before);
    expect(after.some((u) => u.includes('/tiles/problems/') && u.includes('status=overdue'))).toBe(true);
    expect(
      after.filter((u) => u.includes('/tiles/base/')),
      'basemap tiles reloaded on a filter change',
    ).toEqual([]);

    await openMap('from=2000-01-01&to=2000-01-02');
    await page.locator('[data-testid="empty-notice"]').waitFor();
    expect(await page.textContent('[data-testid="problem-count"]')).toContain('没有符合条件的问题');
  });

  it('collapses the panels into a drawer at phone width', async () => {
    const phone = await browser.context.newPage();
    await phone.setViewportSize({ width: 390, height: 844 });
    await phone.goto(server.origin);
    await waitForMapIdle(phone);
    const toggle = phone.locator('.drawer-toggle');
    expect(await toggle.isVisible()).toBe(true);
    const sidebarTop = async () => (await phone.locator('aside.sidebar').boundingBox())!.y;
    expect(await sidebarTop()).toBeGreaterThanOrEqual(844);
    writeFileSync(join(RESULTS_DIR, 'map-phone.png'), await phone.screenshot({ type: 'png' }));
    await toggle.click();
    await expect.poll(sidebarTop).toBeLessThan(844);
    await phone.waitForTimeout(300); // let the slide-in finish for the screenshot
    writeFileSync(join(RESULTS_DIR, 'map-phone-drawer.png'), await phone.screenshot({ type: 'png' }));
    await phone.getByRole('button', { name: '收起' }).click();
    await expect.poll(sidebarTop).toBeGreaterThanOrEqual(844);

    // A clicked feature opens as a bottom sheet across the whole width.
    const [w, s, e, n] = meta.city.bbox;
    await jumpAndSettle(phone, [(w + e) / 2, (s + n) / 2], 13.5);
    const markets = await renderedFeatures(phone, 'market-symbol');
    expect(markets.length).toBeGreaterThan(0);
    await jumpAndSettle(phone, markets[0].lngLat, 16.5);
    await clickMapAt(phone, markets[0].lngLat);
    const sheet = phone.locator('[data-testid="detail-panel"]');
    await sheet.locator('[data-testid="place-name"]').waitFor();
    const box = (await sheet.boundingBox())!;
    expect(box.width).toBeGreaterThanOrEqual(388);
    expect(Math.round(box.y + box.height)).toBeGreaterThanOrEqual(843);
    writeFileSync(join(RESULTS_DIR, 'map-phone-panel.png'), await phone.screenshot({ type: 'png' }));
    await phone.close();
  });

  it('measures a route between two clicked points for every profile', async () => {
    await openMap();
    const [w, s, e, n] = meta.city.bbox;
    await jumpAndSettle(page, [(w + e) / 2, (s + n) / 2], 14.5);
    await page.click('[data-testid="route-tool-open"]');
    const tool = page.locator('[data-testid="route-tool"]');
    await tool.waitFor();
    expect(await tool.textContent()).toContain('在地图上点击起点');
    // Two points on streets, far apart and in the open map (not under the tool card or the legend).
    const roads = await renderedFeatures(page, 'road');
    const open = await page.evaluate(
      (cands) => {
        const map = window.__xunchaMap!;
        const canvas = map.getCanvas();
        const r = canvas.getBoundingClientRect();
        return cands.filter((ll) => {
          const p = map.project(ll);
          return p.x > 40 && p.y > 40 && p.x < r.width - 40 && p.y < r.height - 40 && document.elementFromPoint(r.left + p.x, r.top + p.y) === canvas;
        });
      },
      roads.map((r) => r.lngLat),
    );
    expect(open.length).toBeGreaterThan(2);
    const a = open[0];
    const b = open.reduce((best, p) => (Math.hypot(p[0] - a[0], p[1] - a[1]) > Math.hypot(best[0] - a[0], best[1] - a[1]) ? p : best));
    await clickMapAt(page, a);
    await expect.poll(() => tool.textContent()).toContain('再点击终点');
    await clickMapAt(page, b);
    for (const profile of ['walk', 'ebike', 'car']) {
      await expect.poll(() => page.textContent(`[data-testid="route-row-${profile}"]`), { timeout: 15_000 }).toMatch(/(分钟|秒).*(米|公里)/);
    }
    // The walking time on the page is the API's, and the path is drawn along the streets.
    const walk = await api<{ geometry: { coordinates: number[][] } }>(`/api/route?from=${a.join(',')}&to=${b.join(',')}&profile=walk`);
    expect(walk.geometry.coordinates.length).toBeGreaterThan(2);
    await waitForMapIdle(page);
    const drawn = await page.evaluate(() =>
      window.__xunchaMap!.queryRenderedFeatures(undefined, { layers: ['overlay-line', 'overlay-point'] }).map((f) => f.layer.id),
    );
    expect(drawn).toContain('overlay-line');
    expect(drawn.filter((id) => id === 'overlay-point')).toHaveLength(2);
    await screenshot('map-route-zh.png');
    // Clicking a problem while the tool is open picks a point instead of opening the panel.
    expect(await page.locator('[data-testid="detail-panel"]').count()).toBe(0);
    await page.getByRole('button', { name: '关闭' }).first().click();
    await expect.poll(() => page.locator('[data-testid="route-tool-open"]').count()).toBe(1);
  });

  it('shows the sign-in page to a stranger, and the map after signing in with a demo account', async () => {
    const stranger = await launchBrowser();
    try {
      const p = await stranger.context.newPage();
      await p.goto(server.origin);
      await p.getByLabel('用户名').waitFor();
      expect(await p.textContent('h1')).toContain('巡查');
      writeFileSync(join(RESULTS_DIR, 'login-zh.png'), await p.screenshot({ type: 'png' }));
      await p.getByLabel('用户名').fill('leader');
      await p.getByLabel('密码').fill('wrong password');
      await p.getByRole('button', { name: '登录' }).click();
      await expect.poll(() => p.textContent('[role="alert"]')).toMatch(/用户名或密码不正确/);
      await p.getByLabel('密码').fill('demo-leader');
      await p.getByRole('button', { name: '登录' }).click();
      await waitForMapIdle(p);
      expect(await p.textContent('[data-testid="user-button"]')).toContain('领导');
      // Signing out brings the form back, and the API no longer answers this browser.
      await p.click('[data-testid="user-button"]');
      await p.click('[data-testid="sign-out"]');
      await p.getByLabel('用户名').waitFor();
      expect((await p.request.get(`${server.origin}/api/meta`)).status()).toBe(401);
    } finally {
      await stranger.close();
    }
  });

  it('lets the administrator issue a screen token, see it in the audit log, and a wall PC open the map with it', async () => {
    const admin = await launchBrowser();
    try {
      await signIn(admin.context, server.origin, 'admin');
      const p = await admin.context.newPage();
      await p.goto(`${server.origin}/admin`);
      await expect.poll(() => p.textContent('.admin-table')).toContain('inspector');
      await p.click('[data-testid="admin-tab-screens"]');
      await p.getByPlaceholder('名称').fill('会议室大屏');
      await p.getByRole('button', { name: '生成' }).click();
      await expect.poll(() => p.textContent('[data-testid="admin-secret"]')).toMatch(/\/screen\?screen_token=xs_/);
      const url = (await p.textContent('[data-testid="admin-secret"] code'))!;
      // The token reads the API without any sign-in.
      const res = await fetch(`${server.origin}/api/meta?screen_token=${new URL(url).searchParams.get('screen_token')}`);
      expect(res.status).toBe(200);
      await p.click('[data-testid="admin-tab-audit"]');
      await expect.poll(() => p.textContent('[data-testid="audit-table"]')).toContain('POST /api/screen-tokens');
      writeFileSync(join(RESULTS_DIR, 'admin-audit-zh.png'), await p.screenshot({ type: 'png' }));
      // Other roles have no admin page: the inspector's navigation does not offer it.
      expect(await page.locator('.topbar-nav a[href="/admin"]').count()).toBe(0);

      // A wall PC opens the link without signing in: the map draws (its tiles carry the token), read-only.
      const wall = await launchBrowser();
      try {
        const w = await wall.context.newPage();
        await w.goto(url);
        await waitForMapIdle(w);
        expect((await renderedFeatures(w, 'road')).length).toBeGreaterThan(0);
        // The screen shows the problems as a heat map (deck.gl, fed from the token-carrying points.bin).
        const heated = () =>
          w.evaluate(() => {
            const heat = (window.__xunchaDeckLayers ?? []).find((l) => l.id === 'screen-heat');
            return (heat?.props.data as { length?: number } | undefined)?.length ?? 0;
          });
        await expect.poll(heated, { timeout: 30_000 }).toBeGreaterThan(0);
        // The link opens the big screen; the same tab may go on to the map, still read-only.
        await w.goto(server.origin);
        await waitForMapIdle(w);
        expect(await w.textContent('[data-testid="user-button"]')).toContain('大屏');
        const nav = await w.locator('.topbar-nav a').allTextContents();
        expect(nav).toEqual(['地图', '热点分析', '指挥大屏']);
      } finally {
        await wall.close();
      }
    } finally {
      await admin.close();
    }
  });

  it('made no request outside its own origin', () => {
    expect(browser.requests.length).toBeGreaterThan(10);
    const outside = browser.requests.filter((u) => !u.startsWith(`${server.origin}/`) && !u.startsWith('data:') && !u.startsWith('blob:'));
    expect(outside).toEqual([]);
    // Labels are drawn locally: no glyph or sprite was ever fetched.
    expect(browser.requests.filter((u) => /glyph|fonts?\/|sprite/i.test(u))).toEqual([]);
  });
});
