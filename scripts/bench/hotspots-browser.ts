/**
 * Browser benchmark: time from navigation to the first frame of the hotspot page's heat map with every
 * problem of the store loaded (1,000,000 with the million store), in headless Chromium (Debian's
 * /usr/bin/chromium, software WebGL). Prints JSON.
 *
 *   npx tsx scripts/bench/million/build-store.ts     # once
 *   npx tsx scripts/bench/hotspots-browser.ts [--runs 3]
 *
 * The server is started on a free port over DATA_DIR (default var/bench-million) and warmed first
 * (its one-off index build per problems revision is reported apart), so the figure is what a user sees
 * on a running server: fetching ~20 MB of points.bin, decoding, uploading to the GPU, the first frame.
 * The page marks `xuncha:points-decoded` and `xuncha:first-heat-frame` (performance.mark).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' } } });
const dataDir = resolve(process.env.DATA_DIR ?? join(ROOT, 'var', 'bench-million'));

const port = await new Promise<number>((res, rej) => {
  const srv = createServer();
  srv.once('error', rej);
  srv.listen(0, '127.0.0.1', () => {
    const a = srv.address();
    const p = typeof a === 'object' && a ? a.port : 0;
    srv.close(() => res(p));
  });
});
const origin = `http://127.0.0.1:${port}`;
const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
  cwd: ROOT,
  env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir },
  stdio: ['ignore', 'pipe', 'inherit'],
});
await new Promise<void>((res, rej) => {
  let out = '';
  child.stdout?.on('data', (c: Buffer) => {
    out += c.toString();
    if (/listening on/i.test(out)) res();
  });
  child.once('exit', (code) => rej(new Error(`server exited with ${code} before listening`)));
});

const result: Record<string, unknown> = { benchmark: 'hotspots-browser', date: new Date().toISOString(), dataDir };
try {
  let t0 = performance.now();
  const bin = await fetch(`${origin}/api/hotspots/points.bin`);
  const bytes = (await bin.arrayBuffer()).byteLength;
  result.serverWarmPointsBinMs = Math.round(performance.now() - t0);
  t0 = performance.now();
  await (await fetch(`${origin}/api/hotspots?res=9`)).arrayBuffer();
  await (await fetch(`${origin}/api/recurring?limit=50`)).arrayBuffer();
  result.serverWarmAnalysisMs = Math.round(performance.now() - t0);
  result.pointsBinBytes = bytes;
  result.problemsApprox = Math.floor(bytes / 20); // 20 bytes a problem plus a small header

  const userDataDir = mkdtempSync(join(tmpdir(), 'xuncha-bench-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1400, height: 900 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const runs: { pointsDecodedMs: number; firstHeatFrameMs: number }[] = [];
  try {
    for (let r = 0; r < Number(values.runs); r++) {
      const page = await context.newPage();
      await page.goto(`${origin}/hotspots`);
      // String expressions: tsx would wrap functions with a helper the page does not have.
      await page.waitForFunction("performance.getEntriesByName('xuncha:first-heat-frame').length > 0", null, { timeout: 180_000 });
      const marks = (await page.evaluate(
        "({ decoded: performance.getEntriesByName('xuncha:points-decoded')[0].startTime, heat: performance.getEntriesByName('xuncha:first-heat-frame')[0].startTime })",
      )) as { decoded: number; heat: number };
      runs.push({ pointsDecodedMs: Math.round(marks.decoded), firstHeatFrameMs: Math.round(marks.heat) });
      await page.close();
    }
  } finally {
    await context.close();
    rmSync(userDataDir, { recursive: true, force: true });
  }
  const sorted = runs.map((r) => r.firstHeatFrameMs).sort((a, b) => a - b);
  result.runs = runs;
  result.firstHeatFrameMedianMs = sorted[Math.floor(sorted.length / 2)];
} finally {
  child.kill('SIGTERM');
}
console.log(JSON.stringify(result, null, 2));
