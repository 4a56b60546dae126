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
const MAX_TILES = 3000;
const SHELL = '/__shell';
/** GETs worth keeping for offline use; everything else goes to the network untouched. */
const KEEP = [/^\/assets\//, /^\/api\/auth\/me$/, /^\/api\/meta$/, /^\/api\/plans/, /^\/api\/layers\//, /^\/tiles\/base\//, /^\/sw\.js$/, /\.webmanifest$/, /^\/field-icon-/];

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

/** Drops the oldest tiles (keys() lists in insertion order) beyond MAX_TILES. */
async function trim(cache) {
  const keys = await cache.keys();
  for (const key of keys.slice(0, Math.max(0, keys.length - MAX_TILES))) await cache.delete(key);
}
