/**
 * What the planner and the print sheet say about a walked plan, pure: the team's summary line, a stop's
 * reached mark, a back street's covered share, and the newest position per team from the progress and
 * the `team.position` events (the fade and the events themselves: lib/team-positions.ts, shared with
 * the big screen).
 */
import type { StopProgress, StreetProgress, TeamPositionEvent, TeamProgress } from '../../../../server/contract/tracks';
import { cityClock } from '../../../../server/contract/city-time';
import type { LngLat } from '../../api/types';
import { translate, type Lang } from '../../app/i18n';

/** A share 0–1 as a whole percentage; never 100 unless the whole street was walked. */
export function sharePercent(share: number): number {
  const pct = Math.round(share * 100);
  return pct === 100 && share < 1 ? 99 : pct;
}

/**
 * The team's line: walked distance, stops reached of planned, and the back streets' covered share when
 * it has back streets.
 *
 * @example progressSummary(team, 'zh') // '实走 3.8 km · 到达 17/18 站 · 背街小巷覆盖 92 %'
 */
export function progressSummary(team: Pick<TeamProgress, 'walkedM' | 'reached' | 'stops' | 'backStreetShare'>, lang: Lang): string {
  // Kilometres with one decimal at any length: the lines of several teams compare at a glance.
  const parts = [translate(lang, 'plan.progress.summary', { km: (team.walkedM / 1000).toFixed(1), reached: team.reached, stops: team.stops.length })];
  if (team.backStreetShare !== null) parts.push(translate(lang, 'plan.progress.streets', { share: sharePercent(team.backStreetShare) }));
  return parts.join(' · ');
}

/** `HH:mm` in the city of an ISO time, null for none. */
export function cityHhmm(iso: string | null): string | null {
  if (!iso) return null;
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? cityClock(ms) : null;
}

/** A stop's mark: reached and when, or not reached and how near the walk came. */
export function stopMark(stop: Pick<StopProgress, 'reached' | 'reachedAt' | 'closestM'>, lang: Lang): string {
  const at = cityHhmm(stop.reachedAt);
  if (stop.reached) return at ? translate(lang, 'plan.progress.reachedAt', { time: at }) : translate(lang, 'plan.progress.reached');
  if (stop.closestM === null) return translate(lang, 'plan.progress.notReached');
  return translate(lang, 'plan.progress.notReachedClosest', { m: Math.round(stop.closestM) });
}

/**
 * A back street's covered share as the stop's note, null when there is nothing to add: not a street, or
 * a street neither reached nor walked at all (its ✗ says that already).
 */
export function coverageNote(stop: Pick<StopProgress, 'reached'>, street: Pick<StreetProgress, 'coveredShare'> | undefined, lang: Lang): string | null {
  if (!street || (!stop.reached && street.coveredShare <= 0)) return null;
  return translate(lang, 'plan.progress.covered', { share: sharePercent(street.coveredShare) });
}

/** A team's newest position. */
export interface TeamFix {
  team: number;
  lngLat: LngLat;
  atMs: number;
}

/**
 * The newest position of each team of `planId`: from the progress (its latest fix) and the events
 * that came since, whichever is later (an event replayed after a reconnect may be older).
 */
export function latestFixes(teams: readonly Pick<TeamProgress, 'index' | 'position'>[], events: readonly TeamPositionEvent[], planId: string): TeamFix[] {
  const byTeam = new Map<number, TeamFix>();
  const offer = (fix: TeamFix) => {
    const had = byTeam.get(fix.team);
    if (Number.isFinite(fix.atMs) && (!had || fix.atMs > had.atMs)) byTeam.set(fix.team, fix);
  };
  for (const t of teams) if (t.position) offer({ team: t.index, lngLat: [t.position.lngLat[0], t.position.lngLat[1]], atMs: Date.parse(t.position.at) });
  for (const e of events) if (e.planId === planId) offer({ team: e.team, lngLat: [e.lng, e.lat], atMs: Date.parse(e.at) });
  return [...byTeam.values()].sort((a, b) => a.team - b.team);
}
