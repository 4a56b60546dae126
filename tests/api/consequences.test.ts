import { afterAll, describe, expect, it } from 'vitest';
import { ConsequenceOverview, NoticeAnswer, UnitLedger } from '../../server/contract/consequences';
import { sweepDeadlines } from '../../server/services/consequences/consequences';
import { fixtureApp, getJson, type Requester } from './fixture';

// NOW is 2026-03-20 12:00. Overdue then: p08 (u01, due 03-05), p03 (u02, due 03-13), p14 (u03, due 03-03);
// p07 (u03) is due 03-20 18:00; p06 (u01) and p20 (u01) are rectified in time.
const fx = await fixtureApp();
afterAll(async () => fx.close());
const unit = await fx.signedIn('unit', 'u01');
const office = await fx.signedIn('inspector');
const leader = await fx.signedIn('leader');

async function send(app: Requester, method: string, path: string, body: unknown) {
  const res = await app.request(path, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as any };
}
const post = (app: Requester, path: string, body: unknown) => send(app, 'POST', path, body);
const ledger = async (u: string, app: Requester = fx.app) => UnitLedger.parse((await getJson(app, `/api/consequences/units/${u}`)).body);
const standing = (l: UnitLedger) =>
  l.entries
    .filter((e) => e.kind !== 'reversal' && e.reversedBy === null)
    .map((e) => `${e.kind}:${e.problemId ?? ''}`)
    .sort();

describe('automatic entries from escalations', () => {
  it('enters every case at 督办 once, dated at the missed deadline, with the running score', async () => {
    const { status, body } = await getJson(fx.app, '/api/consequences');
    expect(status).toBe(200);
    const overview = ConsequenceOverview.parse(body);
    expect(overview).toMatchObject({ year: 2026, settings: { base: 100, supervision: 0.1, summons: 0.5 } });
    const scores = Object.fromEntries(overview.units.map((u) => [u.unitId, [u.score, u.supervision, u.summons]]));
    expect(scores).toMatchObject({ u01: [99.9, 1, 0], u02: [99.9, 1, 0], u03: [99.9, 1, 0] });
    const u01 = await ledger('u01');
    expect(u01.entries).toEqual([
      expect.objectContaining({ kind: 'supervision', problemId: 'p08', points: 0.1, at: '2026-03-05T15:00:00+08:00', actor: 'system', score: 99.9 }),
    ]);
    // Reading again enters nothing twice.
    expect((await ledger('u01')).entries).toHaveLength(1);
  });

  it('a deadline that passes later is entered by the next sweep, at its time', async () => {
    const later = Date.parse('2026-03-21T09:00:00+08:00');
    expect(await sweepDeadlines(fx.store, later)).toBe(1);
    expect(await sweepDeadlines(fx.store, later)).toBe(0);
    expect((await fx.store.unitDeductions('u03', 2026, 10)).map((e) => [e.problemId, e.at])).toEqual([
      ['p07', '2026-03-20T18:00:00+08:00'],
      ['p14', '2026-03-03T13:45:00+08:00'],
    ]);
  });

  it('a failed look-back on a late case reaches 约谈 and takes its further points; an approved 申诉 gives them back', async () => {
    await post(unit, '/api/problems/p08/transitions', { to: 'rectified', note: '已清理' });
    expect(standing(await ledger('u01'))).toEqual(['supervision:p08']);
    await post(office, '/api/problems/p08/transitions', { to: 'assigned', note: '复查仍有车辆', deadline: '2026-03-25' });
    let l = await ledger('u01');
    expect(standing(l)).toEqual(['summons:p08', 'supervision:p08']);
    expect(l.unit).toMatchObject({ score: 99.4, supervision: 1, summons: 1 });
    const asked = await post(unit, '/api/problems/p08/requests', { kind: 'appeal', reason: '复查时为新停车辆' });
    expect(asked.status).toBe(201);
    await post(office, `/api/problems/p08/requests/${asked.body.request.id}/decision`, { approve: true, note: '经核实' });
    l = await ledger('u01');
    expect(standing(l)).toEqual(['supervision:p08']);
    expect(l.entries[0]).toMatchObject({ kind: 'reversal', points: -0.5, problemId: 'p08', score: 99.9 });
  });

  it('an approved extension of an overdue case lifts its 督办 entry', async () => {
    const u03 = await fx.signedIn('unit', 'u03');
    const asked = await post(u03, '/api/problems/p14/requests', { kind: 'extension', reason: '需清运车辆', until: '2026-03-28' });
    await post(office, `/api/problems/p14/requests/${asked.body.request.id}/decision`, { approve: true });
    expect(standing(await ledger('u03'))).toEqual(['supervision:p07']);
  });

  it('an entry follows the case: a 改派 moves it to the unit that has the case now', async () => {
    const u02 = await fx.signedIn('unit', 'u02');
    const asked = await post(u02, '/api/problems/p03/requests', { kind: 'return', reason: '不属我单位' });
    await post(office, `/api/problems/p03/requests/${asked.body.request.id}/decision`, { approve: true, unit: 'u03', note: '改派' });
    expect(standing(await ledger('u02'))).toEqual([]);
    expect((await ledger('u02')).unit.score).toBe(100);
  });
});

