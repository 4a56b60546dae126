import { afterAll, describe, expect, it } from 'vitest';
import { GridCollection, GridFeature } from '../../server/contract/grids';
import { decodeTile, fixtureApp, getJson, type Requester } from './fixture';

// One city per file: each test below starts from what the one before left.
const fx = await fixtureApp();
afterAll(async () => fx.close());
const inspector = await fx.signedIn('inspector');

/** A rectangle [w, s, e, n] as a GeoJSON Polygon. */
const rect = (w: number, s: number, e: number, n: number) => ({
  type: 'Polygon' as const,
  coordinates: [
    [
      [w, s],
      [e, s],
      [e, n],
      [w, n],
      [w, s],
    ],
  ],
});
// The west half of 西城街道 (幸福小区 cm01 and 羊市街 bs01 in it), and the market corner of 东城街道 (东关农贸市场 mk01).
const WEST = rect(115.971, 36.441, 115.978, 36.458);
const MARKET = rect(115.982, 36.446, 115.986, 36.45);

async function send(app: Requester, method: string, path: string, body?: unknown) {
  const res = await app.request(path, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, body: res.status === 204 ? null : ((await res.json()) as any) };
}

async function importFile(text: string) {
  const form = new FormData();
  form.append('file', new File([text], '网格.geojson', { type: 'application/geo+json' }));
  const res = await inspector.request('/api/grids/import', { method: 'POST', body: form });
  return { status: res.status, body: (await res.json()) as any };
}

let westId = '';

