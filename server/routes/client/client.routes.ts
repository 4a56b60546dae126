import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import type { Context, Hono } from 'hono';

/** Hashed build output never changes under the same name. */
const ASSET_CACHE = 'public, max-age=31536000, immutable';

const NOT_BUILT_PAGE = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>巡查 Xuncha — 客户端未构建 / client not built</title></head>
<body style="font-family: sans-serif; max-width: 40em; margin: 4em auto; line-height: 1.6">
<h1>巡查 Xuncha</h1>
<p>客户端尚未构建。请运行 <code>npm run build</code>（或 <code>npm start</code>，它会自动构建），然后刷新本页。</p>
<p>The web client has not been built yet. Run <code>npm run build</code> (or <code>npm start</code>, which builds it),
then reload this page. The API is up: <a href="/api/meta">/api/meta</a>, <a href="/api/openapi.json">/api/openapi.json</a>.</p>
</body></html>`;

/** True for paths the API owns: they never fall back to the client. */
const isApiPath = (path: string) => path === '/api' || path.startsWith('/api/') || path === '/tiles' || path.startsWith('/tiles/');

/**
 * Serves the built client (dist/client) for every GET that is not API: files as they are (long cache for
 * /assets/*, which vite names by content hash), any other path without a file extension gets index.html
 * (no-cache) so client-side routes load. Without a build, a 503 page says how to make one.
 *
 * Registered on the main app last, outside AppType; API paths that reach it get the JSON 404.
 */
export function mountClient(app: Hono, clientDir: string | null): void {
  const indexFile = clientDir ? join(clientDir, 'index.html') : null;
  const hasBuild = () => indexFile !== null && existsSync(indexFile);
  const statics = clientDir ? serveStatic({ root: clientDir }) : null;

  app.get('*', async (c: Context) => {
    if (isApiPath(c.req.path)) return c.notFound();
    if (!hasBuild() || !statics || !indexFile) {
      return c.html(NOT_BUILT_PAGE, 503, { 'Cache-Control': 'no-store', 'Retry-After': '10' });
    }
    // NOTE: serveStatic builds its Response before calling onFound, so headers must be set first.
    c.header('Cache-Control', c.req.path.startsWith('/assets/') ? ASSET_CACHE : 'no-cache');
    const served = await statics(c, async () => {});
    if (served) return served;
    // A path with a file extension is a missing file, not a page of the app.
    if (/\.[A-Za-z0-9]+$/.test(c.req.path)) return c.text('Not found', 404, { 'Cache-Control': 'no-store' });
    return c.html(readFileSync(indexFile, 'utf8'), 200, { 'Cache-Control': 'no-cache' });
  });
}
