/**
 * Working days and working hours (工作日, 工作时), as the city's 处置时限 count them. Pure and zod-free:
 * both sides compute and show deadlines with it, and nothing here reads the clock.
 *
 * A day is a working day when it is Monday to Friday and not a statutory holiday, or when it is one of
 * the year's 调休 working weekend days. Working time is the day's working hours (by default 08:30–12:00
 * and 14:00–17:30, the usual office day; a city sets its own). A limit in 工作时 counts that many hours of
 * working time from the moment the clock starts; one in 工作日 counts that many whole working days of
 * working time, so a case assigned at 10:00 on a working day is due at 10:00 on the Nth working day after,
 * and one assigned in the evening or on a holiday starts counting at the next working morning.
 */
import { CITY_OFFSET, CITY_OFFSET_MS, cityDay, DAY_MS, dayDate, isCalendarDate } from './city-time';

/** How a 处置时限 is counted: working days, working hours, or calendar days and hours (round the clock). */
export const DEADLINE_UNITS = ['workday', 'workhour', 'day', 'hour'] as const;
export type DeadlineUnit = (typeof DEADLINE_UNITS)[number];

/** A category's rectification time. */
export interface DeadlineLimit {
  amount: number;
  unit: DeadlineUnit;
}

export const DEADLINE_UNIT_NAMES: Record<DeadlineUnit, { zh: string; en: string }> = {
  workday: { zh: '个工作日', en: 'working days' },
  workhour: { zh: '个工作时', en: 'working hours' },
  day: { zh: '天', en: 'days' },
  hour: { zh: '小时', en: 'hours' },
};

/** `3 个工作日` / `3 working days`. */
export function limitText(limit: DeadlineLimit, lang: 'zh' | 'en'): string {
  const name = DEADLINE_UNIT_NAMES[limit.unit][lang];
  return lang === 'zh' ? `${limit.amount} ${name}` : `${limit.amount} ${limit.amount === 1 ? name.replace(/s$/, '') : name}`;
}

/** A day of a year's calendar with its name (`国庆节`, `国庆节调休`). */
export interface CalendarDay {
  date: string;
  name: string;
}

/** One year's calendar as the State Council publishes it and the administrator keeps it. */
export interface CalendarYear {
  year: number;
  /** Days off by law (weekends inside a holiday may be listed or not: they are off either way). */
  holidays: CalendarDay[];
  /** Weekend days worked in exchange (调休上班). */
  workdays: CalendarDay[];
  /** The working hours of a working day, `HH:MM` pairs in order, city time. */
  workHours: [string, string][];
  /** Where the dates come from (the 国务院办公厅 notice). */
  source: string;
}

/** 08:30–12:00 and 14:00–17:30: seven hours, as most 机关 keep them (cities differ: each year's calendar says). */
export const DEFAULT_WORK_HOURS: [string, string][] = [
  ['08:30', '12:00'],
  ['14:00', '17:30'],
];

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
const weekday = (day: number) => (new Date(day * DAY_MS).getUTCDay() + 6) % 7; // Monday 0 … Sunday 6

/** One thing wrong with a calendar: the field, and the sentence in English and Chinese. */
export interface CalendarProblem {
  path: string;
  message: string;
  zh: string;
}

/**
 * What is wrong with a year's calendar, each with the field it is in (empty when nothing is): a date
 * not in the year or not a date, a day listed twice or as both holiday and working day, a 调休 working
 * day that is a weekday anyway, working hours out of order.
 */
export function calendarProblems(y: CalendarYear): CalendarProblem[] {
  const out: CalendarProblem[] = [];
  const seen = new Map<string, string>();
  const check = (list: CalendarDay[], field: 'holidays' | 'workdays') =>
    list.forEach((d, i) => {
      const path = `${field}.${i}.date`;
      const add = (message: string, zh: string) => out.push({ path, message, zh });
      if (!isCalendarDate(d.date)) return add(`"${d.date}" is not a date written YYYY-MM-DD`, `“${d.date}”不是日期（应写作 YYYY-MM-DD）`);
      if (!d.date.startsWith(`${y.year}-`)) return add(`${d.date} is not in ${y.year}`, `${d.date} 不在 ${y.year} 年内`);
      const other = seen.get(d.date);
      if (other === field) return add(`${d.date} is listed twice`, `${d.date} 列了两次`);
      if (other) {
        return add(`${d.date} is listed both as a holiday and as a working day; it can be only one`, `${d.date} 既列为放假又列为调休上班，只能是其中一种`);
      }
      seen.set(d.date, field);
      if (field === 'workdays' && weekday(cityDay(Date.parse(`${d.date}T12:00:00${CITY_OFFSET}`))) < 5) {
        add(
          `${d.date} is a weekday, a working day anyway: list only the weekend days worked in exchange (调休)`,
          `${d.date} 是周一至周五，本来就上班：调休上班日只列周末`,
        );
      }
    });
  check(y.holidays, 'holidays');
  check(y.workdays, 'workdays');
  let last = -1;
  y.workHours.forEach(([from, to], i) => {
    const path = `workHours.${i}`;
    const ok = /^([01]\d|2[0-3]):[0-5]\d$/;
    if (!ok.test(from) || !ok.test(to)) {
      return out.push({ path, message: 'working hours are HH:MM pairs, e.g. ["08:30", "12:00"]', zh: '工作时间写作 HH:MM 起止，如 08:30-12:00' });
    }
    if (minutesOf(from) >= minutesOf(to) || minutesOf(from) < last) {
      return out.push({
        path,
        message: 'working hours must be in order, each ending after it starts and after the one before',
        zh: '工作时间段须按先后排列，每段结束晚于开始且不与前一段重叠',
      });
    }
    last = minutesOf(to);
  });
  if (y.workHours.length === 0) out.push({ path: 'workHours', message: 'a working day needs working hours', zh: '工作日须有工作时间' });
  return out;
}

