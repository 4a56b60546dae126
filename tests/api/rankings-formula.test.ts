import { afterAll, describe, expect, it } from 'vitest';
import { FormulaOut, RankingResponse } from '../../server/contract/rankings';
import { fixtureApp, getJson, type Requester } from './fixture';

// NOW is 2026-03-20 12:00; the fixture's problems were reported January to March.
const fx = await fixtureApp();
afterAll(async () => fx.close());

const send = async (method: string, path: string, body?: unknown, app: Requester = fx.app) => {
  const res = await app.request(path, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as any };
};
/** 成都金牛区's weighting (casechain notes §4.3), as a city would enter it. */
const JINNIU = [
  { id: 'handlingRate', weight: 30 },
  { id: 'onTimeRate', weight: 20 },
  { id: 'reworkRate', weight: 20 },
  { id: 'overdueRate', weight: 20 },
  { id: 'extensionRate', weight: 10 },
];

describe('the city’s 考评', () => {
  it('starts with the built-in composite written as indicators, and lists every indicator’s formula', async () => {
    const { status, body } = await getJson(fx.app, '/api/rankings/formula');
    expect(status).toBe(200);
    expect(FormulaOut.parse(body)).toEqual(body);
    expect(body).toMatchObject({ versions: [], inForce: null, builtIn: { summonsPenalty: 2 } });
    expect(body.builtIn.indicators.map((x: any) => [x.id, x.weight])).toEqual([
      ['onTimeRate', 40],
      ['passRate', 20],
      ['recurrenceRate', 20],
      ['overdueRate', 20],
    ]);
    expect(body.indicators.map((x: any) => x.zh)).toEqual([
      '处置率',
      '按期处置率',
      '返工率',
      '超期率',
      '延期率',
      '退单率',
      '复查合格率',
      '反复率',
      '测评得分率',
    ]);
  });

  it('refuses weights that do not sum to 100 and an unknown indicator, naming them; only the administrator sets it', async () => {
    const short = await send('PUT', '/api/rankings/formula', { validFrom: '2026-03-01', indicators: JINNIU.slice(0, 4) });
    expect(short.status).toBe(400);
    expect(short.body.details).toEqual([{ path: 'json.indicators', message: 'the weights sum to 90, not 100' }]);
    const unknown = await send('PUT', '/api/rankings/formula', {
      validFrom: '2026-03-01',
      indicators: [...JINNIU.slice(0, 4), { id: 'speedRate', weight: 10 }],
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.details[0]).toMatchObject({ path: 'json.indicators.4.id', message: expect.stringContaining('"speedRate"') });
    expect((await send('PUT', '/api/rankings/formula', { validFrom: '2026-03-01', indicators: JINNIU }, await fx.signedIn('leader'))).status).toBe(403);
    expect((await getJson(fx.app, '/api/rankings/formula')).body.versions).toEqual([]);
  });

  it('scores the 红黑榜 with the version in force, each row by its own rates', async () => {
    const put = await send('PUT', '/api/rankings/formula', { validFrom: '2026-03-01', indicators: JINNIU });
    expect(put.status).toBe(200);
    expect(put.body.inForce).toMatchObject({ validFrom: '2026-03-01', formula: expect.stringContaining('30·处置率') });
    const { body } = await getJson(fx.app, '/api/rankings?by=unit&from=2026-01-01&to=2026-03-20');
    expect(RankingResponse.parse(body)).toEqual(body);
    expect(body.version.validFrom).toBe('2026-03-01');
    expect(body.changedInPeriod).toEqual(['2026-03-01']);
    const full = (r: number | null, lower = false) => (r === null ? 1 : lower ? 1 - r : r);
    for (const row of body.rows) {
      const expected =
        30 * full(row.handlingRate) +
        20 * full(row.onTimeRate) +
        20 * full(row.reworkRate, true) +
        20 * full(row.overdueRate, true) +
        10 * full(row.extensionRate, true);
      // The rows' rates are rounded to 4 digits, the score to 1.
      expect(Math.abs(row.score - expected), row.id).toBeLessThan(0.06);
    }
    expect(body.rows.some((r: any) => r.overdueRate > 0)).toBe(true);
  });

  it('a version that changes mid-period: the period is scored by the one in force on its last day', async () => {
    await send('PUT', '/api/rankings/formula', { validFrom: '2026-03-15', indicators: [{ id: 'onTimeRate', weight: 100 }] });
    const late = (await getJson(fx.app, '/api/rankings?by=unit&from=2026-03-01&to=2026-03-20')).body;
    expect(late.version.validFrom).toBe('2026-03-15');
    expect(late.changedInPeriod).toEqual(['2026-03-15']);
    for (const row of late.rows) expect(row.score).toBeCloseTo(100 * (row.onTimeRate ?? 1), 0);
    const early = (await getJson(fx.app, '/api/rankings?by=unit&from=2026-03-01&to=2026-03-10')).body;
    expect(early).toMatchObject({ version: { validFrom: '2026-03-01' }, changedInPeriod: [] });
    const before = (await getJson(fx.app, '/api/rankings?by=unit&from=2026-01-01&to=2026-02-10')).body;
    expect(before.version).toBeNull();
    expect(before.formula).toMatch(/^score = 40·onTimeRate/);
  });

  it('removes a version; an unknown day is a 404', async () => {
    expect((await send('DELETE', '/api/rankings/formula/2026-03-15')).body.versions.map((v: any) => v.validFrom)).toEqual(['2026-03-01']);
    expect((await send('DELETE', '/api/rankings/formula/2026-03-15')).status).toBe(404);
  });
});
