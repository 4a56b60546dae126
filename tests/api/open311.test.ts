import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app';
import { createWorkflowDeps } from '../../server/services/problems/deps';
import { as, fixtureApp, NOW, signIn } from './fixture';

const fx = await fixtureApp();
const KEY = 'test-key-1';
// Read as a city system with an API key would; creating checks the form's api_key itself.
const app = as(
  await createApp({
    store: fx.store,
    catalog: fx.catalog,
    now: () => NOW,
    workflow: createWorkflowDeps(fx.store, { env: { OPEN311_API_KEYS: `${KEY}, other` } }),
  }),
  await signIn(fx.store, 'leader', 'u01', NOW),
);
afterAll(async () => fx.close());

/**
 * Field names of the examples in the GeoReport v2 specification (http://wiki.open311.org/GeoReport_v2):
 * our answers carry exactly these, in this order.
 */
const SPEC = {
  discovery: ['changeset', 'contact', 'key_service', 'endpoints'],
  endpoint: ['specification', 'url', 'changeset', 'type', 'formats'],
  service: ['service_code', 'service_name', 'description', 'metadata', 'type', 'keywords', 'group'],
  request: [
    'service_request_id',
    'status',
    'status_notes',
    'service_name',
    'service_code',
    'description',
    'agency_responsible',
    'service_notice',
    'requested_datetime',
    'updated_datetime',
    'expected_datetime',
    'address',
    'address_id',
    'zipcode',
    'lat',
    'long',
    'media_url',
  ],
  postResponse: ['service_request_id', 'service_notice', 'account_id'],
  token: ['service_request_id', 'token'],
  error: ['code', 'description'],
};

