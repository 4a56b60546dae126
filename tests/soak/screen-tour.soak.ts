/**
 * Soak of the big screen (issue 7: "memory flat over a night of running"): tour mode (interval 5 s) at
 * 1920×1080 in Chromium against the real server for SOAK_MINUTES (default 30), with a plan saved for
 * today (so the routes animate the whole time) and a problem posted through the API about every 20 s
 * (each one pulses, refetches the panels and, after it settles, the heat). Every minute, after a forced
 * garbage collection, it samples the JS heap (CDP Performance.getMetrics JSHeapUsedSize), the DOM node
 * count and the event-listener count, and writes every sample to test-results/soak.json as it goes.
 *
 * The bound (soak-bound.ts; also in the README's big-screen section), each side the median of three
 * samples (around the baseline minute; the last three):
 *   heap after GC at the end  ≤ heap at the baseline minute + max(10 MB, 15 %)
 *   DOM nodes at the end      ≤ nodes at the baseline + 10 %
 *   event listeners at the end ≤ listeners at the baseline + 10 %
 * The baseline is minute 5 (or half the run when shorter): by then the tour has gone round its stops
 * about eight times (7 stops × 5 s), so MapLibre's tile cache, deck.gl's shader and texture caches and
 * the browser's font atlases have filled to their steady size. What may still legitimately grow is
 * small: points.bin gains 20 bytes per posted problem (90 problems in 30 min) and the panels' lists
 * are fixed in length. The page's whole heap is about 20 MB; its largest allocation per refresh is the
 * 0.5 MB points buffer with its filtered copy, so 10 MB is twenty such generations: more than can be in
 * flight at a sample (a fetch under way). A leak of one hotspots answer (~100 KB) per tour cycle (35 s)
 * would add 5 MB in 30 minutes and 120 MB over a 12-hour night: the bound catches a leak of about
 * 200 KB a cycle within the run, and the heap slope over the run (MB per hour, least squares from the
 * baseline on, in soak.json) shows smaller ones.
 * DOM nodes and listeners have no cache at all, so 10 % is the
 * slack for a caption or a pulse that happens to be on screen at the sample.
 *
 *   npm run test:soak                    # 30 minutes
 *   SOAK_MINUTES=3 npm run test:soak     # a quick check of the harness
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jpegWithExif } from '../fixtures/media/photos';
import { apiAs, launchBrowser, RESULTS_DIR, startServer, waitForMapIdle, type Browser, type RunningServer } from '../e2e/harness';
import { baselineMinute, soakVerdict } from './soak-bound';

const MINUTES = Number(process.env.SOAK_MINUTES ?? 30);
const POST_EVERY_MS = 20_000;
const SAMPLE_EVERY_MS = 60_000;
const BASELINE_MINUTE = baselineMinute(MINUTES);
const OUT = join(RESULTS_DIR, 'soak.json');

interface Sample {
  minute: number;
  at: string;
  heapUsedMB: number;
  heapTotalMB: number;
  domNodes: number;
  listeners: number;
  documents: number;
  /** Tour stops flown to and problems posted so far. */
  stops: number;
  posted: number;
  tourStop: string | null;
}

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  if (!(MINUTES >= 1)) throw new Error(`SOAK_MINUTES must be at least 1 (got ${process.env.SOAK_MINUTES})`);
  server = await startServer();
  browser = await launchBrowser({ width: 1920, height: 1080 });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

function cityToday(): string {
  return new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
}

