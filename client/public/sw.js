/**
 * Xuncha's service worker, registered by the field page only: it keeps the app shell (index.html and
 * the hashed /assets), who I am, the city meta, today's plan and the base-map tiles seen, so the field
 * page opens and works with no network. Network first (fresh data when there is signal), the cache
 * when the network fails. Writes are never touched: they go through the page's record queue.
 * Plain JavaScript because it is served as is from the site root (a worker's scope is its folder).
 */
const CACHE = 'xuncha-shell-v1';
/** Base-map tiles live in their own cache, trimmed to the newest MAX_TILES so a phone does not fill up. */
const TILES = 'xuncha-tiles-v1';
// Room for a pre-fetched plan area (MAX_PREFETCH) and as many tiles again seen while walking.
const MAX_TILES = 3000;
const SHELL = '/__shell';
/** GETs worth keeping for offline use; everything else goes to the network untouched. */
const KEEP = [
  /^\/assets\//,
  /^\/api\/auth\/me$/,
  /^\/api\/meta$/,
  /^\/api\/plans/,
  /^\/api\/layers\//,
  /^\/tiles\/base\//,
  /^\/sw\.js$/,
  /\.webmanifest$/,
  /^\/field-icon-/,
];

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      const res = await fetch('/', { cache: 'no-cache' });
      if (res.ok) {
        const html = await res.clone().text();
        await cache.put(SHELL, res);
        const assets = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]);
        await cache.addAll([...assets, '/field.webmanifest', '/field-icon-192.png']);
      }
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) if (key !== CACHE && key !== TILES) await caches.delete(key);
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  const url = new URL(req.url);
  if (req.method !== 'GET' || url.origin !== self.location.origin) return;
  const navigation = req.mode === 'navigate';
  if (!navigation && !KEEP.some((re) => re.test(url.pathname))) return;
  event.respondWith(
    (async () => {
      const tile = url.pathname.startsWith('/tiles/');
      const cache = await caches.open(tile ? TILES : CACHE);
      try {
        const res = await fetch(req);
        // Only whole good answers are kept: a 401 or a 204 must not replace what works offline.
        if (res.status === 200) {
          await cache.put(navigation ? SHELL : req, res.clone());
          if (tile) event.waitUntil(trim(cache));
        }
        return res;
      } catch (err) {
        const hit = await cache.match(navigation ? SHELL : req);
        if (hit) return hit;
        throw err;
      }
    })(),
  );
});

/**
 * Pre-fetch of the plan area's base tiles, asked by the field page when today's plan loads:
 * `{ type: 'prefetch-tiles', key, urls }` (same-origin tile URLs, at most MAX_PREFETCH). Tiles already
 * kept are not fetched again. Progress goes back to the asking page as
 * `{ type: 'prefetch-progress', key, done, failed, total }` after every few tiles and at the end.
 * A 204 (an empty tile) is kept too, so the map knows offline that there is nothing to draw there.
 */
const MAX_PREFETCH = 1500;
const PREFETCH_PARALLEL = 4;
let prefetching = null;

self.addEventListener('message', (event) => {
  const msg = event.data;
  if (!msg || msg.type !== 'prefetch-tiles' || !Array.isArray(msg.urls)) return;
  const urls = msg.urls
    .filter(
      (u) =>
        typeof u === 'string' &&
        new URL(u, self.location.origin).origin === self.location.origin &&
        new URL(u, self.location.origin).pathname.startsWith('/tiles/base/'),
    )
    .slice(0, MAX_PREFETCH);
  const source = event.source;
  const run = (async () => {
    // One run at a time: a second request (a reload) waits, then finds the tiles already kept.
    if (prefetching) await prefetching.catch(() => undefined);
    const cache = await caches.open(TILES);
    const progress = { type: 'prefetch-progress', key: msg.key, done: 0, failed: 0, total: urls.length };
    const report = () => source?.postMessage({ ...progress });
    let next = 0;
    const worker = async () => {
      while (next < urls.length) {
        const url = new URL(urls[next++], self.location.origin).href;
        if (!(await cache.match(url))) {
          try {
            const res = await fetch(url, { credentials: 'same-origin' });
            if (res.status === 200 || res.status === 204) await cache.put(url, res);
            else progress.failed++;
          } catch (err) {
            // Offline or the server gone: counted, and tried again on the next plan load.
            if (!(err instanceof TypeError)) throw err;
            progress.failed++;
            continue;
          }
        }
        progress.done++;
        if (progress.done % 20 === 0) report();
      }
    };
    await Promise.all(Array.from({ length: PREFETCH_PARALLEL }, worker));
    report();
  })();
  prefetching = run;
  event.waitUntil(run);
});

/** Drops the oldest tiles (keys() lists in insertion order) beyond MAX_TILES. */
async function trim(cache) {
  const keys = await cache.keys();
  for (const key of keys.slice(0, Math.max(0, keys.length - MAX_TILES))) await cache.delete(key);
}