const json = async (path: string, init?: RequestInit) => {
  const res = await app.request(path, init);
  return { status: res.status, type: res.headers.get('content-type'), body: (await res.json()) as any };
};
const xml = async (path: string, init?: RequestInit) => {
  const res = await app.request(path, init);
  return { status: res.status, type: res.headers.get('content-type'), body: await res.text() };
};
const post = (format: 'json' | 'xml', fields: Record<string, string | number>) =>
  app.request(`/open311/v2/requests.${format}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(Object.entries(fields).map(([k, v]) => [k, String(v)])).toString(),
  });

describe('discovery and services', () => {
  it('discovery lists the v2 endpoint in both formats', async () => {
    const { body } = await json('/open311/discovery.json');
    expect(Object.keys(body)).toEqual(SPEC.discovery);
    expect(Object.keys(body.endpoints[0])).toEqual(SPEC.endpoint);
    expect(body.endpoints[0]).toMatchObject({
      specification: 'http://wiki.open311.org/GeoReport_v2',
      type: 'production',
      formats: ['application/json', 'text/xml'],
    });
    const x = await xml('/open311/discovery.xml');
    expect(x.type).toMatch(/^text\/xml/);
    expect(x.body).toMatch(/^<\?xml version="1.0" encoding="utf-8"\?>\n<discovery>/);
    expect(x.body).toContain('<endpoints>\n    <endpoint>');
    expect(x.body).toContain('<format>text/xml</format>');
  });

  it('services are the categories, codes as strings', async () => {
    const { body } = await json('/open311/v2/services.json');
    expect(body.map((s: any) => s.service_code)).toEqual(fx.catalog.categories.map((c) => c.id));
    for (const s of body) {
      expect(Object.keys(s)).toEqual(SPEC.service);
      expect(typeof s.service_code).toBe('string');
    }
    expect(body[0]).toMatchObject({ service_name: '占道经营', metadata: false, type: 'realtime' });
    const x = await xml('/open311/v2/services.xml');
    expect(x.body).toContain('<services>\n  <service>\n    <service_code>occupy-road</service_code>\n    <service_name>占道经营</service_name>');
    expect((await json('/open311/v2/services/occupy-road.json')).body).toEqual({ service_code: 'occupy-road', attributes: [] });
    expect((await json('/open311/v2/services/nope.json')).status).toBe(404);
  });
});

describe('requests', () => {
  it('maps a problem field for field: open/closed, our status in notes, deadline, unit, place', async () => {
    const { status, body } = await json('/open311/v2/requests/p03.json');
    expect(status).toBe(200);
    expect(body).toHaveLength(1);
    expect(Object.keys(body[0])).toEqual(SPEC.request);
    expect(body[0]).toEqual({
      service_request_id: 'p03',
      status: 'open',
      status_notes: 'assigned (overdue) 已交办（超期）',
      service_name: '占道经营',
      service_code: 'occupy-road',
      description: '商贩占用车行道摆摊',
      agency_responsible: '东关市场服务中心',
      service_notice: '整改通知单 JK-2026-000003',
      requested_datetime: '2026-03-10T10:00:00+08:00',
      updated_datetime: '2026-03-10T16:00:00+08:00',
      expected_datetime: '2026-03-13T16:00:00+08:00',
      address: '东关农贸市场 东关街12号',
      address_id: 'mk01',
      zipcode: '',
      lat: 36.4482,
      long: 115.984,
      media_url: '',
    });
    const closed = (await json('/open311/v2/requests/p01.json')).body[0];
    expect(closed).toMatchObject({ status: 'closed', updated_datetime: '2026-01-09T09:00:00+08:00' });
  });

  it('filters like the spec: default 90 days, service_code, status, ids', async () => {
    // NOW is 2026-03-20: 90 days back is 2025-12-20, so every fixture problem (from 2026-01-05) is in.
    const all = (await json('/open311/v2/requests.json')).body;
    expect(all).toHaveLength(20);
    expect(all.map((r: any) => r.requested_datetime)).toEqual([...all.map((r: any) => r.requested_datetime)].sort().reverse());
    const open = (await json('/open311/v2/requests.json?status=open&service_code=occupy-road')).body;
    expect(open.map((r: any) => r.service_request_id)).toEqual(['p03']);
    const closed = (await json('/open311/v2/requests.json?status=closed&start_date=2026-02-01T00:00:00%2B08:00')).body;
    expect(closed.every((r: any) => r.status === 'closed' && r.requested_datetime >= '2026-02-01')).toBe(true);
    const ids = (await json('/open311/v2/requests.json?service_request_id=p05,p01,p99')).body;
    expect(ids.map((r: any) => r.service_request_id)).toEqual(['p05', 'p01']);
    const bad = await json('/open311/v2/requests.json?status=pending');
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body[0])).toEqual(SPEC.error);
  });

  it('writes requests as XML with escaping', async () => {
    const x = await xml('/open311/v2/requests/p03.xml');
    expect(x.body).toContain('<service_requests>\n  <request>\n    <service_request_id>p03</service_request_id>\n    <status>open</status>');
    expect(x.body).toContain('<zipcode/>');
    expect(x.body).toContain('<long>115.984</long>');
    const missing = await xml('/open311/v2/requests/p99.xml');
    expect(missing.status).toBe(404);
    expect(missing.body).toContain('<errors>\n  <error>\n    <code>404</code>');
  });
});

describe('POST requests and tokens', () => {
  it('creates a problem with a valid api_key', async () => {
    const res = await post('json', {
      api_key: KEY,
      service_code: 'small-ads',
      lat: 36.45,
      long: 115.975,
      description: '电线杆上贴小广告 & 涂鸦',
      first_name: '明',
      last_name: '李',
    });
    expect(res.status).toBe(201);
    const body = (await res.json()) as any[];
    expect(Object.keys(body[0])).toEqual(SPEC.postResponse);
    const id = body[0].service_request_id;
    const req = (await json(`/open311/v2/requests/${id}.json`)).body[0];
    expect(req).toMatchObject({
      status: 'open',
      service_code: 'small-ads',
      description: '电线杆上贴小广告 & 涂鸦',
      status_notes: 'reported 已上报',
      agency_responsible: '西城街道城管中队',
    });
    const problem = (await (await app.request(`/api/problems/${id}`)).json()) as any;
    expect(problem.properties).toMatchObject({ source: 'public', reporter: '李明' });
    const tok = (await json(`/open311/v2/tokens/${id}.json`)).body;
    expect(tok).toEqual([{ service_request_id: id, token: id }]);
    expect(Object.keys(tok[0])).toEqual(SPEC.token);
    const x = await (await post('xml', { api_key: KEY, service_code: 'small-ads', lat: 36.45, long: 115.975, description: '<b>' })).text();
    expect(x).toMatch(/<service_requests>\n {2}<request>\n {4}<service_request_id>p\d+<\/service_request_id>\n {4}<service_notice\/>\n {4}<account_id\/>/);
  });

  it('refuses a missing or wrong key (403), no location or unknown service (400), in the spec’s error shape', async () => {
    const before = (await fx.store.counts()).problems;
    const cases: [Record<string, string | number>, number, RegExp][] = [
      [{ service_code: 'small-ads', lat: 36.45, long: 115.975 }, 403, /api_key/],
      [{ api_key: 'nope', service_code: 'small-ads', lat: 36.45, long: 115.975 }, 403, /api_key/],
      [{ api_key: KEY, service_code: 'small-ads', address_string: '东关街12号' }, 400, /lat and long/],
      [{ api_key: KEY, service_code: 'litter', lat: 36.45, long: 115.975 }, 400, /litter/],
      [{ api_key: KEY, service_code: 'small-ads', lat: 10, long: 10 }, 400, /outside/],
    ];
    for (const [fields, status, message] of cases) {
      const res = await post('json', fields);
      expect(res.status).toBe(status);
      const body = (await res.json()) as any[];
      expect(body).toEqual([{ code: status, description: expect.stringMatching(message) }]);
    }
    // fx.app has no OPEN311_API_KEYS: only keys issued in the store count there, and KEY is not one.
    const off = await fx.app.request('/open311/v2/requests.json', {
      method: 'POST',
      body: new URLSearchParams({ api_key: KEY, service_code: 'small-ads', lat: '36.45', long: '115.975' }),
    });
    expect(off.status).toBe(403);
    expect((await fx.store.counts()).problems).toBe(before);
  });

  it('takes a key the administrator issued (POST /api/api-keys)', async () => {
    const issued = (await (
      await fx.app.request('/api/api-keys', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: '12345 热线' }) })
    ).json()) as { secret: string };
    const res = await fx.raw.request('/open311/v2/requests.json', {
      method: 'POST',
      body: new URLSearchParams({ api_key: issued.secret, service_code: 'small-ads', lat: '36.45', long: '115.975', description: '热线转来：墙上小广告' }),
    });
    expect(res.status).toBe(201);
  });
});
