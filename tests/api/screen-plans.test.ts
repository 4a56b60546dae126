/** GET /api/screen/routes-today over the fixture city (NOW is 2026-03-20 12:00 +08:00). */
import { afterAll, describe, expect, it } from 'vitest';
import { ScreenPlans } from '../../server/contract/screen-plans';
import { fixtureApp, getJson } from './fixture';

const fx = await fixtureApp();
afterAll(async () => fx.close());

const CROSSING: [number, number] = [115.98, 36.45];

async function savePlan(date: string, name: string) {
  const res = await fx.app.request('/api/plans', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ date, name, teams: [{ name: '一组', start: CROSSING, budgetS: 4 * 3600 }], stops: { kinds: ['market', 'community'] } }),
  });
  expect(res.status).toBe(201);
  return (await res.json()) as any;
}

describe('GET /api/screen/routes-today', () => {
  it('is empty without plans for today', async () => {
    const { status, body } = await getJson(fx.app, '/api/screen/routes-today');
    expect(status).toBe(200);
    expect(body).toEqual({ date: '2026-03-20', teams: [] });
  });

  it("gives today's teams with their colour, route line and stop times, and only today's", async () => {
    const today = await savePlan('2026-03-20', '今天');
    await savePlan('2026-03-21', '明天');
    const issued = await fx.app.request('/api/screen-tokens', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: '会议室大屏' }),
    });
    const token = ((await issued.json()) as { secret: string }).secret;
    // As the wall PC asks: with its screen token, which may not read the plans themselves.
    expect((await fx.raw.request(`/api/plans?screen_token=${token}`)).status).toBe(403);
    const { status, body } = await getJson(fx.raw, `/api/screen/routes-today?screen_token=${token}`);
    expect(status).toBe(200);
    const routes = ScreenPlans.parse(body);
    const team = today.teams[0];
    expect(routes.teams).toHaveLength(1);
    expect(routes.teams[0]).toMatchObject({
      planId: today.id,
      name: '一组',
      color: team.color,
      startAt: team.startAt,
      endAt: team.endAt,
      geometry: team.geometry,
    });
    expect(routes.teams[0].stops.map((s) => [s.arrival, s.departure])).toEqual(team.stops.map((s: any) => [s.arrival, s.departure]));
  });

  it('is for the screen and the people who may see the city, not a unit', async () => {
    expect((await (await fx.signedIn('unit')).request('/api/screen/routes-today')).status).toBe(403);
    expect((await fx.raw.request('/api/screen/routes-today')).status).toBe(401);
  });
});
