/**
 * `/api/assessment/*`: the catalog in force, 得分率 from stored check results and the problems open at
 * the points, the losses, and a score keeping the catalog version of its day. Figures are worked out by
 * hand from the fixture catalog (tests/fixtures/city-small/catalog/assessment) and the fixture problems.
 */
import { randomUUID } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CatalogResponse, LossesResponse, ReadinessMap, ReadinessResponse, ScoresResponse } from '../../server/contract/assessment';
import { createApp } from '../../server/app';
import { loadCatalog } from '../../server/services/assessment/catalog';
import { as, FIXTURE_DIR, fixtureApp, getJson, NOW, signIn, type Requester } from './fixture';

const fx = await fixtureApp();
const inspector = await fx.signedIn('inspector');
const leader = await fx.signedIn('leader');
const dir = mkdtempSync(join(tmpdir(), 'xuncha-assessment-'));
afterAll(async () => {
  await fx.close();
  rmSync(dir, { recursive: true, force: true });
});

async function post(app: Requester, body: unknown) {
  const res = await app.request('/api/checks', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as any };
}
const check = (pointId: string, at: string, items: unknown[]) => ({ id: randomUUID(), pointId, at, items });

beforeAll(async () => {
  // mk01: zoning passed at the check, but p03 (占道经营, assigned since 03-10) is open → fails (2); the fair
  // scale failed (1); 6 posters ≥ 5 passed (3): 3 of 6. bs01: no garbage at the check, but p07 (暴露垃圾,
  // since 03-18) is open → fails (3); lights 97 % ≥ 95 % passed (2): 2 of 5. cm01 is not checked.
  const made = [
    check('mk01', '2026-03-18T10:00:00+08:00', [
      { itemId: 'market-zoning', result: 'pass' },
      { itemId: 'market-fair-scale', result: 'fail' },
      { itemId: 'market-psa', result: 'pass', value: 6 },
    ]),
    check('bs01', '2026-03-19T09:00:00+08:00', [
      { itemId: 'back-street-garbage', result: 'pass' },
      { itemId: 'back-street-lights', result: 'pass', value: 0.97 },
    ]),
  ];
  for (const b of made) expect((await post(inspector, b)).status).toBe(201);
});

describe('GET /api/assessment/catalog', () => {
  it('gives the version in force with its indicators, point types and rules', async () => {
    const { status, body } = await getJson(leader, '/api/assessment/catalog');
    expect(status).toBe(200);
    expect(CatalogResponse.parse(body)).toBeTruthy();
    expect(body.inForce.version).toBe('fixture-2026.1');
    expect(body.versions).toEqual([{ version: 'fixture-2026.1', name: { zh: '测试目录', en: 'Test catalog' }, effectiveFrom: '2026-01-01' }]);
    expect(body.inForce.pointTypes.map((t: { id: string }) => t.id)).toEqual(['market', 'community', 'back-street']);
    expect((await getJson(leader, '/api/assessment/catalog?date=2026-3-1')).status).toBe(400);
  });
});

