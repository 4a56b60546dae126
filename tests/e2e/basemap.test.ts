/**
 * The online basemap in a real browser: with none set, the map asks nothing of any other origin; with a
 * city XYZ service set (a second local server on 127.0.0.1 standing in for the city's tile server, no
 * internet), the map draws its tiles under ours, the page's CSP allows exactly that origin and the
 * browser reports no violation; removed again, the map stops asking it.
 */
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiAs, freePort, launchBrowser, RESULTS_DIR, signIn, startServer, waitForMapIdle, type Browser, type RunningServer } from './harness';
import gcoord from 'gcoord';
import { decodePng } from './png';

/** The stand-in tiles are one colour no layer of ours uses, so the screenshot shows where they are drawn. */
const TILE_RGB = [255, 0, 255] as const;
/** The GCJ-02 stand-in's other square colour. */
const CHECKER_RGB = [0, 255, 255] as const;

/** A 256×256 PNG of one colour (RGB, no filter): enough of the format for a browser to decode. */
function solidPng([r, g, b]: readonly number[]): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(data.length, 0);
    head.write(type, 4, 'ascii');
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
    return Buffer.concat([head, data, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(256, 0);
  ihdr.writeUInt32BE(256, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const row = Buffer.alloc(1 + 256 * 3);
  for (let x = 0; x < 256; x++) row.set([r, g, b], 1 + x * 3);
  const raw = Buffer.concat(Array.from({ length: 256 }, () => row));
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

let server: RunningServer;
let tiles: Server;
let tileOrigin: string;
const tileRequests: string[] = [];
let browser: Browser;
let page: Page;
let admin: typeof fetch;
const violations: string[] = [];

beforeAll(async () => {
  const png = solidPng(TILE_RGB);
  const checker = solidPng(CHECKER_RGB);
  const port = await freePort();
  tileOrigin = `http://127.0.0.1:${port}`;
  tiles = createServer((req, res) => {
    tileRequests.push(req.url ?? '');
    // MapLibre fetches raster tiles (CORS), then decodes them: a tile server for the web says it may.
    res.setHeader('Access-Control-Allow-Origin', '*');
    const gcj = /^\/gcj\/\d+\/(\d+)\/(\d+)\.png$/.exec(req.url ?? '');
    if (/^\/tiles\/\d+\/\d+\/\d+\.png$/.test(req.url ?? '')) res.writeHead(200, { 'content-type': 'image/png' }).end(png);
    // The GCJ-02 stand-in is a checkerboard of its own tiles, so the test can see where their corners land.
    else if (gcj) res.writeHead(200, { 'content-type': 'image/png' }).end((Number(gcj[1]) + Number(gcj[2])) % 2 ? png : checker);
    else res.writeHead(404).end();
  });
  // The stand-in stops by itself when the test process ends, like the app's server.
  tiles.unref();
  await new Promise<void>((res) => tiles.listen(port, '127.0.0.1', res));
  server = await startServer();
  admin = await apiAs(server.origin, 'admin');
  browser = await launchBrowser();
  await signIn(browser.context, server.origin, 'leader');
  page = await browser.context.newPage();
  // CSP refusals show in the console ("Refused to connect to …", "… violates the following Content Security Policy").
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
  });
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await new Promise<void>((res) => (tiles ? tiles.close(() => res()) : res()));
});

/** Signs the browser in as `who` in place of whoever was (a signed-in login would need the old session's CSRF token). */
async function switchTo(who: 'admin' | 'leader'): Promise<void> {
  await browser.context.clearCookies();
  await signIn(browser.context, server.origin, who);
}

async function openMap(): Promise<string> {
  const res = await page.goto(`${server.origin}/`);
  await waitForMapIdle(page);
  return (await res?.headerValue('content-security-policy')) ?? '';
}

/** Pixels of the stand-in tiles' colour in a screenshot of the map. */
async function tilePixels(name: string): Promise<number> {
  const png = await page.screenshot({ type: 'png' });
  writeFileSync(join(RESULTS_DIR, name), png);
  const { data } = decodePng(png);
  let n = 0;
  for (let o = 0; o < data.length; o += 4) {
    if (Math.abs(data[o] - TILE_RGB[0]) + Math.abs(data[o + 1] - TILE_RGB[1]) + Math.abs(data[o + 2] - TILE_RGB[2]) < 12) n++;
  }
  return n;
}

const outsideRequests = (from: number) =>
  browser.requests.slice(from).filter((u) => !u.startsWith(`${server.origin}/`) && !u.startsWith('data:') && !u.startsWith('blob:'));

describe('the online basemap', () => {
  it('with none set, the map asks nothing outside its own origin and the CSP allows nothing else', async () => {
    const from = browser.requests.length;
    const csp = await openMap();
    expect(csp).not.toMatch(/https?:|\*/);
    expect(browser.requests.length - from).toBeGreaterThan(5);
    expect(outsideRequests(from)).toEqual([]);
    expect(tileRequests).toEqual([]);
    expect(await tilePixels('basemap-none.png')).toBe(0);
  });

  it('with a city XYZ service set, draws its tiles under our layers, and the CSP allows exactly its origin', async () => {
    // The administrator sets it on 系统管理 → 在线底图; a wrong address is refused in both languages first.
    await switchTo('admin');
    await page.goto(`${server.origin}/admin`);
    await page.click('[data-testid="admin-tab-basemap"]');
    const panel = page.locator('[data-testid="admin-basemap"]');
    await expect.poll(() => panel.getByRole('status').textContent()).toContain('不用在线底图');
    await panel.locator('input[name="basemap-kind"][value="xyz"]').check();
    await panel.getByLabel('瓦片地址').fill('http://tiles.example.com/{z}/{x}/{y}.png');
    await panel.getByLabel('版权说明').fill('© 示例市测绘院（测试）');
    await panel.getByRole('button', { name: '保存' }).click();
    await expect.poll(() => panel.textContent()).toMatch(/须用 https:\/\/.* \/ a service on the internet must use https:\/\//);
    await panel.getByLabel('瓦片地址').fill(`${tileOrigin}/tiles/{z}/{x}/{y}.png`);
    await panel.getByRole('button', { name: '保存' }).click();
    await expect.poll(() => panel.getByRole('status').textContent()).toContain(`${tileOrigin}/tiles/{z}/{x}/{y}.png`);
    writeFileSync(join(RESULTS_DIR, 'admin-basemap-zh.png'), await page.screenshot({ type: 'png' }));
    expect(tileRequests).toEqual([]);
    // Every map reader draws it: the leader's map, here.
    await switchTo('leader');
    const from = browser.requests.length;
    const csp = await openMap();
    expect(csp).toContain(`img-src 'self' data: blob: ${tileOrigin}`);
    expect(csp).toContain(`connect-src 'self' ${tileOrigin}`);
    expect(csp.match(/https?:\/\/[^\s;]+/g)).toEqual([tileOrigin, tileOrigin]);
    // Every request outside our origin went to the tile server, for tiles.
    const outside = outsideRequests(from);
    expect(outside.length).toBeGreaterThan(0);
    for (const u of outside) expect(u).toMatch(new RegExp(`^${tileOrigin}/tiles/\\d+/\\d+/\\d+\\.png$`));
    expect(tileRequests.length).toBeGreaterThanOrEqual(outside.length);
    const state = await page.evaluate(() => {
      const map = window.__xunchaMap!;
      const ids = map.getStyle().layers.map((l) => l.id);
      return { loaded: map.isSourceLoaded('basemap-city-xyz'), at: ids.indexOf('basemap-city-xyz'), road: map.getLayoutProperty('road', 'visibility') };
    });
    expect(state).toEqual({ loaded: true, at: 1, road: 'none' });
    // The tiles are on screen (our layers over them cover part), and credited.
    expect(await tilePixels('basemap-xyz.png')).toBeGreaterThan(10_000);
    expect(await page.locator('.maplibregl-ctrl-attrib').textContent()).toContain('© 示例市测绘院（测试）');
    expect(violations).toEqual([]);
  });

  it('removed again, the map goes back to our own tiles and asks the tile server nothing more', async () => {
    await switchTo('admin');
    await page.goto(`${server.origin}/admin`);
    await page.click('[data-testid="admin-tab-basemap"]');
    const panel = page.locator('[data-testid="admin-basemap"]');
    await expect.poll(() => panel.getByRole('status').textContent()).toContain(tileOrigin);
    await panel.locator('input[name="basemap-kind"][value="none"]').check();
    await panel.getByRole('button', { name: '保存' }).click();
    await expect.poll(() => panel.getByRole('status').textContent()).toContain('不用在线底图');
    expect(await (await admin(`${server.origin}/api/basemap`)).json()).toBeNull();
    await switchTo('leader');
    const asked = tileRequests.length;
    const from = browser.requests.length;
    const csp = await openMap();
    expect(csp).not.toMatch(/https?:|\*/);
    expect(outsideRequests(from)).toEqual([]);
    expect(tileRequests.length).toBe(asked);
    expect(await tilePixels('basemap-removed.png')).toBe(0);
  });
  it('with a GCJ-02 service set, shifts its tiles onto our WGS-84 data: a tile corner lands where gcoord puts it', async () => {
    const meta = (await (await admin(`${server.origin}/api/meta`)).json()) as { city: { center: [number, number] } };
    const put = await admin(`${server.origin}/api/basemap`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'gcj02', url: `${tileOrigin}/gcj/{z}/{x}/{y}.png`, attribution: '© 测试 GCJ-02 服务' }),
    });
    expect(put.status, await put.clone().text()).toBe(200);
    const z = 16;
    const [lng, lat] = meta.city.center;
    await page.goto(`${server.origin}/?c=${lng.toFixed(5)},${lat.toFixed(5)}&z=${z}`);
    await waitForMapIdle(page);
    // MapLibre draws 256 px raster tiles one zoom above the map's (its own tiles are 512 px).
    const tz = z + 1;
    expect(tileRequests.some((u) => u.startsWith(`/gcj/${tz}/`))).toBe(true);
    // Only the basemap, so the sampled pixels are its own.
    await page.evaluate(() => {
      const map = window.__xunchaMap!;
      for (const l of map.getStyle().layers) if (!l.id.startsWith('basemap-')) map.setLayoutProperty(l.id, 'visibility', 'none');
    });
    await waitForMapIdle(page);
    // The corner of the service's tile under the centre: GCJ-02 → WGS-84 is where our map must show it.
    const n = 2 ** tz;
    const [gLng, gLat] = gcoord.transform([lng, lat], gcoord.WGS84, gcoord.GCJ02);
    const tx = Math.floor(((gLng + 180) / 360) * n);
    const sin = Math.sin((gLat * Math.PI) / 180);
    const ty = Math.floor((0.5 - Math.log((1 + sin) / (1 - sin)) / (4 * Math.PI)) * n);
    const cornerGcj: [number, number] = [(tx / n) * 360 - 180, (Math.atan(Math.sinh(Math.PI * (1 - (2 * ty) / n))) * 180) / Math.PI];
    const cornerWgs = gcoord.transform(cornerGcj, gcoord.GCJ02, gcoord.WGS84);
    const at = await page.evaluate(([cx, cy]) => {
      const map = window.__xunchaMap!;
      const p = map.project([cx, cy]);
      const r = map.getCanvas().getBoundingClientRect();
      return { x: Math.round(r.left + p.x), y: Math.round(r.top + p.y) };
    }, cornerWgs);
    const png = await page.screenshot({ type: 'png' });
    writeFileSync(join(RESULTS_DIR, 'basemap-gcj02.png'), png);
    const img = decodePng(png);
    const colour = (dx: number, dy: number) => {
      const o = ((at.y + dy) * img.width + (at.x + dx)) * 4;
      return [img.data[o], img.data[o + 1], img.data[o + 2]].join(',');
    };
    const [a, b] = [TILE_RGB.join(','), CHECKER_RGB.join(',')];
    // Diagonal squares share a colour and neighbours differ, 3 px from the corner (unshifted, it would be ~250 px away).
    const quadrants = [colour(-3, -3), colour(3, 3), colour(3, -3), colour(-3, 3)];
    expect(quadrants[0]).toBe(quadrants[1]);
    expect(quadrants[2]).toBe(quadrants[3]);
    expect(new Set(quadrants)).toEqual(new Set([a, b]));
    expect(violations).toEqual([]);
    expect((await admin(`${server.origin}/api/basemap`, { method: 'DELETE' })).status).toBe(204);
  });
});
