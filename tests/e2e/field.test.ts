/**
 * The field page on a phone, offline: with the browser offline an inspector records problems with
 * photos and a plan's check results, reloads the page (the service worker serves the shell, the
 * records are still queued in IndexedDB), goes back online, and each record reaches the server exactly
 * once — also when the server is killed in the middle of a sync and restarted. The plan area's tiles
 * are kept for offline use, and a look-back someone else overtook is shown as a conflict, not applied.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jpegWithExif } from '../fixtures/media/photos';
import { join } from 'node:path';
import { apiAs, jumpAndSettle, launchBrowser, RESULTS_DIR, signIn, startServer, waitForMapIdle, type Browser, type RunningServer } from './harness';

let server: RunningServer;
let browser: Browser;
let page: Page;
let api: typeof fetch;
let at: [number, number];
let category: string;
const RUN = Date.now();
const NOTES = [`现场端到端一 ${RUN}`, `现场端到端二 ${RUN}`];

const records = () => page.locator('[data-testid="field-record"]');
const states = () => records().evaluateAll((els) => els.map((e) => e.getAttribute('data-state')));

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser({ width: 390, height: 844 });
  api = await apiAs(server.origin, 'inspector');
  const meta = (await (await api(`${server.origin}/api/meta`)).json()) as { city: { center: [number, number] }; categories: { id: string }[] };
  at = meta.city.center;
  // Not the first in the catalog: after a report, the page should put the category I use first.
  category = meta.categories[2].id;
  await signIn(browser.context, server.origin, 'inspector');
  await browser.context.grantPermissions(['geolocation'], { origin: server.origin });
  await browser.context.setGeolocation({ longitude: at[0], latitude: at[1], accuracy: 8 });
  page = await browser.context.newPage();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function recordProblem(note: string, color: string): Promise<void> {
  await page.locator(`[data-category="${category}"]`).click();
  const photo = await jpegWithExif({ width: 640, height: 480, color, gps: at });
  await page.locator('[data-testid="field-photo"]').setInputFiles({ name: 'scene.jpg', mimeType: 'image/jpeg', buffer: photo });
  await page.locator('.field-report input[type="text"]').fill(note);
  const save = page.locator('[data-testid="field-save"]');
  await expect.poll(() => save.isEnabled()).toBe(true);
  await save.click();
}

/** The problems on the server whose description is `note`. */
async function serverCount(note: string): Promise<number> {
  const res = await api(`${server.origin}/api/problems?category=${category}&limit=50000`);
  const fc = (await res.json()) as { features: { properties: { description: string } }[] };
  return fc.features.filter((f) => f.properties.description === note).length;
}

