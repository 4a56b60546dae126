/**
 * The walked track on the field page, on a 390×844 phone: the demo inspector starts recording for
 * today's plan and walks (a scripted geolocation, the page's clock moved on 5 s a fix, since the
 * sampling keeps one fix per 5 s) along the team's route to its first stop. The plan's progress on the
 * server shows the distance the page shows and the stop reached. Then fixes kept offline, a reload in
 * the middle (the recording goes on by itself) and a lost answer: back online, every kept fix arrives
 * exactly once (the progress counts as many fixes as the page kept).
 */
import type { Page } from 'playwright-core';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { haversineM } from '../../server/contract/geo';
import { apiAs, launchBrowser, renderedFeatures, RESULTS_DIR, signIn, startServer, waitForMapIdle, type Browser, type RunningServer } from './harness';

type LngLat = [number, number];

interface PlanOut {
  id: string;
  teams: { index: number; name: string; color: string; geometry: { coordinates: LngLat[] } | null; stops: { id: string; name: string; lngLat: LngLat }[] }[];
}
interface ProgressOut {
  teams: { index: number; walkedM: number; fixes: number; reached: number; stops: { id: string; reached: boolean }[] }[];
}

/** The page keeps at most one fix per this long while moving (TRACK_SAMPLING.minIntervalMs). */
const FIX_EVERY_MS = 5_000;
/**
 * The page clock runs ahead of the server's by every jump; the server refuses fixes more than five
 * minutes ahead, so the walk keeps to this many fixes in all.
 */
const MAX_FIXES = 45;

let server: RunningServer;
let browser: Browser;
let page: Page;
let api: typeof fetch;
let plan: PlanOut;
let walk: LngLat[];
let atStop: number;

const track = () => page.locator('[data-testid="field-track"]');
const kept = async () => Number(await track().getAttribute('data-kept'));
/** An attribute of the record list's track line ('' before the first batch is queued). */
async function attr(name: string): Promise<string> {
  const line = page.locator('[data-testid="field-track-records"]');
  return (await line.count()) > 0 ? ((await line.getAttribute(name)) ?? '') : '';
}

/** Points every `spacingM` along `line` (its first point included), as the fixes of a steady walk. */
function resample(line: LngLat[], spacingM: number): LngLat[] {
  const out: LngLat[] = [line[0]];
  let carried = 0;
  for (let i = 1; i < line.length; i++) {
    const [a, b] = [line[i - 1], line[i]];
    const d = haversineM(a[0], a[1], b[0], b[1]);
    let at = spacingM - carried;
    while (at <= d) {
      out.push([a[0] + ((b[0] - a[0]) * at) / d, a[1] + ((b[1] - a[1]) * at) / d]);
      at += spacingM;
    }
    carried = d - (at - spacingM);
  }
  return out;
}

const lengthM = (line: LngLat[]) => line.slice(1).reduce((m, p, i) => m + haversineM(line[i][0], line[i][1], p[0], p[1]), 0);

/** One step of the walk: the page's clock moves on, the phone reports `p`, and the page keeps it. */
async function step(p: LngLat): Promise<void> {
  const before = await kept();
  await page.clock.fastForward(FIX_EVERY_MS);
  await browser.context.setGeolocation({ longitude: p[0], latitude: p[1], accuracy: 6 });
  await expect.poll(kept, { timeout: 10_000 }).toBe(before + 1);
}