describe('manual entries, 一票否决 and 问责通报', () => {
  it('a leader takes points off with the reason; an inspector or a unit may not; bad input names the field', async () => {
    const path = '/api/consequences/units/u01/deductions';
    expect((await post(office, path, { points: 2, reason: '迎检期间脱岗' })).status).toBe(403);
    expect((await post(unit, path, { points: 2, reason: '迎检期间脱岗' })).status).toBe(403);
    expect((await post(leader, path, { points: 0, reason: 'x' })).body.details[0].path).toBe('json.points');
    expect((await post(leader, path, { points: 2, reason: '  ' })).body.details[0].path).toBe('json.reason');
    expect((await post(leader, path, { points: 2, reason: 'x', problem: 'nope' })).body.details[0].path).toBe('json.problem');
    expect((await post(leader, '/api/consequences/units/nope/deductions', { points: 2, reason: 'x' })).status).toBe(404);
    const { status, body } = await post(leader, path, { points: 1.5, reason: '迎检期间脱岗', problem: 'p13' });
    expect(status).toBe(201);
    expect(UnitLedger.parse(body).entries[0]).toMatchObject({ kind: 'manual', points: 1.5, reason: '迎检期间脱岗', problemId: 'p13', score: 98.4 });
  });

  it('a manual entry is reversed with the reason, once; an automatic one only through its case', async () => {
    const l = await ledger('u01');
    const manual = l.entries.find((e) => e.kind === 'manual')!;
    const auto = l.entries.find((e) => e.kind === 'supervision')!;
    const path = (id: number) => `/api/consequences/deductions/${id}/reversal`;
    const automatic = await post(leader, path(auto.id), { reason: '误扣' });
    expect(automatic.status).toBe(409);
    expect(automatic.body.error).toMatch(/申诉/);
    const done = await post(leader, path(manual.id), { reason: '经核实为公务外出' });
    expect(done.status).toBe(200);
    expect(done.body.entries[0]).toMatchObject({ kind: 'reversal', points: -1.5, reverses: manual.id, reason: '经核实为公务外出', score: 99.9 });
    expect((await post(leader, path(manual.id), { reason: 'again' })).status).toBe(409);
    expect((await post(leader, path(done.body.entries[0].id), { reason: 'undo the undo' })).status).toBe(409);
    expect((await post(leader, path(99999), { reason: 'x' })).status).toBe(404);
  });

  it('一票否决 is set and lifted with reasons, and puts the unit first', async () => {
    const path = '/api/consequences/units/u02/veto';
    expect((await send(leader, 'PUT', path, { veto: false, reason: '无' })).status).toBe(409);
    const set = await send(leader, 'PUT', path, { veto: true, reason: '发生重大负面舆情' });
    expect(set.status).toBe(200);
    expect(set.body.unit.veto).toMatchObject({ reason: '发生重大负面舆情', liftedAt: null });
    expect((await send(leader, 'PUT', path, { veto: true, reason: 'again' })).status).toBe(409);
    expect((await getJson(fx.app, '/api/consequences')).body.units[0]).toMatchObject({ unitId: 'u02', veto: { reason: '发生重大负面舆情' } });
    const lifted = await send(leader, 'PUT', path, { veto: false, reason: '复核撤销' });
    expect(lifted.body.unit.veto).toBeNull();
    expect(lifted.body.vetoes).toEqual([expect.objectContaining({ reason: '发生重大负面舆情', liftReason: '复核撤销' })]);
  });

  it('a 问责通报 is numbered per year and prints as issued, even after the ledger moves on', async () => {
    const path = '/api/consequences/units/u01/notices';
    const first = await post(leader, path, { reason: '你单位责任区域问题多次超期未整改。' });
    expect(first.status).toBe(201);
    const answer = NoticeAnswer.parse(first.body);
    expect(answer.notice).toMatchObject({ no: '问责〔2026〕1号', year: 2026 });
    expect(answer.ledger.notices).toHaveLength(1);
    const second = await post(leader, '/api/consequences/units/u03/notices', { reason: '问题反复出现。' });
    expect(second.body.notice.no).toBe('问责〔2026〕2号');
    const print = async () => {
      const res = await fx.app.request(answer.notice.url);
      expect(res.headers.get('content-type')).toMatch(/text\/html/);
      return res.text();
    };
    const html = await print();
    expect(html).toContain('问责〔2026〕1号');
    expect(html).toContain('你单位责任区域问题多次超期未整改。');
    expect(html).toMatch(/得分 <strong class="red">99.9<\/strong>/);
    expect(html).toContain('p08');
    await post(leader, '/api/consequences/units/u01/deductions', { points: 5, reason: '<b>迎检</b>' });
    expect(await print()).toBe(html);
  });

  it('a unit account reads its own ledger and notices only', async () => {
    const mine = ConsequenceOverview.parse((await getJson(unit, '/api/consequences')).body);
    expect(mine.units.map((u) => u.unitId)).toEqual(['u01']);
    expect((await getJson(unit, '/api/consequences/units/u02')).status).toBe(404);
    const notices = (await ledger('u03')).notices;
    expect((await unit.request(notices[0].url)).status).toBe(404);
    expect((await unit.request((await ledger('u01')).notices[0].url)).status).toBe(200);
  });

  it('the administrator sets the points; entries made from then on take them', async () => {
    expect((await send(leader, 'PUT', '/api/consequences/settings', { base: 100, supervision: 3, summons: 5 })).status).toBe(403);
    expect((await send(fx.app, 'PUT', '/api/consequences/settings', { base: 100, supervision: -1, summons: 5 })).body.details[0].path).toBe('json.supervision');
    const { body } = await send(fx.app, 'PUT', '/api/consequences/settings', { base: 120, supervision: 3, summons: 5 });
    expect(body).toEqual({ base: 120, supervision: 3, summons: 5 });
    await post(office, '/api/problems/p06/transitions', { to: 'assigned', note: '复查不合格', deadline: '2026-03-25' });
    const l = await ledger('u01');
    expect(l.entries[0]).toMatchObject({ kind: 'supervision', problemId: 'p06', points: 3 });
    expect(l.entries.at(-1)).toMatchObject({ problemId: 'p08', points: 0.1, score: 119.9 });
    // 扣完为止: the score stops at 0, what was taken off does not.
    const { body: over } = await post(leader, '/api/consequences/units/u01/deductions', { points: 100, reason: '年度考核严重滞后' });
    await post(leader, '/api/consequences/units/u01/deductions', { points: 100, reason: '再次' });
    const final = (await getJson(fx.app, '/api/consequences/units/u01')).body;
    expect(over.unit.score).toBeGreaterThan(0);
    expect(final.unit).toMatchObject({ score: 0, deducted: expect.any(Number) });
    expect(final.unit.deducted).toBeGreaterThan(120);
    expect(final.entries[0].score).toBe(0);
  });

  it('a long year shows its latest 500 entries, the running score counted from all of them', async () => {
    const before = (await ledger('u03')).unit.deducted;
    await fx.store.transaction(async () => {
      for (let i = 0; i < 600; i++)
        await fx.store.addDeduction({
          unitId: 'u03',
          year: 2026,
          kind: 'manual',
          points: 0.1,
          reason: `第 ${i + 1} 次`,
          problemId: null,
          reverses: null,
          at: '2026-03-22T12:00:00+08:00',
          atMs: Date.parse('2026-03-22T12:00:00+08:00') + i,
          actor: 'test',
        });
    });
    const l = await ledger('u03');
    expect(l.entries).toHaveLength(500);
    expect(l.total).toBeGreaterThan(600);
    expect(l.unit.deducted).toBeCloseTo(before + 60, 6);
    expect(l.entries[0]).toMatchObject({ reason: '第 600 次', score: l.unit.score });
    // Walking back 499 entries of 0.1 from the newest.
    expect(l.entries[499]).toMatchObject({ reason: '第 101 次' });
    expect(l.entries[499].score).toBeCloseTo(l.unit.score + 49.9, 6);
  });
});
