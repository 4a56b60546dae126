import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app';
import { importLayers } from '../../server/store/import-layers';
import { HistoryResponse } from '../../server/contract/workflow';
import { FIXTURE_DIR, fixtureApp, getJson, as, signIn } from './fixture';

const fx = await fixtureApp();
afterAll(async () => fx.close());

async function post(path: string, body: unknown) {
  const res = await fx.app.request(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as any };
}
const move = (id: string, body: Record<string, unknown>) => post(`/api/problems/${id}/transitions`, body);

describe('GET /api/problems/:id/history', () => {
  it('derives the history of an imported problem from its timestamps', async () => {
    const { status, body } = await getJson(fx.app, '/api/problems/p01/history');
    expect(status).toBe(200);
    expect(HistoryResponse.parse(body)).toEqual(body);
    expect(body.history.map((h: any) => [h.action, h.from, h.to, h.at, h.seq, h.derived])).toEqual([
      ['report', null, 'reported', '2026-01-05T09:00:00+08:00', null, true],
      ['assign', 'reported', 'assigned', '2026-01-05T15:00:00+08:00', null, true],
      ['rectify', 'assigned', 'rectified', '2026-01-07T09:00:00+08:00', null, true],
      ['pass', 'rectified', 'closed', '2026-01-09T09:00:00+08:00', null, true],
    ]);
    expect(body.history[1]).toMatchObject({ unitId: 'u02', unitName: '东关市场服务中心', deadline: '2026-01-08T15:00:00+08:00' });
    expect(body).toMatchObject({ status: 'closed', allowed: [], overdue: false, escalation: { level: 0 } });
  });

  it('shows the escalation of an overdue problem (督办单)', async () => {
    const { body } = await getJson(fx.app, '/api/problems/p03/history');
    expect(body).toMatchObject({
      status: 'assigned',
      overdue: true,
      allowed: ['rectified', 'held'],
      escalation: { strikes: 1, level: 1, supervision: true, summons: false },
    });
  });

  it('404s an unknown problem', async () => {
    const { status, body } = await getJson(fx.app, '/api/problems/p999/history');
    expect(status).toBe(404);
    expect(body.error).toMatch(/no problem "p999"/);
  });
});

