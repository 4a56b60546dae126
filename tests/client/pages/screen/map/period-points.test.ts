import { describe, expect, it } from 'vitest';
import type { ProblemPoints } from '../../../../../client/src/map/deck/points-bin';
import { cellMix, periodPoints } from '../../../../../client/src/pages/screen/map/period-points';

// Five problems: days since 2026-11-01, categories and subdistricts as dictionary codes.
function points(): ProblemPoints {
  const pos = [
    [0.5, 0.5],
    [0.6, 0.4],
    [0.4, 0.6],
    [5, 5],
    [0.5, 0.5],
  ];
  return {
    count: 5,
    dictionary: {
      baseDate: '2026-11-01',
      nowDate: '2026-11-25',
      categories: ['occupy-road', 'small-ads'],
      subdistricts: [null, 'sd01', 'sd02'],
      units: [null],
      statuses: ['reported', 'assigned', 'rectified', 'closed', 'overdue'],
    },
    position: Float32Array.from(pos.flat()),
    day: Uint16Array.from([24, 20, 10, 24, 0]),
    category: Uint16Array.from([0, 0, 1, 1, 1]),
    subdistrict: Uint16Array.from([1, 1, 2, 1, 1]),
    unit: new Uint16Array(5),
    lateDays: new Uint16Array(5),
    status: new Uint8Array(5),
    recurrence: new Uint8Array(5),
    weekOffset: 6,
    weeks: 4,
  };
}

describe('periodPoints', () => {
  it('keeps the problems reported in the period, days inclusive, and in the pinned subdistrict', () => {
    const p = points();
    expect(periodPoints(p, { from: '2026-11-19', to: '2026-11-25' }, null).count).toBe(3);
    expect(periodPoints(p, { from: '2026-11-01', to: '2026-11-25' }, null).count).toBe(5);
    const sd = periodPoints(p, { from: '2026-11-01', to: '2026-11-25' }, ['sd02']);
    expect(sd.count).toBe(1);
    expect(Array.from(sd.position)).toEqual([Math.fround(0.4), Math.fround(0.6)]);
    expect(periodPoints(p, { from: '2026-11-01', to: '2026-11-25' }, ['sd99']).count).toBe(0);
  });

  it("keeps a pinned district's problems: those of any of its subdistricts", () => {
    const p = points();
    const all = { from: '2026-11-01', to: '2026-11-25' };
    expect(periodPoints(p, all, ['sd01', 'sd02']).count).toBe(5);
    expect(Array.from(periodPoints(p, all, ['sd01', 'sd99']).subdistrict)).toEqual([1, 1, 1, 1]);
    // A district without subdistricts keeps nothing, unlike no district (the whole city).
    expect(periodPoints(p, all, []).count).toBe(0);
  });
});

describe('cellMix', () => {
  it('finds the commonest category and subdistrict inside each ring', () => {
    const pp = periodPoints(points(), { from: '2026-11-01', to: '2026-11-25' }, null);
    const square: [number, number][] = [
      [0, 0],
      [1, 0],
      [1, 1],
      [0, 1],
      [0, 0],
    ];
    const empty: [number, number][] = [
      [10, 10],
      [11, 10],
      [11, 11],
      [10, 10],
    ];
    // Inside the square: categories 0, 0, 1, 1 (a tie goes to the lower code); subdistricts 1, 1, 2, 1.
    expect(cellMix(pp, [square, empty])).toEqual([
      { category: 0, categoryCount: 2, subdistrict: 1 },
      { category: null, categoryCount: 0, subdistrict: null },
    ]);
  });
});