describe(`big screen tour soak (${MINUTES} min)`, () => {
  it('keeps heap, DOM and listeners flat while touring and taking new reports', { timeout: (MINUTES + 10) * 60_000 }, async () => {
    const admin = await apiAs(server.origin, 'admin');
    const issued = await admin(`${server.origin}/api/screen-tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'soak' }),
    });
    expect(issued.status).toBe(201);
    const token = ((await issued.json()) as { secret: string }).secret;
    const meta = (await (await admin(`${server.origin}/api/meta`)).json()) as { city: { center: [number, number]; bbox: [number, number, number, number] } };
    const c = meta.city.center;
    const plan = await admin(`${server.origin}/api/plans`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        name: '大屏浸泡测试',
        date: cityToday(),
        teams: [
          { name: '第一组', start: c, budgetS: 6 * 3600, shiftStart: '08:30' },
          { name: '第二组', start: [c[0] + 0.01, c[1] - 0.005], budgetS: 6 * 3600, shiftStart: '09:00' },
        ],
        stops: { kinds: ['market'], sample: { n: 10, seed: 7 } },
      }),
    });
    expect(plan.status).toBe(201);
    const photo = new Uint8Array(await jpegWithExif({ color: '#2e7d32' }));

    const page = await browser.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${server.origin}/screen?screen_token=${token}&tour=1&interval=5`);
    await page.waitForSelector('[data-testid="kpi-open"]', { timeout: 60_000 });
    await waitForMapIdle(page);
    const cdp = await browser.context.newCDPSession(page);
    await cdp.send('Performance.enable');

    // Seeded positions inside the city (mulberry32), so a rerun posts the same places.
    let seed = 20261126;
    const rand = () => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const [w, s, e, n] = meta.city.bbox;
    let posted = 0;
    const post = async () => {
      const form = new FormData();
      const lng = w + (e - w) * (0.2 + 0.6 * rand());
      const lat = s + (n - s) * (0.2 + 0.6 * rand());
      for (const [k, v] of Object.entries({ category: 'small-ads', lng, lat, description: `浸泡测试 ${posted + 1}`, reporter: '督查组 soak' }))
        form.set(k, String(v));
      form.append('photos', new File([photo], 'p.jpg'));
      const res = await admin(`${server.origin}/api/problems`, { method: 'POST', body: form, headers: { 'Idempotency-Key': crypto.randomUUID() } });
      expect(res.status, await res.clone().text()).toBe(201);
      posted++;
    };

    const seen = new Set<string>();
    let stops = 0;
    let lastStop: string | null = null;
    const trackTour = async () => {
      const key = await page.evaluate(() => (window.__xunchaTourStop ? `${window.__xunchaTourStop.index}:${window.__xunchaTourStop.key}` : null));
      if (key && key !== lastStop) {
        stops++;
        seen.add(key.split(':').slice(1).join(':'));
      }
      lastStop = key;
    };

    const samples: Sample[] = [];
    const sample = async (minute: number) => {
      await cdp.send('HeapProfiler.collectGarbage');
      const { metrics } = (await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] };
      const m = new Map(metrics.map((x) => [x.name, x.value]));
      const domNodes = await page.evaluate(() => document.getElementsByTagName('*').length);
      samples.push({
        minute,
        at: new Date().toISOString(),
        heapUsedMB: round((m.get('JSHeapUsedSize') ?? NaN) / 1048576),
        heapTotalMB: round((m.get('JSHeapTotalSize') ?? NaN) / 1048576),
        domNodes,
        listeners: m.get('JSEventListeners') ?? NaN,
        documents: m.get('Documents') ?? NaN,
        stops,
        posted,
        tourStop: lastStop,
      });
      writeResults(samples, null);
    };

    await sample(0);
    const started = Date.now();
    let nextPost = started + POST_EVERY_MS;
    let nextSample = started + SAMPLE_EVERY_MS;
    let minute = 0;
    while (minute < MINUTES) {
      const now = Date.now();
      if (now >= nextPost) {
        await post();
        nextPost += POST_EVERY_MS;
      }
      if (now >= nextSample) {
        minute++;
        await sample(minute);
        nextSample += SAMPLE_EVERY_MS;
      }
      await trackTour();
      await page.waitForTimeout(1000);
    }

    const verdict = soakVerdict(samples, BASELINE_MINUTE);
    writeResults(samples, { verdict, stopsFlown: stops, distinctStops: [...seen], posted, pageErrors: errors });
    console.log(JSON.stringify({ verdict, stopsFlown: stops, distinctStops: seen.size, posted }));

    // It really toured and took reports the whole time.
    expect(errors).toEqual([]);
    expect(seen.size).toBeGreaterThan(1);
    expect(stops).toBeGreaterThan((MINUTES * 60) / 5 / 2);
    expect(posted).toBeGreaterThanOrEqual(Math.floor((MINUTES * 60_000) / POST_EVERY_MS) - 1);
    expect(verdict.failures).toEqual([]);
    await page.close();
  });
});

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

function writeResults(samples: Sample[], summary: Record<string, unknown> | null): void {
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(
    OUT,
    JSON.stringify({ minutes: MINUTES, viewport: '1920x1080', tourIntervalS: 5, postEveryS: POST_EVERY_MS / 1000, samples, summary }, null, 2),
  );
}
