/**
 * The hotspot page's time window: whole weeks of the points' span, held once as the filters' dates
 * (which the URL and the filter panel show). The slider reads weeks from the dates and writes dates
 * back; playback steps it. Pure.
 */
import type { ProblemFilters } from '../../lib/filters';
import { weekOfDay, weekStartDate, type WeekCalendar } from '../../map/deck/points-bin';

/** Inclusive week indices. */
export type WeekWindow = [number, number];

/** Weeks shown at a time while playing, when the window was the whole span. */
export const PLAY_WINDOW_WEEKS = 4;

const DAY_MS = 86_400_000;

/** The weeks holding the filters' dates (clamped to the span); no dates: the whole span. */
export function windowOfDates(cal: WeekCalendar, dates: Pick<ProblemFilters, 'from' | 'to'>): WeekWindow {
  const last = Math.max(0, cal.weeks - 1);
  const base = Date.parse(`${cal.dictionary.baseDate}T00:00:00Z`);
  const toWeek = (date: string | null, fallback: number) =>
    date ? Math.min(last, Math.max(0, weekOfDay(cal, Math.round((Date.parse(`${date}T00:00:00Z`) - base) / DAY_MS)))) : fallback;
  const from = toWeek(dates.from, 0);
  return [from, Math.max(from, toWeek(dates.to, last))];
}

/** The dates of a window: from the Monday of its first week to the Sunday of its last. */
export function datesOfWindow(cal: WeekCalendar, win: WeekWindow): { from: string; to: string } {
  return { from: weekStartDate(cal, win[0]), to: addDays(weekStartDate(cal, win[1]), 6) };
}

/**
 * The next step of playback over `weeks` weeks: one week on, keeping the width; the whole span starts
 * over with the first PLAY_WINDOW_WEEKS; null once the window has reached the last week (playback stops).
 */
export function nextPlayWindow(win: WeekWindow, weeks: number): WeekWindow | null {
  const [a, b] = win;
  if (b - a + 1 >= weeks) return weeks > PLAY_WINDOW_WEEKS ? [0, PLAY_WINDOW_WEEKS - 1] : null;
  if (b + 1 >= weeks) return null;
  return [a + 1, b + 1];
}

/** `date` (YYYY-MM-DD) plus `days`. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}
