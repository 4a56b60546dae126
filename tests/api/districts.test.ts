/**
 * Districts (区/县) above the subdistricts (issue 22): the fixture city cut into two districts, one
 * subdistrict each. Every filter that takes a subdistrict takes a district; each district's totals add up to
 * the city's; the 红黑榜 ranks districts with the same score as the figures under them.
 */
import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeTile, fixtureApp, getJson, readSse, tileOf, twoDistrictFixture } from './fixture';

const fx = await fixtureApp({ layersDir: twoDistrictFixture() });
afterAll(async () => fx.close());

const ids = async (path: string) => ((await getJson(fx.app, path)).body.features as { id: string }[]).map((f) => f.id).sort();

describe('districts in the data', () => {
  it('names each subdistrict’s and unit’s district, derived from the geometry', async () => {
    const { body } = await getJson(fx.app, '/api/meta');
    expect(body.counts.districts).toBe(2);
    expect(body.districts).toEqual([
      { id: 'dt01', name: '西城区', code: '371502000000', kind: 'district' },
      { id: 'dt02', name: '东城区', code: '371503000000', kind: 'district' },
    ]);
    expect(body.subdistricts.map((s: { id: string; districtId: string }) => [s.id, s.districtId])).toEqual([
      ['sd01', 'dt01'],
      ['sd02', 'dt02'],
    ]);
    // u03 is district-wide (no subdistrict): its office lies in the east half.
    expect(body.units.map((u: { id: string; districtId: string }) => [u.id, u.districtId])).toEqual([
      ['u01', 'dt01'],
      ['u02', 'dt02'],
      ['u03', 'dt02'],
    ]);
  });
});

describe('the basemap', () => {
  it('draws a city of several districts with their boundaries and names', async () => {
    const { x, y } = tileOf(115.98, 36.45, 12);
    const tile = await decodeTile(await fx.app.request(`/tiles/base/12/${x}/${y}.pbf`));
    expect(tile.districts.map((f) => f.properties.id).sort()).toEqual(['dt01', 'dt02']);
    expect(tile['district-labels'].map((f) => f.properties.name).sort()).toEqual(['东城区', '西城区']);
  });
});

describe('the district filter', () => {
  it('keeps a district’s problems; the districts add up to the city', async () => {
    const all = await ids('/api/problems');
    const west = await ids('/api/problems?district=dt01');
    const east = await ids('/api/problems?district=dt02');
    expect(west).toEqual(await ids('/api/problems?subdistrict=sd01'));
    expect(east).toEqual(await ids('/api/problems?subdistrict=sd02'));
    expect([...west, ...east].sort()).toEqual(all);
    expect(await ids('/api/problems?district=dt01,dt02')).toEqual(all);
    // With a subdistrict too, both must hold; a district that does not exist keeps nothing.
    expect(await ids('/api/problems?district=dt01&subdistrict=sd02')).toEqual([]);
    expect(await ids('/api/problems?district=dt09')).toEqual([]);
  });

  it('filters the ledger, which names each problem’s district, and its export has a 区 column', async () => {
    const city = (await getJson(fx.app, '/api/ledger?limit=100')).body;
    const east = (await getJson(fx.app, '/api/ledger?district=dt02&limit=100')).body;
    const west = (await getJson(fx.app, '/api/ledger?district=dt01&limit=100')).body;
    expect(east.total + west.total).toBe(city.total);
    expect(new Set(east.rows.map((r: { districtName: string }) => r.districtName))).toEqual(new Set(['东城区']));
    const csv = await (await fx.app.request('/api/ledger/export.csv?district=dt01&sort=id&order=asc')).text();
    const lines = csv
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0].split(',').slice(3, 6)).toEqual(['位置', '所属区县', '所属街道']);
    expect(lines.length - 1).toBe(west.total);
    expect(lines.slice(1).every((l) => l.includes(',西城区,西城街道,'))).toBe(true);
  });

  it('filters the hotspots and the recurring sites alike', async () => {
    const count = async (q: string) =>
      ((await getJson(fx.app, `/api/hotspots?res=9${q}`)).body.features as { properties: { count: number } }[]).reduce((s, f) => s + f.properties.count, 0);
    const [city, west, east] = [await count(''), await count('&district=dt01'), await count('&district=dt02')];
    expect(west).toBe(await count('&subdistrict=sd01'));
    expect(west + east).toBe(city);
    expect(west).toBeGreaterThan(0);
  });
});

