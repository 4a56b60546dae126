import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fixtureApp } from './fixture';

const clientDir = mkdtempSync(join(tmpdir(), 'xuncha-client-'));
mkdirSync(join(clientDir, 'assets'));
const INDEX = '<!doctype html><html><head><title>巡查</title></head><body><div id="root"></div></body></html>';
writeFileSync(join(clientDir, 'index.html'), INDEX);
writeFileSync(join(clientDir, 'assets', 'index-Ab12Cd.js'), 'console.log("xuncha")');
writeFileSync(join(clientDir, 'assets', 'index-Ab12Cd.css'), 'body{margin:0}');
writeFileSync(join(clientDir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');

const fx = await fixtureApp({ clientDir });
const unbuilt = await fixtureApp({ clientDir: join(clientDir, 'not-there') });
afterAll(async () => {
  await fx.close();
  await unbuilt.close();
  rmSync(clientDir, { recursive: true, force: true });
});

describe('the built client', () => {
  it('serves index.html at / without caching', async () => {
    const res = await fx.app.request('/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(await res.text()).toBe(INDEX);
  });

  it('serves hashed assets with their content type and a long cache', async () => {
    const js = await fx.app.request('/assets/index-Ab12Cd.js');
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(await js.text()).toBe('console.log("xuncha")');
    const css = await fx.app.request('/assets/index-Ab12Cd.css');
    expect(css.headers.get('content-type')).toMatch(/^text\/css/);
    const svg = await fx.app.request('/favicon.svg');
    expect(svg.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
    expect(svg.headers.get('cache-control')).toBe('no-cache');
  });

  it('falls back to index.html for client-side routes, not for missing files', async () => {
    const page = await fx.app.request('/problems/p03?status=overdue');
    expect(page.status).toBe(200);
    expect(await page.text()).toBe(INDEX);
    expect((await fx.app.request('/assets/gone-123.js')).status).toBe(404);
    for (const path of ['/../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/assets/..%2f..%2fpackage.json']) {
      expect(await (await fx.app.request(path)).text(), path).not.toMatch(/root:|"name"/);
    }
  });

  it('never answers an API path with the client', async () => {
    const res = await fx.app.request('/api/unknown');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  });

  it('shows a 503 page saying to build the client when there is none', async () => {
    const res = await unbuilt.app.request('/');
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await res.text()).toContain('npm run build');
    // The API still works.
    expect((await unbuilt.app.request('/api/meta')).status).toBe(200);
  });
});
