import { describe, expect, it } from 'vitest';
import { datesOfWindow, nextPlayWindow, windowOfDates } from '../../../../client/src/pages/hotspots/time-window';
import type { WeekCalendar } from '../../../../client/src/map/deck/points-bin';

// 2024-01-03 is a Wednesday: its week starts Monday 2024-01-01 (offset 2); ten weeks of data.
const CAL: WeekCalendar = { weeks: 10, weekOffset: 2, dictionary: { baseDate: '2024-01-03' } };

describe('hotspot time window', () => {
  it('is the whole span without dates, and the weeks holding the dates otherwise (clamped)', () => {
    expect(windowOfDates(CAL, { from: null, to: null })).toEqual([0, 9]);
    expect(windowOfDates(CAL, { from: '2024-01-10', to: null })).toEqual([1, 9]);
    expect(windowOfDates(CAL, { from: '2024-01-10', to: '2024-01-21' })).toEqual([1, 2]);
    expect(windowOfDates(CAL, { from: '2023-06-01', to: '2030-01-01' })).toEqual([0, 9]);
    // `to` before `from` still gives a window (one week), never an inverted one.
    expect(windowOfDates(CAL, { from: '2024-01-22', to: '2024-01-02' })).toEqual([3, 3]);
  });

  it('writes whole weeks as dates, which read back as the same window', () => {
    expect(datesOfWindow(CAL, [1, 2])).toEqual({ from: '2024-01-08', to: '2024-01-21' });
    for (const win of [
      [0, 0],
      [0, 9],
      [3, 7],
    ] as [number, number][])
      expect(windowOfDates(CAL, datesOfWindow(CAL, win))).toEqual(win);
  });

  it('plays one week at a time, starts the whole span over with four weeks, and stops at the end', () => {
    expect(nextPlayWindow([0, 9], 10)).toEqual([0, 3]);
    expect(nextPlayWindow([0, 3], 10)).toEqual([1, 4]);
    expect(nextPlayWindow([6, 9], 10)).toBeNull();
    // A span no longer than the playback window has nothing to step through.
    expect(nextPlayWindow([0, 1], 2)).toBeNull();
  });
});
