import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { CalendarYearOut } from '../../server/contract/calendar';
import { loadCatalog } from '../../server/services/assessment/catalog';
import { fixtureApp, getJson, type Requester } from './fixture';

// The shipped catalog's calendars under the fixture city, whose exposed-garbage and small-ads limits become 3 工作日.
const shipped = loadCatalog(fileURLToPath(new URL('../../data/catalog', import.meta.url)));
const fx = await fixtureApp({
  nowMs: Date.parse('2026-09-30T10:00:00+08:00'),
  catalog: (c) => ({
    ...c,
    calendars: shipped.calendars,
    categories: c.categories.map((k) => (k.id === 'exposed-garbage' || k.id === 'small-ads' ? { ...k, deadline: { amount: 3, unit: 'workday' as const } } : k)),
  }),
});
afterAll(async () => fx.close());

const send = async (method: string, path: string, body?: unknown, app: Requester = fx.app) => {
  const res = await app.request(path, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as any };
};

describe('GET /api/calendar/:year', () => {
  it('answers the shipped 2026 calendar with its working days', async () => {
    const { status, body } = await getJson(fx.app, '/api/calendar/2026');
    expect(status).toBe(200);
    expect(CalendarYearOut.parse(body)).toEqual(body);
    // 261 weekdays, 19 of them holidays, 6 weekend days worked.
    expect(body).toMatchObject({ year: 2026, origin: 'shipped', workingDays: 248, updatedAt: null });
    expect(body.holidays).toHaveLength(33);
  });

  it('answers weekends only for a year nobody entered, and 400s a year that is no year', async () => {
    expect((await getJson(fx.app, '/api/calendar/2031')).body).toMatchObject({ origin: 'none', holidays: [], workdays: [], workingDays: 261 });
    const bad = await getJson(fx.app, '/api/calendar/26');
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatch(/four digits/);
  });

  it('is read by every signed-in role, and set by the administrator only', async () => {
    expect((await getJson(await fx.signedIn('unit'), '/api/calendar/2026')).status).toBe(200);
    expect((await send('PUT', '/api/calendar/2027', { holidays: [], workdays: [] }, await fx.signedIn('leader'))).status).toBe(403);
  });
});

describe('PUT /api/calendar/:year', () => {
  it('refuses a day listed as both holiday and working day, naming it, and stores nothing', async () => {
    const { status, body } = await send('PUT', '/api/calendar/2027', {
      holidays: [{ date: '2027-02-06', name: '春节' }],
      workdays: [{ date: '2027-02-06', name: '春节调休' }],
    });
    expect(status).toBe(400);
    expect(body.error).toMatch(/2027-02-06/);
    expect(body.details).toEqual([{ path: 'json.workdays.0.date', message: expect.stringMatching(/both as a holiday and as a working day/) }]);
    expect((await getJson(fx.app, '/api/calendar/2027')).body.origin).toBe('none');
  });

  it('stores the administrator’s year over the shipped one; DELETE goes back to it', async () => {
    const put = await send('PUT', '/api/calendar/2026', { holidays: [{ date: '2026-10-08', name: '试' }], workdays: [], source: 'test' });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({
      origin: 'edited',
      workingDays: 260,
      source: 'test',
      workHours: [
        ['08:30', '12:00'],
        ['14:00', '17:30'],
      ],
    });
    expect(put.body.updatedAt).not.toBeNull();
    const back = await send('DELETE', '/api/calendar/2026');
    expect(back.body).toMatchObject({ origin: 'shipped', workingDays: 248 });
  });
});

describe('deadlines through the calendar', () => {
  it('gives a case assigned the day before the National Day week 3 工作日: due on the 调休 Saturday 10-10', async () => {
    const res = await send('POST', '/api/problems/p04/transitions', { to: 'assigned', note: '请清运' });
    expect(res.status).toBe(200);
    expect((await getJson(fx.app, '/api/problems/p04')).body.properties).toMatchObject({
      assignedAt: '2026-09-30T10:00:00+08:00',
      deadline: '2026-10-10T10:00:00+08:00',
    });
  });

  it('follows the administrator’s calendar for deadlines set after the change', async () => {
    // Declaring 10-08 off as well pushes the third working day to Monday 10-12.
    const y = shipped.calendars.find((c) => c.year === 2026)!;
    const put = await send('PUT', '/api/calendar/2026', { holidays: [...y.holidays, { date: '2026-10-08', name: '试' }], workdays: y.workdays });
    expect(put.status).toBe(200);
    await send('POST', '/api/problems/p18/transitions', { to: 'assigned', note: '请清理' });
    expect((await getJson(fx.app, '/api/problems/p18')).body.properties.deadline).toBe('2026-10-12T10:00:00+08:00');
    // The deadline set before the change keeps its time.
    expect((await getJson(fx.app, '/api/problems/p04')).body.properties.deadline).toBe('2026-10-10T10:00:00+08:00');
  });
});
