/**
 * Today's inspection routes as deck.gl TripsLayer data: each team's route line with a time at every
 * vertex, taken from the plan's schedule. Between two stops the team moves at an even pace along the
 * line (time interpolated by distance, departure → next arrival); at a stop it waits (a repeated
 * vertex: arrival, then departure), and a back street is walked during its stop from one end to the
 * other. A team that has walked (a walked track from GET /api/plans/:id/tracks) is replayed along
 * what it walked, at the times of its fixes, instead of its plan. Pure: no deck.gl, no clock.
 */
import type { ScreenPlanTeam } from '../../../../../server/contract/screen-plans';
import type { WalkedTrack, WalkedTracks } from '../../../../../server/contract/tracks';
import type { LngLat } from '../../../../../server/contract/geo';

/** One animated path. Times are seconds since the day's first start (`TripsDay.startMs`). */
export interface Trip {
  /** The team's key (teamKey): a walked team has a trip per part of its track. */
  key: string;
  name: string;
  color: [number, number, number];
  path: LngLat[];
  timestamps: number[];
  /** Replays the walked track, not the plan. */
  walked: boolean;
}

export interface TripsDay {
  /** What is animated: the walked tracks where a team has one, the planned trips of the others. */
  trips: Trip[];
  /** Every team's planned trip (the faint route lines under the animation). */
  planned: Trip[];
  /** Epoch ms of time 0 (the earliest team start or fix). */
  startMs: number;
  /** Seconds from time 0 to the last team's end or fix. */
  spanS: number;
}

const EARTH_M_PER_DEG = 111_320;

/** A team across the day's plans: its plan and its index there (ScreenPlanTeam.team, WalkedTrack's properties.team). */
export const teamKey = (planId: string, team: number): string => `${planId}:${team}`;

/**
 * The walked track of each of today's teams, by teamKey: each plan's features matched to its teams by
 * `properties.team`; features of teams not on the screen's routes are left out.
 */
export function walkedByTeam(teams: readonly ScreenPlanTeam[], plans: readonly { planId: string; tracks: WalkedTracks }[]): Map<string, WalkedTrack> {
  const wanted = new Set(teams.map((t) => teamKey(t.planId, t.team)));
  const out = new Map<string, WalkedTrack>();
  for (const { planId, tracks } of plans) {
    for (const f of tracks.features) {
      const key = teamKey(planId, f.properties.team);
      if (wanted.has(key) && f.geometry.coordinates.some((part) => part.length >= 2)) out.set(key, f);
    }
  }
  return out;
}

/** Builds the trips of today's teams; teams with neither a usable line nor a walked track are left out. */
export function buildTrips(teams: readonly ScreenPlanTeam[], walked: ReadonlyMap<string, WalkedTrack> = new Map()): TripsDay {
  const usable = teams.filter((t) => t.geometry.coordinates.length >= 2 && Number.isFinite(Date.parse(t.startAt)));
  const starts = usable.map((t) => Date.parse(t.startAt));
  for (const f of walked.values()) for (const times of f.properties.times) if (times.length) starts.push(times[0]);
  if (starts.length === 0) return { trips: [], planned: [], startMs: 0, spanS: 0 };
  const startMs = Math.min(...starts);
  const planned = usable.map((t) => teamTrip(t, startMs));
  const trips: Trip[] = [];
  for (const t of teams) {
    const key = teamKey(t.planId, t.team);
    const track = walked.get(key);
    if (track) trips.push(...walkedTrips(t, track, startMs));
    else if (usable.includes(t)) trips.push(planned[usable.indexOf(t)]);
  }
  const spanS = Math.max(1, ...[...trips, ...planned].map((t) => t.timestamps[t.timestamps.length - 1]));
  return { trips, planned, startMs, spanS };
}

/**
 * A walked track as trips in its team's colour, one per part (a gap in the fixes breaks the line),
 * timed by its fixes; times kept non-decreasing, as TripsLayer needs.
 */
function walkedTrips(team: ScreenPlanTeam, track: WalkedTrack, startMs: number): Trip[] {
  const key = teamKey(team.planId, team.team);
  const color = hexColor(team.color);
  const out: Trip[] = [];
  track.geometry.coordinates.forEach((part, i) => {
    const times = track.properties.times[i] ?? [];
    if (part.length < 2 || times.length !== part.length) return;
    const timestamps: number[] = [];
    for (const ms of times) timestamps.push(Math.max(timestamps[timestamps.length - 1] ?? -Infinity, (ms - startMs) / 1000));
    out.push({ key, name: team.name, color, path: part.map((c) => [c[0], c[1]] as LngLat), timestamps, walked: true });
  });
  return out;
}

interface Anchor {
  d: number;
  t: number;
  at: LngLat;
}

