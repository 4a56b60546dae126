/**
 * Team positions as the plan page and the big screen both draw them: when a position has faded, the
 * grey it fades to, and the `team.position` events of the stream, checked and kept newest per team.
 */
import type { TeamPositionEvent } from '../../../server/contract/tracks';
import { TRACK_FADE_MS } from '../../../server/contract/track-rules';

/** A position without a fix for longer than TRACK_FADE_MS is drawn in this grey, half see-through. */
export const FADED_RGB: [number, number, number] = [148, 163, 184];
export const FADED_ALPHA = 0.55;

/** True once a position is older than TRACK_FADE_MS at `nowMs` (an unreadable time counts as old). */
export function isFaded(atMs: number, nowMs: number): boolean {
  return !(nowMs - atMs <= TRACK_FADE_MS);
}

/** Is `data` a `team.position` event's data? (The stream's JSON is checked before it is drawn.) */
export function isTeamPositionEvent(data: unknown): data is TeamPositionEvent {
  if (!data || typeof data !== 'object') return false;
  const d = data as Record<string, unknown>;
  return (
    typeof d.planId === 'string' &&
    Number.isInteger(d.team) &&
    typeof d.lng === 'number' &&
    typeof d.lat === 'number' &&
    typeof d.at === 'string' &&
    Number.isFinite(Date.parse(d.at))
  );
}

/** Keeps the newest event per plan and team (the list a page holds stays one entry a team). */
export function upsertEvent(events: readonly TeamPositionEvent[], next: TeamPositionEvent): TeamPositionEvent[] {
  const i = events.findIndex((e) => e.planId === next.planId && e.team === next.team);
  if (i < 0) return [...events, next];
  if (Date.parse(events[i].at) >= Date.parse(next.at)) return events as TeamPositionEvent[];
  const out = events.slice();
  out[i] = next;
  return out;
}
