import { afterAll, describe, expect, it } from 'vitest';
import { fixtureApp, type Requester } from './fixture';

const fx = await fixtureApp();
afterAll(async () => fx.close());

const TEAM = { name: '一组', start: [115.98, 36.45], budgetS: 4 * 3600 };
const send = (r: Requester, method: string, path: string, body?: unknown) =>
  r.request(path, body === undefined ? { method } : { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

async function planBy(r: Requester): Promise<{ id: string; teams: { stops: { id: string }[] }[] }> {
  const res = await send(r, 'POST', '/api/plans', { date: '2026-03-20', teams: [TEAM], stops: { kinds: ['market'] } });
  expect(res.status).toBe(201);
  return res.json();
}
const edit = (plan: { teams: { stops: { id: string }[] }[] }) => ({ teams: [{ ...TEAM, stops: plan.teams[0].stops.map((s) => ({ id: s.id })) }] });

describe('plans have owners', async () => {
  const inspector = await fx.signedIn('inspector');
  const leader = await fx.signedIn('leader');

  it("lets an inspector read but not change or delete someone else's plan", async () => {
    const leaders = await planBy(leader);
    expect((await inspector.request(`/api/plans/${leaders.id}`)).status).toBe(200);
    const del = await send(inspector, 'DELETE', `/api/plans/${leaders.id}`);
    expect(del.status).toBe(403);
    expect((await del.json()).error).toMatch(/author/);
    expect((await send(inspector, 'PUT', `/api/plans/${leaders.id}`, edit(leaders))).status).toBe(403);
    expect((await send(inspector, 'POST', `/api/plans/${leaders.id}/optimise`, {})).status).toBe(403);
    expect((await leader.request(`/api/plans/${leaders.id}`)).status).toBe(200);
  });

  it('lets the author change their own, and a leader or administrator any', async () => {
    const own = await planBy(inspector);
    expect((await send(inspector, 'PUT', `/api/plans/${own.id}`, edit(own))).status).toBe(200);
    expect((await send(leader, 'PUT', `/api/plans/${own.id}`, edit(own))).status).toBe(200);
    expect((await send(inspector, 'DELETE', `/api/plans/${own.id}`)).status).toBe(204);
    const another = await planBy(inspector);
    expect((await send(fx.app, 'DELETE', `/api/plans/${another.id}`)).status).toBe(204);
    expect((await send(inspector, 'DELETE', `/api/plans/${another.id}`)).status).toBe(404);
  });

  it('tells each caller whether they may change a plan, so the planner page offers only what the server allows', async () => {
    const leaders = await planBy(leader);
    const mine = await planBy(inspector);
    expect(mine).toMatchObject({ mayChange: true });
    expect(await (await inspector.request(`/api/plans/${leaders.id}`)).json()).toMatchObject({ mayChange: false });
    expect(await (await inspector.request(`/api/plans/${mine.id}`)).json()).toMatchObject({ mayChange: true });
    expect(await (await leader.request(`/api/plans/${mine.id}`)).json()).toMatchObject({ mayChange: true });
    const listed = (await (await inspector.request('/api/plans?date=2026-03-20')).json()) as { plans: { id: string; mayChange: boolean }[] };
    expect(listed.plans.find((p) => p.id === leaders.id)?.mayChange).toBe(false);
    expect(listed.plans.find((p) => p.id === mine.id)?.mayChange).toBe(true);
  });
});
