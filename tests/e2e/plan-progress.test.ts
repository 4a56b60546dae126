/**
 * Walked progress in Chromium against the real server and demo city: a plan for today, fixes posted
 * through POST /api/tracks as the demo inspector's phone would send them (10 s apart, accuracy 10 m)
 * along team 1's way to its first stops, and a few older ones for team 2, which has gone quiet. The
 * planner at 1366×768 shows team 1's 实走进度 line and its stops reached with their times, the walked
 * track and the latest positions on the map; the print sheet says the same with 到达 ✓/✗; the big
 * screen at 1920×1080 marks both teams (team 2 faded), replays the walked track, and moves team 1's
 * marker when a new fix arrives (the event stream).
 */
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toCityIso } from '../../server/contract/city-time';
import { haversineM } from '../../server/contract/geo';
import { TRACK_FADE_MS } from '../../server/contract/track-rules';
import { apiAs, launchBrowser, RESULTS_DIR, signIn, startServer, waitForMapIdle, type Browser, type RunningServer } from './harness';

interface PlanLite {
  id: string;
  teams: { name: string; start: [number, number]; stops: { id: string; seq: number; lngLat: [number, number] }[] }[];
}
interface ProgressLite {
  teams: { index: number; reached: number; walkedM: number; stops: { id: string; reached: boolean; reachedAt: string | null }[] }[];
}

let server: RunningServer;
let token: string;
let inspector: typeof fetch;
let plan: PlanLite;
let progress: ProgressLite;
/** Team 1's last fix, the position its marker should show. */
let last: [number, number];
let lastMs: number;

const cityToday = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

/** A point every 10 m along `line`, as a phone walking at 1 m/s with a fix every 10 s gives. */
function densify(line: [number, number][]): [number, number][] {
  const out: [number, number][] = [line[0]];
  for (let i = 1; i < line.length; i++) {
    const [a, b] = [line[i - 1], line[i]];
    const k = Math.max(1, Math.ceil(haversineM(a[0], a[1], b[0], b[1]) / 10));
    for (let j = 1; j <= k; j++) out.push([a[0] + ((b[0] - a[0]) * j) / k, a[1] + ((b[1] - a[1]) * j) / k]);
  }
  return out;
}

/** Posts `coords` as one team's fixes, 10 s apart, the last at `endMs`, in batches the contract allows. */
async function walk(team: number, coords: [number, number][], endMs: number): Promise<void> {
  const points = coords.map(([lng, lat], i) => ({ id: randomUUID(), lng, lat, at: toCityIso(endMs - (coords.length - 1 - i) * 10_000), accuracyM: 10 }));
  for (let i = 0; i < points.length; i += 500) {
    const res = await inspector(`${server.origin}/api/tracks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ planId: plan.id, team, points: points.slice(i, i + 500) }),
    });
    expect(res.status, await res.clone().text()).toBe(200);
    const out = (await res.json()) as { stored: number };
    expect(out.stored).toBe(Math.min(500, points.length - i));
  }
}

beforeAll(async () => {
  server = await startServer();
  const admin = await apiAs(server.origin, 'admin');
  const issued = await admin(`${server.origin}/api/screen-tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'e2e 实走进度' }),
  });
  expect(issued.status).toBe(201);
  token = ((await issued.json()) as { secret: string }).secret;
  inspector = await apiAs(server.origin, 'inspector');
  const meta = (await (await inspector(`${server.origin}/api/meta`)).json()) as { city: { center: [number, number] } };
  const c = meta.city.center;
  const res = await inspector(`${server.origin}/api/plans`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      name: '实走测试',
      date: cityToday(),
      teams: [
        { name: '第一组', start: c, budgetS: 4 * 3600, shiftStart: '08:30' },
        { name: '第二组', start: [c[0] + 0.01, c[1] - 0.005], budgetS: 4 * 3600, shiftStart: '08:30' },
      ],
      stops: { kinds: ['market'], sample: { n: 6, seed: 5 } },
    }),
  });
  expect(res.status, await res.clone().text()).toBe(201);
  plan = (await res.json()) as PlanLite;
  const [one, two] = plan.teams;
  expect(one.stops.length, 'team 1 needs two stops, to leave its last one unwalked').toBeGreaterThan(1);
  // Team 1 walks from its start to every stop but its last; its last fix is a few seconds ago.
  const way = densify([one.start, ...one.stops.slice(0, -1).map((s) => s.lngLat)]);
  lastMs = Date.now() - 5_000;
  await walk(0, way, lastMs);
  last = way[way.length - 1];
  // Team 2 sent a minute of fixes and then nothing for longer than a position stays bright.
  await walk(1, densify([two.start, [two.start[0] + 0.0006, two.start[1]]]), Date.now() - TRACK_FADE_MS - 120_000);
  progress = (await (await inspector(`${server.origin}/api/plans/${plan.id}/progress`)).json()) as ProgressLite;
  expect(progress.teams[0].reached).toBeGreaterThanOrEqual(one.stops.length - 1);
}, 400_000);