describe('GET /api/assessment/scores', () => {
  const window = 'from=2026-03-16&to=2026-03-20';

  it('scores the city: earned over observed points, the unchecked point apart, the estimated score and the week', async () => {
    const { status, body } = await getJson(leader, `/api/assessment/scores?${window}`);
    expect(status).toBe(200);
    expect(ScoresResponse.parse(body)).toBeTruthy();
    expect(body.catalogVersion).toBe('fixture-2026.1');
    expect(body.rows).toEqual([{ key: 'city', name: expect.any(String), scoreRate: 0.454545, earned: 5, possible: 11, lost: 6, checked: 2, unchecked: 1 }]);
    // 20 × (5 × 0 [1.1] + 4 × 1 [2.2] + 6 × 0 [2.1] + 2 × 1 [2.3]) ÷ 17
    expect(body.estimatedScore).toBe(7.06);
    expect(body.trend).toEqual([
      { week: '2026-W12', from: '2026-03-16T00:00:00+08:00', scoreRate: 0.454545, checked: 2, unchecked: 1, catalogVersion: 'fixture-2026.1' },
    ]);
  });

  it('groups by subdistrict, point type, indicator and point', async () => {
    const rows = async (by: string) => (await getJson(leader, `/api/assessment/scores?by=${by}&${window}`)).body.rows;
    // sd01 holds bs01 (2/5) and the unchecked cm01; sd02 holds mk01 (3/6).
    expect((await rows('subdistrict')).map((r: any) => [r.key, r.earned, r.possible, r.checked, r.unchecked])).toEqual([
      ['sd01', 2, 5, 1, 1],
      ['sd02', 3, 6, 1, 0],
    ]);
    expect((await rows('type')).map((r: any) => [r.key, r.scoreRate])).toEqual([
      ['back-street', 0.4],
      ['market', 0.5],
      ['community', null],
    ]);
    expect((await rows('indicator')).map((r: any) => [r.key, r.scoreRate])).toEqual([
      ['1', 0],
      ['1.1', 0],
      ['1.2', null],
      ['2', 0.625],
      ['2.1', 0],
      ['2.2', 1],
      ['2.3', 1],
    ]);
    expect((await rows('point')).map((r: any) => [r.key, r.name])).toEqual([
      ['bs01', '羊市街'],
      ['mk01', '东关农贸市场'],
      ['cm01', '幸福小区'],
    ]);
  });

  it('counts nothing as passed before any check', async () => {
    const { body } = await getJson(leader, '/api/assessment/scores?from=2026-02-01&to=2026-02-28');
    expect(body.rows[0]).toMatchObject({ scoreRate: null, checked: 0, unchecked: 3 });
    expect(body.estimatedScore).toBeNull();
    expect(body.trend.map((t: any) => t.week)).toEqual(['2026-W05', '2026-W06', '2026-W07', '2026-W08', '2026-W09']);
  });

  it('refuses a window that ends before it starts', async () => {
    const r = await getJson(leader, '/api/assessment/scores?from=2026-03-20&to=2026-03-01');
    expect(r.status).toBe(400);
    expect(r.body.error).toMatch(/from must not be after to/);
    expect((await getJson(leader, '/api/assessment/scores?by=street')).status).toBe(400);
  });

  it('is for analysts: a unit account, which sees only its own problems, may read the catalog but not the city’s scores', async () => {
    const unit = await fx.signedIn('unit');
    expect((await getJson(unit, '/api/assessment/scores')).status).toBe(403);
    expect((await getJson(unit, '/api/assessment/losses')).status).toBe(403);
    expect((await getJson(unit, '/api/assessment/catalog')).status).toBe(200);
  });
});

describe('GET /api/assessment/losses', () => {
  it('ranks the failed items by points lost, with the place, its unit and the open problems behind it', async () => {
    const { status, body } = await getJson(leader, '/api/assessment/losses?from=2026-03-16&to=2026-03-20');
    expect(status).toBe(200);
    expect(LossesResponse.parse(body)).toBeTruthy();
    expect(body.lost).toBe(6);
    expect(body.rows.map((r: any) => [r.itemId, r.points, r.failures, r.lost])).toEqual([
      ['back-street-garbage', 3, 1, 3],
      ['market-zoning', 2, 1, 2],
      ['market-fair-scale', 1, 1, 1],
    ]);
    expect(body.rows[1]).toMatchObject({ typeName: '农贸市场', indicatorName: '市容秩序' });
    expect(body.rows[1].places[0]).toMatchObject({ pointId: 'mk01', subdistrictId: 'sd02', unitId: 'u02', failedAtCheck: false, problemIds: ['p03'] });
    expect(body.rows[2].places[0]).toMatchObject({ failedAtCheck: true, problemIds: [] });
    const only = await getJson(leader, '/api/assessment/losses?from=2026-03-16&to=2026-03-20&type=market&limit=1');
    expect(only.body.rows.map((r: any) => r.itemId)).toEqual(['market-zoning']);
  });
});

