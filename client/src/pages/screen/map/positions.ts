/**
 * The teams' latest positions on the big screen, pure: today's positions (GET /api/tracks/positions)
 * and the `team.position` events since, the newest per team, named and coloured from the answer or
 * from today's routes, faded after TRACK_FADE_MS without a fix.
 */
import { cityDate } from '../../../../../server/contract/city-time';
import type { ScreenPlanTeam } from '../../../../../server/contract/screen-plans';
import type { TeamPositionEvent, TeamPositions } from '../../../../../server/contract/tracks';
import type { LngLat } from '../../../../../server/contract/geo';
import { isFaded } from '../../../lib/team-positions';
import { hexColor, teamKey } from './trips';

export interface TeamMarker {
  key: string;
  name: string;
  color: [number, number, number];
  lngLat: LngLat;
  atMs: number;
  faded: boolean;
}

/**
 * One marker per team seen today: the newest of its answered position and its events. An event of a team
 * neither the answer nor today's routes name (another district's wall) is not drawn, nor a position of
 * another day (a wall left on over midnight). In a stable order, so the legend's entries stay put.
 */
export function teamMarkers(
  positions: TeamPositions | null,
  events: readonly TeamPositionEvent[],
  teams: readonly Pick<ScreenPlanTeam, 'planId' | 'team' | 'name' | 'color'>[],
  nowMs: number,
): TeamMarker[] {
  const who = new Map<string, { name: string; color: string }>();
  for (const t of teams) who.set(teamKey(t.planId, t.team), { name: t.name, color: t.color });
  for (const p of positions?.teams ?? []) who.set(teamKey(p.planId, p.team), { name: p.name, color: p.color });

  const newest = new Map<string, { lngLat: LngLat; atMs: number }>();
  const offer = (key: string, lngLat: LngLat, atMs: number) => {
    const had = newest.get(key);
    if (Number.isFinite(atMs) && (!had || atMs > had.atMs)) newest.set(key, { lngLat, atMs });
  };
  for (const p of positions?.teams ?? []) offer(teamKey(p.planId, p.team), [p.position.lngLat[0], p.position.lngLat[1]], Date.parse(p.position.at));
  for (const e of events) offer(teamKey(e.planId, e.team), [e.lng, e.lat], Date.parse(e.at));

  const today = cityDate(nowMs);
  const out: TeamMarker[] = [];
  for (const [key, fix] of newest) {
    const team = who.get(key);
    if (!team || cityDate(fix.atMs) !== today) continue;
    out.push({ key, name: team.name, color: hexColor(team.color), lngLat: fix.lngLat, atMs: fix.atMs, faded: isFaded(fix.atMs, nowMs) });
  }
  // Today's routes' order (the legend's routes row), then the plan and the team index: 第二组 never
  // before 第一组, as a sort by name (pinyin) would put it.
  const order = new Map(teams.map((t, i) => [teamKey(t.planId, t.team), i]));
  const rank = (m: TeamMarker) => order.get(m.key) ?? teams.length;
  return out.sort((a, b) => rank(a) - rank(b) || a.key.localeCompare(b.key, 'en', { numeric: true }));
}
