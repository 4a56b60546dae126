/**
 * End-to-end harness: the real server (scripts/start.ts) on a free port with a fresh DATA_DIR, and
 * Debian's Chromium driven by playwright-core (never a downloaded browser).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { freePort } from '../../scripts/free-port';
export { freePort };

export const ROOT = resolve(import.meta.dirname, '..', '..');
export const RESULTS_DIR = join(ROOT, 'test-results');
const CHROMIUM = '/usr/bin/chromium';
// First start generates and imports the demo city (and builds the client if stale).
const START_TIMEOUT_MS = 280_000;

export interface RunningServer {
  origin: string;
  dataDir: string;
  /** Everything the server printed, for failure messages. */
  log: string[];
  /** Ends the process (SIGTERM, SIGKILL after 5 s) and deletes the data folder. */
  stop: () => Promise<void>;
  /** Ends the process the hard way (SIGKILL: no shutdown handlers), keeping port and data folder. */
  kill: () => Promise<void>;
  /** Starts the server again on the same port and data folder (after `kill`). */
  restart: () => Promise<void>;
}

/**
 * Starts `scripts/start.ts` and resolves when it prints its "listening on" line; `env` adds to its
 * environment (`DEMO_DISTRICTS: '3'`: a demo city of three districts). With E2E_ORIGIN set
 * (e.g. http://127.0.0.1:8080) the tests use that running server instead, for quick iterations (kill
 * and restart are then refused: the tests do not own that process).
 */
export async function startServer(opts: { env?: Record<string, string> } = {}): Promise<RunningServer> {
  const given = process.env.E2E_ORIGIN;
  if (given) {
    const refuse = async () => {
      throw new Error('E2E_ORIGIN is set: the tests cannot kill or restart a server they did not start');
    };
    return { origin: given.replace(/\/$/, ''), dataDir: '', log: [], stop: async () => {}, kill: refuse, restart: refuse };
  }
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'xuncha-e2e-data-'));
  const log: string[] = [];
  let child = await spawnServer(port, dataDir, log, opts.env).catch((err: unknown) => {
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  });
  const end = async (signal: NodeJS.Signals) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((res) => child.once('exit', () => res()));
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };
  return {
    origin: `http://127.0.0.1:${port}`,
    dataDir,
    log,
    stop: async () => {
      await end('SIGTERM');
      rmSync(dataDir, { recursive: true, force: true });
    },
    kill: () => end('SIGKILL'),
    restart: async () => {
      await end('SIGTERM');
      child = await spawnServer(port, dataDir, log, opts.env);
    },
  };
}

/** One server process; resolves once it prints "listening on", rejects (process ended) otherwise. */
async function spawnServer(port: number, dataDir: string, log: string[], extraEnv: Record<string, string> = {}): Promise<ChildProcess> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, ADMIN_PASSWORD: E2E_ADMIN_PASSWORD, DEMO_ACCOUNTS: 'on', ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const from = log.length;
  try {
    await new Promise<void>((res, rej) => {
      const timer = setTimeout(
        () => rej(new Error(`server did not print "listening on" within ${START_TIMEOUT_MS / 1000} s:\n${log.slice(from).join('')}`)),
        START_TIMEOUT_MS,
      );
      child.stdout?.on('data', (chunk: Buffer) => {
        log.push(chunk.toString());
        if (/listening on/i.test(log.slice(from).join(''))) {
          clearTimeout(timer);
          res();
        }
      });
      child.stderr?.on('data', (chunk: Buffer) => log.push(chunk.toString()));
      child.once('exit', (code) => {
        clearTimeout(timer);
        rej(new Error(`server exited with code ${code} before listening:\n${log.slice(from).join('')}`));
      });
    });
  } catch (err) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    throw err;
  }
  return child;
}

/** The administrator's password on servers the tests start. */
export const E2E_ADMIN_PASSWORD = 'e2e-admin-password';

/** The demo accounts (README): username → password. */
export const DEMO_PASSWORDS = { leader: 'demo-leader', inspector: 'demo-inspector', unit: 'demo-unit', admin: E2E_ADMIN_PASSWORD } as const;

/**
 * Signs `username` in for every page of `context` (the session cookie lands in the context's cookie
 * jar, as when the form is used). Throws with the server's sentence when the sign-in fails.
 */
export async function signIn(context: BrowserContext, origin: string, username: keyof typeof DEMO_PASSWORDS): Promise<void> {
  const res = await context.request.post(`${origin}/api/auth/login`, { data: { username, password: DEMO_PASSWORDS[username] } });
  if (!res.ok()) throw new Error(`sign-in as ${username} failed: HTTP ${res.status()} ${await res.text()}`);
}

