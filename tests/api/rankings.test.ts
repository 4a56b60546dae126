import { afterAll, describe, expect, it } from 'vitest';
import { RankingResponse } from '../../server/contract/rankings';
import { compositeScore } from '../../server/services/rankings/rankings';
import { fixtureApp, getJson } from './fixture';

const fx = await fixtureApp();
afterAll(async () => fx.close());

describe('compositeScore', () => {
  const none = { found: 0, due: 0, onTime: 0, overdue: 0, recurrences: 0, passes: 0, fails: 0, summons: 0 };
  it('is 100 with nothing wrong and follows the documented weights', () => {
    expect(compositeScore(none)).toBe(100);
    // Half on time (−20), one of two look-backs failed (−10), a quarter recurring (−5), a quarter overdue (−5), one summons (−2).
    expect(compositeScore({ found: 4, due: 4, onTime: 2, overdue: 1, recurrences: 1, passes: 1, fails: 1, summons: 1 })).toBe(58);
    expect(compositeScore({ ...none, found: 1, summons: 60 })).toBe(0);
  });
});

describe('GET /api/rankings', () => {
  it('ranks subdistricts over a period with the figures counted from the fixture', async () => {
    const { status, body } = await getJson(fx.app, '/api/rankings?by=subdistrict&from=2026-01-01&to=2026-03-31');
    expect(status).toBe(200);
    expect(RankingResponse.parse(body)).toBeTruthy();
    expect(body.rows.map((r: any) => r.rank)).toEqual([1, 2]);
    const sd02 = body.rows.find((r: any) => r.id === 'sd02');
    // sd02: p01 p02 p03 p04 p10 p11 p14 p15 p17 p18 — found 10; due (deadline passed or rectified): p01 p02 p03 p10 p14 p15 p17 = 7,
    // on time all rectified ones (p01 p02 p10 p15 p17) = 5; overdue p03 p14; recurrence p03; closed 4, no fails; 1 market.
    expect(sd02).toMatchObject({
      name: '东城街道',
      found: 10,
      overdue: 2,
      points: 1,
      per100Points: 1000,
      onTimeRate: 0.7143,
      recurrenceRate: 0.1,
      lookBackPassRate: 1,
      supervision: 2,
      summons: 0,
    });
    expect(sd02.score).toBe(compositeScore({ found: 10, due: 7, onTime: 5, overdue: 2, recurrences: 1, passes: 4, fails: 0, summons: 0 }));
    const scores = body.rows.map((r: any) => r.score);
    expect(scores).toEqual([...scores].sort((a: number, b: number) => b - a));
    expect(body.formula).toMatch(/40·onTimeRate/);
  });

  it('ranks units, lists those without problems, and reflects a failed look-back', async () => {
    const before = (await getJson(fx.app, '/api/rankings?by=unit&from=2026-01-01&to=2026-03-31')).body.rows.find((r: any) => r.id === 'u01');
    await fx.app.request('/api/problems/p06/transitions', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ to: 'assigned', note: '复查不合格' }),
    });
    const { body } = await getJson(fx.app, '/api/rankings?by=unit&from=2026-01-01&to=2026-03-31');
    expect(body.rows.map((r: any) => r.id).sort()).toEqual(['u01', 'u02', 'u03']);
    const u01 = body.rows.find((r: any) => r.id === 'u01');
    expect(u01.lookBackPassRate).toBeLessThan(before.lookBackPassRate);
    expect(u01.score).toBeLessThan(before.score);
  });

  it('puts the problems found beside the inspection visits made, so a place walked more often does not look worse for it', async () => {
    const visit = (pointId: string, at: string) =>
      fx.app.request('/api/checks', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ id: crypto.randomUUID(), pointId, at, items: [{ itemId: 'market-zoning', result: 'pass' }] }),
      });
    // The market mk01 (sd02, u02) walked four times in the period, once before it.
    for (const at of ['2026-03-02', '2026-03-09', '2026-03-16', '2026-03-19', '2025-12-20'])
      expect((await visit('mk01', `${at}T10:00:00+08:00`)).status).toBe(201);
    const { body } = await getJson(fx.app, '/api/rankings?by=subdistrict&from=2026-01-01&to=2026-03-31');
    const sd02 = body.rows.find((r: any) => r.id === 'sd02');
    expect(sd02).toMatchObject({ found: 10, visits: 4, perVisit: 2.5 });
    expect(body.rows.find((r: any) => r.id === 'sd01')).toMatchObject({ visits: 0, perVisit: null });
  });

  it('defaults to the last 30 days and refuses a reversed period', async () => {
    const { body } = await getJson(fx.app, '/api/rankings');
    expect(body.from).toBe('2026-02-18T12:00:00+08:00');
    expect(body.to).toBe('2026-03-20T12:00:00+08:00');
    expect((await getJson(fx.app, '/api/rankings?from=2026-03-10&to=2026-03-01')).status).toBe(400);
    expect((await getJson(fx.app, '/api/rankings?by=team')).status).toBe(400);
  });
});
