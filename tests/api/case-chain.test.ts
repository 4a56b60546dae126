import { afterAll, describe, expect, it } from 'vitest';
import { RequestList } from '../../server/contract/requests';
import { HistoryResponse } from '../../server/contract/workflow';
import { requestList } from '../../server/services/problems/requests';
import { fixtureApp, getJson, type Requester } from './fixture';

// NOW is 2026-03-20 12:00. p04 and p11 are reported, p13 assigned to u01 (due 03-22), p14 assigned and overdue.
const fx = await fixtureApp();
afterAll(async () => fx.close());

async function move(id: string, body: unknown, app: Requester = fx.app) {
  const res = await app.request(`/api/problems/${id}/transitions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as any };
}
const ids = async (q: string) => ((await getJson(fx.app, `/api/problems?${q}`)).body.features as { id: string }[]).map((f) => f.id);

describe('立案审核: a report not filed', () => {
  it('needs its reason, is finished, and leaves the open count and the 红黑榜', async () => {
    const before = (await getJson(fx.app, '/api/rankings?by=unit&from=2026-01-01&to=2026-03-20')).body.rows.find((r: any) => r.id === 'u02');
    expect((await move('p11', { to: 'rejected', note: '重复' })).body.details[0].path).toBe('json.reason');
    const { status, body } = await move('p11', { to: 'rejected', reason: 'duplicate', note: '与 p10 为同一处' });
    expect(status).toBe(200);
    expect(HistoryResponse.parse(body)).toEqual(body);
    expect(body).toMatchObject({ status: 'rejected', allowed: [], requestable: [] });
    expect(body.history.at(-1)).toMatchObject({ action: 'reject', from: 'reported', to: 'rejected', data: { reason: 'duplicate' } });
    const after = (await getJson(fx.app, '/api/rankings?by=unit&from=2026-01-01&to=2026-03-20')).body.rows.find((r: any) => r.id === 'u02');
    expect(after.found).toBe(before.found - 1);
    expect(await ids('status=rejected')).toEqual(['p11']);
    // Finished: nothing moves it on, nothing merges into it.
    expect((await move('p11', { to: 'assigned', note: '' })).status).toBe(409);
    const open311 = (await getJson(fx.app, '/open311/v2/requests.json?service_request_id=p11')).body[0];
    expect(open311).toMatchObject({ status: 'closed', service_notice: '不予立案：重复举报' });
  });
});

describe('挂账: a case held with a plan and a review date', () => {
  it('is refused without them, and to a unit account', async () => {
    expect((await move('p14', { to: 'held', note: '', review: '2026-06-30' })).body.details[0].path).toBe('json.note');
    expect((await move('p14', { to: 'held', note: '需列入改造计划' })).body.details[0].path).toBe('json.review');
    expect((await move('p14', { to: 'held', note: '需列入改造计划', review: '2026-03-01' })).body.details[0].message).toMatch(/later than now/);
    expect((await move('p14', { to: 'held', note: '计划', review: '2026-06-30' }, await fx.signedIn('unit', 'u03'))).status).toBe(403);
  });

  it('leaves the overdue count and is listed apart; resumed, it has a new deadline', async () => {
    expect(await ids('status=overdue')).toContain('p14');
    const held = await move('p14', { to: 'held', note: '垃圾中转站需改建，已报区财政预算', review: '2026-06-30' });
    expect(held.status).toBe(200);
    expect(held.body).toMatchObject({ status: 'held', overdue: false, allowed: ['assigned', 'rectified'] });
    // Held after its deadline: the strike of the overdue days stays.
    expect(held.body.escalation.strikes).toBe(1);
    expect(held.body.history.at(-1)).toMatchObject({ action: 'hold', data: { review: '2026-06-30T23:59:59+08:00' } });
    expect(await ids('status=overdue')).not.toContain('p14');
    expect(await ids('status=held')).toEqual(['p14']);
    const open311 = (await getJson(fx.app, '/open311/v2/requests.json?service_request_id=p14')).body[0];
    expect(open311.status).toBe('open');
    expect(open311.service_notice).toMatch(/挂账，复核日期 2026-06-30/);

    const resumed = await move('p14', { to: 'assigned', note: '改建完成，恢复办理', deadline: '2026-03-27' });
    expect(resumed.body).toMatchObject({ status: 'assigned', overdue: false });
    expect(resumed.body.history.at(-1)).toMatchObject({ action: 'resume', from: 'held', to: 'assigned', deadline: '2026-03-27T23:59:59+08:00' });
  });

  it('once its review date has come, a held case waits on the 待审批 list with its plan (a unit: its own)', async () => {
    await move('p07', { to: 'held', note: '需协调环卫车辆进场', review: '2026-04-10' });
    expect((await getJson(fx.app, '/api/requests?status=open')).body.reviews).toEqual([]);
    const later = Date.parse('2026-04-11T09:00:00+08:00');
    const due = await requestList(fx.store, fx.catalog, { status: 'open' }, null, later);
    expect(RequestList.parse(due)).toEqual(due);
    expect(due.reviews).toEqual([
      expect.objectContaining({
        problemId: 'p07',
        review: '2026-04-10T23:59:59+08:00',
        plan: '需协调环卫车辆进场',
        unitId: 'u03',
        categoryName: expect.any(Object),
      }),
    ]);
    expect((await requestList(fx.store, fx.catalog, { status: 'open' }, 'u01', later)).reviews).toEqual([]);
    expect((await requestList(fx.store, fx.catalog, { status: 'approved' }, null, later)).reviews).toEqual([]);
  });

  it('a held case may be rectified by its unit directly', async () => {
    await move('p13', { to: 'held', note: '需协调产权单位', review: '2026-04-30' });
    const done = await move('p13', { to: 'rectified', note: '已拆除' }, await fx.signedIn('unit', 'u01'));
    expect(done.body).toMatchObject({ status: 'rectified' });
    expect(done.body.history.at(-1)).toMatchObject({ action: 'rectify', from: 'held' });
  });
});