describe('the 红黑榜 per district', () => {
  it('ranks the districts with the score and figures of what lies under them', async () => {
    const by = async (q: string) => (await getJson(fx.app, `/api/rankings?${q}&from=2026-01-01&to=2026-03-20`)).body;
    const districts = await by('by=district');
    const subdistricts = await by('by=subdistrict');
    expect(districts.by).toBe('district');
    expect(districts.rows.map((r: { id: string }) => r.id).sort()).toEqual(['dt01', 'dt02']);
    // One subdistrict per district: a district's row is its subdistrict's, under its own name.
    const of = (rows: { id: string }[], id: string) => rows.find((r) => r.id === id) as Record<string, unknown>;
    for (const [d, sd] of [
      ['dt01', 'sd01'],
      ['dt02', 'sd02'],
    ]) {
      const { id: _d, name: _dn, rank: _dr, ...dRow } = of(districts.rows, d);
      const { id: _s, name: _sn, rank: _sr, ...sdRow } = of(subdistricts.rows, sd);
      expect(dRow).toEqual(sdRow);
    }
    const found = (rows: { found: number }[]) => rows.reduce((s, r) => s + r.found, 0);
    expect(found(districts.rows)).toBe(found(subdistricts.rows));
  });

  it('ranks within one district when asked', async () => {
    const rows = (await getJson(fx.app, '/api/rankings?by=subdistrict&district=dt01')).body.rows;
    expect(rows.map((r: { id: string }) => r.id)).toEqual(['sd01']);
    const units = (await getJson(fx.app, '/api/rankings?by=unit&district=dt02')).body.rows;
    expect(units.map((r: { id: string }) => r.id).sort()).toEqual(['u02', 'u03']);
  });
});

describe('the big screen’s ?district=', () => {
  const summary = async (q: string) => getJson(fx.app, `/api/screen/summary${q}`);

  it('pins a district, keeps a subdistrict link working, and ranks the districts on the city’s wall', async () => {
    const city = (await summary('')).body;
    expect(city.district).toBeNull();
    expect(city.rankings.districts.top.map((r: { id: string }) => r.id).sort()).toEqual(['dt01', 'dt02']);
    const dt = (await summary('?district=dt01')).body;
    expect(dt.district).toEqual({ id: 'dt01', name: '西城区', level: 'district' });
    expect(dt.rankings.districts).toBeNull();
    expect(dt.rankings.subdistricts.top.map((r: { id: string }) => r.id)).toEqual(['sd01']);
    expect(dt.rankings.units.top.map((r: { id: string }) => r.id)).toEqual(['u01']);
    const sd = (await summary('?district=sd01')).body;
    expect(sd.district).toEqual({ id: 'sd01', name: '西城街道', level: 'subdistrict' });
    // The district holds that one subdistrict: the same figures.
    expect(sd.kpi).toEqual(dt.kpi);
    const east = (await summary('?district=dt02')).body;
    expect(dt.kpi.open + east.kpi.open).toBe(city.kpi.open);
    const none = await summary('?district=nowhere');
    expect(none.status).toBe(404);
    expect(none.body.error).toMatch(/dt01, dt02, sd01, sd02/);
  });
});

