import { describe, expect, it } from 'vitest';
import { EMPTY_FILTERS } from '../../../../client/src/lib/filters';
import {
  readReelParams,
  reelHrefFromFilters,
  reelHrefFromScreen,
  screenHref,
  withLang,
  withPeriod,
  withReviewed,
  type ReelPlaces,
} from '../../../../client/src/pages/reel/reel-url';

// 2026-12-07 23:30 +08:00 is still the 7th in the city although it is 15:30 UTC (a Monday).
const NOW = Date.parse('2026-12-07T23:30:00+08:00');

const PLACES: ReelPlaces = {
  districts: [
    { id: 'dt01', name: '东昌区' },
    { id: 'dt02', name: '经济技术开发区' },
  ],
  subdistricts: [
    { id: 'sd01', name: '古楼街道', districtId: 'dt01' },
    { id: 'sd02', name: '新区街道', districtId: 'dt01' },
    { id: 'sd03', name: '北城街道', districtId: 'dt02' },
  ],
  units: [
    { id: 'u01', name: '古楼街道城管中队' },
    { id: 'u02', name: '市场监管所' },
  ],
  categories: [{ id: 'occupy-road' }, { id: 'exposed-garbage' }],
  grids: [{ id: 'grid-1a2b3c4d' }],
};

describe('readReelParams', () => {
  it('plays the week before the meeting at 8 s a photo when the URL pins nothing', () => {
    const p = readReelParams('', PLACES, NOW);
    expect(p).toEqual({
      period: { token: '7d', from: '2026-12-01', to: '2026-12-07', days: 7 },
      query: { from: '2026-12-01', to: '2026-12-07' },
      placeNames: [],
      slideS: 8,
      reviewed: false,
      problems: [],
    });
  });

  it("reads the big screen's period tokens and turns them into the API's days", () => {
    expect(readReelParams('?period=month', PLACES, NOW).query).toEqual({ from: '2026-12-01', to: '2026-12-07' });
    expect(readReelParams('?period=30d', PLACES, NOW).query).toEqual({ from: '2026-11-08', to: '2026-12-07' });
    expect(readReelParams('?period=2026-10-01..2026-11-25', PLACES, NOW).query).toEqual({ from: '2026-10-01', to: '2026-11-25' });
  });

  it('passes the place, unit, category, status and grid filters as the API lists them', () => {
    const p = readReelParams(
      '?period=week&district=dt02&subdistrict=sd01&unit=u01,u02&category=occupy-road&status=overdue,assigned&grid=grid-1a2b3c4d&sec=5&reviewed=1&limit=40',
      PLACES,
      NOW,
    );
    expect(p.query).toEqual({
      from: '2026-12-07',
      to: '2026-12-07',
      district: 'dt02',
      subdistrict: 'sd01',
      unit: 'u01,u02',
      category: 'occupy-road',
      status: 'overdue,assigned',
      grid: 'grid-1a2b3c4d',
      limit: '40',
      reviewed: '1',
    });
    expect(p.placeNames).toEqual(['经济技术开发区', '古楼街道', '古楼街道城管中队', '市场监管所']);
    expect([p.slideS, p.reviewed, p.problems]).toEqual([5, true, []]);
  });

  it("takes a subdistrict in `district` as the screen's old bookmarks do", () => {
    const p = readReelParams('?district=sd02', PLACES, NOW);
    expect(p.query).toEqual({ from: '2026-12-01', to: '2026-12-07', subdistrict: 'sd02' });
    expect(p.placeNames).toEqual(['新区街道']);
  });

  it('falls back and says so for what it cannot read, sending none of it', () => {
    const p = readReelParams('?period=fortnight&district=dt09&unit=u99&category=litter&status=lost&sec=1&limit=lots', PLACES, NOW);
    expect(p.query).toEqual({ from: '2026-12-01', to: '2026-12-07' });
    expect(p.slideS).toBe(8);
    expect(p.problems.map((s) => s.split(' / ')[1])).toEqual([
      'period=fortnight is not understood, showing 7d (use 7d, 30d, 12w, week, month, quarter, year or 2026-10-01..2026-11-25)',
      'district=dt09 is no district or subdistrict of the city, ignored',
      'unit=u99 is no unit of the city, ignored',
      'category=litter is no category of the city, ignored',
      'status=lost is no status of the city, ignored',
      'sec=1 must be 2–60 seconds, using 8',
    ]);
    expect(p.problems[0].split(' / ')[0]).toBe(
      'period=fortnight 无法识别，已改用 7d（可用：7d、30d、12w、week、month、quarter、year 或 2026-10-01..2026-11-25）',
    );
  });

  it('holds the slide time to 2–60 s', () => {
    expect(readReelParams('?sec=2', PLACES, NOW).slideS).toBe(2);
    expect(readReelParams('?sec=60', PLACES, NOW).slideS).toBe(60);
    expect(readReelParams('?sec=61', PLACES, NOW).slideS).toBe(8);
    expect(readReelParams('?sec=', PLACES, NOW).slideS).toBe(8);
    expect(readReelParams('?sec=2.5', PLACES, NOW).slideS).toBe(2.5);
  });
});