describe('/api/grids (网格)', () => {
  it('draws a grid with its 网格员: placed in its subdistrict, counting the points inside', async () => {
    const made = await send(inspector, 'POST', '/api/grids', { name: '西城第1网格', member: '刘网格', phone: '13812345678', geometry: WEST });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    expect(GridFeature.parse(made.body)).toEqual(made.body);
    westId = made.body.id;
    expect(made.body.properties).toMatchObject({ name: '西城第1网格', member: '刘网格', subdistrictId: 'sd01', subdistrictName: '西城街道', version: 1 });
    // cm01 (its entrance or middle) and bs01 lie inside.
    expect(made.body.properties.points).toBe(2);
    const list = await getJson(fx.app, '/api/grids');
    expect(GridCollection.parse(list.body).features.map((f) => f.id)).toEqual([westId]);
  });

  it('refuses an outline that crosses itself, one outside the city, an empty name and a bad phone, naming the field', async () => {
    const bow = {
      type: 'Polygon',
      coordinates: [
        [
          [115.971, 36.441],
          [115.978, 36.458],
          [115.978, 36.441],
          [115.971, 36.458],
          [115.971, 36.441],
        ],
      ],
    };
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ name: 'x', geometry: bow }, /crosses itself/],
      [{ name: 'x', geometry: rect(116.1, 36.44, 116.2, 36.46) }, /outside the city/],
      [{ name: ' ', geometry: WEST }, /give the grid a name/],
      [{ name: 'x', phone: '12', geometry: WEST }, /not a phone number/],
    ];
    for (const [body, why] of cases) {
      const res = await send(inspector, 'POST', '/api/grids', body);
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body)).toMatch(why);
    }
  });

  it('changes a grid at the version read; a stale version is a 409 naming who changed it', async () => {
    const ok = await send(inspector, 'PATCH', `/api/grids/${westId}`, { version: 1, member: '王网格' });
    expect(ok.status).toBe(200);
    expect(ok.body.properties).toMatchObject({ member: '王网格', version: 2, updatedBy: expect.stringMatching(/^test-inspector/) });
    const stale = await send(fx.app, 'PATCH', `/api/grids/${westId}`, { version: 1, member: '赵网格' });
    expect(stale.status).toBe(409);
    expect(stale.body.error).toMatch(/test-inspector/);
  });

  it('imports a GeoJSON of grids: a name already there is replaced, the others added; a bad feature changes nothing', async () => {
    const fc = (features: unknown[]) => JSON.stringify({ type: 'FeatureCollection', features });
    const bad = await importFile(
      fc([
        { type: 'Feature', properties: { 网格名称: '东城第2网格', 网格员: '孙网格' }, geometry: MARKET },
        { type: 'Feature', properties: { 网格名称: '坏网格' }, geometry: { type: 'Point', coordinates: [115.98, 36.45] } },
      ]),
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatch(/第 2 个网格/);
    expect((await getJson(fx.app, '/api/grids')).body.features).toHaveLength(1);

    const good = await importFile(
      fc([
        { type: 'Feature', properties: { 网格名称: '东城第2网格', 网格员: '孙网格', 电话: '0635-8123456' }, geometry: MARKET },
        { type: 'Feature', properties: { name: '西城第1网格', member: '周网格' }, geometry: WEST },
      ]),
    );
    expect(good.status, JSON.stringify(good.body)).toBe(200);
    expect(good.body).toEqual({ added: 1, replaced: 1 });
    const list = (await getJson(fx.app, '/api/grids')).body.features as GridFeature[];
    expect(list.map((f) => [f.properties.name, f.properties.member, f.properties.points])).toEqual([
      ['西城第1网格', '周网格', 2],
      ['东城第2网格', '孙网格', 1],
    ]);
  });

  it('is a filter of the planner’s stops: every point inside the grids named', async () => {
    const east = ((await getJson(fx.app, '/api/grids')).body.features as GridFeature[]).find((f) => f.properties.name === '东城第2网格')!;
    const res = await send(fx.app, 'POST', '/api/plans', {
      date: '2026-03-20',
      teams: [{ name: '一组', start: [115.98, 36.45], budgetS: 4 * 3600 }],
      stops: { grids: [east.id] },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const stops = [...res.body.teams.flatMap((t: any) => t.stops), ...res.body.dropped].map((s: any) => s.id);
    expect(stops).toEqual(['mk01']);
    const unknown = await send(fx.app, 'POST', '/api/plans', {
      date: '2026-03-20',
      teams: [{ name: '一组', start: [115.98, 36.45], budgetS: 3600 }],
      stops: { grids: ['grid-nope'] },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.details[0].path).toBe('json.stops.grids.0');
  });

  it('is a filter of the problems, the ledger, the map’s tiles and the hotspots: what lies inside the grids as drawn now', async () => {
    const grids = (await getJson(fx.app, '/api/grids')).body.features as GridFeature[];
    const east = grids.find((f) => f.properties.name === '东城第2网格')!;
    const west = grids.find((f) => f.properties.name === '西城第1网格')!;
    const ids = async (query: string) => ((await getJson(fx.app, `/api/problems?${query}`)).body.features as { id: string }[]).map((f) => f.id).sort();
    const tileCount = async (query: string) =>
      (await decodeTile(await fx.app.request(`/tiles/problems/0/0/0.pbf?${query}`))).problems?.reduce((n, f) => n + Number(f.properties.count ?? 1), 0) ?? 0;
    // The market corner holds p01–p04; the west half eight of 西城's (p12 and p13 lie just outside it).
    expect(await ids(`grid=${east.id}`)).toEqual(['p01', 'p02', 'p03', 'p04']);
    expect(await ids(`grid=${west.id}`)).toEqual(['p05', 'p06', 'p07', 'p08', 'p09', 'p16', 'p19', 'p20']);
    expect(await ids(`grid=${east.id},${west.id}&status=closed`)).toEqual(['p01', 'p02', 'p05', 'p09', 'p16', 'p19']);
    expect(await ids('grid=grid-nope')).toEqual([]);
    expect((await getJson(fx.app, `/api/ledger?grid=${east.id},${west.id}`)).body.total).toBe(12);
    expect(await tileCount(`grid=${east.id}`)).toBe(4);
    const recurring = await getJson(fx.app, `/api/recurring?grid=${west.id}`);
    expect(recurring.status).toBe(200);
    // The 红黑榜 within the west grid: 西城 alone, on its eight problems and the two points there.
    const ranked = await getJson(fx.app, `/api/rankings?by=subdistrict&from=2025-01-01&to=2026-12-31&grid=${west.id}`);
    expect(ranked.status, JSON.stringify(ranked.body)).toBe(200);
    expect(ranked.body.rows.map((r: any) => [r.id, r.found, r.points])).toEqual([['sd01', 8, 2]]);
    const everywhere = await getJson(fx.app, '/api/rankings?by=subdistrict&from=2025-01-01&to=2026-12-31');
    expect(everywhere.body.rows.find((r: any) => r.id === 'sd01').found).toBeGreaterThan(8);

    // Redrawn to the market corner's west part: p02 and p03 (lng ≤ 115.984) stay; the tile's ETag changes with it.
    const tile = await fx.app.request(`/tiles/problems/0/0/0.pbf?grid=${east.id}`);
    const etag = tile.headers.get('etag')!;
    const listEtag = (await fx.app.request(`/api/problems?grid=${east.id}`)).headers.get('etag')!;
    const redrawn = await send(inspector, 'PATCH', `/api/grids/${east.id}`, {
      version: east.properties.version,
      geometry: rect(115.982, 36.446, 115.98405, 36.45),
    });
    expect(redrawn.status, JSON.stringify(redrawn.body)).toBe(200);
    expect(await ids(`grid=${east.id}`)).toEqual(['p02', 'p03']);
    expect((await fx.app.request(`/tiles/problems/0/0/0.pbf?grid=${east.id}`, { headers: { 'if-none-match': etag } })).status).toBe(200);
    expect((await fx.app.request(`/api/problems?grid=${east.id}`, { headers: { 'if-none-match': listEtag } })).status).toBe(200);
    expect(await tileCount(`grid=${east.id}`)).toBe(2);
  });

  it('says what to send when the import has no file, and refuses one too large before reading it', async () => {
    const none = await inspector.request('/api/grids/import', { method: 'POST', body: new FormData() });
    expect(none.status).toBe(400);
    expect(((await none.json()) as any).details[0].path).toBe('form.file');
    const big = new FormData();
    big.append('file', new File([new Uint8Array(17 * 1024 * 1024)], '网格.geojson'));
    const res = await inspector.request('/api/grids/import', { method: 'POST', body: big });
    expect(res.status).toBe(413);
    expect(((await res.json()) as any).error).toMatch(/上限/);
  });

  it('deletes a grid; the points in it stay', async () => {
    expect((await send(inspector, 'DELETE', `/api/grids/${westId}`)).status).toBe(204);
    expect((await send(inspector, 'DELETE', `/api/grids/${westId}`)).status).toBe(404);
    expect((await getJson(fx.app, '/api/places/cm01')).status).toBe(200);
  });
});
