import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOTSPOT_CLASS_NAMES } from '../../server/contract/hotspots';
import { fixtureApp, getJson, type Fixture } from './fixture';

let fx: Fixture;
beforeAll(async () => {
  fx = await fixtureApp();
});
afterAll(async () => fx.close());

describe('GET /api/hotspots', () => {
  it('returns H3 cell polygons holding every matching problem, with count, z, p and a class', async () => {
    const { status, body } = await getJson(fx.app, '/api/hotspots?res=9');
    expect(status).toBe(200);
    expect(body.type).toBe('FeatureCollection');
    expect(body.res).toBe(9);
    // 7-day periods counted back from the last report (20 Mar) over the first (5 Jan): 11 of them
    expect(body.weeks).toEqual({ from: '2026-01-03', to: '2026-03-20', count: 11 });
    const total = body.features.reduce((s: number, f: any) => s + f.properties.count, 0);
    expect(total).toBe(20); // every fixture problem lies in exactly one cell
    for (const f of body.features) {
      expect(f.geometry.type).toBe('Polygon');
      const ring = f.geometry.coordinates[0];
      expect(ring[0]).toEqual(ring[ring.length - 1]);
      expect(ring[0][0]).toBeGreaterThan(115); // [lng, lat]
      expect(f.id).toBe(f.properties.h3);
      expect(HOTSPOT_CLASS_NAMES).toContain(f.properties.class);
      expect(f.properties.p).toBeGreaterThanOrEqual(0);
      expect(f.properties.p).toBeLessThanOrEqual(1);
      expect(Number.isFinite(f.properties.z)).toBe(true);
    }
  });

  it('applies the filters and the resolution', async () => {
    const all = (await getJson(fx.app, '/api/hotspots?res=10')).body;
    const some = (await getJson(fx.app, '/api/hotspots?res=10&category=occupy-road')).body;
    const sum = (b: any) => b.features.reduce((s: number, f: any) => s + f.properties.count, 0);
    expect(sum(some)).toBeGreaterThan(0);
    expect(sum(some)).toBeLessThan(sum(all));
    const coarse = (await getJson(fx.app, '/api/hotspots?res=7')).body;
    expect(coarse.features.length).toBeLessThanOrEqual(all.features.length);
    const none = (await getJson(fx.app, '/api/hotspots?category=no-such-category')).body;
    expect(none).toMatchObject({ type: 'FeatureCollection', features: [], weeks: null });
    const window = (await getJson(fx.app, '/api/hotspots?from=2026-01-01&to=2026-01-31')).body;
    // from 1 Jan to the last January report (25 Jan): 4 periods, the first starting 29 Dec
    expect(window.weeks).toEqual({ from: '2025-12-29', to: '2026-01-25', count: 4 });
  });

  it('answers 400 with a sentence for a bad resolution or range', async () => {
    const bad = await getJson(fx.app, '/api/hotspots?res=12');
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatch(/res must be at most 10/);
    expect(bad.body.details[0].path).toBe('query.res');
    const range = await getJson(fx.app, '/api/hotspots?from=2026-03-01&to=2026-01-01');
    expect(range.status).toBe(400);
    expect((await getJson(fx.app, '/api/hotspots?res=nine')).body.error).toMatch(/whole number/);
  });

  it('gives one cell’s weekly history and 404 for a cell without problems', async () => {
    const cells = (await getJson(fx.app, '/api/hotspots?res=9')).body;
    const cell = cells.features[0].id;
    const { status, body } = await getJson(fx.app, `/api/hotspots/cells/${cell}?res=9`);
    expect(status).toBe(200);
    expect(body.weeks.length).toBe(cells.weeks.count);
    expect(body.weeks.reduce((s: number, w: any) => s + w.count, 0)).toBe(cells.features[0].properties.count);
    expect(body.class).toBe(cells.features[0].properties.class);
    const missing = await getJson(fx.app, '/api/hotspots/cells/8930e1d8a6bffff?res=9');
    expect(missing.status).toBe(404);
    expect(missing.body.error).toMatch(/take a cell from \/api\/hotspots/);
    expect((await getJson(fx.app, '/api/hotspots/cells/xyz')).status).toBe(400);
  });
});

describe('GET /api/hotspots cache', () => {
  it('recomputes when problems change (the revision moves), and not before', async () => {
    const own = await fixtureApp(); // this test edits problems
    const fx = own;
    const before = await (await fx.app.request('/api/hotspots?res=9')).text();
    expect(await (await fx.app.request('/api/hotspots?res=9')).text()).toBe(before);
    // Move a problem behind the service's back: nothing changes until the revision moves, as a workflow write bumps it.
    fx.store.db.prepare("UPDATE problems SET lng = lng + 0.01 WHERE id = 'p01'").run();
    expect(await (await fx.app.request('/api/hotspots?res=9')).text()).toBe(before); // cached: revision unchanged
    fx.store.db.prepare("UPDATE revisions SET value = value + 1 WHERE name = 'problems'").run();
    expect(await (await fx.app.request('/api/hotspots?res=9')).text()).not.toBe(before);
    await own.close();
  });
});

