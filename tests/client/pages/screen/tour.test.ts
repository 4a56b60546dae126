import { describe, expect, it } from 'vitest';
import {
  buildTour,
  classWords,
  flyDurationMs,
  nextIndex,
  periodLabel,
  topHotCells,
  type TourCell,
  type TourSubdistrict,
} from '../../../../client/src/pages/screen/tour';

const cell = (h3: string, cls: TourCell['class'], count: number, extra: Partial<TourCell> = {}): TourCell => ({
  h3,
  center: [121.5, 31.2],
  count,
  class: cls,
  hotWeeks: 6,
  z: 3.2,
  significant: true,
  topCategory: { zh: '占道经营', en: 'Street vending on the road', count: 41 },
  subdistrictName: '东昌街道',
  ...extra,
});

const row = (id: string, rank: number, extra: Partial<TourSubdistrict> = {}): TourSubdistrict => ({
  id,
  name: `街道${id}`,
  rank,
  overdue: 12,
  onTimeRate: 0.61,
  found: 80,
  bbox: [121, 31, 121.1, 31.1],
  ...extra,
});

const PERIOD = { token: '12w', from: '2026-09-03', to: '2026-11-25' };
const OVERVIEW = { bbox: [120.9, 30.9, 121.6, 31.4] as [number, number, number, number], name: '示范区', problems: 1234 };

describe('topHotCells', () => {
  it('takes lasting or growing hot spots first, most problems first, and leaves cold and patternless cells out', () => {
    const cells = [
      cell('a', 'sporadic-hot', 500),
      cell('b', 'persistent-hot', 40),
      cell('c', 'intensifying-hot', 90),
      cell('d', 'persistent-cold', 900, { z: -3 }),
      cell('e', 'no-pattern', 800, { significant: false }),
      cell('f', 'new-hot', 60),
      cell('g', 'no-pattern', 700),
      cell('h', 'no-pattern', 900, { z: -3 }),
      cell('i', 'persistent-cold', 950),
    ];
    expect(topHotCells(cells, 3).map((c) => c.h3)).toEqual(['c', 'f', 'b']);
    // Then the passing hot classes and significant clusters without a class, by count; never cold ones.
    expect(topHotCells(cells, 10).map((c) => c.h3)).toEqual(['c', 'f', 'b', 'g', 'a']);
  });
});

describe('buildTour', () => {
  it('interleaves hot spots and the worst subdistricts, worst first, and ends on the overview', () => {
    const stops = buildTour({
      period: PERIOD,
      cells: [cell('h1', 'consecutive-hot', 50), cell('h2', 'persistent-hot', 30)],
      ranking: [row('sd1', 1), row('sd2', 2), row('sd3', 3), row('sd4', 4)],
      overview: OVERVIEW,
    });
    expect(stops.map((s) => s.key)).toEqual(['cell:h1', 'sd:sd4', 'cell:h2', 'sd:sd3', 'sd:sd2', 'overview']);
    expect(stops[0].caption.zh).toBe('连续 6 周热点 · 占道经营 41 起 · 共 50 起 · 东昌街道');
    expect(stops[0].caption.en).toBe('Hot 6 weeks running · Street vending on the road: 41 · 50 problems in all · 东昌街道');
    expect(stops[0].target).toEqual({ center: [121.5, 31.2], zoom: 15.5 });
    expect(stops[1].caption.zh).toBe('红黑榜末位 · 逾期 12 件 · 按期整改率 61%');
    expect(stops[3].caption.zh).toBe('红黑榜倒数第 2 · 逾期 12 件 · 按期整改率 61%');
    expect(stops[3].caption.en).toBe('2nd from last in the ranking · 12 overdue · 61% rectified on time');
    expect(stops[5]).toMatchObject({ kind: 'overview', target: { bbox: OVERVIEW.bbox }, caption: { zh: '近 12 周共发现问题 1234 起' } });
  });

  it('alternates hot cells with recurring sites and names a significant cluster in plain words', () => {
    const stops = buildTour({
      period: PERIOD,
      cells: [cell('h1', 'no-pattern', 50), cell('h2', 'no-pattern', 30)],
      sites: [
        {
          id: 'rs-p1',
          lngLat: [121.51, 31.21],
          recurrences: 8,
          reports: 21,
          category: { zh: '占道经营', en: 'Street vending on the road' },
          subdistrictName: '东昌街道',
        },
      ],
      ranking: [row('sd1', 1)],
      overview: OVERVIEW,
    });
    expect(stops.map((s) => s.key)).toEqual(['cell:h1', 'sd:sd1', 'site:rs-p1', 'cell:h2', 'overview']);
    expect(stops[0].caption.zh).toBe('问题显著集中 · 占道经营 41 起 · 共 50 起 · 东昌街道');
    expect(stops[2]).toMatchObject({
      kind: 'site',
      target: { center: [121.51, 31.21], zoom: 16.5 },
      caption: { zh: '反复出现 8 次 · 占道经营 21 起 · 东昌街道' },
    });
    expect(stops[3].title.zh).toBe('热点 3');
  });

  it('says so when nothing fell due, and skips subdistricts without an area', () => {
    const stops = buildTour({
      period: PERIOD,
      cells: [],
      ranking: [row('sd1', 1), row('sd2', 2, { onTimeRate: null, overdue: 0 }), row('sd3', 3, { bbox: null })],
      overview: OVERVIEW,
    });
    expect(stops.map((s) => s.key)).toEqual(['sd:sd2', 'sd:sd1', 'overview']);
    expect(stops[0].caption.zh).toBe('红黑榜倒数第 2 · 逾期 0 件 · 暂无到期问题');
  });

  it('is just the overview when there is nothing to show', () => {
    const stops = buildTour({ period: PERIOD, cells: [], ranking: [], overview: OVERVIEW });
    expect(stops.map((s) => s.kind)).toEqual(['overview']);
  });
});

describe('words and timing', () => {
  it('names periods and classes in both languages', () => {
    expect(periodLabel({ token: '7d', from: '', to: '' })).toEqual({ zh: '近 7 天', en: 'over the last 7 days' });
    expect(periodLabel({ token: 'month', from: '', to: '' }).zh).toBe('本月');
    expect(periodLabel({ token: '2026-10-01..2026-10-31', from: '2026-10-01', to: '2026-10-31' }).zh).toBe('2026-10-01 至 2026-10-31');
    expect(classWords('new-hot', 1)).toEqual({ zh: '新出现的热点', en: 'New hot spot' });
  });

  it('wraps the stop index and keeps flights within a readable share of the interval', () => {
    expect(nextIndex(0, 3)).toBe(1);
    expect(nextIndex(2, 3)).toBe(0);
    expect(nextIndex(0, 0)).toBe(0);
    expect(flyDurationMs(5)).toBe(1667);
    expect(flyDurationMs(20)).toBe(6000);
    expect(flyDurationMs(1)).toBe(1500);
  });
});
