import { checkCalendar, type CalendarBody, type CalendarYearOut } from '../../contract/calendar';
import type { Catalog } from '../../contract/catalog';
import {
  deadlineAfter,
  DEFAULT_WORK_HOURS,
  workCalendar,
  workingDaysInYear,
  type CalendarYear,
  type DeadlineLimit,
  type WorkCalendar,
} from '../../contract/work-calendar';
import { bilingual, InputError } from '../../errors';
import type { Store } from '../../store/index';

/** The settings key of the years the administrator entered: `{ "2027": CalendarYear, … }`. */
const CALENDAR_KEY = 'calendar.years';

/** Rectification time when the category names none. */
export const DEFAULT_LIMIT: DeadlineLimit = { amount: 5, unit: 'workday' };

async function editedYears(store: Store): Promise<{ years: Record<string, CalendarYear>; updatedAt: string | null }> {
  const row = await store.getSetting(CALENDAR_KEY);
  if (!row || row.value === null || typeof row.value !== 'object') return { years: {}, updatedAt: null };
  // A stored year that no longer passes (written by hand, by an older Xuncha) is left out, not trusted.
  const years: Record<string, CalendarYear> = {};
  for (const [k, v] of Object.entries(row.value as Record<string, CalendarYear>)) {
    if (v && typeof v === 'object' && Array.isArray(v.holidays) && Array.isArray(v.workdays) && checkCalendar(Number(k), v).problems.length === 0) years[k] = v;
  }
  return { years, updatedAt: row.updatedAt };
}

/** Every year's calendar in force: the administrator's where entered, else the catalog's. */
export async function cityCalendar(store: Store, catalog: Catalog): Promise<WorkCalendar> {
  const edited = (await editedYears(store)).years;
  const years = new Map<number, CalendarYear>(catalog.calendars.map((y) => [y.year, y]));
  for (const y of Object.values(edited)) years.set(y.year, y);
  return workCalendar([...years.values()]);
}

/** A year's calendar in force, and where it comes from. */
export async function calendarYear(store: Store, catalog: Catalog, year: number): Promise<CalendarYearOut> {
  const { years, updatedAt } = await editedYears(store);
  const edited = years[String(year)];
  const shipped = catalog.calendars.find((y) => y.year === year);
  const y = edited ?? shipped ?? { year, holidays: [], workdays: [], workHours: DEFAULT_WORK_HOURS, source: '' };
  return {
    ...y,
    year,
    origin: edited ? 'edited' : shipped ? 'shipped' : 'none',
    updatedAt: edited ? updatedAt : null,
    workingDays: workingDaysInYear(workCalendar([y]), year),
  };
}

/**
 * Replaces a year's calendar with the administrator's.
 * @throws InputError naming each day or field that is wrong (the route's 400); nothing is stored then.
 */
export async function putCalendarYear(store: Store, catalog: Catalog, year: number, body: CalendarBody, nowMs: number): Promise<CalendarYearOut> {
  const checked = checkCalendar(year, body);
  if (checked.problems.length > 0) {
    const first = checked.problems[0];
    throw new InputError(
      bilingual(`${year} 年工作日历有误：${first.zh}`, `Invalid json.${first.path}: ${first.message}`),
      checked.problems.map((p) => ({ path: `json.${p.path}`, message: p.message })),
    );
  }
  const { years } = await editedYears(store);
  years[String(year)] = checked.year;
  await store.putSetting(CALENDAR_KEY, years, new Date(nowMs).toISOString());
  return calendarYear(store, catalog, year);
}

/** Drops the administrator's calendar of `year` (the shipped one, or weekends only, is in force again). */
export async function deleteCalendarYear(store: Store, catalog: Catalog, year: number, nowMs: number): Promise<CalendarYearOut> {
  const { years } = await editedYears(store);
  if (years[String(year)]) {
    delete years[String(year)];
    await store.putSetting(CALENDAR_KEY, years, new Date(nowMs).toISOString());
  }
  return calendarYear(store, catalog, year);
}

/** A category's 处置时限 (the catalog's `deadline`, else DEFAULT_LIMIT). */
export function limitOf(catalog: Catalog, category: string): DeadlineLimit {
  return catalog.categories.find((c) => c.id === category)?.deadline ?? DEFAULT_LIMIT;
}

/** When a case of `category` whose clock starts at `fromMs` is due, counted through the city's calendar. */
export function categoryDeadline(cal: WorkCalendar, catalog: Catalog, category: string, fromMs: number): number {
  return deadlineAfter(cal, fromMs, limitOf(catalog, category));
}
