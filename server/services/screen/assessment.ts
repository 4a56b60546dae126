import { AssessmentInput, AssessmentSetting, daysBetween, ASSESSMENT_AHEAD_DAYS, type AssessmentCountdown } from '../../contract/screen';
import type { Store } from '../../store/index';
import { cityDate } from '../../contract/city-time';

/** The settings key of the assessment window. */
const KEY = 'screen.assessment';

/**
 * The assessment window as the administrator set it, or null. A stored value that no longer passes the
 * schema (edited by hand, written by another version) counts as none rather than breaking the screen.
 */
export async function getAssessment(store: Store): Promise<AssessmentSetting> {
  const row = await store.getSetting(KEY);
  if (!row) return null;
  const parsed = AssessmentInput.safeParse(row.value);
  return parsed.success ? { ...parsed.data, updatedAt: row.updatedAt } : null;
}

/** Stores the window (already validated by the route); `nowMs` stamps it. */
export async function setAssessment(store: Store, input: AssessmentInput, nowMs: number): Promise<AssessmentSetting> {
  await store.putSetting(KEY, { name: input.name, start: input.start, end: input.end }, new Date(nowMs).toISOString());
  return getAssessment(store);
}

/** Removes the window (the countdown disappears); true when one was set. */
export async function clearAssessment(store: Store): Promise<boolean> {
  return store.deleteSetting(KEY);
}

/**
 * What the header shows on the city day holding `nowMs`: `ahead` with the days until the first day
 * (1 = tomorrow) when that is at most 400 days away, `during` with the day of the window (1 = its first
 * day), null before that horizon, after the last day, or without a window.
 *
 * @example
 * assessmentCountdown({ name: '测评', start: '2027-03-01', end: '2027-03-31' }, Date.parse('2027-02-27T09:00:00+08:00'))
 * // → { name: '测评', start: '2027-03-01', end: '2027-03-31', phase: 'ahead', days: 2 }
 */
export function assessmentCountdown(a: { name: string; start: string; end: string } | null, nowMs: number): AssessmentCountdown {
  if (!a) return null;
  const today = cityDate(nowMs);
  const toStart = daysBetween(today, a.start);
  const base = { name: a.name, start: a.start, end: a.end };
  if (toStart > 0) return toStart <= ASSESSMENT_AHEAD_DAYS ? { ...base, phase: 'ahead', days: toStart } : null;
  if (daysBetween(today, a.end) >= 0) return { ...base, phase: 'during', days: 1 - toStart };
  return null;
}