describe('GET /api/assessment/readiness', () => {
  it('counts points 达标, 未达标 and 超期未查 by type, and lists the points behind, never-visited first', async () => {
    const { status, body } = await getJson(leader, '/api/assessment/readiness?days=7');
    expect(status).toBe(200);
    expect(ReadinessResponse.parse(body)).toBeTruthy();
    // mk01: the fair scale failed and p03 is open; bs01: p07 is open; cm01: never checked.
    expect(body.totals).toEqual({ total: 3, ready: 0, notReady: 2, stale: 1, readyRate: 0 });
    expect(body.rows.map((r: any) => [r.key, r.name, r.notReady, r.stale])).toEqual([
      ['back-street', '背街小巷', 1, 0],
      ['community', '社区/小区', 0, 1],
      ['market', '农贸市场', 1, 0],
    ]);
    const points = (await getJson(leader, '/api/assessment/readiness?days=7&by=point')).body.points;
    expect(points.map((p: any) => [p.key, p.status, p.daysSinceVisit])).toEqual([
      ['cm01', 'stale', null],
      ['mk01', 'not-ready', 2],
      ['bs01', 'not-ready', 1],
    ]);
    expect(points[1]).toMatchObject({ missing: ['market-fair-scale'], openProblems: 2, unitName: expect.any(String) });
    expect((await getJson(leader, '/api/assessment/readiness?days=0')).status).toBe(400);
  });

  it('puts every point on the map at its marker, with its status', async () => {
    const { status, body } = await getJson(leader, '/api/assessment/readiness/map?days=7');
    expect(status).toBe(200);
    expect(ReadinessMap.parse(body)).toBeTruthy();
    const byId = new Map(body.features.map((f: any) => [f.id, f]));
    expect([...byId.keys()].sort()).toEqual(['bs01', 'cm01', 'mk01']);
    expect(byId.get('cm01')).toMatchObject({ properties: { status: 'stale', typeName: '社区/小区', daysSinceVisit: null } });
    expect(byId.get('mk01')).toMatchObject({ properties: { status: 'not-ready', daysSinceVisit: 2 } });
    // The market is a point: drawn where it is; the community at its entrance.
    const layer = async (name: string) => (await getJson(leader, `/api/layers/${name}`)).body.features[0];
    expect((byId.get('mk01') as any).geometry.coordinates).toEqual((await layer('markets')).geometry.coordinates);
    expect((byId.get('cm01') as any).geometry.coordinates).toEqual((await layer('communities')).properties.entrance);
    expect((await getJson(await fx.signedIn('unit'), '/api/assessment/readiness/map')).status).toBe(403);
  });
});

describe('a plan of the places unvisited longest', () => {
  it('takes the never-checked community before the market and the back street checked this week', async () => {
    const res = await inspector.request('/api/plans', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ date: '2026-03-21', teams: [{ name: '一组', start: [115.98, 36.45], budgetS: 4 * 3600 }], stops: { longestUnvisited: 2 } }),
    });
    const plan = (await res.json()) as { teams: { stops: { id: string }[] }[]; dropped: { id: string }[] };
    expect(res.status).toBe(201);
    // cm01 never checked; mk01 checked 03-18, bs01 03-19.
    expect([...plan.teams[0].stops, ...plan.dropped].map((s) => s.id).sort()).toEqual(['cm01', 'mk01']);
  });
});

describe('check results with numbers', () => {
  it('refuses a number on a pass/fail item, a rate over 1, a whole-number count with a fraction and a result the number contradicts', async () => {
    const bad: [unknown, RegExp][] = [
      [{ itemId: 'market-zoning', result: 'pass', value: 3 }, /judged pass or fail; send its result without a value/],
      [{ itemId: 'market-psa', result: 'pass', value: 5.5 }, /counts; send a whole number/],
      [{ itemId: 'market-psa', result: 'pass', value: 3 }, /needs at least 5; 3 makes it fail, not pass/],
      [{ itemId: 'market-psa', result: 'na', value: 3 }, /not applicable/],
    ];
    for (const [item, message] of bad) {
      const r = await post(inspector, check('mk01', '2026-03-20T09:00:00+08:00', [item]));
      expect(r.status, JSON.stringify(r.body)).toBe(400);
      expect(r.body.error).toMatch(message);
    }
    const rate = await post(inspector, check('bs01', '2026-03-20T09:00:00+08:00', [{ itemId: 'back-street-lights', result: 'pass', value: 96 }]));
    expect(rate.body.error).toMatch(/is a rate: send 0.96 for 96 %/);
    const negative = await post(inspector, check('bs01', '2026-03-20T09:00:00+08:00', [{ itemId: 'back-street-lights', result: 'fail', value: -1 }]));
    expect(negative.status).toBe(400);
  });

  it('takes the look-back items of a problem stop', async () => {
    const r = await post(inspector, check('p03', '2026-03-20T09:30:00+08:00', [{ itemId: 'problem-rectified', result: 'fail' }]));
    expect(r.status, JSON.stringify(r.body)).toBe(201);
  });
});

