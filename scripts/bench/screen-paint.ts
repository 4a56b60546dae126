/**
 * The big screen's first full paint: ms from navigation until the figures are up, the charts drawn and
 * the basemap idle (`median`), and until deck.gl's heat and cells are drawn too (`deckMedian`), per
 * viewport, with a cold browser profile each time. Prints JSON; figures go into
 * BENCHMARKS.md. Usage: `npx tsx scripts/bench/screen-paint.ts [--runs 5] [--origin http://127.0.0.1:8080]`
 * (without --origin it starts a server on a fresh data folder, like the e2e tests).
 */
import { parseArgs } from 'node:util';
import { apiAs, launchBrowser, startServer, waitForMapIdle } from '../../tests/e2e/harness';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' }, origin: { type: 'string' }, query: { type: 'string', default: '' } } });
const runs = Number(values.runs);
const server = values.origin ? null : await startServer();
const origin = values.origin ?? server!.origin;
const admin = await apiAs(origin, 'admin');
const issued = await admin(`${origin}/api/screen-tokens`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ name: 'bench screen-paint' }),
});
const { secret } = (await issued.json()) as { secret: string };

const VIEWPORTS = [
  { width: 1920, height: 1080 },
  { width: 3840, height: 2160 },
];
const results: Record<string, { runs: number[]; median: number; deckMedian: number; marks: Record<string, number>[] }> = {};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
try {
  for (const viewport of VIEWPORTS) {
    const key = `${viewport.width}x${viewport.height}`;
    const times: number[] = [];
    const deckTimes: number[] = [];
    const marks: Record<string, number>[] = [];
    for (let i = 0; i < runs; i++) {
      const browser = await launchBrowser(viewport);
      try {
        // tsx compiles the harness's page functions with esbuild's keepNames, which calls __name.
        await browser.context.addInitScript('window.__name = (f) => f;');
        const page = await browser.context.newPage();
        await page.goto(`${origin}/screen?screen_token=${secret}&lang=zh${values.query}`);
        await page.waitForSelector('[data-testid="kpi-open"]', { timeout: 60_000 });
        const figures = await page.evaluate(() => performance.now());
        await page.waitForSelector('[data-box="trend"] svg', { timeout: 60_000 });
        const charts = await page.evaluate(() => performance.now());
        await waitForMapIdle(page);
        const idle = await page.evaluate(() => performance.now());
        // The heat, the cells (and any routes) drawn: deck.gl joined and its layers are on the map.
        await page.waitForFunction(() => (window as { __xunchaDeckLayers?: unknown[] }).__xunchaDeckLayers?.length, null, { timeout: 60_000 });
        await waitForMapIdle(page);
        const deck = await page.evaluate(() => performance.now());
        const api = await page.evaluate(() =>
          Object.fromEntries(
            performance
              .getEntriesByType('resource')
              .filter((e) => /\/api\//.test(e.name))
              .map((e) => [new URL(e.name).pathname, Math.round((e as PerformanceResourceTiming).responseEnd)]),
          ),
        );
        times.push(Math.round(idle));
        deckTimes.push(Math.round(deck));
        marks.push({ figures: Math.round(figures), charts: Math.round(charts), mapIdle: Math.round(idle), deckDrawn: Math.round(deck), ...api });
      } finally {
        await browser.close();
      }
    }
    results[key] = { runs: times, median: median(times), deckMedian: median(deckTimes), marks };
  }
} finally {
  await server?.stop();
}
console.log(JSON.stringify({ date: new Date().toISOString(), origin: values.origin ? 'given' : 'fresh server', results }, null, 2));
