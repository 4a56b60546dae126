import { describe, expect, it } from 'vitest';
import { parsePeriod, pinOf, readScreenParams, type ScreenPlaces } from '../../../../client/src/pages/screen/screen-url';

// 2026-11-25 23:30 +08:00 is still the 25th in the city although it is 15:30 UTC; 2026-11-26 01:00
// +08:00 is the 26th in the city although UTC still says the 25th.
const LATE = Date.parse('2026-11-25T23:30:00+08:00');
const EARLY = Date.parse('2026-11-26T01:00:00+08:00');

describe('parsePeriod', () => {
  it('counts relative periods back from the city day, today included', () => {
    expect(parsePeriod('7d', LATE)).toEqual({ token: '7d', from: '2026-11-19', to: '2026-11-25', days: 7 });
    expect(parsePeriod('7d', EARLY)).toEqual({ token: '7d', from: '2026-11-20', to: '2026-11-26', days: 7 });
    expect(parsePeriod('12w', LATE)?.days).toBe(84);
  });

  it('starts calendar periods on Monday, the 1st, the quarter and the year', () => {
    // 2026-11-25 is a Wednesday.
    expect(parsePeriod('week', LATE)?.from).toBe('2026-11-23');
    expect(parsePeriod('month', LATE)?.from).toBe('2026-11-01');
    expect(parsePeriod('quarter', LATE)?.from).toBe('2026-10-01');
    expect(parsePeriod('year', LATE)?.from).toBe('2026-01-01');
  });

  it('takes explicit ranges and refuses impossible ones', () => {
    expect(parsePeriod('2026-10-01..2026-10-31', LATE)).toMatchObject({ from: '2026-10-01', to: '2026-10-31', days: 31 });
    expect(parsePeriod('2026-10-31..2026-10-01', LATE)).toBeNull();
    expect(parsePeriod('2026-02-30..2026-03-01', LATE)).toBeNull();
    expect(parsePeriod('0d', LATE)).toBeNull();
    expect(parsePeriod('fortnight', LATE)).toBeNull();
  });
});

// Two districts, the second of two subdistricts, and a subdistrict filed under no district.
const PLACES: ScreenPlaces = {
  districts: [
    { id: 'dt01', name: '东昌区' },
    { id: 'dt02', name: '经济技术开发区' },
  ],
  subdistricts: [
    { id: 'sd01', name: '古楼街道', districtId: 'dt01' },
    { id: 'sd02', name: '新区街道', districtId: 'dt02' },
    { id: 'sd03', name: '蒋官屯街道', districtId: 'dt02' },
    { id: 'sd04', name: '湖西街道', districtId: null },
  ],
};

describe('readScreenParams', () => {
  it('reads district, period and tour mode', () => {
    const p = readScreenParams('?district=sd03&period=30d&tour=1&interval=30', PLACES, LATE);
    expect(p).toMatchObject({
      district: { level: 'subdistrict', id: 'sd03', name: '蒋官屯街道', subdistricts: ['sd03'] },
      tour: true,
      interval: 30,
      problems: [],
    });
    expect(p.period.days).toBe(30);
  });

  it('pins a district with its subdistricts, and an old bookmark’s subdistrict as before', () => {
    expect(readScreenParams('?district=dt02', PLACES, LATE)).toMatchObject({
      district: { level: 'district', id: 'dt02', name: '经济技术开发区', subdistricts: ['sd02', 'sd03'] },
      problems: [],
    });
    expect(readScreenParams('?district=sd01', PLACES, LATE).district).toEqual({ level: 'subdistrict', id: 'sd01', name: '古楼街道', subdistricts: ['sd01'] });
    expect(readScreenParams('?district=', PLACES, LATE)).toMatchObject({ district: null, problems: [] });
  });

  it('shows the whole city for a district that names nothing, and says so in both languages', () => {
    const p = readScreenParams('?district=nowhere&period=30d', PLACES, LATE);
    expect(p.district).toBeNull();
    expect(p.period.days).toBe(30);
    expect(p.problems).toHaveLength(1);
    const [zh, en] = p.problems[0].split(' / ');
    expect(zh).toMatch(/^district=nowhere 不是本市的区县或街道，已显示全市（可用如：dt01 东昌区、dt02 经济技术开发区、sd01 古楼街道/);
    expect(en).toMatch(/^district=nowhere is no district or subdistrict of the city, showing the whole city \(use e\.g\. dt01 东昌区, dt02/);
  });

  it('pins nothing without the places (the feed reads the period alone)', () => {
    expect(readScreenParams('?district=dt02&period=7d', null, LATE)).toMatchObject({ district: null, problems: [], period: { days: 7 } });
  });

  it('falls back to defaults for unreadable values and says which', () => {
    const p = readScreenParams('?period=soon&interval=1', PLACES, LATE);
    expect(p.period.token).toBe('12w');
    expect(p.interval).toBe(20);
    expect(p.tour).toBe(false);
    expect(p.problems).toHaveLength(2);
  });
});

describe('pinOf', () => {
  it('resolves a district into the subdistricts filed under it, in meta order', () => {
    expect(pinOf('dt01', PLACES)?.subdistricts).toEqual(['sd01']);
    expect(pinOf('dt02', PLACES)?.subdistricts).toEqual(['sd02', 'sd03']);
    // A district id is looked up before a subdistrict id, and ids are exact (no case folding, no prefixes).
    expect(pinOf('DT01', PLACES)).toBeNull();
    expect(pinOf('sd0', PLACES)).toBeNull();
  });
});