describe('field page offline', () => {
  it('opens on a phone with my position and installs its service worker', async () => {
    await page.goto(`${server.origin}/field`);
    await page.locator('[data-testid="field-page"]').waitFor({ timeout: 60_000 });
    await expect.poll(() => page.textContent('[data-testid="field-status"]'), { timeout: 20_000 }).toMatch(/定位精度约 8 米/);
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 30_000 });
    // Once more online through the worker, so the page's own chunks and data are kept for offline.
    await page.reload();
    await page.locator('[data-testid="field-page"]').waitFor();
    await page.locator('[data-testid="field-next-stop"]').waitFor({ timeout: 30_000 });
    await page.locator('[data-testid="field-map"] canvas').waitFor({ timeout: 30_000 });
    // Installable: the page links its web manifest, served with the field page as start URL.
    const href = await page.locator('link[rel="manifest"]').getAttribute('href');
    const manifest = (await (await fetch(`${server.origin}${href}`)).json()) as { start_url: string; icons: unknown[] };
    expect(manifest.start_url).toBe('/field');
    expect(manifest.icons.length).toBeGreaterThan(0);
  });

  it('keeps two reports made offline through a reload, then sends each exactly once', async () => {
    await browser.context.setOffline(true);
    await expect.poll(() => page.textContent('[data-testid="field-status"]')).toMatch(/离线/);
    await recordProblem(NOTES[0], '#c62828');
    await recordProblem(NOTES[1], '#1565c0');
    await expect.poll(states).toEqual(['waiting', 'waiting']);
    await page.screenshot({ path: join(RESULTS_DIR, 'field-offline.png'), fullPage: true });

    await page.reload();
    await page.locator('[data-testid="field-page"]').waitFor({ timeout: 30_000 });
    await expect.poll(states, { timeout: 20_000 }).toEqual(['waiting', 'waiting']);
    expect(await page.locator('.field-categories button').first().getAttribute('data-category')).toBe(category);
    expect(await serverCount(NOTES[0])).toBe(0);

    await browser.context.setOffline(false);
    await expect.poll(states, { timeout: 60_000 }).toEqual(['sent', 'sent']);
    expect(await serverCount(NOTES[0])).toBe(1);
    expect(await serverCount(NOTES[1])).toBe(1);

    // Another reload and a few sync ticks send nothing again.
    await page.reload();
    await page.locator('[data-testid="field-page"]').waitFor();
    await expect.poll(states).toEqual(['sent', 'sent']);
    await page.waitForTimeout(4500);
    expect(await serverCount(NOTES[0])).toBe(1);
    expect(await serverCount(NOTES[1])).toBe(1);
  });

  it("shows today's plan: the next stop's check items, and a failed item reports a problem at the stop", async () => {
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    const res = await api(`${server.origin}/api/plans`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        date: today,
        teams: [{ name: '一组', start: at, budgetS: 4 * 3600 }],
        stops: { kinds: ['market'], sample: { n: 2, seed: 1 } },
        timeLimitMs: 300,
      }),
    });
    expect(res.status).toBe(201);
    const plan = (await res.json()) as { teams: { stops: { name: string; lngLat: [number, number] }[] }[] };
    const first = plan.teams[0].stops[0];

    await page.reload();
    const card = page.locator('[data-testid="field-next-stop"]');
    await expect.poll(() => card.locator('h2').textContent(), { timeout: 30_000 }).toBe(first.name);
    await card.locator('[data-item="market-zoning"] [data-result="fail"]').click();
    // The report opens on the item's category with the stop named in the note and placed at the stop.
    await expect.poll(() => page.locator('[data-category="occupy-road"]').getAttribute('aria-pressed')).toBe('true');
    const note = await page.locator('.field-report input[type="text"]').inputValue();
    await page.screenshot({ path: join(RESULTS_DIR, 'field-plan.png'), fullPage: true });
    expect(note).toBe(`${first.name}：划行归市`);
    await page.locator('[data-testid="field-photo"]').setInputFiles({
      name: 'stall.jpg',
      mimeType: 'image/jpeg',
      buffer: await jpegWithExif({ width: 640, height: 480, color: '#6a1b9a', gps: first.lngLat }),
    });
    await page.locator('[data-testid="field-save"]').click();
    await expect.poll(states, { timeout: 30_000 }).toEqual(['sent', 'sent', 'sent']);

    const list = await api(`${server.origin}/api/problems?category=occupy-road&limit=50000`);
    const mine = ((await list.json()) as { features: { geometry: { coordinates: [number, number] }; properties: { description: string } }[] }).features.filter(
      (f) => f.properties.description === note,
    );
    expect(mine).toHaveLength(1);
    expect(mine[0].geometry.coordinates[0]).toBeCloseTo(first.lngLat[0], 5);
    expect(mine[0].geometry.coordinates[1]).toBeCloseTo(first.lngLat[1], 5);
  });

  it('an answer lost after the server stored the report (a cut connection) is retried and still counted once', async () => {
    const note = `现场端到端断线 ${RUN}`;
    let cut = 0;
    // The request reaches the server and is stored, but the phone never hears back.
    await page.route('**/api/problems', async (route) => {
      if (route.request().method() === 'POST' && cut === 0) {
        cut++;
        await route.fetch();
        return route.abort('connectionreset');
      }
      return route.continue();
    });
    await recordProblem(note, '#ef6c00');
    await expect.poll(() => cut, { timeout: 20_000 }).toBe(1);
    await expect.poll(states, { timeout: 30_000 }).toEqual(['sent', 'sent', 'sent', 'sent']);
    await page.unroute('**/api/problems');
    expect(await serverCount(note)).toBe(1);
  });

  it('a tap on the map corrects the location of the report being made', async () => {
    await page.locator(`[data-category="${category}"]`).click();
    const save = page.locator('[data-testid="field-save"]');
    const before = await save.textContent();
    await page.locator('[data-testid="field-map"]').scrollIntoViewIfNeeded();
    const box = (await page.locator('[data-testid="field-map"]').boundingBox())!;
    await page.mouse.click(box.x + box.width / 2 + 60, box.y + box.height / 2 - 40);
    await expect.poll(() => save.textContent()).not.toBe(before);
    await expect.poll(() => page.textContent('[data-testid="field-report"]')).toMatch(/位置已在地图上修正/);
    // Back to the GPS fix with one tap.
    await page.locator('[data-testid="field-report"] button', { hasText: '使用当前位置' }).click();
    await expect.poll(() => save.textContent()).toBe(before);
  });
});