afterAll(async () => {
  await server?.stop();
});

describe('the planner and the print sheet at 1366×768', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser({ width: 1366, height: 768 });
    await signIn(browser.context, server.origin, 'inspector');
  });
  afterAll(async () => browser?.close());

  it('shows team 1’s walked line and its stops reached, and draws the walked track beside the plan', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${server.origin}/plan?plan=${plan.id}`);
    const summary = page.locator('[data-testid="plan-progress-summary-0"]');
    await summary.waitFor({ timeout: 60_000 });
    const t1 = progress.teams[0];
    expect(await summary.textContent()).toBe(`实走 ${(t1.walkedM / 1000).toFixed(1)} km · 到达 ${t1.reached}/${plan.teams[0].stops.length} 站`);
    for (const s of t1.stops) {
      const row = page.locator(`[data-testid="plan-progress-stop-${s.id}"]`);
      expect(await row.getAttribute('data-reached')).toBe(String(s.reached));
      // The time reached, in the city.
      if (s.reached) expect(await row.textContent()).toContain(`${toCityIso(Date.parse(s.reachedAt!)).slice(11, 16)} 到达`);
      else expect(await row.textContent()).toContain('未到达');
    }
    // Team 2's dot is greyed, and its last fix says how long it has been silent.
    expect(await page.textContent('[data-testid="plan-progress-team-1"]')).toMatch(/已 \d+ 分钟无新定位/);

    await waitForMapIdle(page);
    const drawn = await page.evaluate(() => {
      const map = window.__xunchaMap!;
      return {
        dashed: map.queryRenderedFeatures({ layers: ['overlay-line-dashed'] }).length,
        walked: map.queryRenderedFeatures({ layers: ['overlay-line'] }).filter((f) => f.properties.walked !== undefined).length,
        dots: map
          .queryRenderedFeatures({ layers: ['overlay-point'] })
          .filter((f) => f.properties.position !== undefined)
          .map((f) => [f.properties.position, f.properties.faded]),
      };
    });
    expect(drawn.dashed).toBeGreaterThan(0);
    expect(drawn.walked).toBeGreaterThan(0);
    expect(drawn.dots.sort()).toEqual([
      [0, false],
      [1, true],
    ]);
    expect(await page.isVisible('[data-testid="plan-walked-key"]')).toBe(true);
    await page.locator('[data-testid="plan-progress"]').scrollIntoViewIfNeeded();
    writeFileSync(join(RESULTS_DIR, 'plan-progress-1366.png'), await page.screenshot({ type: 'png' }));
    writeFileSync(join(RESULTS_DIR, 'plan-progress-map-1366.png'), await page.locator('.plan-map').screenshot({ type: 'png' }));
    await page.close();
  });

  it('prints the walked line and 到达 ✓ with the time or ✗ per stop', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${server.origin}/plan/print?id=${plan.id}`);
    await page.waitForSelector('[data-testid="print-page"]', { timeout: 30_000 });
    const t1 = progress.teams[0];
    expect(await page.textContent('[data-testid="sheet-progress-0"]')).toContain(`到达 ${t1.reached}/${plan.teams[0].stops.length} 站`);
    for (const s of t1.stops) {
      const cell = page.locator(`[data-testid="sheet-stop-${s.id}"] .sheet-reached`);
      expect((await cell.textContent())!.trim()).toBe(s.reached ? `✓ ${toCityIso(Date.parse(s.reachedAt!)).slice(11, 16)}` : '✗');
    }
    // The sketch draws the walk solid beside the dashed plan.
    expect(await page.locator('[data-testid="sheet-team-0"] .sheet-map polyline[stroke-dasharray]').count()).toBe(1);
    expect(await page.locator('[data-testid="sheet-team-0"] .sheet-map polyline:not([stroke-dasharray])').count()).toBeGreaterThan(0);
    writeFileSync(join(RESULTS_DIR, 'plan-progress-sheet.png'), await page.locator('[data-testid="sheet-team-0"]').screenshot({ type: 'png' }));
    await page.close();
  });
});

