/**
 * /api/plans over the fixture city (a cross of two roads: 人民路 along 36.45°N, 建设大道 along
 * 115.98°E; 东关街 r03 and 滨河路 r05 are not connected to it, so the back street 羊市街 bs01 and
 * problems p11, p15 lie off the usable network).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { fixtureApp, getJson } from './fixture';

const fx = await fixtureApp();
afterAll(async () => fx.close());

const CROSSING: [number, number] = [115.98, 36.45];
const TEAM = { name: '一组', start: CROSSING, budgetS: 4 * 3600 };
const TEAM2 = { name: '二组', start: CROSSING, end: [115.985, 36.45], shiftStart: '09:00', budgetS: 3 * 3600 };

function send(method: string, path: string, body?: unknown) {
  return fx.app.request(path, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}
async function post(body: unknown, path = '/api/plans') {
  const res = await send('POST', path, body);
  return { status: res.status, body: (await res.json()) as any };
}
const plan = (over: Record<string, unknown> = {}) => ({ date: '2026-03-20', teams: [TEAM], stops: { kinds: ['market', 'community'] }, ...over });
const ids = (p: any) => p.teams.map((t: any) => t.stops.map((s: any) => s.id));
const secondsOf = (iso: string) => Date.parse(iso) / 1000;

describe('POST /api/plans', () => {
  it('plans, times and draws every served stop, drops the unreachable ones with reasons, and saves the plan', async () => {
    const { status, body } = await post(
      plan({ name: '周五巡查', teams: [TEAM, TEAM2], stops: { kinds: ['market', 'community', 'back-street'], openProblems: true } }),
    );
    expect(status).toBe(201);
    expect(body.id).toMatch(/^pl-/);
    expect(body).toMatchObject({ name: '周五巡查', date: '2026-03-20', profile: 'walk' });
    const served: string[] = ids(body).flat();
    const dropped: string[] = body.dropped.map((d: any) => d.id);
    // Every selected stop is either served once or dropped: places + the 10 problems not closed.
    expect([...served, ...dropped].sort()).toEqual(['bs01', 'cm01', 'mk01', 'p03', 'p04', 'p06', 'p07', 'p08', 'p11', 'p13', 'p14', 'p15', 'p18', 'p20']);
    expect(new Set(served).size).toBe(served.length);
    expect(body.dropped.map((d: any) => [d.id, d.reason])).toEqual([
      ['bs01', 'unsnappable'],
      ['p11', 'unsnappable'],
      ['p15', 'unsnappable'],
    ]);
    expect(body.dropped[0].reasonText.zh).toContain('500 米');
    expect(body.dropped[0].reasonText.en).toContain('500 m');
    for (const t of body.teams) {
      expect(t.startAt).toBe(`2026-03-20T${t.shiftStart}:00+08:00`);
      let prevDeparture = secondsOf(t.startAt);
      t.stops.forEach((s: any, i: number) => {
        expect(s.seq).toBe(i + 1);
        expect(s.arrival).toMatch(/^2026-03-20T\d{2}:\d{2}:\d{2}\+08:00$/);
        expect(secondsOf(s.arrival)).toBe(prevDeparture + s.travelS);
        expect(secondsOf(s.departure)).toBe(secondsOf(s.start) + s.dwellS);
        expect(s.lateS).toBe(0);
        prevDeparture = secondsOf(s.departure);
      });
      expect(t.durationS).toBeLessThanOrEqual(t.budgetS);
      expect(t.overBudgetS).toBe(0);
      expect(t.travelS).toBe(t.stops.reduce((a: number, s: any) => a + s.travelS, 0) + (t.end ? secondsOf(t.endAt) - prevDeparture : 0));
      if (t.stops.length > 0) {
        expect(t.geometry.type).toBe('LineString');
        expect(t.geometry.coordinates[0]).toEqual(CROSSING);
      }
    }
    // A team that ends at the office: its line ends on the street at the office.
    const withEnd = body.teams[1];
    if (withEnd.stops.length > 0) expect(withEnd.geometry.coordinates.at(-1)).toEqual([115.985, 36.45]);
    expect(body.totals).toMatchObject({ stops: 14, served: served.length, dropped: 3, violations: 0 });
    expect(body.totals.travelS).toBe(body.teams.reduce((a: number, t: any) => a + t.travelS, 0));
    expect(body.timing.totalMs).toBeGreaterThan(0);

    const got = await getJson(fx.app, `/api/plans/${body.id}`);
    expect(got.status).toBe(200);
    expect(got.body).toEqual(body);
    const list = await getJson(fx.app, '/api/plans?date=2026-03-20');
    expect(list.body.plans.map((p: any) => p.id)).toContain(body.id);
    expect((await getJson(fx.app, '/api/plans?date=2026-03-21')).body.plans).toEqual([]);
  });

  it('walks a stop in the dwell given per kind and takes the defaults otherwise', async () => {
    const { body } = await post(plan({ dwell: { market: 60 } }));
    const stops = body.teams[0].stops;
    expect(stops.find((s: any) => s.id === 'mk01').dwellS).toBe(60);
    expect(stops.find((s: any) => s.id === 'cm01').dwellS).toBe(1200);
  });

  it('drops a market whose busy-hours window no team can reach, with the reason', async () => {
    const { status, body } = await post(plan({ windows: { market: [{ start: '06:00', end: '07:00' }] } }));
    expect(status).toBe(201);
    expect(body.dropped.map((d: any) => [d.id, d.reason])).toEqual([['mk01', 'window-unreachable']]);
    const reachable = await post(plan({ teams: [{ ...TEAM, shiftStart: '06:00' }], windows: { market: [{ start: '06:00', end: '09:00' }] } }));
    const mk = reachable.body.teams[0].stops.find((s: any) => s.id === 'mk01');
    expect(mk.windows).toEqual([{ start: '06:00', end: '09:00' }]);
    expect(mk.start >= '2026-03-20T06:00:00+08:00' && mk.start <= '2026-03-20T09:00:00+08:00').toBe(true);
  });

  it('gives single stops their own windows over the per-kind ones', async () => {
    const { body } = await post(
      plan({ windows: { market: [{ start: '06:00', end: '07:00' }] }, stopWindows: { mk01: [{ start: '10:00', end: '10:30' }], nope: [] } }),
    );
    const mk = body.teams[0].stops.find((s: any) => s.id === 'mk01');
    expect(mk.windows).toEqual([{ start: '10:00', end: '10:30' }]);
    expect(mk.start >= '2026-03-20T10:00:00+08:00' && mk.start <= '2026-03-20T10:30:00+08:00').toBe(true);
  });

  it('answers an impossible budget with a plan where everything is dropped, not an error', async () => {
    const { status, body } = await post(plan({ teams: [{ ...TEAM, budgetS: 60 }] }));
    expect(status).toBe(201);
    expect(body.totals.served).toBe(0);
    expect(body.teams[0].stops).toEqual([]);
    expect(body.teams[0].geometry).toBeNull();
    expect(body.dropped.map((d: any) => [d.id, d.reason]).sort()).toEqual([
      ['cm01', 'over-budget'],
      ['mk01', 'over-budget'],
    ]);
  });

  it('drops the least valuable stops when the budget is short: an overdue problem outranks a place', async () => {
    const { body } = await post(plan({ teams: [{ ...TEAM, budgetS: 20 * 60 }], stops: { ids: ['cm01', 'p08'] } }));
    expect(ids(body)).toEqual([['p08']]);
    expect(body.dropped.map((d: any) => [d.id, d.reason])).toEqual([['cm01', 'over-budget']]);
  });

  it('selects by id, kind, subdistrict, polygon, open or overdue problems and recurring hotspots', async () => {
    const pick = async (stops: unknown) => {
      const { status, body } = await post(plan({ stops }));
      expect(status).toBe(201);
      return [...ids(body).flat(), ...body.dropped.map((d: any) => d.id)].sort();
    };
    expect(await pick({ ids: ['p04', 'mk01'] })).toEqual(['mk01', 'p04']);
    expect(await pick({ kinds: ['community'] })).toEqual(['cm01']);
    expect(await pick({ openProblems: 'overdue' })).toEqual(['p03', 'p08', 'p14']);
    expect(await pick({ openProblems: 'overdue', subdistricts: ['sd01'] })).toEqual(['p08']);
    expect(await pick({ subdistricts: ['sd02'] })).toEqual(['mk01']);
    expect(await pick({ recurringHotspots: 5 })).toEqual(['mk01']);
    // Look-backs due: the rectified problems, the workflow's stop source for the planner.
    expect(await pick({ lookBacks: true })).toEqual(['p06', 'p15', 'p20']);
    // The east half of the city: only what lies east of 115.98°E.
    const east = {
      type: 'Polygon',
      coordinates: [
        [
          [115.9805, 36.44],
          [115.99, 36.44],
          [115.99, 36.46],
          [115.9805, 36.46],
          [115.9805, 36.44],
        ],
      ],
    };
    expect(await pick({ openProblems: true, polygon: east })).toEqual(['p03', 'p04', 'p11', 'p14', 'p15', 'p18']);
    // ids are always included, filters or not.
    expect(await pick({ ids: ['cm01'], subdistricts: ['sd02'], kinds: ['market'] })).toEqual(['cm01', 'mk01']);
  });

  it('draws the same 暗访 sample for the same seed, and N of them', async () => {
    const a = await post(plan({ stops: { openProblems: true, sample: { n: 4, seed: 7 } } }));
    const b = await post(plan({ stops: { openProblems: true, sample: { n: 4, seed: 7 } } }));
    const all = (p: any) => [...ids(p).flat(), ...p.dropped.map((d: any) => d.id)].sort();
    expect(all(a.body)).toHaveLength(4);
    expect(all(b.body)).toEqual(all(a.body));
  });

  it('refuses bad input with 400 and the field to fix', async () => {
    const bad = async (body: unknown, path: string) => {
      const r = await post(body);
      expect(r.status, JSON.stringify(r.body)).toBe(400);
      expect(r.body.details.map((d: any) => d.path)).toContain(path);
      expect(r.body.error).toMatch(/Invalid|Unknown/);
    };
    await bad(plan({ date: '2026-02-30' }), 'json.date');
    await bad(plan({ profile: 'boat' }), 'json.profile');
    await bad(plan({ teams: [] }), 'json.teams');
    await bad(plan({ teams: [{ ...TEAM, shiftStart: '8:30' }] }), 'json.teams.0.shiftStart');
    await bad(plan({ teams: [{ ...TEAM, start: [200, 36] }] }), 'json.teams.0.start.0');
    await bad(plan({ teams: [{ ...TEAM, budgetS: -5 }] }), 'json.teams.0.budgetS');
    await bad(plan({ dwell: { market: -1 } }), 'json.dwell.market');
    await bad(plan({ windows: { market: [{ start: '09:00', end: '06:00' }] } }), 'json.windows.market.0');
    await bad(plan({ stops: { sample: { n: 0 } } }), 'json.stops.sample.n');
    await bad(plan({ stops: { ids: ['mk01', 'nope'] } }), 'json.stops.ids.1');
    const bowTie = {
      type: 'Polygon',
      coordinates: [
        [
          [115.97, 36.44],
          [115.99, 36.46],
          [115.99, 36.44],
          [115.97, 36.46],
          [115.97, 36.44],
        ],
      ],
    };
    await bad(plan({ stops: { polygon: bowTie } }), 'json.stops.polygon');
    const ring: number[][] = [];
    for (let i = 0; i < 1200; i++) ring.push([115.98 + 0.01 * Math.cos((i / 1200) * 2 * Math.PI), 36.45 + 0.01 * Math.sin((i / 1200) * 2 * Math.PI)]);
    ring.push(ring[0]);
    await bad(plan({ stops: { polygon: { type: 'Polygon', coordinates: [ring] } } }), 'json.stops.polygon');
    const notJson = await fx.app.request('/api/plans', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' });
    expect(notJson.status).toBe(400);
  });

  it('answers 422 for a selection with no stops and for a team starting off the road network', async () => {
    const none = await post(plan({ stops: { subdistricts: ['sd-none'] } }));
    expect(none.status).toBe(422);
    expect(none.body.error).toContain('no stops');
    expect((await post(plan({ stops: {} }))).status).toBe(422);
    const far = await post(plan({ teams: [{ ...TEAM, start: [115.93, 36.45] }] }));
    expect(far.status).toBe(422);
    expect(far.body.error).toContain('一组');
    expect(fx.errors).toEqual([]);
  });
});

describe('editing a saved plan', () => {
  it('re-times moved stops as given, shows what broke, drops what was left out, and saves it', async () => {
    const made = (await post(plan({ teams: [TEAM, TEAM2], stops: { ids: ['mk01', 'cm01', 'p03', 'p08'] } }))).body;
    const all = ['p08', 'mk01', 'cm01'];
    const edit = {
      name: '改过的',
      teams: [
        { ...TEAM, stops: [{ id: 'p08' }, { id: 'mk01', locked: true }] },
        { ...TEAM2, budgetS: 600, stops: [{ id: 'cm01' }] },
      ],
    };
    const res = await send('PUT', `/api/plans/${made.id}`, edit);
    expect(res.status).toBe(200);
    const body: any = await res.json();
    expect(body.name).toBe('改过的');
    expect(ids(body)).toEqual([['p08', 'mk01'], ['cm01']]);
    expect(body.teams[0].stops[1].locked).toBe(true);
    expect(body.teams[1].overBudgetS).toBeGreaterThan(0);
    expect(body.totals.violations).toBeGreaterThanOrEqual(1);
    expect(body.dropped.map((d: any) => [d.id, d.reason])).toEqual([['p03', 'removed']]);
    expect(ids(body).flat().sort()).toEqual([...all].sort());
    expect((await getJson(fx.app, `/api/plans/${made.id}`)).body).toEqual(body);

    // Re-optimise keeps the lock: mk01 stays with team 0, the removed stop comes back.
    const opt = await send('POST', `/api/plans/${made.id}/optimise`, {});
    expect(opt.status).toBe(200);
    const optimised: any = await opt.json();
    expect(optimised.teams[0].stops.map((s: any) => s.id)).toContain('mk01');
    expect(optimised.teams[0].stops.find((s: any) => s.id === 'mk01').locked).toBe(true);
    expect([...ids(optimised).flat(), ...optimised.dropped.map((d: any) => d.id)].sort()).toEqual(['cm01', 'mk01', 'p03', 'p08']);
  });

  it('marks a stop that arrives after its window as late instead of refusing the edit', async () => {
    const made = (
      await post(plan({ teams: [{ ...TEAM, shiftStart: '06:00' }], windows: { market: [{ start: '06:00', end: '06:30' }] }, stops: { ids: ['mk01', 'cm01'] } }))
    ).body;
    expect(ids(made)).toEqual([['mk01', 'cm01']]);
    const res = await send('PUT', `/api/plans/${made.id}`, { teams: [{ ...TEAM, shiftStart: '06:00', stops: [{ id: 'cm01' }, { id: 'mk01' }] }] });
    const body: any = await res.json();
    expect(res.status).toBe(200);
    expect(body.teams[0].stops[1].lateS).toBeGreaterThan(0);
    expect(body.totals.violations).toBe(1);
  });

  it('refuses stops the plan does not hold or gives twice, and unknown plans', async () => {
    const made = (await post(plan())).body;
    const bad = await send('PUT', `/api/plans/${made.id}`, { teams: [{ ...TEAM, stops: [{ id: 'mk01' }, { id: 'p99' }] }] });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as any).details[0].path).toBe('json.teams.0.stops.1.id');
    const twice = await send('PUT', `/api/plans/${made.id}`, {
      teams: [
        { ...TEAM, stops: [{ id: 'mk01' }] },
        { ...TEAM2, stops: [{ id: 'mk01' }] },
      ],
    });
    expect(twice.status).toBe(400);
    expect((await send('PUT', '/api/plans/pl-none', { teams: [{ ...TEAM, stops: [] }] })).status).toBe(404);
    expect((await send('POST', '/api/plans/pl-none/optimise', {})).status).toBe(404);
    expect((await getJson(fx.app, '/api/plans/pl-none')).status).toBe(404);
  });

  it('deletes a plan once', async () => {
    const made = (await post(plan())).body;
    expect((await send('DELETE', `/api/plans/${made.id}`)).status).toBe(204);
    expect((await getJson(fx.app, `/api/plans/${made.id}`)).status).toBe(404);
    expect((await send('DELETE', `/api/plans/${made.id}`)).status).toBe(404);
  });
});

describe('exports', () => {
  it('GPX 1.1 with a track per team along its route and a waypoint per stop, start and end', async () => {
    const made = (await post(plan({ teams: [TEAM, TEAM2], stops: { ids: ['mk01', 'cm01', 'p08', 'p14'] } }))).body;
    const res = await fx.app.request(`/api/plans/${made.id}.gpx`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/gpx+xml');
    const gpx = await res.text();
    expect(gpx).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<gpx version="1.1"/);
    expect(gpx).toContain('xmlns="http://www.topografix.com/GPX/1/1"');
    const served = made.teams.flatMap((t: any) => t.stops);
    // A waypoint per stop, and one per team start and end (3 here: TEAM2 has an end).
    expect(gpx.match(/<wpt /g)).toHaveLength(served.length + 3);
    expect(gpx.match(/<type>(start|end)<\/type>/g)).toHaveLength(3);
    const used = made.teams.filter((t: any) => t.geometry);
    expect(gpx.match(/<trk>/g)).toHaveLength(used.length);
    expect(gpx.match(/<trkpt /g)).toHaveLength(used.reduce((a: number, t: any) => a + t.geometry.coordinates.length, 0));
    expect(gpx).toContain(`<name>${made.teams[0].name} 1. ${made.teams[0].stops[0].name}</name>`);
  });

  it('GeoJSON with routes, numbered stops and dropped stops', async () => {
    const made = (await post(plan({ stops: { ids: ['mk01', 'bs01'] } }))).body;
    const res = await fx.app.request(`/api/plans/${made.id}.geojson`);
    expect(res.headers.get('content-type')).toContain('application/geo+json');
    const fc: any = await res.json();
    expect(fc.type).toBe('FeatureCollection');
    expect(fc.features.map((f: any) => [f.properties.role, f.geometry.type])).toEqual([
      ['route', 'LineString'],
      ['stop', 'Point'],
      ['dropped', 'Point'],
    ]);
    expect(fc.features[1].properties).toMatchObject({ id: 'mk01', seq: 1, team: '一组' });
    expect(fc.features[2].properties).toMatchObject({ id: 'bs01', reason: 'unsnappable' });
    expect((await fx.app.request('/api/plans/pl-none.gpx')).status).toBe(404);
  });

  it('the task sheet: the plan and the catalog check items per stop kind', async () => {
    const made = (await post(plan())).body;
    const { status, body } = await getJson(fx.app, `/api/plans/${made.id}/sheet`);
    expect(status).toBe(200);
    expect(body.plan.id).toBe(made.id);
    expect(body.checkItems.market[0]).toEqual({
      id: 'market-zoning',
      zh: '划行归市',
      en: 'Stalls grouped by trade',
      category: 'occupy-road',
      rule: { kind: 'pass-fail' },
    });
    expect(body.checkItems.market[2]).toMatchObject({ id: 'market-psa', rule: { kind: 'count', min: 5 } });
    expect(body.checkItems.problem.map((i: { id: string }) => i.id)).toEqual(['problem-rectified', 'problem-not-back', 'problem-photo']);
  });

  it('is in the OpenAPI document', async () => {
    const { body } = await getJson(fx.app, '/api/openapi.json');
    expect(Object.keys(body.paths['/api/plans'])).toEqual(['post', 'get']);
    expect(Object.keys(body.paths['/api/plans/{id}']).sort()).toEqual(['delete', 'get', 'put']);
    expect(body.paths['/api/plans/{id}/optimise'].post.requestBody).toBeDefined();
    expect(body.paths['/api/plans'].post.requestBody.content['application/json'].schema).toBeDefined();
  });
});

describe('named starts and ends (issue 18 item 6)', () => {
  it('GET /api/places/spot-name names a clicked spot by the unit office or point at it, else the street it is by, else null', async () => {
    const name = async (lng: number, lat: number) => (await getJson(fx.app, `/api/places/spot-name?lng=${lng}&lat=${lat}`)).body;
    expect(await name(115.9752, 36.4511)).toEqual({ name: '西城街道城管中队', source: 'unit' });
    expect(await name(115.9841, 36.4481)).toEqual({ name: '东关农贸市场', source: 'place' });
    expect(await name(115.977, 36.4503)).toEqual({ name: '人民路附近', source: 'street' });
    expect(await name(115.99, 36.46)).toEqual({ name: null, source: null });
    expect((await getJson(fx.app, '/api/places/spot-name?lng=east&lat=36.45')).status).toBe(400);
  });

  it('a plan keeps the names given, names the unnamed by what is there, and the GPX and the task sheet say them', async () => {
    const { status, body } = await post(
      plan({
        teams: [
          { ...TEAM, start: [115.975, 36.451], startName: '创文办', end: [115.9841, 36.4481] },
          { ...TEAM2, start: [115.977, 36.4503], end: null },
        ],
      }),
    );
    expect(status, JSON.stringify(body)).toBe(201);
    expect(body.teams.map((t: any) => [t.startName, t.endName])).toEqual([
      ['创文办', '东关农贸市场'],
      ['人民路附近', null],
    ]);
    const gpx = await (await fx.app.request(`/api/plans/${body.id}.gpx`)).text();
    expect(gpx).toContain('<name>一组 起点 创文办</name>');
    expect(gpx).toContain('<name>一组 终点 东关农贸市场</name>');
    expect(gpx).toContain('<name>二组 起点 人民路附近</name>');
    // Saved with the plan: an edit that does not move them keeps them.
    const sheet = await getJson(fx.app, `/api/plans/${body.id}/sheet`);
    expect(sheet.body.plan.teams[0].startName).toBe('创文办');
  });
});
