import { describe, expect, it } from 'vitest';
import { assessmentCountdown } from '../../../../server/services/screen/assessment';

const W = { name: '2027年全国文明城市测评', start: '2027-03-01', end: '2027-03-31' };
const at = (iso: string) => Date.parse(iso);

describe('assessmentCountdown', () => {
  it('counts whole city days to the first day, by the city calendar (+08:00)', () => {
    expect(assessmentCountdown(W, at('2027-02-28T12:00:00+08:00'))).toEqual({ ...W, phase: 'ahead', days: 1 });
    // 23:30 UTC on 27 Feb is already 28 Feb in the city.
    expect(assessmentCountdown(W, at('2027-02-27T23:30:00Z'))).toMatchObject({ phase: 'ahead', days: 1 });
    expect(assessmentCountdown(W, at('2027-02-27T15:59:00Z'))).toMatchObject({ phase: 'ahead', days: 2 });
  });

  it('numbers the days of the window from 1 and ends after its last day', () => {
    expect(assessmentCountdown(W, at('2027-03-01T00:00:00+08:00'))).toMatchObject({ phase: 'during', days: 1 });
    expect(assessmentCountdown(W, at('2027-03-31T23:59:59+08:00'))).toMatchObject({ phase: 'during', days: 31 });
    expect(assessmentCountdown(W, at('2027-04-01T00:00:00+08:00'))).toBeNull();
  });

  it('shows nothing more than 400 days ahead, or without a window', () => {
    // 2026-01-25 → 2027-03-01 is 400 days; a day earlier is 401.
    expect(assessmentCountdown(W, at('2026-01-25T12:00:00+08:00'))).toMatchObject({ phase: 'ahead', days: 400 });
    expect(assessmentCountdown(W, at('2026-01-24T12:00:00+08:00'))).toBeNull();
    expect(assessmentCountdown(null, at('2027-03-02T12:00:00+08:00'))).toBeNull();
  });
});