describe('the big screen at 1920×1080', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser({ width: 1920, height: 1080 });
  });
  afterAll(async () => browser?.close());

  /** The screen's markers as deck.gl has them: team key, position, faded. */
  const markers = (page: Page) =>
    page.evaluate(() => {
      const layer = (window.__xunchaDeckLayers ?? []).find((l) => l.id === 'screen-positions');
      return ((layer?.props.data ?? []) as { key: string; lngLat: [number, number]; faded: boolean }[]).map((m) => ({ ...m }));
    });

  it('marks each team’s latest position with its name, faded when silent, replays the walk, and follows a new fix', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${server.origin}/screen?screen_token=${token}`);
    await page.waitForSelector('[data-testid="kpi-open"]', { timeout: 60_000 });
    await waitForMapIdle(page);
    // The legend names each team with the time of its last fix, and says what the dots mean.
    const legend = page.locator('[data-testid="screen-map-routes"]');
    const entry = (team: number) => legend.locator(`[data-team="${plan.id}:${team}"]`);
    await expect.poll(() => entry(0).getAttribute('data-faded'), { timeout: 30_000 }).toBe('false');
    expect(await entry(0).textContent()).toBe(`第一组${toCityIso(lastMs).slice(11, 16)}`);
    expect(await entry(1).getAttribute('data-faded')).toBe('true');
    expect(await page.textContent('[data-testid="screen-map-teams-key"]')).toBe('实走轨迹实时位置超过 5 分钟无定位');
    await expect.poll(async () => (await markers(page)).length, { timeout: 30_000 }).toBe(2);
    const one = (await markers(page)).find((m) => m.key === `${plan.id}:0`)!;
    expect(one.lngLat[0]).toBeCloseTo(last[0], 6);
    expect(one.lngLat[1]).toBeCloseTo(last[1], 6);
    // Team 1 is replayed along what it walked; the legend says so.
    expect(await entry(0).getAttribute('data-walked')).toBe('true');
    const ids = await page.evaluate(() => (window.__xunchaDeckLayers ?? []).map((l) => l.id));
    expect(ids).toEqual(expect.arrayContaining(['screen-walked', 'screen-positions', 'screen-position-names', 'screen-trips']));
    writeFileSync(join(RESULTS_DIR, 'screen-positions-1080.png'), await page.screenshot({ type: 'png' }));
    writeFileSync(join(RESULTS_DIR, 'screen-positions-map-1080.png'), await page.locator('[data-box="map"]').screenshot({ type: 'png' }));

    // A fix 40 m on, posted now: the marker moves with the event, without waiting for a refetch.
    const next: [number, number] = [last[0] + 0.0004, last[1]];
    await walk(0, [next], Date.now());
    await expect.poll(async () => (await markers(page)).find((m) => m.key === `${plan.id}:0`)?.lngLat[0], { timeout: 15_000 }).toBeCloseTo(next[0], 6);
    await page.close();
  });
});
