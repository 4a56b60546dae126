import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cityDay, cityMidnight, toCityIso } from '../../../server/contract/city-time';
import { calendarProblems, deadlineAfter, limitText, workCalendar, type CalendarYear } from '../../../server/contract/work-calendar';

const Y2026 = JSON.parse(readFileSync(new URL('../../../data/catalog/calendar/2026.json', import.meta.url), 'utf8')) as CalendarYear;
const cal = workCalendar([Y2026]);
const at = (iso: string) => Date.parse(iso);
const due = (from: string, amount: number, unit: 'workday' | 'workhour' | 'day' | 'hour', c = cal) => toCityIso(deadlineAfter(c, at(from), { amount, unit }));
const working = (date: string) => cal.isWorkingDay(cityDay(cityMidnight(date)));

describe('the 2026 calendar', () => {
  it('has the State Council’s days off and 调休 working weekends', () => {
    expect(Y2026.holidays).toHaveLength(33);
    expect(Y2026.workdays.map((d) => d.date)).toEqual(['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10']);
    expect(calendarProblems(Y2026)).toEqual([]);
    expect(working('2026-10-01')).toBe(false); // 国庆, a Thursday
    expect(working('2026-10-10')).toBe(true); // 调休, a Saturday
    expect(working('2026-10-11')).toBe(false); // an ordinary Sunday
    expect(working('2026-10-12')).toBe(true);
  });
});

describe('deadlineAfter', () => {
  it('counts 3 工作日 set the day before the National Day week past the holiday to the 调休 Saturday', () => {
    // 09-30 (Wed) 10:00 → 10-08, 10-09, then Saturday 10-10 worked in exchange.
    expect(due('2026-09-30T10:00:00+08:00', 3, 'workday')).toBe('2026-10-10T10:00:00+08:00');
    // Set in the evening, the clock starts the next working morning: the end of the third working day.
    expect(due('2026-09-30T20:00:00+08:00', 3, 'workday')).toBe('2026-10-10T17:30:00+08:00');
  });

  it('counts 工作时 through the working hours, skipping the lunch break and the weekend, onto a 调休 Sunday', () => {
    // Fri 09-18 16:00: 1.5 h that day; Sat 09-19 is off; Sun 09-20 is worked: 08:30 + 2.5 h.
    expect(due('2026-09-18T16:00:00+08:00', 4, 'workhour')).toBe('2026-09-20T11:00:00+08:00');
    // 11:00 + 4 h: one hour before noon, three after 14:00.
    expect(due('2026-03-02T11:00:00+08:00', 4, 'workhour')).toBe('2026-03-02T17:00:00+08:00');
    // Set in the lunch break, the clock starts at 14:00.
    expect(due('2026-03-02T12:30:00+08:00', 2, 'workhour')).toBe('2026-03-02T16:00:00+08:00');
  });

  it('jumps the Spring Festival: a 1-工作日 case of Saturday 02-14 (worked) set after hours is due when work resumes on 02-24', () => {
    expect(due('2026-02-13T15:00:00+08:00', 1, 'workday')).toBe('2026-02-14T15:00:00+08:00');
    expect(due('2026-02-14T18:00:00+08:00', 1, 'workday')).toBe('2026-02-24T17:30:00+08:00');
  });

  it('counts calendar days and hours round the clock', () => {
    expect(due('2026-09-30T10:00:00+08:00', 3, 'day')).toBe('2026-10-03T10:00:00+08:00');
    expect(due('2026-09-30T22:00:00+08:00', 6, 'hour')).toBe('2026-10-01T04:00:00+08:00');
  });

  it('has only weekends off in a year without a calendar, and keeps the seconds a deadline started at', () => {
    // 2027-01-01 is a Friday; without the 2027 notice it is a working day.
    expect(due('2026-12-31T17:00:00+08:00', 1, 'workhour')).toBe('2027-01-01T09:00:00+08:00');
    expect(deadlineAfter(cal, at('2026-03-02T09:00:30+08:00'), { amount: 1, unit: 'workhour' })).toBe(at('2026-03-02T10:00:30+08:00'));
  });

  it('reads each year’s own working hours', () => {
    const summer = workCalendar([
      {
        ...Y2026,
        workHours: [
          ['08:00', '12:00'],
          ['15:00', '18:00'],
        ],
      },
    ]);
    expect(due('2026-07-01T11:00:00+08:00', 2, 'workhour', summer)).toBe('2026-07-01T16:00:00+08:00');
    // A 工作日 is that year's day: seven hours here too.
    expect(due('2026-07-01T11:00:00+08:00', 1, 'workday', summer)).toBe('2026-07-02T11:00:00+08:00');
  });

  it('says when a calendar has no working time at all', () => {
    const never = workCalendar([{ ...Y2026, workHours: [] }]);
    expect(() => deadlineAfter({ ...never, isWorkingDay: () => false }, at('2026-03-02T09:00:00+08:00'), { amount: 1, unit: 'workday' })).toThrow(
      /no working time/,
    );
  });
});

describe('calendarProblems', () => {
  const base: CalendarYear = { year: 2027, holidays: [], workdays: [], workHours: [['08:30', '17:30']], source: '' };
  it('refuses a day that is both a holiday and a working day, naming it', () => {
    expect(calendarProblems({ ...base, holidays: [{ date: '2027-02-06', name: '春节' }], workdays: [{ date: '2027-02-06', name: '春节调休' }] })).toEqual([
      {
        path: 'workdays.0.date',
        message: '2027-02-06 is listed both as a holiday and as a working day; it can be only one',
        zh: '2027-02-06 既列为放假又列为调休上班，只能是其中一种',
      },
    ]);
  });
  it('refuses dates outside the year, non-dates, doubles, weekday 调休 days and hours out of order', () => {
    const problems = calendarProblems({
      ...base,
      holidays: [
        { date: '2026-10-01', name: '' },
        { date: '2027-02-30', name: '' },
        { date: '2027-10-01', name: '' },
        { date: '2027-10-01', name: '' },
      ],
      workdays: [{ date: '2027-03-03', name: '' }],
      workHours: [
        ['14:00', '17:30'],
        ['08:30', '12:00'],
      ],
    });
    expect(problems.map((p) => p.path)).toEqual(['holidays.0.date', 'holidays.1.date', 'holidays.3.date', 'workdays.0.date', 'workHours.1']);
    expect(problems[3].message).toMatch(/weekday/);
  });
});

it('writes a limit the way the ledger shows it', () => {
  expect(limitText({ amount: 3, unit: 'workday' }, 'zh')).toBe('3 个工作日');
  expect(limitText({ amount: 1, unit: 'workhour' }, 'en')).toBe('1 working hour');
  expect(limitText({ amount: 4, unit: 'hour' }, 'en')).toBe('4 hours');
});