/**
 * A `fetch` signed in as `username` from the test process (cookie and CSRF token on every call), for
 * the API calls a test makes beside the browser.
 */
export async function apiAs(origin: string, username: keyof typeof DEMO_PASSWORDS): Promise<typeof fetch> {
  const res = await fetch(`${origin}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: DEMO_PASSWORDS[username] }),
  });
  if (!res.ok) throw new Error(`sign-in as ${username} failed: HTTP ${res.status} ${await res.text()}`);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0];
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  return (input, init = {}) => {
    const headers = new Headers(init.headers);
    headers.set('cookie', cookie);
    headers.set('x-csrf-token', csrfToken);
    return fetch(input, { ...init, headers });
  };
}

export interface Browser {
  context: BrowserContext;
  /** Every URL the browser requested, in order. */
  requests: string[];
  close: () => Promise<void>;
}

/** Headless Chromium with a fresh profile; records every request URL. */
export async function launchBrowser(viewport = { width: 1280, height: 800 }): Promise<Browser> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'xuncha-e2e-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport,
    locale: 'zh-CN',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const requests: string[] = [];
  context.on('request', (req) => requests.push(req.url()));
  mkdirSync(RESULTS_DIR, { recursive: true });
  return {
    context,
    requests,
    close: async () => {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** Waits until the page's map exists and has finished loading and drawing (MapLibre 'idle'). */
export async function waitForMapIdle(page: Page, timeoutMs = 60_000): Promise<void> {
  await page.waitForFunction(() => Boolean(window.__xunchaMap), null, { timeout: timeoutMs });
  await page.evaluate(
    (ms) =>
      new Promise<void>((res, rej) => {
        const map = window.__xunchaMap!;
        const timer = setTimeout(() => rej(new Error(`map not idle after ${ms} ms`)), ms);
        const done = () => {
          clearTimeout(timer);
          res();
        };
        // 'idle' fires after the next frame in which nothing is loading or moving.
        if (map.loaded() && map.areTilesLoaded() && !map.isMoving()) done();
        else map.once('idle', done);
        map.triggerRepaint();
      }),
    timeoutMs,
  );
}

/** Moves the map and waits until the new view is drawn. */
export async function jumpAndSettle(page: Page, center: [number, number], zoom: number): Promise<void> {
  await page.evaluate(
    ({ center, zoom }) =>
      new Promise<void>((res) => {
        const map = window.__xunchaMap!;
        map.once('idle', () => res());
        map.jumpTo({ center, zoom });
      }),
    { center, zoom },
  );
}

/** Ids of rendered features in a style layer (map.queryRenderedFeatures over the whole canvas). */
export function renderedFeatures(
  page: Page,
  layer: string,
): Promise<{ id: string | null; name: string | null; lngLat: [number, number]; props: Record<string, unknown> }[]> {
  return page.evaluate((layerId) => {
    const map = window.__xunchaMap!;
    return map.queryRenderedFeatures({ layers: [layerId] }).map((f) => {
      const g = f.geometry;
      const c = g.type === 'Point' ? g.coordinates : g.type === 'LineString' ? g.coordinates[Math.floor(g.coordinates.length / 2)] : map.getCenter().toArray();
      return {
        id: typeof f.properties.id === 'string' ? f.properties.id : null,
        name: typeof f.properties.name === 'string' ? f.properties.name : null,
        lngLat: [c[0], c[1]] as [number, number],
        props: f.properties,
      };
    });
  }, layer);
}

/**
 * Clicks the map at a geographic position (projected to the canvas, then to the page). Throws when
 * something else (a card, a control) covers that point, since the click would not reach the map.
 */
export async function clickMapAt(page: Page, lngLat: [number, number]): Promise<void> {
  const pt = await page.evaluate((ll) => {
    const map = window.__xunchaMap!;
    const p = map.project(ll);
    const canvas = map.getCanvas();
    const r = canvas.getBoundingClientRect();
    const x = r.left + p.x;
    const y = r.top + p.y;
    const top = document.elementFromPoint(x, y);
    return { x, y, covered: top === canvas ? null : (top?.className?.toString() ?? 'outside the page') };
  }, lngLat);
  if (pt.covered) throw new Error(`map point ${lngLat.join(',')} is covered by "${pt.covered}"; pick a point in the open map`);
  await page.mouse.click(pt.x, pt.y);
}
