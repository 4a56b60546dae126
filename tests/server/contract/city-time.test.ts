import { describe, expect, it } from 'vitest';
import { cityClock, cityDateTime, cityDay, cityIsoWeek, cityMidnight, cityWeekStart, dayDate, isCalendarDate } from '../../../server/contract/city-time';

describe('city time', () => {
  it('reads the city clock whatever the UTC date', () => {
    const lateUtc = Date.parse('2026-11-25T17:30:00Z'); // 01:30 on the 26th in the city
    expect(cityClock(lateUtc)).toBe('01:30');
    expect(cityDateTime(lateUtc)).toBe('2026-11-26 01:30');
    expect(dayDate(cityDay(lateUtc))).toBe('2026-11-26');
    expect(cityMidnight('2026-11-26')).toBe(Date.parse('2026-11-26T00:00:00+08:00'));
  });

  it('starts weeks on the city Monday and numbers them as ISO 8601 does', () => {
    expect(cityWeekStart(Date.parse('2026-03-22T23:59:00+08:00'))).toBe(Date.parse('2026-03-16T00:00:00+08:00'));
    expect(cityIsoWeek(Date.parse('2026-03-16T00:30:00+08:00'))).toBe(12);
    expect(cityIsoWeek(Date.parse('2027-01-01T07:00:00+08:00'))).toBe(53);
  });

  it('accepts real calendar dates only', () => {
    expect(isCalendarDate('2024-02-29')).toBe(true);
    expect(isCalendarDate('2026-02-29')).toBe(false);
    expect(isCalendarDate('2026-2-1')).toBe(false);
  });
});