/** Newest-first states of the records of one kind. */
const statesOf = (kind: string) =>
  page.locator(`[data-testid="field-record"][data-kind="${kind}"]`).evaluateAll((els) => els.map((e) => e.getAttribute('data-state')));

interface PlanOut {
  id: string;
  teams: { stops: { id: string; name: string; kind: string; lngLat: [number, number] }[] }[];
}

async function makePlan(n: number, seed: number): Promise<PlanOut> {
  const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
  const res = await api(`${server.origin}/api/plans`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      date: today,
      name: `现场 e2e ${seed}`,
      teams: [{ name: '一组', start: at, budgetS: 8 * 3600 }],
      stops: { kinds: ['market'], sample: { n, seed } },
      timeLimitMs: 300,
    }),
  });
  expect(res.status).toBe(201);
  return (await res.json()) as PlanOut;
}

/** The check results the server holds for a plan. */
async function serverChecks(
  planId: string,
): Promise<{ id: string; pointId: string; items: { itemId: string; result: string }[]; problems: { ref: string; id: string | null }[] }[]> {
  const res = await api(`${server.origin}/api/checks?planId=${planId}`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { checks: never[] }).checks;
}

/** Problems (any category) whose description is `note`. */
async function countByNote(note: string, cat: string): Promise<number> {
  const res = await api(`${server.origin}/api/problems?category=${cat}&limit=50000`);
  return ((await res.json()) as { features: { properties: { description: string } }[] }).features.filter((f) => f.properties.description === note).length;
}

/** At the next-stop card: sets results for the first `n` items (fail → opens the report), then "done". */
async function checkStop(results: ('pass' | 'fail' | 'na')[], reportNote?: string): Promise<void> {
  const card = page.locator('[data-testid="field-next-stop"]');
  for (const [i, r] of results.entries()) {
    await card.locator('[data-item]').nth(i).locator(`[data-result="${r}"]`).click();
    if (r === 'fail' && reportNote) {
      // The failed item opened the report for it; a photo and a note, then save (queued, linked to the stop).
      await page
        .locator('[data-testid="field-photo"]')
        .setInputFiles({ name: 'fail.jpg', mimeType: 'image/jpeg', buffer: await jpegWithExif({ width: 640, height: 480, color: '#2e7d32', gps: at }) });
      await page.locator('.field-report input[type="text"]').fill(reportNote);
      const save = page.locator('[data-testid="field-save"]');
      await expect.poll(() => save.isEnabled()).toBe(true);
      await save.click();
      await expect.poll(() => page.locator('[data-testid="field-save"]').count()).toBe(0);
    }
  }
  await card.locator('[data-testid="field-stop-done"]').click();
}

