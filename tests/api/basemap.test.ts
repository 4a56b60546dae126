import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app';
import { BasemapSetting } from '../../server/contract/basemap';
import { AMAP_TEMPLATE } from '../../server/contract/basemap-tiles';
import { fixtureApp, getJson, NOW } from './fixture';

const fx = await fixtureApp();
afterAll(async () => fx.close());

type Who = { request: (p: string, i?: RequestInit) => Response | Promise<Response> };
const put = (who: Who, body: unknown, headers: Record<string, string> = {}) =>
  who.request('/api/basemap', { method: 'PUT', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

const TOKEN = '0123456789abcdef0123456789abcdef';
const CITY = { kind: 'xyz', url: 'https://tiles.example.gov.cn:8443/base/{z}/{x}/{y}.png', attribution: '© 示例市自然资源和规划局' } as const;

/** The sources of one CSP directive, e.g. img-src → ["'self'", 'data:', 'blob:']. */
async function cspSources(path: string, directive: string): Promise<string[]> {
  const csp = (await fx.app.request(path)).headers.get('content-security-policy') ?? '';
  const part = csp
    .split(';')
    .map((d) => d.trim().split(/\s+/))
    .find((d) => d[0] === directive);
  return part?.slice(1) ?? [];
}

describe('the online basemap (/api/basemap)', () => {
  it('is none at first, and the CSP allows our own origin only', async () => {
    expect(await getJson(fx.app, '/api/basemap')).toMatchObject({ status: 200, body: null });
    expect(await cspSources('/api/meta', 'img-src')).toEqual(["'self'", 'data:', 'blob:']);
    expect(await cspSources('/api/meta', 'connect-src')).toEqual(["'self'"]);
    expect((await fx.app.request('/')).headers.get('content-security-policy')).not.toMatch(/https?:|\*/);
  });

  it('takes 天地图 with a token, audit-logged, and the CSP then allows exactly t0–t7.tianditu.gov.cn', async () => {
    const res = await put(fx.app, { kind: 'tianditu', token: ` ${TOKEN} ` });
    expect(res.status).toBe(200);
    const stored = BasemapSetting.parse(await res.json());
    expect(stored).toEqual({ kind: 'tianditu', token: TOKEN, layer: 'vec', updatedAt: new Date(NOW).toISOString() });
    expect((await getJson(fx.app, '/api/basemap')).body).toEqual(stored);
    const hosts = [0, 1, 2, 3, 4, 5, 6, 7].map((i) => `https://t${i}.tianditu.gov.cn`);
    for (const path of ['/api/meta', '/', '/api/nope']) {
      expect(await cspSources(path, 'img-src')).toEqual(["'self'", 'data:', 'blob:', ...hosts]);
      expect(await cspSources(path, 'connect-src')).toEqual(["'self'", ...hosts]);
      // Scripts, styles and frames stay our own.
      expect(await cspSources(path, 'script-src')).toEqual(["'self'"]);
      expect(await cspSources(path, 'default-src')).toEqual(["'self'"]);
    }
    const audit = (await getJson(fx.app, '/api/audit?limit=5')).body;
    expect(audit[0]).toMatchObject({ method: 'PUT', path: '/api/basemap', status: 200, username: 'test-admin' });
  });

  it('takes a city XYZ service: the CSP allows its one origin, or one per subdomain of {s}', async () => {
    expect((await put(fx.app, CITY)).status).toBe(200);
    expect(await cspSources('/api/meta', 'img-src')).toEqual(["'self'", 'data:', 'blob:', 'https://tiles.example.gov.cn:8443']);
    expect(await cspSources('/api/meta', 'connect-src')).toEqual(["'self'", 'https://tiles.example.gov.cn:8443']);
    const wmts = 'https://{s}.gis.example.gov.cn/wmts?LAYER=base&TILEMATRIXSET=w&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}';
    expect((await put(fx.app, { ...CITY, url: wmts, subdomains: ['a', 'b'] })).status).toBe(200);
    expect(await cspSources('/api/meta', 'connect-src')).toEqual(["'self'", 'https://a.gis.example.gov.cn', 'https://b.gis.example.gov.cn']);
    // A plain-http server on the city network is fine (no public DNS name).
    expect((await put(fx.app, { ...CITY, url: 'http://10.20.0.5:8080/tiles/{z}/{x}/{y}.png' })).status).toBe(200);
    expect(await cspSources('/api/meta', 'connect-src')).toEqual(["'self'", 'http://10.20.0.5:8080']);
  });

  it('takes a GCJ-02 service (高德), allowing exactly its subdomains’ origins', async () => {
    const amap = { kind: 'gcj02', url: AMAP_TEMPLATE, subdomains: ['1', '2', '3', '4'], attribution: '© 高德地图' };
    const res = await put(fx.app, amap);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ...amap, maxzoom: 18 });
    expect(await cspSources('/api/meta', 'img-src')).toEqual(["'self'", 'data:', 'blob:', ...[1, 2, 3, 4].map((i) => `https://webrd0${i}.is.autonavi.com`)]);
    // 腾讯 counts rows from the south ({-y}).
    const tencent = { ...amap, url: 'https://rt{s}.map.gtimg.com/tile?z={z}&x={x}&y={-y}&type=vector&styleid=3', subdomains: ['0', '1', '2', '3'] };
    expect((await put(fx.app, tencent)).status).toBe(200);
    expect(await cspSources('/api/meta', 'connect-src')).toEqual(["'self'", ...[0, 1, 2, 3].map((i) => `https://rt${i}.map.gtimg.com`)]);
  });

  it('goes back to our origin only when removed', async () => {
    const del = await fx.app.request('/api/basemap', { method: 'DELETE' });
    expect(del.status).toBe(204);
    expect((await getJson(fx.app, '/api/basemap')).body).toBeNull();
    expect(await cspSources('/api/meta', 'connect-src')).toEqual(["'self'"]);
    expect((await fx.app.request('/api/meta')).headers.get('content-security-policy')).not.toMatch(/https?:|\*/);
  });

  it('refuses a basemap it cannot use, saying what is wrong in Chinese and English', async () => {
    for (const [body, path, pattern] of [
      [{ kind: 'tianditu', token: 'abc' }, 'json.token', /天地图密钥.* \/ the 天地图 key \(tk\) is 32 hexadecimal/],
      [{ kind: 'tianditu', token: TOKEN, layer: 'ter' }, 'json.layer', /./],
      [{ kind: 'bing', url: CITY.url }, 'json.kind', /./],
      [{ ...CITY, kind: 'gcj02', url: 'https://webrd0{s}.is.autonavi.com/appmaptile?x={x}&y={y}' }, 'json.url', /lacks the \{z\} placeholder/],
      [{ ...CITY, url: 'ftp://tiles.example.gov.cn/{z}/{x}/{y}.png' }, 'json.url', /须以 https:\/\/ 开头.* \/ the URL must start with https:\/\//],
      [{ ...CITY, url: 'https://user:pw@tiles.example.gov.cn/{z}/{x}/{y}.png' }, 'json.url', /no user name/],
      [{ ...CITY, url: 'https://tiles.example.gov.cn/{z}/{x}.png' }, 'json.url', /缺少 \{y\} 占位符 \/ the URL lacks the \{y\} placeholder/],
      [{ ...CITY, url: 'https://tiles.example.gov.cn/{z}/{x}/{y}.png?r={ratio}' }, 'json.url', /unsupported placeholder \{ratio\}/],
      [{ ...CITY, url: 'https://{s}.example.gov.cn/{z}/{x}/{y}.png' }, 'json.url', /list its subdomains/],
      [{ ...CITY, url: 'https://tiles.example.gov.cn/{s}/{z}/{x}/{y}.png', subdomains: ['a'] }, 'json.url', /only stand in the host name/],
      [{ ...CITY, subdomains: ['a'] }, 'json.url', /no \{s\}/],
      [{ ...CITY, url: 'http://tiles.example.com/{z}/{x}/{y}.png' }, 'json.url', /须用 https:\/\/.* \/ a service on the internet must use https:\/\//],
      [{ ...CITY, url: 'http://8.8.8.8/{z}/{x}/{y}.png' }, 'json.url', /must use https/],
      [{ ...CITY, attribution: ' ' }, 'json.attribution', /版权说明.* \/ give the basemap’s credit/],
    ] as const) {
      const res = await put(fx.app, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      const out = await res.json();
      expect(out.error, JSON.stringify(body)).toMatch(pattern);
      expect(out.details[0].path, JSON.stringify(body)).toBe(path);
    }
    expect((await getJson(fx.app, '/api/basemap')).body).toBeNull();
  });

  it('refuses plain-http tiles when the pages are served over HTTPS (browsers block mixed content)', async () => {
    const intranet = { ...CITY, url: 'http://10.20.0.5:8080/tiles/{z}/{x}/{y}.png' };
    const res = await fx.app.request('https://xuncha.local/api/basemap', {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(intranet),
    });
    expect(res.status).toBe(400);
    const out = await res.json();
    expect(out.error).toMatch(/浏览器会拦截 http:\/\/ 的瓦片.* \/ this system is served over HTTPS, where browsers block http:\/\/ tiles/);
    expect(out.details).toEqual([{ path: 'json.url', message: expect.stringContaining('https://') }]);
    expect((await getJson(fx.app, '/api/basemap')).body).toBeNull();
    // The same service's https address is fine.
    const ok = await fx.app.request('https://xuncha.local/api/basemap', {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...intranet, url: 'https://10.20.0.5:8443/tiles/{z}/{x}/{y}.png' }),
    });
    expect(ok.status).toBe(200);
    expect((await fx.app.request('/api/basemap', { method: 'DELETE' })).status).toBe(204);
  });

  it('is read by every map page (the screen included), set only by the administrator, with the CSRF token', async () => {
    for (const role of ['leader', 'inspector', 'unit'] as const) expect((await (await fx.signedIn(role)).request('/api/basemap')).status).toBe(200);
    expect((await fx.raw.request('/api/basemap')).status).toBe(401);
    const token = (
      await (await fx.app.request('/api/screen-tokens', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":"大屏"}' })).json()
    ).secret as string;
    expect((await fx.raw.request(`/api/basemap?screen_token=${token}`)).status).toBe(200);
    for (const role of ['leader', 'inspector', 'unit'] as const) expect((await put(await fx.signedIn(role), CITY)).status).toBe(403);
    expect((await (await fx.signedIn('leader')).request('/api/basemap', { method: 'DELETE' })).status).toBe(403);
    expect((await put(fx.app, CITY, { 'x-csrf-token': 'wrong' })).status).toBe(403);
    expect((await getJson(fx.app, '/api/basemap')).body).toBeNull();
  });

  it('keeps the setting and its CSP across a restart', async () => {
    expect((await put(fx.app, CITY)).status).toBe(200);
    const again = await createApp({ store: fx.store, catalog: fx.catalog, now: () => NOW, clientDir: null });
    const csp = (await again.request('/api/nope')).headers.get('content-security-policy') ?? '';
    expect(csp).toContain("connect-src 'self' https://tiles.example.gov.cn:8443");
    // A stored value that no longer passes (edited by hand) counts as none rather than breaking the maps.
    await fx.store.putSetting('map.basemap', { kind: 'xyz', url: 'javascript:alert(1)' }, new Date(NOW).toISOString());
    const broken = await createApp({ store: fx.store, catalog: fx.catalog, now: () => NOW, clientDir: null });
    expect((await broken.request('/api/nope')).headers.get('content-security-policy')).not.toMatch(/https?:|\*/);
    expect((await getJson(fx.app, '/api/basemap')).body).toBeNull();
  });
});