/** The calendars of the years known, ready for arithmetic. A year without one has weekends off only. */
export interface WorkCalendar {
  /** True for a working day (a city day index, see cityDay). */
  isWorkingDay(day: number): boolean;
  /** The working hours of a day in minutes after midnight. */
  hoursOf(day: number): [number, number][];
  /** The years that have a calendar. */
  years: number[];
}

export function workCalendar(years: readonly CalendarYear[]): WorkCalendar {
  const off = new Set<string>();
  const on = new Set<string>();
  const hours = new Map<number, [number, number][]>();
  for (const y of years) {
    for (const d of y.holidays) off.add(d.date);
    for (const d of y.workdays) on.add(d.date);
    hours.set(
      y.year,
      y.workHours.map(([a, b]) => [minutesOf(a), minutesOf(b)]),
    );
  }
  const defaults = DEFAULT_WORK_HOURS.map(([a, b]) => [minutesOf(a), minutesOf(b)] as [number, number]);
  return {
    isWorkingDay(day) {
      const date = dayDate(day);
      if (on.has(date)) return true;
      return weekday(day) < 5 && !off.has(date);
    },
    hoursOf(day) {
      return hours.get(Number(dayDate(day).slice(0, 4))) ?? defaults;
    },
    years: years.map((y) => y.year).sort((a, b) => a - b),
  };
}

/** How many working days `year` has under `cal`. */
export function workingDaysInYear(cal: WorkCalendar, year: number): number {
  let n = 0;
  const end = cityDay(Date.parse(`${year + 1}-01-01T12:00:00${CITY_OFFSET}`));
  for (let d = cityDay(Date.parse(`${year}-01-01T12:00:00${CITY_OFFSET}`)); d < end; d++) if (cal.isWorkingDay(d)) n++;
  return n;
}

/** Longer than any 处置时限 (a 20-工作日 demolition fits many times over): a calendar with no working days ends here. */
const MAX_DAYS = 3660;

/**
 * The moment a limit started at `fromMs` runs out: calendar days and hours round the clock, working days
 * and hours through the calendar's working time (see the file's comment).
 * @throws RangeError when the calendar has no working time for ten years after `fromMs`.
 */
export function deadlineAfter(cal: WorkCalendar, fromMs: number, limit: DeadlineLimit): number {
  if (limit.unit === 'day') return fromMs + limit.amount * DAY_MS;
  if (limit.unit === 'hour') return fromMs + limit.amount * 3_600_000;
  const startDay = cityDay(fromMs);
  let left = limit.unit === 'workhour' ? limit.amount * 60 : limit.amount * cal.hoursOf(startDay).reduce((sum, [a, b]) => sum + b - a, 0);
  // Minutes after the city's midnight, with the seconds, so a deadline keeps the clock time it started at.
  const offsetMs = fromMs - (startDay * DAY_MS - CITY_OFFSET_MS);
  for (let day = startDay; day < startDay + MAX_DAYS; day++) {
    if (!cal.isWorkingDay(day)) continue;
    const midnightMs = day * DAY_MS - CITY_OFFSET_MS;
    for (const [a, b] of cal.hoursOf(day)) {
      const from = day === startDay ? Math.max(a, offsetMs / 60_000) : a;
      if (from >= b) continue;
      if (left <= b - from) return Math.round(midnightMs + (from + left) * 60_000);
      left -= b - from;
    }
  }
  throw new RangeError(`the calendar has no working time in the ${MAX_DAYS} days after ${dayDate(startDay)}`);
}