describe('field page: check results, a killed server, tiles and a conflict', () => {
  let plan: PlanOut;
  let stops: PlanOut['teams'][number]['stops'];
  const checkNote = `检查不合格 ${RUN}`;
  const freeNote = `现场检查外另报 ${RUN}`;

  it('keeps the plan area’s tiles for offline use, with progress on the page', async () => {
    plan = await makePlan(6, 11);
    stops = plan.teams[0].stops;
    expect(stops.length).toBeGreaterThanOrEqual(4);
    const viewed = new Set<string>();
    page.on('request', (r) => viewed.add(r.url()));
    await page.reload();
    await expect.poll(() => page.locator('[data-testid="field-next-stop"] h2').textContent(), { timeout: 30_000 }).toBe(stops[0].name);
    const tiles = page.locator('[data-testid="field-tiles"]');
    await expect.poll(async () => Number(await tiles.getAttribute('data-total')), { timeout: 30_000 }).toBeGreaterThan(0);
    await expect.poll(async () => (await tiles.getAttribute('data-done')) === (await tiles.getAttribute('data-total')), { timeout: 120_000 }).toBe(true);
    const total = Number(await tiles.getAttribute('data-total'));
    expect(total).toBeLessThanOrEqual(1500);
    expect(await tiles.textContent()).toMatch(new RegExp(`离线地图已缓存 ${total} 张`));
    await waitForMapIdle(page);

    // z14 tiles of the plan area the map never asked for, but the cache holds (with data in them), biggest first.
    const kept = await page.evaluate(async () => {
      const cache = await caches.open('xuncha-tiles-v1');
      const out: { url: string; bytes: number }[] = [];
      for (const req of await cache.keys()) {
        const res = await cache.match(req);
        if (/\/tiles\/base\/14\//.test(req.url) && res?.status === 200) out.push({ url: req.url, bytes: (await res.arrayBuffer()).byteLength });
      }
      return out.sort((a, b) => b.bytes - a.bytes);
    });
    const unseen = kept.filter((k) => !viewed.has(k.url));
    expect(unseen.length).toBeGreaterThan(0);
    const [z, x, y] = unseen[0].url
      .match(/\/(\d+)\/(\d+)\/(\d+)\.pbf/)!
      .slice(1)
      .map(Number);
    // Bounded to the plan area: a tile 40 columns away is not fetched.
    expect(await page.evaluate((u) => caches.match(u).then((r) => r?.status ?? null), `${server.origin}/tiles/base/14/${x + 40}/${y}.pbf`)).toBeNull();

    await browser.context.setOffline(true);
    await expect.poll(() => page.textContent('[data-testid="field-status"]')).toMatch(/离线/);
    // Offline, the map goes to the middle of that tile and draws it from the cache: at z15 a z14 tile
    // spans 512 px, so what is drawn within 100 px of its centre comes from that tile alone.
    const n = 2 ** z;
    const lng = ((x + 0.5) / n) * 360 - 180;
    const lat = (Math.atan(Math.sinh(Math.PI * (1 - (2 * (y + 0.5)) / n))) * 180) / Math.PI;
    await jumpAndSettle(page, [lng, lat], 15);
    await waitForMapIdle(page);
    const drawn = await page.evaluate(
      (ll) => {
        const map = window.__xunchaMap!;
        const p = map.project(ll);
        return map
          .queryRenderedFeatures([
            [p.x - 100, p.y - 100],
            [p.x + 100, p.y + 100],
          ])
          .filter((f) => f.source !== 'overlay').length;
      },
      [lng, lat] as [number, number],
    );
    expect(drawn).toBeGreaterThan(0);
    await page.screenshot({ path: join(RESULTS_DIR, 'field-offline-tiles.png'), fullPage: true });
  });

  it('offline: three stops’ check results and two problems with photos survive a reload and arrive exactly once', async () => {
    // Still offline from the previous step.
    await checkStop(['fail', 'pass'], checkNote);
    await expect.poll(() => page.locator('[data-testid="field-next-stop"] h2').textContent()).toBe(stops[1].name);
    await checkStop(['pass', 'pass', 'na']);
    await expect.poll(() => page.locator('[data-testid="field-next-stop"] h2').textContent()).toBe(stops[2].name);
    await checkStop(['pass']);
    await recordProblem(freeNote, '#455a64');
    await expect.poll(() => statesOf('check')).toEqual(['waiting', 'waiting', 'waiting']);
    const reportStates = async () => (await statesOf('report')).slice(0, 2);
    await expect.poll(reportStates).toEqual(['waiting', 'waiting']);
    await page.screenshot({ path: join(RESULTS_DIR, 'field-offline-checks.png'), fullPage: true });

    await page.reload();
    await page.locator('[data-testid="field-page"]').waitFor({ timeout: 30_000 });
    await expect.poll(() => statesOf('check'), { timeout: 20_000 }).toEqual(['waiting', 'waiting', 'waiting']);
    await expect.poll(reportStates).toEqual(['waiting', 'waiting']);
    expect(await serverChecks(plan.id)).toEqual([]);

    await browser.context.setOffline(false);
    await expect.poll(() => statesOf('check'), { timeout: 60_000 }).toEqual(['sent', 'sent', 'sent']);
    await expect.poll(reportStates, { timeout: 60_000 }).toEqual(['sent', 'sent']);
    const checks = await serverChecks(plan.id);
    expect(checks.map((c) => c.pointId).sort()).toEqual(
      stops
        .slice(0, 3)
        .map((s) => s.id)
        .sort(),
    );
    const first = checks.find((c) => c.pointId === stops[0].id)!;
    expect(first.items.map((i) => i.result)).toEqual(['fail', 'pass']);
    // The report raised from the failed item arrived first, and the check names it.
    expect(first.problems).toHaveLength(1);
    expect(first.problems[0].id).toMatch(/\S/);
    expect(await countByNote(checkNote, 'occupy-road')).toBe(1);
    expect(await countByNote(freeNote, category)).toBe(1);

    await page.reload();
    await page.locator('[data-testid="field-page"]').waitFor();
    await page.waitForTimeout(4500);
    expect(await serverChecks(plan.id)).toHaveLength(3);
    expect(await countByNote(checkNote, 'occupy-road')).toBe(1);
  });

  it('the server killed in the middle of a sync and restarted: the queue resumes, each record still arrives once', async () => {
    const note = `现场端到端宕机 ${RUN}`;
    await browser.context.setOffline(true);
    await expect.poll(() => page.locator('[data-testid="field-next-stop"] h2').textContent()).toBe(stops[3].name);
    await checkStop(['fail'], note);
    await expect.poll(() => statesOf('check')).toEqual(['waiting', 'sent', 'sent', 'sent']);

    let held = 0;
    // The report reaches the server and is stored; the server dies before the phone hears the answer.
    await page.route('**/api/problems', async (route) => {
      if (route.request().method() === 'POST' && held === 0) {
        held++;
        await route.fetch();
        await server.kill();
        return route.abort('connectionreset');
      }
      return route.continue();
    });
    await browser.context.setOffline(false);
    await expect.poll(() => held, { timeout: 30_000 }).toBe(1);
    // While the server is down the report waits with its reason, and the check behind it does not overtake it.
    await expect.poll(async () => (await statesOf('report'))[0], { timeout: 20_000 }).toBe('waiting');
    expect((await statesOf('check'))[0]).toBe('waiting');
    await page.screenshot({ path: join(RESULTS_DIR, 'field-server-down.png'), fullPage: true });

    await server.restart();
    await expect.poll(() => statesOf('check'), { timeout: 120_000 }).toEqual(['sent', 'sent', 'sent', 'sent']);
    expect((await statesOf('report'))[0]).toBe('sent');
    await page.unroute('**/api/problems');
    expect(await countByNote(note, 'occupy-road')).toBe(1);
    const checks = await serverChecks(plan.id);
    expect(checks).toHaveLength(4);
    const fourth = checks.find((c) => c.pointId === stops[3].id)!;
    expect(fourth.problems[0].id).toMatch(/\S/);
  });

  it('a look-back someone else overtook while I was offline is shown as a conflict, never applied', async () => {
    // A rectified problem 18 m from where the inspector will stand.
    const spot: [number, number] = [at[0] + 0.0005, at[1] + 0.0003];
    const fd = new FormData();
    for (const [k, v] of Object.entries({
      category: 'small-ads',
      lng: spot[0],
      lat: spot[1],
      description: `复查冲突 ${RUN}`,
      reporter: '督查组',
      source: 'inspection',
    }))
      fd.set(k, String(v));
    fd.append('photos', new File([new Uint8Array(await jpegWithExif({ gps: spot }))], 'ad.jpg', { type: 'image/jpeg' }));
    const created = await api(`${server.origin}/api/problems`, { method: 'POST', body: fd });
    expect(created.status).toBe(201);
    const id = ((await created.json()) as { problem: { id: string } }).problem.id;
    const step = async (who: typeof fetch, body: object) => {
      const r = await who(`${server.origin}/api/problems/${id}/transitions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      expect(r.status, await r.clone().text()).toBe(200);
    };
    await step(api, { to: 'assigned', note: '请清理' });
    await step(api, { to: 'rectified', note: '已清理' });

    await browser.context.setGeolocation({ longitude: spot[0] - 0.0002, latitude: spot[1], accuracy: 8 });
    await page.reload();
    const card = page.locator(`[data-testid="field-lookback"][data-problem="${id}"]`);
    await card.waitFor({ timeout: 30_000 });
    expect(await card.textContent()).toMatch(/附近 1\d 米有待复查问题/);

    await browser.context.setOffline(true);
    await expect.poll(() => page.textContent('[data-testid="field-status"]')).toMatch(/离线/);
    await card.locator('input').fill('小广告仍在');
    await card.locator('[data-result="fail"]').click();
    await expect.poll(() => statesOf('transition')).toEqual(['waiting']);

    // Meanwhile the leader closes it from the office.
    const leader = await apiAs(server.origin, 'leader');
    await step(leader, { to: 'closed', note: '已复查合格' });

    await browser.context.setOffline(false);
    await expect.poll(() => statesOf('transition'), { timeout: 60_000 }).toEqual(['conflict']);
    const notice = page.locator(`[data-testid="field-conflict"][data-problem="${id}"]`);
    expect(await notice.textContent()).toMatch(/该问题已被 .+（leader） 于 \d\d:\d\d 关闭 — 你的复查未提交/);
    await page.screenshot({ path: join(RESULTS_DIR, 'field-conflict.png'), fullPage: true });
    // Not overwritten: closed by the leader, no failed look-back after it.
    const history = (await (await api(`${server.origin}/api/problems/${id}/history`)).json()) as {
      status: string;
      history: { action: string; actor: string }[];
    };
    expect(history.status).toBe('closed');
    expect(history.history.at(-1)).toMatchObject({ action: 'pass' });
    expect(history.history.at(-1)!.actor).toMatch(/leader/);
    // Still there after a reload and a few sync ticks (never retried).
    await page.reload();
    await notice.waitFor({ timeout: 30_000 });
    await page.waitForTimeout(4500);
    expect(((await (await api(`${server.origin}/api/problems/${id}/history`)).json()) as { history: unknown[] }).history).toHaveLength(history.history.length);

    // "另报新问题": the report opens at the problem with its category; the notice goes.
    await notice.locator('[data-action="report"]').click();
    await expect.poll(() => page.locator('[data-category="small-ads"]').getAttribute('aria-pressed')).toBe('true');
    await expect.poll(() => notice.count()).toBe(0);
    expect(await statesOf('transition')).toEqual([]);
  });

  it('shows which way I walk on the map, and no needle when the heading is unknown', async () => {
    const cdp = await browser.context.newCDPSession(page);
    // Walking east at 1.4 m/s: the GPS course is the heading.
    await cdp.send('Emulation.setGeolocationOverride', { latitude: at[1], longitude: at[0], accuracy: 8, heading: 90, speed: 1.4 });
    const map = page.locator('[data-testid="field-map"]');
    await expect.poll(() => map.getAttribute('data-heading'), { timeout: 20_000 }).toBe('90');
    await waitForMapIdle(page);
    const needle = () =>
      page.evaluate(() =>
        window
          .__xunchaMap!.queryRenderedFeatures({ layers: ['overlay-line'] })
          .filter((f) => f.properties.heading !== undefined)
          .map((f) => f.properties.heading),
      );
    await expect.poll(needle).toEqual([90]);
    // Standing still, no compass: no direction is drawn rather than a wrong one.
    await cdp.send('Emulation.setGeolocationOverride', { latitude: at[1], longitude: at[0], accuracy: 8, speed: 0 });
    await expect.poll(() => map.getAttribute('data-heading')).toBeNull();
    await waitForMapIdle(page);
    await expect.poll(needle).toEqual([]);
    await cdp.detach();
  });

  it('signing out forgets who I am offline, keeps my unsent records, and sends them when I am back', async () => {
    const note = `退出前未上传 ${RUN}`;
    // The server cannot be reached for reports: the record stays waiting while the rest of the page is online.
    await page.route('**/api/problems', (route) => (route.request().method() === 'POST' ? route.abort('internetdisconnected') : route.continue()));
    await recordProblem(note, '#8e24aa');
    await expect.poll(async () => (await statesOf('report'))[0], { timeout: 20_000 }).toBe('waiting');
    const cachedMe = () => page.evaluate(async () => Boolean(await caches.match('/api/auth/me')));
    expect(await cachedMe()).toBe(true);

    await page.click('[data-testid="user-button"]');
    await page.click('[data-testid="sign-out"]');
    await page.getByLabel('用户名').waitFor({ timeout: 20_000 });
    expect(await cachedMe()).toBe(false);
    const queued = await page.evaluate(
      () =>
        new Promise<string[]>((res, rej) => {
          const open = indexedDB.open('xuncha-field');
          open.onerror = () => rej(open.error);
          open.onsuccess = () => {
            const get = open.result.transaction('records').objectStore('records').getAll();
            get.onsuccess = () =>
              res(
                (get.result as { state: string; payload: { description?: string } }[])
                  .filter((r) => r.state === 'waiting')
                  .map((r) => r.payload.description ?? ''),
              );
            get.onerror = () => rej(get.error);
          };
        }),
    );
    expect(queued).toContain(note);
    expect(await countByNote(note, category)).toBe(0);

    await page.unroute('**/api/problems');
    await signIn(browser.context, server.origin, 'inspector');
    await page.reload();
    await page.locator('[data-testid="field-page"]').waitFor({ timeout: 30_000 });
    await expect.poll(async () => (await statesOf('report'))[0], { timeout: 60_000 }).toBe('sent');
    expect(await countByNote(note, category)).toBe(1);
  });
});
