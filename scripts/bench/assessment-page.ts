/**
 * The 测评迎检 page's first view in headless Chromium: ms from navigation until the 得分率, the table,
 * the readiness totals and the losses are all shown (`median`), with a cold browser profile each run, as
 * a leader. The demo city brings a year of check results of its own; before the runs, `--checked` points
 * get one more each (every item of their type, about one in eight failing: `--checked 0` for the demo's
 * history alone). Prints JSON; figures go into BENCHMARKS.md.
 * Usage: `npx tsx scripts/bench/assessment-page.ts [--runs 5] [--checked 300] [--origin http://127.0.0.1:8080]`
 * (without --origin it starts a server on a fresh data folder, like the e2e tests).
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { apiAs, launchBrowser, signIn, startServer } from '../../tests/e2e/harness';

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '5' }, checked: { type: 'string', default: '300' }, origin: { type: 'string' } },
});
const runs = Number(values.runs);
const server = values.origin ? null : await startServer();
const origin = values.origin ?? server!.origin;

interface Rule {
  kind: 'pass-fail' | 'count' | 'rate';
  min?: number;
}
interface PointType {
  id: string;
  items: { id: string; rule: Rule }[];
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

try {
  const api = await apiAs(origin, 'inspector');
  const catalog = (await (await api(`${origin}/api/assessment/catalog`)).json()) as { inForce: { pointTypes: PointType[] } };
  const types = new Map(catalog.inForce.pointTypes.map((t) => [t.id, t]));
  const points: { id: string; kind: string }[] = [];
  for (const layer of ['markets', 'communities', 'back-streets', 'points']) {
    const fc = (await (await api(`${origin}/api/layers/${layer}`)).json()) as { features: { properties: { id: string; kind?: string } }[] };
    const kind = { markets: 'market', communities: 'community', 'back-streets': 'back-street' }[layer];
    for (const f of fc.features) points.push({ id: f.properties.id, kind: f.properties.kind ?? kind! });
  }
  // Every k-th point, so each type and subdistrict has some.
  const wanted = Math.min(Number(values.checked), points.length);
  const step = points.length / wanted;
  let posted = 0;
  for (let i = 0; i < wanted; i++) {
    const p = points[Math.floor(i * step)];
    const type = types.get(p.kind);
    if (!type || type.items.length === 0) continue;
    const items = type.items.map((it, k) => {
      const fail = (i * 7 + k * 3) % 8 === 0;
      if (it.rule.kind === 'pass-fail') return { itemId: it.id, result: fail ? 'fail' : 'pass' };
      const min = it.rule.min ?? 1;
      const value = it.rule.kind === 'rate' ? (fail ? Math.max(0, min - 0.1) : Math.min(1, min + 0.02)) : fail ? Math.max(0, min - 1) : min + 1;
      return { itemId: it.id, result: fail ? 'fail' : 'pass', value };
    });
    const at = new Date(Date.now() - ((i % 28) + 1) * 86_400_000).toISOString();
    const res = await api(`${origin}/api/checks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: randomUUID(), pointId: p.id, at, items }),
    });
    if (res.status !== 201) throw new Error(`check at ${p.id}: HTTP ${res.status} ${await res.text()}`);
    posted++;
  }

  const times: number[] = [];
  const marks: Record<string, number | string>[] = [];
  for (let i = 0; i < runs; i++) {
    const browser = await launchBrowser({ width: 1366, height: 768 });
    try {
      await signIn(browser.context, origin, 'leader');
      const page = await browser.context.newPage();
      await page.goto(`${origin}/assessment`);
      const at = async () => Math.round(await page.evaluate(() => performance.now()));
      await page.waitForFunction(() => /%$/.test(document.querySelector('[data-testid="assess-rate"]')?.textContent ?? ''), null, { timeout: 60_000 });
      const rate = await at();
      await page.waitForSelector('[data-testid="assess-table"] tbody tr', { timeout: 60_000 });
      const table = await at();
      await page.waitForFunction(() => /^达标率/.test(document.querySelector('[data-testid="assess-ready-totals"]')?.textContent ?? ''), null, {
        timeout: 60_000,
      });
      const readiness = await at();
      await page.waitForSelector('[data-testid="assess-losses"] [data-item]', { timeout: 60_000 });
      const losses = await at();
      const api = await page.evaluate(() =>
        Object.fromEntries(
          performance
            .getEntriesByType('resource')
            .filter((e) => !/\.(png|woff2?|pbf)$/.test(new URL(e.name).pathname) && !/\/tiles\//.test(e.name))
            .map((e) => [
              new URL(e.name).pathname + new URL(e.name).search.slice(0, 30),
              `${Math.round(e.startTime)}–${Math.round((e as PerformanceResourceTiming).responseEnd)}`,
            ]),
        ),
      );
      const all = Math.max(rate, table, readiness, losses);
      times.push(all);
      marks.push({ rate, table, readiness, losses, ...api });
    } finally {
      await browser.close();
    }
  }
  console.log(
    JSON.stringify(
      { date: new Date().toISOString(), origin: values.origin ? 'given' : 'fresh server', checksPosted: posted, runs: times, median: median(times), marks },
      null,
      2,
    ),
  );
} finally {
  await server?.stop();
}
