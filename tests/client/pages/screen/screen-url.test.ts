import { describe, expect, it } from 'vitest';
import { parsePeriod, readScreenParams } from '../../../../client/src/pages/screen/screen-url';

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

describe('readScreenParams', () => {
  it('reads district, period and tour mode', () => {
    const p = readScreenParams('?district=sd03&period=30d&tour=1&interval=30', LATE);
    expect(p).toMatchObject({ district: 'sd03', tour: true, interval: 30, problems: [] });
    expect(p.period.days).toBe(30);
  });

  it('falls back to defaults for unreadable values and says which', () => {
    const p = readScreenParams('?period=soon&interval=1', LATE);
    expect(p.period.token).toBe('12w');
    expect(p.interval).toBe(20);
    expect(p.tour).toBe(false);
    expect(p.problems).toHaveLength(2);
  });
});