describe('POST /api/problems/:id/transitions', () => {
  it('walks a problem through assign → rectify → failed look-back → rectify → pass', async () => {
    const rev0 = await fx.store.problemsRevision();
    const assigned = await move('p04', { to: 'assigned', note: '请限期清运', actor: '创文办 王' });
    expect(assigned.status).toBe(200);
    expect(assigned.body.status).toBe('assigned');
    expect(await fx.store.problemsRevision()).toBe(rev0 + 1);
    const detail = (await getJson(fx.app, '/api/problems/p04')).body.properties;
    // exposed-garbage: 2 days; the next notice number after JK-2026-000020.
    expect(detail).toMatchObject({
      status: 'assigned',
      unitId: 'u03',
      assignedAt: '2026-03-20T12:00:00+08:00',
      deadline: '2026-03-22T12:00:00+08:00',
      noticeNo: 'JK-2026-000021',
      overdue: false,
    });
    // The imported report step was written ahead of the new one.
    expect(assigned.body.history.map((h: any) => [h.action, h.derived, h.actor])).toEqual([
      ['report', true, '李明'],
      // The signed-in person is the actor, whatever name the body claims.
      ['assign', false, 'test-admin（test-admin）'],
    ]);
    expect(assigned.body.history.every((h: any) => typeof h.seq === 'number')).toBe(true);

    expect((await move('p04', { to: 'rectified' })).status).toBe(400);
    const rectified = await move('p04', { to: 'rectified', note: '已清运完毕' });
    expect(rectified.body).toMatchObject({ status: 'rectified', allowed: ['closed', 'assigned'] });

    const failed = await move('p04', { to: 'assigned', note: '仍有垃圾', deadline: '2026-03-25' });
    expect(failed.status).toBe(200);
    expect(failed.body).toMatchObject({ status: 'assigned', escalation: { strikes: 1, level: 1 } });
    expect(failed.body.history.at(-1)).toMatchObject({
      action: 'fail',
      from: 'rectified',
      to: 'assigned',
      deadline: '2026-03-25T23:59:59+08:00',
      note: '仍有垃圾',
    });
    expect((await getJson(fx.app, '/api/problems/p04')).body.properties).toMatchObject({ noticeNo: 'JK-2026-000021', rectifiedAt: null });

    await move('p04', { to: 'rectified', note: '再次清运' });
    const closed = await move('p04', { to: 'closed', note: '复查合格', actor: '督查组 李' });
    expect(closed.body).toMatchObject({ status: 'closed', allowed: [] });
    expect(closed.body.history.map((h: any) => h.action)).toEqual(['report', 'assign', 'rectify', 'fail', 'rectify', 'pass']);
    expect((await getJson(fx.app, '/api/problems/p04')).body.properties.closedAt).toBe('2026-03-20T12:00:00+08:00');
  });

  it('409s a transition the state machine does not allow, listing the allowed ones', async () => {
    const r = await move('p11', { to: 'closed' });
    expect(r.status).toBe(409);
    expect(r.body).toMatchObject({ status: 'reported', allowed: ['assigned', 'rejected'] });
    expect(r.body.error).toMatch(/reported problem cannot become closed/);
    const closed = await move('p01', { to: 'assigned', note: 'x' });
    expect(closed.status).toBe(409);
    expect(closed.body.allowed).toEqual([]);
  });

  it('400s bad input and changes nothing', async () => {
    const rev = await fx.store.problemsRevision();
    const cases = [
      [{ to: 'done' }, 'json.to'],
      [{ to: 'assigned', unit: 'u99' }, 'json.unit'],
      [{ to: 'assigned', deadline: 'tomorrow' }, 'json.deadline'],
      [{ to: 'assigned', deadline: '2026-03-01' }, 'json.deadline'],
      [{ to: 'assigned', photos: ['abc'] }, 'json.photos.0'],
      [{ to: 'assigned', photos: ['a'.repeat(64)] }, 'json.photos.0'],
    ] as const;
    for (const [body, path] of cases) {
      const r = await move('p11', body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.details.map((d: any) => d.path)).toContain(path);
    }
    expect(await fx.store.problemsRevision()).toBe(rev);
    expect((await getJson(fx.app, '/api/problems/p11/history')).body.history).toHaveLength(1);
  });

  it('stores a deadline given in another offset as city time, and a date as the end of that city day', async () => {
    const fresh = await fixtureApp();
    try {
      const post = (id: string, body: unknown) =>
        fresh.app.request(`/api/problems/${id}/transitions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      await post('p11', { to: 'assigned', deadline: '2026-03-31T20:30:00Z' });
      expect((await getJson(fresh.app, '/api/problems/p11')).body.properties.deadline).toBe('2026-04-01T04:30:00+08:00');
      await post('p18', { to: 'assigned', deadline: '2026-03-31' });
      const p18 = (await getJson(fresh.app, '/api/problems/p18')).body.properties;
      expect(p18.deadline).toBe('2026-03-31T23:59:59+08:00');
      // Overdue flips exactly after that second (the API is asked with another "now").
      const later = as(
        await createApp({ store: fresh.store, catalog: fresh.catalog, now: () => Date.parse('2026-03-31T16:00:00Z') }),
        await signIn(fresh.store, 'leader', 'u01', Date.parse('2026-03-31T16:00:00Z')),
      );
      expect((await getJson(later, '/api/problems/p18')).body.properties.overdue).toBe(true);
      const justBefore = as(
        await createApp({ store: fresh.store, catalog: fresh.catalog, now: () => Date.parse('2026-03-31T15:59:59Z') }),
        await signIn(fresh.store, 'leader', 'u01', Date.parse('2026-03-31T15:59:59Z')),
      );
      expect((await getJson(justBefore, '/api/problems/p18')).body.properties.overdue).toBe(false);
    } finally {
      await fresh.close();
    }
  });

  it('a second overdue strike is a summons (约谈)', async () => {
    // p03 is overdue (strike 1); rectified late it keeps the strike, a failed look-back adds the second.
    await move('p03', { to: 'rectified', note: '已整改' });
    const failed = await move('p03', { to: 'assigned', note: '复查不合格' });
    expect(failed.body.escalation).toEqual({ strikes: 2, level: 2, supervision: true, summons: true });
    const list = await getJson(fx.app, '/api/problems?status=overdue');
    expect(list.body.features.map((f: any) => f.id)).not.toContain('p03');
  });
});

describe('POST /api/problems/assign', () => {
  it('assigns many at once, to one unit with one deadline', async () => {
    const r = await post('/api/problems/assign', { ids: ['p11', 'p18'], unit: 'u02', deadline: '2026-03-27', note: '批量交办' });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ assigned: ['p11', 'p18'] });
    for (const id of ['p11', 'p18']) {
      expect((await getJson(fx.app, `/api/problems/${id}`)).body.properties).toMatchObject({
        status: 'assigned',
        unitId: 'u02',
        deadline: '2026-03-27T23:59:59+08:00',
      });
    }
    const notices = await Promise.all(['p11', 'p18'].map(async (id) => (await getJson(fx.app, `/api/problems/${id}`)).body.properties.noticeNo));
    expect(new Set(notices).size).toBe(2);
  });

  it('assigns none when one cannot be assigned', async () => {
    const fresh = await fixtureApp();
    try {
      const res = await fresh.app.request('/api/problems/assign', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ids: ['p11', 'p01', 'p18'] }),
      });
      expect(res.status).toBe(409);
      const body = (await res.json()) as any;
      expect(body).toMatchObject({ id: 'p01', status: 'closed', allowed: [] });
      for (const id of ['p11', 'p18']) expect((await getJson(fresh.app, `/api/problems/${id}`)).body.properties.status).toBe('reported');
      const missing = await fresh.app.request('/api/problems/assign', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ids: ['p11', 'nope'] }),
      });
      expect(missing.status).toBe(404);
      expect((await getJson(fresh.app, '/api/problems/p11')).body.properties.status).toBe('reported');
    } finally {
      await fresh.close();
    }
  });
});

describe('history storage', () => {
  it('is append-only and goes with the city on a new import', async () => {
    expect(() => fx.store.db.prepare("UPDATE problem_history SET note = 'x'").run()).toThrow(/append-only/);
    expect((await fx.store.storedHistory('p04')).length).toBeGreaterThan(0);
    importLayers(fx.store, FIXTURE_DIR);
    expect(await fx.store.storedHistory('p04')).toEqual([]);
    expect((await fx.store.workflowRow('p04'))?.props.status).toBe('reported');
    // Notice numbers start again from the new city's own.
    expect(await fx.store.transaction(async () => fx.store.nextNoticeNo(2026))).toBe('JK-2026-000021');
    expect(await fx.store.transaction(async () => fx.store.nextNoticeNo(2026))).toBe('JK-2026-000022');
    expect(await fx.store.transaction(async () => fx.store.nextNoticeNo(2027))).toBe('JK-2027-000001');
  });
});

describe('look-backs due (a stop source for the planner)', () => {
  it('lists rectified problems, longest waiting first, and drops them once checked', async () => {
    const fresh = await fixtureApp();
    try {
      expect((await fresh.store.lookBacksDue()).map((l) => l.id)).toEqual(['p06', 'p15', 'p20']);
      expect((await fresh.store.lookBacksDue())[0]).toMatchObject({ lngLat: [115.9755, 36.4449], placeId: 'bs01', rectifiedAt: '2026-03-03T11:00:00+08:00' });
      await fresh.app.request('/api/problems/p15/transitions', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ to: 'closed' }),
      });
      expect((await fresh.store.lookBacksDue()).map((l) => l.id)).toEqual(['p06', 'p20']);
    } finally {
      await fresh.close();
    }
  });
});