describe('a score keeps the catalog version of its day', () => {
  it('scores a window under the version in force on its last day, and each week under its own', async () => {
    // Version 2 from 03-19 makes the fair scale worth 4: mk01 then scores 3 of 9.
    cpSync(join(FIXTURE_DIR, 'catalog'), dir, { recursive: true });
    const v1 = loadCatalog(join(FIXTURE_DIR, 'catalog')).assessment[0];
    const v2 = structuredClone(v1);
    Object.assign(v2, { version: 'fixture-2026.2', effectiveFrom: '2026-03-19' });
    v2.pointTypes[0].items[1].points = 4;
    writeFileSync(join(dir, 'assessment', 'fixture-2026.2.json'), JSON.stringify(v2));
    const app = as(
      await createApp({ store: fx.store, catalog: loadCatalog(dir), now: () => NOW, clientDir: null }),
      await signIn(fx.store, 'leader', 'u01', NOW),
    );

    const before = (await getJson(app, '/api/assessment/scores?by=point&from=2026-03-16&to=2026-03-18')).body;
    expect(before.catalogVersion).toBe('fixture-2026.1');
    expect(before.rows.find((r: any) => r.key === 'mk01')).toMatchObject({ earned: 3, possible: 6 });
    const after = (await getJson(app, '/api/assessment/scores?by=point&from=2026-03-16&to=2026-03-19')).body;
    expect(after.catalogVersion).toBe('fixture-2026.2');
    expect(after.rows.find((r: any) => r.key === 'mk01')).toMatchObject({ earned: 3, possible: 9 });
    const year = (await getJson(app, '/api/assessment/scores?from=2026-03-09&to=2026-03-20')).body;
    expect(year.trend.map((t: any) => [t.week, t.catalogVersion])).toEqual([
      ['2026-W11', 'fixture-2026.1'],
      ['2026-W12', 'fixture-2026.2'],
    ]);
    // The catalog the app was started with still answers for the earlier day.
    expect((await getJson(app, '/api/assessment/catalog?date=2026-03-18')).body.inForce.version).toBe('fixture-2026.1');
  });
});

describe('the 红黑榜 weighing in the 测评 得分率', async () => {
  const admin = await fx.signedIn('admin');
  const ranked = async () => (await getJson(leader, '/api/rankings?by=subdistrict&from=2026-03-16&to=2026-03-20')).body;
  const put = (who: Requester, body: unknown) =>
    who.request('/api/rankings/weights', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('leaves the composite alone until the administrator sets a weight, then scales it and adds weight × 得分率', async () => {
    expect((await getJson(leader, '/api/rankings/weights')).body).toEqual({ assessment: 0, updatedAt: null });
    const before = await ranked();
    expect(before.weights).toEqual({ assessment: 0 });
    expect(before.rows.every((r: any) => !('assessmentRate' in r))).toBe(true);
    const handling = new Map<string, number>(before.rows.map((r: any) => [r.id, r.score]));

    const res = await put(admin, { assessment: 20 });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ assessment: 20, updatedAt: expect.any(String) });
    const after = await ranked();
    expect(after.weights).toEqual({ assessment: 20 });
    expect(after.formula).toMatch(/^score = 0\.8·\(40·onTimeRate .*\) \+ 20·assessmentRate/);
    // sd01: bs01 2 of 5 (cm01 unchecked is not counted) → 0.4; sd02: mk01 3 of 6 → 0.5 (the scores above).
    const row = (id: string) => after.rows.find((r: any) => r.id === id);
    expect(row('sd01').assessmentRate).toBe(0.4);
    expect(row('sd02').assessmentRate).toBe(0.5);
    for (const id of ['sd01', 'sd02']) expect(row(id).score).toBe(Math.round((handling.get(id)! * 0.8 + 20 * row(id).assessmentRate) * 10) / 10);
    expect(after.rows.map((r: any) => r.score)).toEqual([...after.rows.map((r: any) => r.score)].sort((a: number, b: number) => b - a));
  });

  it('gives a subdistrict none of whose points was checked nothing for that part', async () => {
    const { body } = await getJson(leader, '/api/rankings?by=subdistrict&from=2026-02-01&to=2026-02-28');
    expect(body.rows.map((r: any) => r.assessmentRate)).toEqual([null, null]);
    expect(body.rows.every((r: any) => r.score <= 80)).toBe(true);
  });

  it('takes weights from the administrator only, within 0–50', async () => {
    expect((await put(leader, { assessment: 10 })).status).toBe(403);
    const tooMuch = await put(admin, { assessment: 60 });
    expect(tooMuch.status).toBe(400);
    expect(JSON.stringify(await tooMuch.json())).toMatch(/assessment/);
    expect((await put(admin, { assessment: 0 })).status).toBe(200);
    expect((await ranked()).formula).not.toMatch(/assessmentRate/);
  });
});