describe('GET /api/recurring', () => {
  it('finds the market where occupy-road came back after closing, with dates, unit and place', async () => {
    const { status, body } = await getJson(fx.app, '/api/recurring');
    expect(status).toBe(200);
    expect(body.radiusM).toBe(30);
    expect(body.total).toBe(body.features.length);
    expect(body.features.length).toBeGreaterThan(0);
    const top = body.features[0];
    expect(top.geometry.type).toBe('Point');
    expect(top.properties.recurrences).toBe(top.properties.recurrenceDates.length);
    expect(top.properties.recurrences).toBeGreaterThan(0);
    expect(top.properties.reports).toBeGreaterThan(top.properties.recurrences);
    expect(top.properties.meanReturnDays).toBeGreaterThan(0);
    // p01 (closed 9 Jan), p02 (12 Jan, closed 16 Jan) and p03 (10 Mar) at market mk01, 20 m apart
    expect(top.properties).toMatchObject({
      id: 'rs-p01',
      category: 'occupy-road',
      reports: 3,
      recurrences: 2,
      recurrenceDates: ['2026-01-12', '2026-03-10'],
      unitId: 'u02',
      subdistrictId: 'sd02',
      placeId: 'mk01',
      latestProblemId: 'p03',
      open: 1,
    });
    // back after 3 days 1.5 h (9 Jan 09:00 → 12 Jan 10:30) and 53 days less 0.5 h (16 Jan 10:30 → 10 Mar 10:00)
    expect(top.properties.meanReturnDays).toBeCloseTo((3 + 1.5 / 24 + 53 - 0.5 / 24) / 2, 9);
    for (let k = 1; k < body.features.length; k++) {
      expect(body.features[k - 1].properties.recurrences).toBeGreaterThanOrEqual(body.features[k].properties.recurrences);
    }
  });

  it('takes radius, minRecurrences and limit, and rejects bad ones', async () => {
    const all = (await getJson(fx.app, '/api/recurring?radius=200')).body;
    const tight = (await getJson(fx.app, '/api/recurring?radius=5')).body;
    expect(tight.radiusM).toBe(5);
    expect(all.total).toBeGreaterThanOrEqual(1);
    const many = (await getJson(fx.app, '/api/recurring?minRecurrences=1000')).body;
    expect(many.features).toEqual([]);
    const one = (await getJson(fx.app, '/api/recurring?limit=1&radius=200')).body;
    expect(one.features.length).toBe(1);
    expect(one.total).toBe(all.total);
    const bad = await getJson(fx.app, '/api/recurring?radius=0');
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatch(/radius must be at least 5/);
  });
});

describe('GET /api/hotspots/points.bin', () => {
  it('holds every problem in the documented layout', async () => {
    const res = await fx.app.request('/api/hotspots/points.bin');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/octet-stream');
    const buf = await res.arrayBuffer();
    const view = new DataView(buf);
    expect(new TextDecoder().decode(new Uint8Array(buf, 0, 4))).toBe('XCPB');
    expect(view.getUint16(4, true)).toBe(1);
    const h = view.getUint16(6, true);
    const n = view.getUint32(8, true);
    expect(h % 8).toBe(0);
    expect(n).toBe(20);
    expect(buf.byteLength).toBe(h + 20 * n);
    const dict = JSON.parse(new TextDecoder().decode(new Uint8Array(buf, 20, view.getUint32(16, true))));
    expect(dict.statuses).toEqual(['reported', 'assigned', 'rectified', 'closed', 'held', 'rejected', 'overdue']);
    expect(dict.subdistricts[0]).toBeNull();
    const pos = new Float32Array(buf, h, 2 * n);
    const day = new Uint16Array(buf, h + 8 * n, n);
    const category = new Uint16Array(buf, h + 10 * n, n);
    const status = new Uint8Array(buf, h + 18 * n, n);
    const recurrence = new Uint8Array(buf, h + 19 * n, n);
    // Compare with the JSON API, problem by problem (matched by position and day).
    const json = (await getJson(fx.app, '/api/problems?limit=100')).body;
    const base = Date.parse(`${dict.baseDate}T00:00:00+08:00`);
    const seen = new Set<number>();
    for (const f of json.features) {
      const d = Math.floor((Date.parse(f.properties.reportedAt) - base) / 86_400_000);
      const i = [...pos.keys()]
        .filter((k) => k % 2 === 0)
        .map((k) => k / 2)
        .find(
          (k) =>
            !seen.has(k) &&
            Math.abs(pos[2 * k] - f.geometry.coordinates[0]) < 1e-5 &&
            Math.abs(pos[2 * k + 1] - f.geometry.coordinates[1]) < 1e-5 &&
            day[k] === d,
        );
      expect(i, f.id).toBeDefined();
      seen.add(i!);
      expect(dict.categories[category[i!]]).toBe(f.properties.category);
      expect(dict.statuses[status[i!]]).toBe(f.properties.overdue ? 'overdue' : f.properties.status);
    }
    expect([...recurrence].some((r) => r === 1)).toBe(true);
  });

  it('answers 304 to a client holding the current version, and the new bytes once a problem changes', async () => {
    const first = await fx.app.request('/api/hotspots/points.bin');
    const tag = first.headers.get('etag');
    expect(tag).toMatch(/^"points-\d+-\d+-\w+"$/);
    const again = await fx.app.request('/api/hotspots/points.bin', { headers: { 'if-none-match': tag! } });
    expect(again.status).toBe(304);
    expect((await again.arrayBuffer()).byteLength).toBe(0);
    expect((await fx.app.request('/api/hotspots/points.bin', { headers: { 'if-none-match': `W/${tag}, "other"` } })).status).toBe(304);

    const moved = await fx.app.request('/api/problems/p06/transitions', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ to: 'assigned', note: '复查不合格' }),
    });
    expect(moved.status).toBe(200);
    const after = await fx.app.request('/api/hotspots/points.bin', { headers: { 'if-none-match': tag! } });
    expect(after.status).toBe(200);
    expect(after.headers.get('etag')).not.toBe(tag);
    expect((await after.arrayBuffer()).byteLength).toBe((await first.arrayBuffer()).byteLength);
  });
});