describe('the links to and from the reel', () => {
  it('carries the screen token, district, period, tour and language between the screen and the reel', () => {
    const screen = '?screen_token=xs_abc&district=dt01&period=30d&tour=1&interval=20&lang=en&junk=1';
    const reel = reelHrefFromScreen(screen);
    expect(reel).toBe('/screen/reel?screen_token=xs_abc&district=dt01&period=30d&tour=1&interval=20&lang=en');
    // The reel's own keys stay behind; the wall returns to the view it left.
    expect(screenHref(`${reel.slice('/screen/reel'.length)}&sec=5&reviewed=1&unit=u01`)).toBe(
      '/screen?screen_token=xs_abc&district=dt01&period=30d&tour=1&interval=20&lang=en',
    );
    expect(reelHrefFromScreen('')).toBe('/screen/reel');
    expect(screenHref('?sec=5')).toBe('/screen');
  });

  it("opens the ledger's filters: its dates as a period, its lists as they are", () => {
    const f = { ...EMPTY_FILTERS, from: '2026-11-01', to: '2026-11-30', districts: ['dt01'], units: ['u01', 'u02'], statuses: ['overdue' as const] };
    const href = reelHrefFromFilters(f, 'zh', NOW);
    expect(href).toBe('/screen/reel?period=2026-11-01..2026-11-30&district=dt01&unit=u01,u02&status=overdue&lang=zh');
    // …and the reel reads back exactly those filters.
    expect(readReelParams(href.slice(href.indexOf('?')), PLACES, NOW).query).toEqual({
      from: '2026-11-01',
      to: '2026-11-30',
      district: 'dt01',
      unit: 'u01,u02',
      status: 'overdue',
    });
  });

  it('runs a start alone to today, an end alone over the week before it, and no dates over the default', () => {
    expect(reelHrefFromFilters({ ...EMPTY_FILTERS, from: '2026-11-20' }, 'en', NOW)).toBe('/screen/reel?period=2026-11-20..2026-12-07&lang=en');
    expect(reelHrefFromFilters({ ...EMPTY_FILTERS, to: '2026-11-30' }, 'zh', NOW)).toBe('/screen/reel?period=2026-11-24..2026-11-30&lang=zh');
    expect(reelHrefFromFilters(EMPTY_FILTERS, 'zh', NOW)).toBe('/screen/reel?lang=zh');
    expect(reelHrefFromFilters({ ...EMPTY_FILTERS, from: '2026-12-20' }, 'zh', NOW)).toBe('/screen/reel?period=2026-12-20..2026-12-20&lang=zh');
  });

  it('sets and clears reviewed, the period and the language, keeping the rest', () => {
    expect(withReviewed('?period=30d&sec=5', true)).toBe('?period=30d&sec=5&reviewed=1');
    expect(withReviewed('?period=30d&reviewed=1', false)).toBe('?period=30d');
    expect(withReviewed('?reviewed=1', false)).toBe('');
    expect(withPeriod('?period=7d&unit=u01', '30d')).toBe('?period=30d&unit=u01');
    expect(withLang('?period=7d', 'en')).toBe('?period=7d&lang=en');
  });
});
