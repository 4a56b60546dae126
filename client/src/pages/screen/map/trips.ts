/**
 * Today's inspection routes as deck.gl TripsLayer data: each team's route line with a time at every
 * vertex, taken from the plan's schedule. Between two stops the team moves at an even pace along the
 * line (time interpolated by distance, departure → next arrival); at a stop it waits (a repeated
 * vertex: arrival, then departure), and a back street is walked during its stop from one end to the
 * other. Pure: no deck.gl, no clock.
 */
import type { ScreenPlanTeam } from '../../../../../server/contract/screen-plans';
import type { LngLat } from '../../../../../server/contract/geo';

/** One team's animated path. Times are seconds since the day's first team start (`TripsDay.startMs`). */
export interface Trip {
  name: string;
  color: [number, number, number];
  path: LngLat[];
  timestamps: number[];
}

export interface TripsDay {
  trips: Trip[];
  /** Epoch ms of time 0 (the earliest team start). */
  startMs: number;
  /** Seconds from the first start to the last team's end. */
  spanS: number;
}

const EARTH_M_PER_DEG = 111_320;

/** Builds the trips of today's teams; teams without a usable line are left out. */
export function buildTrips(teams: readonly ScreenPlanTeam[]): TripsDay {
  const usable = teams.filter((t) => t.geometry.coordinates.length >= 2 && Number.isFinite(Date.parse(t.startAt)));
  if (usable.length === 0) return { trips: [], startMs: 0, spanS: 0 };
  const startMs = Math.min(...usable.map((t) => Date.parse(t.startAt)));
  const trips = usable.map((t) => teamTrip(t, startMs));
  const spanS = Math.max(1, ...trips.map((t) => t.timestamps[t.timestamps.length - 1]));
  return { trips, startMs, spanS };
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
  return { name: team.name, color: hexColor(team.color), path, timestamps };
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
