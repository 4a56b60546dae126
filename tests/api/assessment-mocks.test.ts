/**
 * `/api/assessment/mocks`: a mock over the fixture city (one market, one community, one back street):
 * the draw and its plan (羊市街 bs01 is off the network by design, so the plan drops it), the bad quotas,
 * walking the planned stops (items failing at the check and through problems left open), the mock
 * finishing by itself with its report, the dropped point 未检查, and the failures becoming problems
 * for their units. Scores are worked out by hand from the fixture catalog.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { Mock } from '../../server/contract/assessment-mocks';
import { fixtureApp, getJson, type Requester } from './fixture';

const fx = await fixtureApp();
const inspector = await fx.signedIn('inspector');
const unit = await fx.signedIn('unit');
afterAll(async () => fx.close());

async function send(app: Requester, method: string, path: string, body?: unknown) {
  const res = await app.request(path, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as any };
}
const TEAMS = [{ name: '一组', members: ['张三', '李四'] }];

describe('POST /api/assessment/mocks', () => {
  it('refuses a quota above the points there are, an unknown type, and all zeros', async () => {
    const over = await send(fx.app, 'POST', '/api/assessment/mocks', { date: '2026-03-21', teams: TEAMS, quotas: { market: 2 } });
    expect(over.status).toBe(400);
    expect(over.body.error).toMatch(/only 1 points of type 农贸市场 \(market\)/);
    expect(over.body.details[0].path).toBe('json.quotas.market');
    const unknown = await send(fx.app, 'POST', '/api/assessment/mocks', { date: '2026-03-21', teams: TEAMS, quotas: { 'bus-stop': 1 } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toMatch(/no point type "bus-stop"/);
    const none = await send(fx.app, 'POST', '/api/assessment/mocks', {
      date: '2026-03-21',
      teams: TEAMS,
      quotas: { market: 0, community: 0, 'back-street': 0 },
    });
    expect(none.status).toBe(400);
    expect(none.body.error).toMatch(/nothing to draw/);
    const lone = await send(fx.app, 'POST', '/api/assessment/mocks', { date: '2026-03-21', teams: [{ name: '一组', members: ['张三'] }] });
    expect(lone.status).toBe(400);
  });

  it('is not for a responsible unit', async () => {
    expect((await send(unit, 'POST', '/api/assessment/mocks', { date: '2026-03-21', teams: TEAMS })).status).toBe(403);
    expect((await getJson(unit, '/api/assessment/mocks')).status).toBe(403);
  });
});

describe('a mock walked to the end', () => {
  let mock: Mock;

  it('draws the catalog quotas (capped at what there is) with the seed recorded, and plans them', async () => {
    const { status, body } = await send(inspector, 'POST', '/api/assessment/mocks', { date: '2026-03-21', teams: TEAMS, seed: 42 });
    expect(status).toBe(201);
    mock = Mock.parse(body);
    expect(mock.seed).toBe(42);
    expect(mock.catalogVersion).toBe('fixture-2026.1');
    expect(mock.quotas.map((q) => [q.typeId, q.quota, q.available])).toEqual([
      ['market', 1, 1],
      ['community', 1, 1],
      ['back-street', 1, 1],
    ]);
    expect(mock.points.map((p) => p.id).sort()).toEqual(['bs01', 'cm01', 'mk01']);
    expect(mock.points.map((p) => [p.id, p.team, p.checkedAt]).sort()).toEqual([
      ['bs01', null, null],
      ['cm01', 0, null],
      ['mk01', 0, null],
    ]);
    expect(mock.status).toBe('in-progress');
    expect(mock.progress).toEqual({ points: 3, planned: 2, checked: 0 });
    const plan = await getJson(inspector, `/api/plans/${mock.planId}`);
    expect(plan.status).toBe(200);
    expect(plan.body.date).toBe('2026-03-21');
    expect(plan.body.teams[0].stops.map((s: { id: string }) => s.id).sort()).toEqual(['cm01', 'mk01']);
    expect(plan.body.dropped.map((s: { id: string; reason: string }) => [s.id, s.reason])).toEqual([['bs01', 'unsnappable']]);
    const again = await send(inspector, 'POST', '/api/assessment/mocks', { date: '2026-03-22', teams: TEAMS, seed: 42 });
    expect(again.body.points).toEqual(body.points);
  });

  it('has no report before its last stop', async () => {
    const res = await inspector.request(`/api/assessment/mocks/${mock.id}/report`);
    expect(res.status).toBe(409);
    expect(((await res.json()) as { error: string }).error).toMatch(/0 of 2 points checked/);
  });

  it('finishes when the last stop is checked: the report, and a problem per failure nobody reported', async () => {
    const check = (pointId: string, items: unknown[]) => ({ id: randomUUID(), planId: mock.planId, pointId, at: '2026-03-21T09:00:00+08:00', items });
    // mk01: zoning passed but p03 (占道经营) is open → fails (2, already a problem); fair scale failed (1, no
    // category: no problem); 6 posters ≥ 5 (3). cm01: parking failed (2) → a new problem for u01. bs01 was
    // dropped: 未检查. Earned 3 + 0 of 6 + 2: 0.375.
    // p08 (乱停乱放 at cm01) is rectified and closed first, so the parking failure below has no problem behind it yet.
    for (const step of [
      { to: 'rectified', note: '已清理' },
      { to: 'closed', note: '复查合格' },
    ])
      expect((await send(fx.app, 'POST', '/api/problems/p08/transitions', step)).status).toBe(200);
    const checks = [
      check('mk01', [
        { itemId: 'market-zoning', result: 'pass' },
        { itemId: 'market-fair-scale', result: 'fail' },
        { itemId: 'market-psa', result: 'pass', value: 6 },
      ]),
      check('cm01', [{ itemId: 'community-parking', result: 'fail' }]),
    ];
    expect((await send(inspector, 'POST', '/api/checks', checks[0])).status).toBe(201);
    const half = (await getJson(inspector, `/api/assessment/mocks/${mock.id}`)).body;
    expect(half).toMatchObject({ status: 'in-progress', progress: { points: 3, planned: 2, checked: 1 } });
    expect((await send(inspector, 'POST', '/api/checks', checks[1])).status).toBe(201);

    const done = Mock.parse((await getJson(inspector, `/api/assessment/mocks/${mock.id}`)).body);
    expect(done.status).toBe('done');
    const r = done.report!;
    expect(r.catalogVersion).toBe('fixture-2026.1');
    expect(r.checked).toBe(2);
    expect(r.unchecked).toBe(1);
    expect(r.scoreRate).toBe(0.375);
    expect(r.lost).toBe(5);
    expect(r.deductions.map((d) => [d.itemId, d.lost])).toEqual([
      ['community-parking', 2],
      ['market-zoning', 2],
      ['market-fair-scale', 1],
    ]);
    expect(r.byType.map((t) => [t.key, t.earned, t.possible, t.unchecked])).toEqual([
      ['community', 0, 2, 0],
      ['market', 3, 6, 0],
      ['back-street', 0, 0, 1],
    ]);
    const made = r.problems.filter((p) => p.created);
    expect(made.map((p) => [p.itemId, p.pointId])).toEqual([['community-parking', 'cm01']]);
    expect(r.problems.filter((p) => !p.created).map((p) => [p.itemId, p.id])).toEqual([['market-zoning', 'p03']]);
    const problem = await getJson(fx.app, `/api/problems/${made[0].id}`);
    expect(problem.body.properties).toMatchObject({ category: 'disorderly-parking', status: 'assigned', unitId: 'u01', placeId: 'cm01' });
    expect(problem.body.properties.deadline).toBeTruthy();

    const list = await getJson(inspector, '/api/assessment/mocks');
    expect(list.body.mocks.find((m: { id: string }) => m.id === mock.id)).toMatchObject({ status: 'done', scoreRate: 0.375 });
    expect((await send(fx.app, 'POST', `/api/assessment/mocks/${mock.id}/finish`)).status).toBe(409);
  });

  it('prints its report and gives it as a workbook', async () => {
    const html = await inspector.request(`/api/assessment/mocks/${mock.id}/report`);
    expect(html.status).toBe(200);
    const text = await html.text();
    expect(text).toContain('模拟测评报告');
    expect(text).toContain('37.5%');
    expect(text).toContain('张三、李四');
    const xlsx = await inspector.request(`/api/assessment/mocks/${mock.id}/report.xlsx`);
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers.get('content-type')).toMatch(/spreadsheetml/);
    const bytes = new Uint8Array(await xlsx.arrayBuffer());
    expect([bytes[0], bytes[1]]).toEqual([0x50, 0x4b]);
  });

  it('is finished early by the clerk, what was not walked 未检查, and compared with the one before', async () => {
    const second = await send(inspector, 'POST', '/api/assessment/mocks', {
      date: '2026-03-23',
      teams: TEAMS,
      seed: 7,
      quotas: { community: 0, 'back-street': 0 },
    });
    expect(second.status).toBe(201);
    const fin = await send(inspector, 'POST', `/api/assessment/mocks/${second.body.id}/finish`);
    expect(fin.status).toBe(200);
    const r = Mock.parse(fin.body).report!;
    expect(r.checked).toBe(0);
    expect(r.unchecked).toBe(1);
    expect(r.scoreRate).toBeNull();
    expect(r.previous).toMatchObject({ id: mock.id, scoreRate: 0.375 });
  });
});