describe('a district office’s account', async () => {
  const west = await fx.signedInDistrict('inspector', 'dt01');
  const westLeader = await fx.signedInDistrict('leader', 'dt01');
  const send = (who: typeof west, method: string, path: string, body?: unknown) =>
    who.request(path, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });

  it('sees its district’s problems only, in lists, details, tiles, the ledger and its export', async () => {
    const own = await ids('/api/problems?subdistrict=sd01');
    const seen = ((await getJson(west, '/api/problems?limit=100')).body.features as { id: string }[]).map((f) => f.id).sort();
    expect(seen).toEqual(own);
    // Asking for the other district, or its subdistrict, gives nothing rather than the other district.
    expect((await getJson(west, '/api/problems?district=dt02')).body.features).toEqual([]);
    expect((await getJson(west, '/api/problems?subdistrict=sd02')).body.features).toEqual([]);
    const other = (await ids('/api/problems?district=dt02'))[0];
    expect((await west.request(`/api/problems/${other}`)).status).toBe(404);
    expect((await west.request(`/api/problems/${other}/history`)).status).toBe(404);
    expect((await west.request(`/api/problems/${own[0]}`)).status).toBe(200);
    const tileTotal = async (who: typeof west) =>
      (await decodeTile(await who.request('/tiles/problems/0/0/0.pbf'))).problems.reduce((n, f) => n + Number(f.properties.count ?? 1), 0);
    expect(await tileTotal(west)).toBe(own.length);
    expect((await getJson(west, '/api/ledger?district=dt02&limit=100')).body.total).toBe(0);
    expect((await getJson(west, '/api/ledger?limit=100')).body.total).toBe(own.length);
    const csv = await (await west.request('/api/ledger/export.csv')).text();
    expect(csv.trim().split('\r\n').length - 1).toBe(own.length);
    expect(csv).not.toContain('东城街道');
  });

  it('plans its district only: pools narrowed to it, a stop outside refused, another district’s plans not there', async () => {
    const team = { name: '一组', start: [115.98, 36.45], budgetS: 4 * 3600 };
    const mine = await send(west, 'POST', '/api/plans', { date: '2026-03-20', teams: [team], stops: { kinds: ['market', 'community', 'back-street'] } });
    expect(mine.status).toBe(201);
    const plan = (await mine.json()) as { id: string; teams: { stops: { id: string }[] }[]; dropped: { id: string }[] };
    // mk01 lies in the east district: the west's plan of every kind leaves it out.
    const stops = [...plan.teams.flatMap((t) => t.stops), ...plan.dropped].map((s) => s.id).sort();
    expect(stops).toEqual(['bs01', 'cm01']);
    const outside = await send(west, 'POST', '/api/plans', { date: '2026-03-20', teams: [team], stops: { ids: ['mk01', 'cm01'] } });
    expect(outside.status).toBe(403);
    expect(((await outside.json()) as { error: string }).error).toContain('mk01');
    // The city office's plan of the east district's market: not among the west's.
    const theirs = (await (await send(fx.app, 'POST', '/api/plans', { date: '2026-03-20', teams: [team], stops: { ids: ['mk01'] } })).json()) as { id: string };
    const listed = (await getJson(west, '/api/plans?date=2026-03-20')).body.plans.map((p: { id: string }) => p.id);
    expect(listed).toContain(plan.id);
    expect(listed).not.toContain(theirs.id);
    expect((await getJson(fx.app, '/api/plans?date=2026-03-20')).body.plans.map((p: { id: string }) => p.id)).toContain(theirs.id);
    expect((await west.request(`/api/plans/${theirs.id}`)).status).toBe(404);
    expect((await west.request(`/api/plans/${theirs.id}.gpx`)).status).toBe(404);
    expect((await send(westLeader, 'DELETE', `/api/plans/${theirs.id}`)).status).toBe(404);
  });

  it('walks, reads and hears the tracks of its district’s plans only', async () => {
    const team = { name: '一组', start: [115.98, 36.45], budgetS: 4 * 3600 };
    const theirs = (await (await send(fx.app, 'POST', '/api/plans', { date: '2026-03-20', teams: [team], stops: { ids: ['mk01'] } })).json()) as { id: string };
    const mine = (await (await send(west, 'POST', '/api/plans', { date: '2026-03-20', teams: [team], stops: { ids: ['cm01'] } })).json()) as { id: string };
    const fix = (lng: number) => ({ id: randomUUID(), lng, lat: 36.45, at: '2026-03-20T11:59:00+08:00', accuracyM: 5 });
    expect((await send(west, 'POST', '/api/tracks', { planId: theirs.id, team: 0, points: [fix(115.98)] })).status).toBe(404);
    expect((await west.request(`/api/plans/${theirs.id}/progress`)).status).toBe(404);
    expect((await send(fx.app, 'POST', '/api/tracks', { planId: theirs.id, team: 0, points: [fix(115.981)] })).status).toBe(200);
    expect((await send(west, 'POST', '/api/tracks', { planId: mine.id, team: 0, points: [fix(115.979)] })).status).toBe(200);
    const positions = (await getJson(west, '/api/tracks/positions')).body.teams.map((t: { planId: string }) => t.planId);
    expect(positions).toEqual([mine.id]);
    const events = await readSse(await west.request('/api/events?since=0'), (e) => e.some((x) => x.data.includes(mine.id)));
    const planIds = events.filter((e) => e.event === 'team.position').map((e) => JSON.parse(e.data).planId as string);
    expect(planIds).toEqual([mine.id]);
  });

  it('ranks within its district, writes its own 通报, and its heat layer holds its district only', async () => {
    const rows = (await getJson(westLeader, '/api/rankings?by=subdistrict')).body.rows;
    expect(rows.map((r: { id: string }) => r.id)).toEqual(['sd01']);
    expect((await getJson(westLeader, '/api/rankings?by=district')).body.rows.map((r: { id: string }) => r.id)).toEqual(['dt01']);
    expect((await westLeader.request('/api/briefings/weekly?subdistrict=sd02&week=2026-03-16')).status).toBe(404);
    expect((await westLeader.request('/api/briefings/weekly?district=dt02&week=2026-03-16')).status).toBe(404);
    const brief = await westLeader.request('/api/briefings/weekly?district=dt01&week=2026-03-16');
    expect(brief.status).toBe(200);
    expect(await brief.text()).toMatch(/西城区创文工作周通报.*在全市 2 个区县中排名第/s);
    const all = new Uint8Array(await (await fx.app.request('/api/hotspots/points.bin')).arrayBuffer());
    const own = new Uint8Array(await (await west.request('/api/hotspots/points.bin')).arrayBuffer());
    expect(own.length).toBeLessThan(all.length);
    const heat = async (who: typeof west) =>
      ((await getJson(who, '/api/hotspots?res=9')).body.features as { properties: { count: number } }[]).reduce((s, f) => s + f.properties.count, 0);
    expect(await heat(west)).toBe((await ids('/api/problems?district=dt01')).length);
  });

  it('scores, readies and counts the losses of its district’s points only, the whole named after the district (测评迎检)', async () => {
    const bySubdistrict = async (who: typeof west) => (await getJson(who, '/api/assessment/readiness?by=subdistrict')).body;
    const city = await bySubdistrict(fx.app);
    const mine = await bySubdistrict(westLeader);
    const sd01 = city.rows.find((r: { key: string }) => r.key === 'sd01');
    expect(sd01.total).toBeGreaterThan(0);
    expect(city.totals.total).toBeGreaterThan(sd01.total);
    expect(mine.rows.map((r: { key: string }) => r.key)).toEqual(['sd01']);
    expect(mine.totals).toEqual({ total: sd01.total, ready: sd01.ready, notReady: sd01.notReady, stale: sd01.stale, readyRate: sd01.readyRate });

    const cityRow = async (who: typeof west) => (await getJson(who, '/api/assessment/scores?by=city')).body.rows[0];
    expect((await cityRow(westLeader)).name).toBe('西城区');
    expect((await cityRow(fx.app)).name).not.toBe('西城区');
    const pointKeys = async (who: typeof west) =>
      ((await getJson(who, '/api/assessment/scores?by=subdistrict')).body.rows as { key: string }[]).map((r) => r.key);
    expect(await pointKeys(westLeader)).toEqual(['sd01']);
    expect((await pointKeys(fx.app)).length).toBeGreaterThan(1);

    const mapIds = async (who: typeof west) => ((await getJson(who, '/api/assessment/readiness/map')).body.features as { id: string }[]).map((f) => f.id);
    expect((await mapIds(westLeader)).length).toBe(sd01.total);
    expect((await mapIds(fx.app)).length).toBe(city.totals.total);
    const places = ((await getJson(westLeader, '/api/assessment/losses')).body.rows as { places: { subdistrictId: string }[] }[]).flatMap((r) => r.places);
    expect(places.every((p) => p.subdistrictId === 'sd01')).toBe(true);
  });

  it('hears the events of its district’s problems only', async () => {
    // p03 lies in 东城街道 (the east district), p08 in 西城街道.
    for (const id of ['p03', 'p08'])
      expect((await send(fx.app, 'POST', `/api/problems/${id}/transitions`, { to: 'rectified', note: '已整改' })).status).toBe(200);
    const res = await west.request('/api/events?since=0');
    expect(res.status).toBe(200);
    const events = await readSse(res, (e) => e.some((x) => x.data.includes('"p08"')));
    const ids = events.filter((e) => e.event !== 'ready').map((e) => JSON.parse(e.data).id as string);
    expect(ids).toContain('p08');
    expect(ids).not.toContain('p03');
  });

  it('is offered its own district’s subdistricts and units to choose from', async () => {
    const meta = (await getJson(west, '/api/meta')).body;
    expect(meta.districts.map((d: { id: string }) => d.id)).toEqual(['dt01']);
    expect(meta.subdistricts.map((s: { id: string }) => s.id)).toEqual(['sd01']);
    expect(meta.units.map((u: { id: string }) => u.id)).toEqual(['u01']);
  });

  it('decides its district’s requests and answers for its district’s units only (待审批申请, 目标考核)', async () => {
    const ask = async (unit: string, id: string) =>
      send(await fx.signedIn('unit', unit), 'POST', `/api/problems/${id}/requests`, { kind: 'extension', reason: '需协调物业', until: '2026-03-31' });
    // p13 lies in the west (u01's), p14 in the east (u03's).
    const west13 = (await (await ask('u01', 'p13')).json()) as { request: { id: number } };
    const east14 = (await (await ask('u03', 'p14')).json()) as { request: { id: number } };
    const listed = (await getJson(westLeader, '/api/requests')).body;
    expect(listed.requests.map((r: { problemId: string }) => r.problemId)).toEqual(['p13']);
    expect(listed.counts.extension).toBe(1);
    const decide = (id: string, requestId: number) =>
      send(westLeader, 'POST', `/api/problems/${id}/requests/${requestId}/decision`, { approve: false, note: '不予延期' });
    expect((await decide('p14', east14.request.id)).status).toBe(404);
    expect((await decide('p13', west13.request.id)).status).toBe(200);

    const overview = (await getJson(westLeader, '/api/consequences')).body;
    expect(overview.units.map((u: { unitId: string }) => u.unitId)).toEqual(['u01']);
    expect((await westLeader.request('/api/consequences/units/u02')).status).toBe(404);
    expect((await send(westLeader, 'POST', '/api/consequences/units/u02/deductions', { points: 1, reason: '台账不全' })).status).toBe(404);
    expect((await send(westLeader, 'POST', '/api/consequences/units/u01/deductions', { points: 1, reason: '台账不全' })).status).toBe(201);
  });

  it('keeps its district’s points in the registry: lists, reads, edits and exports them there only', async () => {
    const listed = (await getJson(west, '/api/places?status=all')).body.places.map((p: { id: string }) => p.id).sort();
    expect(listed).toEqual(['bs01', 'cm01']);
    expect((await west.request('/api/places/mk01')).status).toBe(404);
    expect((await send(west, 'PATCH', '/api/places/mk01', { version: 1, name: '改名市场' })).status).toBe(404);
    const point = (lng: number) => ({ kind: 'market', name: `新市场${lng}`, geometry: { type: 'Point', coordinates: [lng, 36.45] } });
    // The east half is another district's: refused, and the point is not made.
    const east = await send(west, 'POST', '/api/places', point(115.986));
    expect(east.status).toBe(403);
    expect((await send(west, 'POST', '/api/places', point(115.974))).status).toBe(201);
    // Its 点位信息表: its district's points, titled with its district; the sheet import stays the city office's.
    const sheet = async (query: string) => {
      const res = await west.request(`/api/places/export.xlsx${query}`);
      expect(res.status).toBe(200);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(await res.arrayBuffer());
      const ws = wb.worksheets[0];
      const names: string[] = [];
      ws.eachRow((row, n) => {
        if (n > 2) names.push(String(row.getCell(3).value));
      });
      return { title: String(ws.getRow(1).getCell(1).value), names };
    };
    const own = await sheet('');
    expect(own.title).toMatch(/^西城区实地考察点位信息表/);
    expect(own.names).toHaveLength(3);
    expect(own.names).toContain('新市场115.974');
    expect((await sheet('?subdistrict=sd02')).names).toEqual([]);
    const form = new FormData();
    form.set('file', new File([new Uint8Array([1, 2, 3])], 'sheet.xlsx'));
    expect((await west.request('/api/places/import', { method: 'POST', body: form })).status).toBe(403);
  });

  it('draws, lists, changes and deletes its district’s 网格 only; a grids file is the city office’s', async () => {
    const box = (w: number, e: number) => ({
      type: 'Polygon',
      coordinates: [
        [
          [w, 36.449],
          [e, 36.449],
          [e, 36.451],
          [w, 36.451],
          [w, 36.449],
        ],
      ],
    });
    const cityGrid = await send(fx.app, 'POST', '/api/grids', { name: '东城一网格', geometry: box(115.985, 115.987) });
    expect(cityGrid.status).toBe(201);
    const eastId = ((await cityGrid.json()) as { id: string }).id;
    const own = await send(west, 'POST', '/api/grids', { name: '西城一网格', geometry: box(115.973, 115.975) });
    expect(own.status).toBe(201);
    const ownId = ((await own.json()) as { id: string }).id;
    // Drawn in the other district: refused, and nothing made.
    const outside = await send(west, 'POST', '/api/grids', { name: '越界网格', geometry: box(115.984, 115.986) });
    expect(outside.status).toBe(403);
    expect(((await outside.json()) as { error: string }).error).toMatch(/本区县/);
    const listed = async (who: typeof west) => ((await getJson(who, '/api/grids')).body.features as { id: string }[]).map((g) => g.id).sort();
    expect(await listed(west)).toEqual([ownId]);
    expect(await listed(fx.app)).toEqual([eastId, ownId].sort());
    // The other district's grid does not exist for it; its own it may change, but not move across.
    expect((await send(west, 'PATCH', `/api/grids/${eastId}`, { version: 1, name: '改名' })).status).toBe(404);
    expect((await send(west, 'DELETE', `/api/grids/${eastId}`)).status).toBe(404);
    expect((await send(west, 'PATCH', `/api/grids/${ownId}`, { version: 1, geometry: box(115.984, 115.986) })).status).toBe(403);
    expect((await send(west, 'PATCH', `/api/grids/${ownId}`, { version: 1, name: '西城新网格' })).status).toBe(200);
    const form = new FormData();
    form.set('file', new File(['{"type":"FeatureCollection","features":[]}'], 'grids.geojson'));
    expect((await west.request('/api/grids/import', { method: 'POST', body: form })).status).toBe(403);
    expect((await send(west, 'DELETE', `/api/grids/${ownId}`)).status).toBe(204);
    expect((await send(fx.app, 'DELETE', `/api/grids/${eastId}`)).status).toBe(204);
  });

  it('sees its district on the big screen, whatever the link pins', async () => {
    const pinned = async (q: string) => (await getJson(westLeader, `/api/screen/summary${q}`)).body.district;
    expect(await pinned('')).toEqual({ id: 'dt01', name: '西城区', level: 'district' });
    expect(await pinned('?district=dt02')).toEqual({ id: 'dt01', name: '西城区', level: 'district' });
    expect(await pinned('?district=sd02')).toEqual({ id: 'dt01', name: '西城区', level: 'district' });
    expect(await pinned('?district=sd01')).toEqual({ id: 'sd01', name: '西城街道', level: 'subdistrict' });
  });

  it('is made by the administrator for a leader or an inspector of a district that exists', async () => {
    const make = (body: Record<string, unknown>) =>
      send(fx.app, 'POST', '/api/users', { displayName: '区创文办', password: 'a-long-enough-password-1', ...body });
    const made = await make({ username: 'xicheng-leader', role: 'leader', districtId: 'dt01' });
    expect(made.status).toBe(201);
    expect(((await made.json()) as { districtId: string }).districtId).toBe('dt01');
    expect((await make({ username: 'xicheng-unit', role: 'unit', unitId: 'u01', districtId: 'dt01' })).status).toBe(400);
    const unknown = await make({ username: 'nowhere-leader', role: 'leader', districtId: 'dt09' });
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { error: string }).error).toContain('dt09');
  });
});
