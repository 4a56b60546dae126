import { describe, expect, it } from 'vitest';
import { BBoxParam, parseBBox, parseTimeBound } from '../../../server/contract/common';
import { decodeCursor, encodeCursor, ProblemQuery, toProblemFilter } from '../../../server/contract/problems';
import { tileParams } from '../../../server/contract/tiles';

describe('parseBBox', () => {
  it('reads west,south,east,north', () => {
    expect(parseBBox('115.95,36.42,116.03,36.48')).toEqual({ bbox: [115.95, 36.42, 116.03, 36.48] });
    expect(parseBBox(' 1 , 2 ,3, 4')).toEqual({ bbox: [1, 2, 3, 4] });
  });

  it('clamps a viewport that reaches past the world', () => {
    expect(parseBBox('-190,-95,200,91')).toEqual({ bbox: [-180, -90, 180, 90] });
  });

  it('says what is wrong with a bad bbox', () => {
    expect(parseBBox('1,2,3')).toEqual({ error: 'bbox must be four numbers "west,south,east,north" (got 3 parts)' });
    expect(parseBBox('1,2,x,4')).toMatchObject({ error: expect.stringContaining('got "1,2,x,4"') });
    expect(parseBBox('1,2,,4')).toMatchObject({ error: expect.stringContaining('four numbers') });
    expect(parseBBox('3,0,1,1')).toEqual({ error: 'bbox west (3) must not be greater than east (1)' });
    expect(parseBBox('0,3,1,1')).toEqual({ error: 'bbox south (3) must not be greater than north (1)' });
    expect(parseBBox('0,0,Infinity,1')).toMatchObject({ error: expect.stringContaining('four numbers') });
  });

  it('is what the bbox query parameter uses', () => {
    expect(BBoxParam.parse('1,2,3,4')).toEqual([1, 2, 3, 4]);
    expect(BBoxParam.safeParse('1,2').success).toBe(false);
  });
});

describe('parseTimeBound', () => {
  it('reads a plain date as a day in city time, the end bound including the whole day', () => {
    expect(parseTimeBound('2026-03-04', 'start')).toBe(Date.parse('2026-03-04T00:00:00+08:00'));
    expect(parseTimeBound('2026-03-04', 'end')).toBe(Date.parse('2026-03-05T00:00:00+08:00') - 1);
  });

  it('reads ISO times with or without an offset (city time)', () => {
    expect(parseTimeBound('2026-03-04T09:15:00+08:00', 'end')).toBe(Date.parse('2026-03-04T01:15:00Z'));
    expect(parseTimeBound('2026-03-04T09:15Z', 'start')).toBe(Date.parse('2026-03-04T09:15:00Z'));
    expect(parseTimeBound('2026-03-04T09:15:00', 'start')).toBe(Date.parse('2026-03-04T09:15:00+08:00'));
  });

  it('rejects what is not a time', () => {
    expect(parseTimeBound('2026-02-30', 'start')).toBeNull();
    expect(parseTimeBound('yesterday', 'start')).toBeNull();
    expect(parseTimeBound('2026-3-4', 'start')).toBeNull();
  });
});

describe('ProblemQuery', () => {
  it('parses lists, statuses, limit and the time range', () => {
    const q = ProblemQuery.parse({
      category: 'a,b,,a',
      status: ['assigned', 'overdue'],
      subdistrict: 'sd01',
      limit: '10',
      from: '2026-03-01',
      to: '2026-03-01',
    });
    expect(q.category).toEqual(['a', 'b']);
    expect(q.status).toEqual(['assigned', 'overdue']);
    expect(q.limit).toBe(10);
    expect(toProblemFilter(q)).toEqual({
      bbox: undefined,
      fromMs: Date.parse('2026-03-01T00:00:00+08:00'),
      toMs: Date.parse('2026-03-02T00:00:00+08:00') - 1,
      categories: ['a', 'b'],
      statuses: ['assigned'],
      overdue: true,
      subdistricts: ['sd01'],
      units: undefined,
    });
  });

  it('rejects from after to, unknown statuses and out-of-range limits', () => {
    const issues = (input: Record<string, string>) => {
      const r = ProblemQuery.safeParse(input);
      return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    };
    expect(issues({ from: '2026-03-02', to: '2026-03-01' })).toEqual(['from: from must not be after to']);
    expect(issues({ status: 'open' })[0]).toMatch(/^status\.0: status must be among reported, assigned/);
    expect(issues({ limit: '50001' })).toEqual(['limit: limit must be at most 50000; page through more with cursor']);
    expect(issues({ limit: '0' })).toEqual(['limit: limit must be at least 1']);
    expect(issues({ limit: 'ten' })).toEqual(['limit: limit must be a whole number']);
    expect(issues({ cursor: 'not a cursor' })[0]).toMatch(/^cursor: cursor is not one this server gave out/);
  });
});

describe('cursor', () => {
  it('round-trips, ids with any characters included', () => {
    for (const c of [
      { reportedMs: 1773624600000, id: 'p000123' },
      { reportedMs: 0, id: '问题|7' },
    ]) {
      expect(decodeCursor(encodeCursor(c))).toEqual(c);
    }
    expect(encodeCursor({ reportedMs: 1, id: 'p1' })).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it('rejects what it did not make', () => {
    expect(decodeCursor('')).toBeNull();
    expect(decodeCursor('abc$')).toBeNull();
    expect(decodeCursor(encodeCursor({ reportedMs: 1, id: 'p' }).slice(0, 3))).toBeNull();
  });
});

describe('tileParams', () => {
  const base = tileParams(14);
  it('reads z/x/y.pbf', () => {
    expect(base.parse({ z: '14', x: '13470', y: '6408.pbf' })).toEqual({ z: 14, x: 13470, y: 6408 });
  });
  it('rejects coordinates outside the pyramid', () => {
    expect(base.safeParse({ z: '15', x: '0', y: '0.pbf' }).success).toBe(false);
    expect(base.safeParse({ z: '2', x: '4', y: '0.pbf' }).success).toBe(false);
    expect(base.safeParse({ z: '2', x: '0', y: '4.pbf' }).success).toBe(false);
    expect(base.safeParse({ z: '2', x: '0', y: '1.png' }).success).toBe(false);
    expect(base.safeParse({ z: '-1', x: '0', y: '0.pbf' }).success).toBe(false);
  });
});

describe('IsoTime', () => {
  it('needs an offset, since a stored time without one would depend on the server clock zone', async () => {
    const { IsoTime } = await import('../../../server/contract/common');
    expect(IsoTime.safeParse('2026-03-04T09:15:00+08:00').success).toBe(true);
    expect(IsoTime.safeParse('2026-03-04T01:15:00.123Z').success).toBe(true);
    expect(IsoTime.safeParse('2026-03-04T09:15:00').success).toBe(false);
    expect(IsoTime.safeParse('2026-03-04').success).toBe(false);
  });
});
