import { afterAll, describe, expect, it } from 'vitest';
import { RequestAnswer, RequestList } from '../../server/contract/requests';
import { fixtureApp, getJson, type Requester } from './fixture';

// NOW is 2026-03-20 12:00. u01's cases: p13 assigned (due 03-22), p08 assigned and overdue (due 03-05), p06 rectified.
const fx = await fixtureApp();
afterAll(async () => fx.close());
const unit = await fx.signedIn('unit', 'u01');
const office = await fx.signedIn('inspector');

async function post(app: Requester, path: string, body: unknown) {
  const res = await app.request(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as any };
}
const ask = (id: string, body: unknown, app = unit) => post(app, `/api/problems/${id}/requests`, body);
const decide = (id: string, requestId: number, body: unknown, app = office) => post(app, `/api/problems/${id}/requests/${requestId}/decision`, body);
const detail = async (id: string) => (await getJson(fx.app, `/api/problems/${id}`)).body.properties;

describe('延期 (extension)', () => {
  let requestId = 0;
  it('a unit asks for more time on its assigned case, with the reason and a date after the deadline', async () => {
    const bad = await ask('p13', { kind: 'extension', reason: '需协调物业', until: '2026-03-21' });
    expect(bad.status).toBe(400);
    expect(bad.body.details[0]).toMatchObject({ path: 'json.until', message: 'the new deadline must be after the current one' });
    expect((await ask('p13', { kind: 'extension', reason: '需协调物业' })).status).toBe(400);
    const { status, body } = await ask('p13', { kind: 'extension', reason: '需协调物业', until: '2026-03-31' });
    expect(status).toBe(201);
    expect(RequestAnswer.parse(body)).toEqual(body);
    expect(body.request).toMatchObject({ kind: 'extension', status: 'open', until: '2026-03-31T23:59:59+08:00', unitId: 'u01', reason: '需协调物业' });
    expect(body.history.requestable).toEqual(['return']);
    requestId = body.request.id;
    const again = await ask('p13', { kind: 'extension', reason: '再次', until: '2026-04-02' });
    expect(again.status).toBe(409);
    expect(again.body.kinds).toEqual(['return']);
  });

  it('lists the open request for the 创文办 with its counts; a unit sees only its own', async () => {
    const { body } = await getJson(office, '/api/requests?status=open');
    expect(RequestList.parse(body)).toEqual(body);
    expect(body.counts).toEqual({ extension: 1, appeal: 0, return: 0 });
    expect(body.requests[0]).toMatchObject({
      id: requestId,
      problemId: 'p13',
      problem: { status: 'assigned', deadline: '2026-03-22T16:00:00+08:00', overdue: false },
    });
    expect((await getJson(await fx.signedIn('unit', 'u02'), '/api/requests')).body.requests).toEqual([]);
    expect((await getJson(unit, '/api/requests')).body.requests.map((r: any) => r.id)).toEqual([requestId]);
  });

  it('only the office decides; approved, the deadline moves and the step is in the history', async () => {
    expect((await decide('p13', requestId, { approve: true }, unit)).status).toBe(403);
    const { status, body } = await decide('p13', requestId, { approve: true, note: '同意延期' });
    expect(status).toBe(200);
    expect(body.request).toMatchObject({ status: 'approved', note: '同意延期', decidedBy: expect.any(String) });
    expect(body.history.history.at(-1)).toMatchObject({
      action: 'extend',
      from: 'assigned',
      to: 'assigned',
      deadline: '2026-03-31T23:59:59+08:00',
      note: '同意延期',
    });
    expect((await detail('p13')).deadline).toBe('2026-03-31T23:59:59+08:00');
    expect((await decide('p13', requestId, { approve: true })).status).toBe(409);
    expect((await getJson(office, '/api/requests?status=approved')).body.requests.map((r: any) => r.id)).toEqual([requestId]);
  });

  it('an approved extension of an overdue case takes it out of the overdue count', async () => {
    const overdue = async () => (await getJson(fx.app, '/api/problems?status=overdue')).body.features.map((f: any) => f.id);
    expect(await overdue()).toContain('p08');
    const asked = await ask('p08', { kind: 'extension', reason: '占道车辆需交警协助', until: '2026-03-27' });
    await decide('p08', asked.body.request.id, { approve: true });
    expect(await overdue()).not.toContain('p08');
    expect((await getJson(fx.app, '/api/problems/p08/history')).body).toMatchObject({ overdue: false });
  });

  it('a refusal needs a note and changes nothing; the case moving on lapses an open request', async () => {
    const asked = await ask('p13', { kind: 'extension', reason: '再延', until: '2026-04-10' });
    expect((await decide('p13', asked.body.request.id, { approve: false })).status).toBe(400);
    const refused = await decide('p13', asked.body.request.id, { approve: false, note: '理由不充分' });
    expect(refused.body.request).toMatchObject({ status: 'refused', note: '理由不充分' });
    expect((await detail('p13')).deadline).toBe('2026-03-31T23:59:59+08:00');
    const open = await ask('p13', { kind: 'extension', reason: '再延', until: '2026-04-10' });
    await post(unit, '/api/problems/p13/transitions', { to: 'rectified', note: '已清理' });
    const h = (await getJson(fx.app, '/api/problems/p13/history')).body;
    expect(h.requests.find((r: any) => r.id === open.body.request.id)).toMatchObject({ status: 'lapsed' });
    expect(h.requestable).toEqual([]);
  });
});

describe('退单 and 改派 (return)', () => {
  it('a unit returns a case; approved, it goes to the unit the office names, with a new deadline', async () => {
    const asked = await ask('p08', { kind: 'return', reason: '该路段不属我单位' });
    expect(asked.status).toBe(201);
    const id = asked.body.request.id;
    expect((await decide('p08', id, { approve: true })).body.details[0].path).toBe('json.unit');
    expect((await decide('p08', id, { approve: true, unit: 'u01' })).body.details[0].message).toMatch(/with this unit already/);
    const { body } = await decide('p08', id, { approve: true, unit: 'u02', note: '改派东关市场服务中心' });
    expect(body.history.history.at(-1)).toMatchObject({ action: 'reassign', unitId: 'u02' });
    // The fixture's disorderly-parking limit is 3 calendar days (its catalog is of the older kind).
    expect(await detail('p08')).toMatchObject({ unitId: 'u02', assignedAt: '2026-03-20T12:00:00+08:00', deadline: '2026-03-23T12:00:00+08:00' });
    // Now another unit's case: u01 no longer sees it.
    expect((await ask('p08', { kind: 'extension', reason: 'x', until: '2026-04-01' })).status).toBe(404);
  });
});

describe('申诉 (appeal)', () => {
  it('needs a mark; approved, the strike is lifted and the escalation with it', async () => {
    const none = await ask('p06', { kind: 'appeal', reason: '已按期整改' });
    expect(none.status).toBe(409);
    expect(none.body.kinds).toEqual([]);
    await post(office, '/api/problems/p06/transitions', { to: 'assigned', note: '复查仍有小广告' });
    expect((await getJson(fx.app, '/api/problems/p06/history')).body.escalation.strikes).toBe(1);
    const asked = await ask('p06', { kind: 'appeal', reason: '复查时为新贴广告，非原问题' });
    expect(asked.status).toBe(201);
    const { body } = await decide('p06', asked.body.request.id, { approve: true, note: '经核实为新问题' });
    expect(body.history.escalation).toMatchObject({ strikes: 0, level: 0 });
    expect(body.history.history.at(-1)).toMatchObject({ action: 'appeal', data: expect.objectContaining({ strikes: 0 }) });
  });
});