describe('GET /api/visits', () => {
  it('counts the check results per place in the period, in the order asked, unknown or unvisited places with 0', async () => {
    const { status, body } = await getJson(leader, '/api/visits?places=bs01,mk01,cm01,nope&from=2026-03-16&to=2026-03-19');
    expect(status).toBe(200);
    expect(body.places).toEqual([
      { id: 'bs01', visits: 1, lastVisitAt: '2026-03-19T09:00:00+08:00' },
      { id: 'mk01', visits: 1, lastVisitAt: '2026-03-18T10:00:00+08:00' },
      { id: 'cm01', visits: 0, lastVisitAt: null },
      { id: 'nope', visits: 0, lastVisitAt: null },
    ]);
    expect((await getJson(leader, '/api/visits?places=bs01&from=2026-03-19T09:00:01&to=2026-03-31')).body.places[0].visits).toBe(0);
  });

  it('says what is wrong with the question', async () => {
    expect((await getJson(leader, '/api/visits?from=2026-03-16&to=2026-03-19')).status).toBe(400);
    expect((await getJson(leader, '/api/visits?places=bs01&from=2026-03-20&to=2026-03-19')).status).toBe(400);
    const many = Array.from({ length: 201 }, (_, i) => `p${i}`).join(',');
    expect((await getJson(leader, `/api/visits?places=${many}&from=2026-03-16&to=2026-03-19`)).status).toBe(400);
  });
});

describe('the packed rows kept between requests', () => {
  it('are read anew after a new check and after a problem changes, never served stale', async () => {
    const cm01 = async () =>
      (await getJson(leader, '/api/assessment/scores?by=point&from=2026-03-16&to=2026-03-20')).body.rows.find((r: any) => r.key === 'cm01');
    expect(await cm01()).toMatchObject({ checked: 0, unchecked: 1 });
    expect(await cm01()).toMatchObject({ checked: 0, unchecked: 1 });
    expect((await post(inspector, check('cm01', '2026-03-20T08:00:00+08:00', [{ itemId: 'community-parking', result: 'pass' }]))).status).toBe(201);
    const after = await cm01();
    expect(after).toMatchObject({ checked: 1, unchecked: 0 });

    // A problem closed at the market: its open problems deducted before, no longer.
    const mk01 = async () =>
      (await getJson(leader, '/api/assessment/scores?by=point&from=2026-03-16&to=2026-03-20')).body.rows.find((r: any) => r.key === 'mk01').earned;
    const before = await mk01();
    const admin = await fx.signedIn('admin');
    const move = (to: string) =>
      admin.request('/api/problems/p03/transitions', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ to, note: '已整改' }),
      });
    expect((await move('rectified')).status).toBe(200);
    expect((await move('closed')).status).toBe(200);
    expect(await mk01()).toBeGreaterThan(before);
  });
});