function teamTrip(team: ScreenPlanTeam, startMs: number): Trip {
  const line = team.geometry.coordinates.map((c) => [c[0], c[1]] as LngLat);
  const cum = cumulative(line);
  const total = cum[cum.length - 1];
  const sec = (iso: string) => (Date.parse(iso) - startMs) / 1000;

  // Anchors in order along the line and in time: start, each stop's arrival and departure, the end.
  const anchors: Anchor[] = [{ d: 0, t: sec(team.startAt), at: line[0] }];
  let from = 0;
  const push = (lngLat: LngLat, t: number) => {
    const prev = anchors[anchors.length - 1];
    const p = project(line, cum, lngLat, from);
    from = p.segment;
    anchors.push({ d: Math.max(prev.d, p.d), t: Math.max(prev.t, Number.isFinite(t) ? t : prev.t), at: p.at });
  };
  for (const s of team.stops) {
    push(s.lngLat, sec(s.arrival));
    push(s.leaveLngLat, sec(s.departure));
  }
  const last = anchors[anchors.length - 1];
  const endT = Math.max(last.t, sec(team.endAt));
  if (total > last.d) anchors.push({ d: total, t: endT, at: line[line.length - 1] });

  // Merge the line's vertices with the anchors by distance; a vertex takes its time from the anchors
  // around it.
  const path: LngLat[] = [];
  const timestamps: number[] = [];
  let a = 0;
  for (let i = 0; i < line.length; i++) {
    const d = cum[i];
    while (a < anchors.length && anchors[a].d <= d) {
      path.push(anchors[a].at);
      timestamps.push(anchors[a].t);
      a++;
    }
    if (a === 0 || a >= anchors.length) continue;
    const p = anchors[a - 1];
    const n = anchors[a];
    if (d <= p.d) continue;
    const f = n.d > p.d ? (d - p.d) / (n.d - p.d) : 0;
    path.push(line[i]);
    timestamps.push(p.t + f * (n.t - p.t));
  }
  for (; a < anchors.length; a++) {
    path.push(anchors[a].at);
    timestamps.push(anchors[a].t);
  }
  return { key: teamKey(team.planId, team.team), name: team.name, color: hexColor(team.color), path, timestamps, walked: false };
}

/** Cumulative length in metres at each vertex (local equirectangular: a city is small). */
function cumulative(line: readonly LngLat[]): number[] {
  const out = [0];
  for (let i = 1; i < line.length; i++) out.push(out[i - 1] + metres(line[i - 1], line[i]));
  return out;
}

function metres(a: LngLat, b: LngLat): number {
  const kx = Math.cos(((a[1] + b[1]) / 2) * (Math.PI / 180)) * EARTH_M_PER_DEG;
  return Math.hypot((b[0] - a[0]) * kx, (b[1] - a[1]) * EARTH_M_PER_DEG);
}

/**
 * The point of the line nearest to `p`, searched from segment `from` on (stops come in route order,
 * so a route passing the same corner twice matches the right pass): distance along and segment.
 */
export function project(line: readonly LngLat[], cum: readonly number[], p: LngLat, from = 0): { d: number; segment: number; at: LngLat } {
  const kx = Math.cos(p[1] * (Math.PI / 180));
  let best = { d: cum[Math.min(from, cum.length - 1)], segment: from, at: line[Math.min(from, line.length - 1)], dist: Infinity };
  for (let i = Math.max(0, from); i < line.length - 1; i++) {
    const [ax, ay] = line[i];
    const [bx, by] = line[i + 1];
    const dx = (bx - ax) * kx;
    const dy = by - ay;
    const len2 = dx * dx + dy * dy;
    const f = len2 > 0 ? Math.max(0, Math.min(1, ((p[0] - ax) * kx * dx + (p[1] - ay) * dy) / len2)) : 0;
    const x = ax + f * (bx - ax);
    const y = ay + f * (by - ay);
    const dist = Math.hypot((p[0] - x) * kx, p[1] - y);
    if (dist < best.dist - 1e-12) best = { d: cum[i] + f * (cum[i + 1] - cum[i]), segment: i, at: [x, y], dist };
  }
  return { d: best.d, segment: best.segment, at: best.at };
}

/** `#rrggbb` → [r, g, b]; anything else → a visible blue. */
export function hexColor(hex: string): [number, number, number] {
  const m = /^#?([0-9a-f]{6})$/i.exec(hex.trim());
  if (!m) return [59, 139, 255];
  const n = parseInt(m[1], 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/** Real milliseconds one loop of the working day takes on the wall. */
export const TRIPS_LOOP_MS = 60_000;

/** The trips' time (seconds since the day's start) shown at `elapsedMs` of wall time: a loop. */
export function loopTime(elapsedMs: number, spanS: number, loopMs = TRIPS_LOOP_MS): number {
  if (spanS <= 0) return 0;
  const phase = (((elapsedMs % loopMs) + loopMs) % loopMs) / loopMs;
  return phase * spanS;
}