async function progress(): Promise<ProgressOut['teams'][number]> {
  const res = await api(`${server.origin}/api/plans/${plan.id}/progress`);
  expect(res.status).toBe(200);
  return ((await res.json()) as ProgressOut).teams[0];
}

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser({ width: 390, height: 844 });
  api = await apiAs(server.origin, 'inspector');
  const meta = (await (await api(`${server.origin}/api/meta`)).json()) as { city: { center: LngLat } };
  const start = meta.city.center;
  const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
  const res = await api(`${server.origin}/api/plans`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      date: today,
      name: '轨迹 e2e',
      teams: [{ name: '一组', start, budgetS: 4 * 3600 }],
      stops: { kinds: ['market'], sample: { n: 3, seed: 5 } },
      timeLimitMs: 300,
    }),
  });
  expect(res.status).toBe(201);
  plan = (await res.json()) as PlanOut;
  const team = plan.teams[0];
  expect(team.stops.length).toBeGreaterThanOrEqual(2);
  const route = team.geometry!.coordinates.map((c) => [c[0], c[1]] as LngLat);
  // The route passes its first stop (at its point or the street beside it): the walk goes there, then on.
  const first = team.stops[0].lngLat;
  let cut = 0;
  for (let i = 0; i < route.length; i++) if (haversineM(...route[i], ...first) < haversineM(...route[cut], ...first)) cut = i;
  const toStop = route.slice(0, cut + 1);
  // Spaced so the way to the stop takes about 25 fixes (at least 50 m apart: standing still is sampled once a minute).
  const spacing = Math.max(50, lengthM(toStop) / 25);
  expect(spacing / (FIX_EVERY_MS / 1000), 'the walk must stay below the server’s GPS-jump speed').toBeLessThan(40);
  walk = [...resample(toStop, spacing), first];
  atStop = walk.length;
  walk.push(...resample(route.slice(cut), 60).slice(1, 10));
  expect(walk.length).toBeLessThanOrEqual(MAX_FIXES);

  await signIn(browser.context, server.origin, 'inspector');
  // A phone that lets the page keep its screen on (Chromium's default is to ask; headless cannot).
  await browser.context.grantPermissions(['geolocation', 'screen-wake-lock'], { origin: server.origin });
  await browser.context.setGeolocation({ longitude: walk[0][0], latitude: walk[0][1], accuracy: 6 });
  page = await browser.context.newPage();
  // A page clock that flows like the real one and can be moved on: the sampling's 5 s without waiting them.
  await page.clock.install();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('the walked track on the field page', () => {
  it('offers recording for today’s plan, with the web page’s limits said plainly', async () => {
    await page.goto(`${server.origin}/field`);
    await track().waitFor({ timeout: 60_000 });
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 30_000 });
    // Once more through the worker, so the page's own chunks and data are kept for the offline reload below.
    await page.reload();
    await track().waitFor({ timeout: 30_000 });
    expect(await track().getAttribute('data-recording')).toBe('false');
    expect(await track().textContent()).toMatch(/关闭本页、切到其他应用或手机锁屏时，轨迹会中断；重新打开本页后自动接着记录/);
    await page.locator('[data-testid="field-track-start"]').click();
    await expect.poll(() => track().getAttribute('data-recording')).toBe('true');
    // The fix the page already had is the first point.
    await expect.poll(kept).toBe(1);
    expect(await track().textContent()).toMatch(/正在记录轨迹（一组）/);
    await expect.poll(() => track().getAttribute('data-wake-lock')).toBe('on');
    expect(await track().textContent()).toMatch(/记录期间屏幕保持常亮/);
  });

  it('walks to the first stop: the server shows the distance the page shows, and the stop reached', async () => {
    // The first batch's answer is lost after the server stored it: the batch is sent again, and counted once.
    let cut = 0;
    await page.route('**/api/tracks', async (route) => {
      if (route.request().method() === 'POST' && cut === 0) {
        cut++;
        await route.fetch();
        return route.abort('connectionreset');
      }
      return route.continue();
    });
    for (const p of walk.slice(1, atStop)) await step(p);
    expect(await kept()).toBe(atStop);
    await expect.poll(() => cut, { timeout: 30_000 }).toBe(1);
    // The minute batches go out as the walk goes; what is still open waits for its minute.
    await expect.poll(() => attr('data-unsent'), { timeout: 30_000 }).toBe('0');
    await page.unroute('**/api/tracks');

    await waitForMapIdle(page);
    const lines = (await renderedFeatures(page, 'overlay-line')).filter((f) => f.props.walked === true);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines[0].props.color).toBe(plan.teams[0].color);
    await page.screenshot({ path: join(RESULTS_DIR, 'field-track.png') });
    await page.screenshot({ path: join(RESULTS_DIR, 'field-track-full.png'), fullPage: true });

    // Stop: the open batch goes too, then everything is on the server.
    await page.locator('[data-testid="field-track-stop"]').click();
    await expect.poll(() => track().getAttribute('data-recording')).toBe('false');
    await expect.poll(() => track().getAttribute('data-open')).toBe('0');
    await expect.poll(() => attr('data-unsent'), { timeout: 30_000 }).toBe('0');
    const shown = Number(await track().getAttribute('data-distance'));
    const team = await progress();
    expect(team.fixes).toBe(atStop);
    expect(Math.abs(team.walkedM - shown)).toBeLessThanOrEqual(2);
    expect(shown).toBeGreaterThan(0.8 * lengthM(walk.slice(0, atStop)));
    expect(team.stops[0]).toMatchObject({ id: plan.teams[0].stops[0].id, reached: true });
    expect(team.reached).toBeGreaterThanOrEqual(1);
  });

  it('fixes kept offline, through a reload, arrive exactly once when the network is back', async () => {
    await page.locator('[data-testid="field-track-start"]').click();
    await expect.poll(() => track().getAttribute('data-recording')).toBe('true');
    await browser.context.setOffline(true);
    await expect.poll(() => page.textContent('[data-testid="field-status"]')).toMatch(/离线/);
    const offline = walk.slice(atStop);
    const half = Math.ceil(offline.length / 2);
    for (const p of offline.slice(0, half)) await step(p);
    const before = await kept();

    await page.reload();
    await track().waitFor({ timeout: 30_000 });
    // Taken up again by itself: same plan, same day, the points kept so far.
    await expect.poll(() => track().getAttribute('data-recording'), { timeout: 20_000 }).toBe('true');
    expect(await kept()).toBe(before);
    for (const p of offline.slice(half)) await step(p);
    const total = await kept();
    expect(total).toBe(atStop + offline.length);
    // Kept on the phone: queued when the page was hidden for the reload, or still in the open batch.
    expect(Number((await attr('data-unsent')) || 0) + Number(await track().getAttribute('data-open'))).toBeGreaterThan(0);
    expect((await progress()).fixes).toBe(atStop);

    await browser.context.setOffline(false);
    await page.locator('[data-testid="field-track-stop"]').click();
    await expect.poll(() => track().getAttribute('data-open')).toBe('0');
    await expect.poll(() => attr('data-unsent'), { timeout: 60_000 }).toBe('0');
    expect((await progress()).fixes).toBe(total);
    // A reload and a few sync ticks send nothing again.
    await page.reload();
    await track().waitFor({ timeout: 30_000 });
    await page.waitForTimeout(4500);
    const team = await progress();
    expect(team.fixes).toBe(total);
    expect(Math.abs(team.walkedM - Number(await track().getAttribute('data-distance')))).toBeLessThanOrEqual(2);

    // The record list folds the batches into one line; unfolded, one line per batch, all sent.
    const line = page.locator('[data-testid="field-track-records"]');
    // At least every kept fix (a batch the closing page queued but could not forget is queued again: the server keeps it once).
    expect(Number(await line.getAttribute('data-points'))).toBeGreaterThanOrEqual(total);
    await line.locator('summary').click();
    const batches = page.locator('[data-testid="field-track-batch"]');
    expect(await batches.count()).toBe(Number(await line.getAttribute('data-batches')));
    expect(new Set(await batches.evaluateAll((els) => els.map((e) => e.getAttribute('data-state'))))).toEqual(new Set(['sent']));
    await page.locator('[data-testid="field-queue"]').screenshot({ path: join(RESULTS_DIR, 'field-track-records.png') });
  });

  it('says the same in English', async () => {
    await page.getByRole('button', { name: 'EN', exact: true }).click();
    await expect
      .poll(() => track().textContent())
      .toMatch(/Track recording stopped.*Record on.*points kept · .* walked.*the track stops while this page is closed/);
    await page.screenshot({ path: join(RESULTS_DIR, 'field-track-en.png') });
  });
});
