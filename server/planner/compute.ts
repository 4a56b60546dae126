/**
 * From stops and teams to a timed plan: unique locations (team starts and ends, stops, back-street
 * ends) → snapped one by one (a stop off the network is dropped with its reason, a team start off it
 * is the caller's mistake) → one travel-time matrix → the solver (`solve`, or `timeRoutes` for an
 * edited plan) → per team the ordered stops with ISO times, the route along the streets, totals.
 * Road access sits behind the small `Router` interface, so this module holds no I/O.
 */
import { TEAM_COLORS } from '../contract/team-colors';
import { AppError, bilingual } from '../errors';
import type { DroppedStop, DropReasonCode, PlannedStopOut, PlannedTeam, PlanStopBase } from '../contract/plans';
import { solve, timeRoutes, type Job, type Problem, type RouteInput, type Team, type TimeWindow } from '../solver/index';
import { clockToSeconds, isoAt } from './clock';
import { reasonText } from './reasons';
import type { LngLat } from '../contract/geo';

/** The road engine as the planner uses it (one profile). */
export interface Router {
  /** Throws a SnapError when the point is too far from a usable road; anything else propagates. */
  snap(p: LngLat): void;
  /** Row-major n × n: whole seconds (-1 unreachable) and metres (NaN unreachable). */
  matrix(points: LngLat[]): { durationsS: Int32Array; distancesM: Float64Array };
  /** The route along the streets, as positions. */
  path(from: LngLat, to: LngLat): LngLat[];
  /** True for the error `snap` throws for a point off the network. */
  isSnapError(err: unknown): boolean;
}

export interface TeamSpec {
  name: string;
  start: LngLat;
  end: LngLat | null;
  /** What the start and end are called, carried to the plan as given. */
  startName?: string | null;
  endName?: string | null;
  shiftStart: string;
  budgetS: number;
  skills: string[];
}

/** A route as the planner edits it: stop ids in order. */
export interface EditedRoute {
  team: number;
  stops: { id: string; locked?: boolean; reversed?: boolean }[];
}

export type PlanMode =
  | {
      kind: 'solve';
      seed: number;
      timeLimitMs: number | null;
      balance: boolean;
      /** Warm start and locks (re-optimise around the locks). */
      initial?: EditedRoute[];
    }
  | { kind: 'time'; routes: EditedRoute[] };

export interface ComputeInput {
  date: string;
  profile: string;
  teams: TeamSpec[];
  stops: PlanStopBase[];
  mode: PlanMode;
  /** Monotonic ms clock (performance.now in the app), for the solver's deadline and the timings. */
  now: () => number;
}

export interface ComputedPlan {
  teams: PlannedTeam[];
  dropped: DroppedStop[];
  totals: { stops: number; served: number; dropped: number; travelS: number; travelM: number; dwellS: number; longestS: number; violations: number };
  timing: { matrixMs: number; solveMs: number; geometryMs: number; totalMs: number; iterations: number };
}

/** Least solver time when the matrix took most of the default budget. */
const MIN_SOLVE_MS = 150;
/** Click-to-solved budget when the caller gives no limit: grows with the stops, capped so click-to-routes stays under 2 s. */
export function defaultTimeLimitMs(nStops: number): number {
  return Math.min(1500, 100 + 6 * nStops);
}
// Unreachable cells never occur between kept locations; this only keeps the matrix valid Int32.
const UNREACHABLE_S = 100_000_000;

const round7 = (v: number) => Math.round(v * 1e7) / 1e7;
const round1 = (v: number) => Math.round(v * 10) / 10;
const keyOf = (p: LngLat) => `${p[0]},${p[1]}`;

/**
 * Plans (or re-times) the routes.
 * @throws AppError 422 when a team's start or end is off the road network or cut off from the others.
 * @example
 * const plan = computePlan(router, { date: '2026-03-20', profile: 'walk', teams, stops,
 *   mode: { kind: 'solve', seed: 1, timeLimitMs: null, balance: false }, now: () => performance.now() });
 */
export function computePlan(router: Router, input: ComputeInput): ComputedPlan {
  const { now, teams, stops, date } = input;
  const t0 = now();
  const dropped = new Map<number, DropReasonCode>();

  // Unique locations: teams first, so their indices are stable and checked first.
  const points: LngLat[] = [];
  const indexOf = new Map<string, number>();
  const loc = (p: LngLat) => {
    const k = keyOf(p);
    let i = indexOf.get(k);
    if (i === undefined) {
      i = points.length;
      indexOf.set(k, i);
      points.push(p);
    }
    return i;
  };
  const teamLoc = teams.map((t) => ({ start: loc(t.start), end: t.end ? loc(t.end) : -1 }));
  const stopLoc = stops.map((s) => ({ a: loc(s.lngLat), b: s.otherEnd ? loc(s.otherEnd) : -1 }));

  // Snap each location once: a bad stop is dropped, a bad team point is refused.
  const ok = new Uint8Array(points.length);
  points.forEach((p, i) => {
    try {
      router.snap(p);
      ok[i] = 1;
    } catch (err) {
      if (!router.isSnapError(err)) throw err;
    }
  });
  teams.forEach((t, ti) => {
    for (const [what, li] of [
      ['起点 start', teamLoc[ti].start],
      ['终点 end', teamLoc[ti].end],
    ] as const) {
      if (li >= 0 && !ok[li]) {
        throw new AppError(
          422,
          bilingual(
            `巡查组「${t.name}」的${what.split(' ')[0]}离道路太远。`,
            `The ${what.split(' ')[1]} of team "${t.name}" at [${points[li].join(', ')}] is more than 500 m from a road usable by ${input.profile}: move it next to a street.`,
          ),
        );
      }
    }
  });
  stops.forEach((_, si) => {
    const { a, b } = stopLoc[si];
    if (!ok[a] || (b >= 0 && !ok[b])) dropped.set(si, 'unsnappable');
  });

  // One matrix over the snappable locations (compact indices).
  const compact = new Int32Array(points.length).fill(-1);
  const kept: LngLat[] = [];
  points.forEach((p, i) => {
    if (ok[i]) {
      compact[i] = kept.length;
      kept.push(p);
    }
  });
  const m = router.matrix(kept);
  const n = kept.length;
  dropUnreachable(m.durationsS, n, teams, teamLoc, stopLoc, compact, dropped);
  const durations = new Int32Array(n * n);
  const distances = new Int32Array(n * n);
  for (let c = 0; c < n * n; c++) {
    durations[c] = m.durationsS[c] < 0 ? UNREACHABLE_S : m.durationsS[c];
    distances[c] = Number.isNaN(m.distancesM[c]) ? UNREACHABLE_S : Math.round(m.distancesM[c]);
  }
  const t1 = now();

  // Solver problem over the stops still in play.
  const jobStop: number[] = [];
  const jobOf = new Map<string, number>();
  stops.forEach((s, si) => {
    if (dropped.has(si)) return;
    jobOf.set(s.id, jobStop.length);
    jobStop.push(si);
  });
  const locks = new Map<string, number>();
  const routesIn = input.mode.kind === 'solve' ? (input.mode.initial ?? []) : input.mode.routes;
  for (const r of routesIn) for (const st of r.stops) if (st.locked) locks.set(st.id, r.team);
  const jobs: Job[] = jobStop.map((si) => {
    const s = stops[si];
    const lockTeam = locks.get(s.id);
    return {
      id: s.id,
      location: compact[stopLoc[si].a],
      otherEnd: stopLoc[si].b >= 0 ? compact[stopLoc[si].b] : null,
      service: s.dwellS,
      priority: s.priority,
      windows: solverWindows(s.windows),
      ...(lockTeam !== undefined ? { lock: { team: lockTeam } } : {}),
    };
  });
  const solverTeams: Team[] = teams.map((t, ti) => ({
    id: t.name,
    start: compact[teamLoc[ti].start],
    end: teamLoc[ti].end >= 0 ? compact[teamLoc[ti].end] : null,
    shiftStart: clockToSeconds(t.shiftStart),
    budget: t.budgetS,
    skills: t.skills,
  }));
  const problem: Problem = { matrix: { size: n, durations, distances }, jobs, teams: solverTeams };
  const asInput = (routes: EditedRoute[]): RouteInput[] =>
    routes
      .map((r) => ({
        team: r.team,
        stops: r.stops
          .filter((st) => jobOf.has(st.id))
          .map((st) => ({ job: jobOf.get(st.id)!, ...(st.reversed !== undefined ? { reversed: st.reversed } : {}) })),
      }))
      .filter((r) => r.stops.length > 0);

  let routes: RouteInput[];
  let iterations = 0;
  const solverDropped = new Map<number, DropReasonCode>();
  if (input.mode.kind === 'solve') {
    const mode = input.mode;
    if (mode.initial) problem.initial = asInput(mode.initial);
    problem.balance = mode.balance;
    // The default budget counts from the click: what the matrix took comes out of the solver's share.
    const limit = mode.timeLimitMs ?? Math.max(MIN_SOLVE_MS, defaultTimeLimitMs(jobs.length) - (t1 - t0));
    const res = solve(problem, {
      seed: mode.seed,
      now,
      deadline: now() + limit,
      // Small plans converge long before the limit; stop them early so the answer comes at once.
      maxIterations: Math.max(300, 60 * jobs.length),
    });
    iterations = res.iterations;
    routes = res.routes.map((r) => ({ team: r.team, stops: r.stops.map((st) => ({ job: st.job, reversed: st.reversed })) }));
    for (const d of res.dropped) solverDropped.set(jobStop[d.job], d.reason as DropReasonCode);
  } else {
    routes = asInput(input.mode.routes);
    const placed = new Set(routes.flatMap((r) => r.stops.map((st) => st.job)));
    jobStop.forEach((si, j) => {
      if (!placed.has(j)) solverDropped.set(si, 'removed');
    });
  }
  const t2 = now();
  const timed = timeRoutes(problem, routes);

  // Output, with the geometry along the streets.
  const lockedIds = new Set(locks.keys());
  const byTeam = new Map(timed.map((r) => [r.team, r]));
  let violations = 0;
  const teamsOut: PlannedTeam[] = teams.map((t, ti) => {
    const r = byTeam.get(ti);
    const shift = clockToSeconds(t.shiftStart);
    const stopsOut: PlannedStopOut[] = [];
    const line: LngLat[] = [];
    let prev: LngLat = t.start;
    let prevDeparture = shift;
    let dwellS = 0;
    for (const [i, st] of (r?.stops ?? []).entries()) {
      const s = stops[jobStop[st.job]];
      const entry = st.reversed ? s.otherEnd! : s.lngLat;
      const exit = s.otherEnd ? (st.reversed ? s.lngLat : s.otherEnd) : s.lngLat;
      const travelS = st.arrival - prevDeparture;
      const travelM = round1(m.distancesM[compact[indexOf.get(keyOf(prev))!] * n + compact[indexOf.get(keyOf(entry))!]]);
      appendPath(line, router, prev, entry);
      if (s.line) appendLine(line, st.reversed ? [...s.line].reverse() : s.line);
      prev = exit;
      prevDeparture = st.departure;
      dwellS += s.dwellS;
      if (st.late > 0 || st.missingSkills.length > 0) violations++;
      stopsOut.push({
        ...s,
        seq: i + 1,
        locked: lockedIds.has(s.id),
        reversed: st.reversed,
        arrival: isoAt(date, st.arrival),
        start: isoAt(date, st.start),
        departure: isoAt(date, st.departure),
        travelS,
        travelM,
        waitS: st.start - st.arrival,
        lateS: st.late,
        missingSkills: st.missingSkills,
      });
    }
    if (t.end && r && r.stops.length > 0) appendPath(line, router, prev, t.end);
    const endS = r && r.stops.length > 0 ? r.endTime : shift;
    const overBudgetS = r ? r.overBudgetS : 0;
    if (overBudgetS > 0) violations++;
    return {
      index: ti,
      name: t.name,
      color: TEAM_COLORS[ti % TEAM_COLORS.length],
      start: t.start,
      end: t.end,
      startName: t.startName ?? null,
      endName: t.end ? (t.endName ?? null) : null,
      shiftStart: t.shiftStart,
      budgetS: t.budgetS,
      skills: t.skills,
      stops: stopsOut,
      travelS: r ? r.travelDuration : 0,
      travelM: r ? round1(r.travelDistance) : 0,
      dwellS,
      durationS: endS - shift,
      startAt: isoAt(date, shift),
      endAt: isoAt(date, endS),
      overBudgetS,
      geometry: line.length >= 2 ? { type: 'LineString' as const, coordinates: dedupe(line) } : null,
    };
  });
  const t3 = now();

  const droppedOut: DroppedStop[] = [];
  stops.forEach((s, si) => {
    const reason = dropped.get(si) ?? solverDropped.get(si);
    if (reason) droppedOut.push({ ...s, reason, reasonText: reasonText(reason, input.profile) });
  });
  const served = teamsOut.reduce((a, t) => a + t.stops.length, 0);
  return {
    teams: teamsOut,
    dropped: droppedOut,
    totals: {
      stops: stops.length,
      served,
      dropped: droppedOut.length,
      travelS: teamsOut.reduce((a, t) => a + t.travelS, 0),
      travelM: round1(teamsOut.reduce((a, t) => a + t.travelM, 0)),
      dwellS: teamsOut.reduce((a, t) => a + t.dwellS, 0),
      longestS: teamsOut.reduce((a, t) => Math.max(a, t.stops.length > 0 ? t.durationS : 0), 0),
      violations,
    },
    timing: {
      matrixMs: round1(t1 - t0),
      solveMs: input.mode.kind === 'solve' ? round1(t2 - t1) : 0,
      geometryMs: round1(t3 - t2),
      totalMs: round1(t3 - t0),
      iterations,
    },
  };
}

/** Windows in solver seconds, sorted and merged (the solver wants them non-overlapping). */
function solverWindows(ws: readonly { start: string; end: string }[]): TimeWindow[] | undefined {
  if (ws.length === 0) return undefined;
  const sorted = ws.map((w) => ({ start: clockToSeconds(w.start), end: clockToSeconds(w.end) })).sort((a, b) => a.start - b.start);
  const out: TimeWindow[] = [];
  for (const w of sorted) {
    const last = out[out.length - 1];
    if (last && w.start <= last.end) last.end = Math.max(last.end, w.end);
    else out.push({ ...w });
  }
  return out;
}

/**
 * Drops stops that have no route to or from some other kept location (only possible when the
 * matrix snaps to disconnected pieces), the worst first; team points that cannot reach each other
 * are the caller's to fix.
 */
function dropUnreachable(
  d: Int32Array,
  n: number,
  teams: TeamSpec[],
  teamLoc: { start: number; end: number }[],
  stopLoc: { a: number; b: number }[],
  compact: Int32Array,
  dropped: Map<number, DropReasonCode>,
): void {
  if (!d.some((v) => v < 0)) return;
  const teamCells = teamLoc
    .flatMap((t) => [t.start, t.end])
    .filter((i) => i >= 0)
    .map((i) => compact[i]);
  for (const a of teamCells) {
    for (const b of teamCells) {
      if (d[a * n + b] < 0) {
        throw new AppError(
          422,
          bilingual(
            '巡查组的起点与终点之间没有连通的道路。',
            `Team starts and ends lie on road pieces that do not connect: move them onto connected streets (teams: ${teams.map((t) => t.name).join(', ')}).`,
          ),
        );
      }
    }
  }
  const cellsOf = (si: number) => [stopLoc[si].a, stopLoc[si].b].filter((i) => i >= 0).map((i) => compact[i]);
  for (;;) {
    const active = new Set(teamCells);
    stopLoc.forEach((_, si) => {
      if (!dropped.has(si)) for (const c of cellsOf(si)) active.add(c);
    });
    let worst = -1;
    let worstCount = 0;
    stopLoc.forEach((_, si) => {
      if (dropped.has(si)) return;
      let count = 0;
      for (const c of cellsOf(si)) for (const o of active) if (d[c * n + o] < 0 || d[o * n + c] < 0) count++;
      if (count > worstCount) {
        worstCount = count;
        worst = si;
      }
    });
    if (worst < 0) return;
    dropped.set(worst, 'unreachable');
  }
}

function appendPath(line: LngLat[], router: Router, from: LngLat, to: LngLat): void {
  if (from[0] === to[0] && from[1] === to[1]) return;
  appendLine(line, router.path(from, to));
}

function appendLine(into: LngLat[], pts: readonly LngLat[]): void {
  for (const p of pts) into.push([round7(p[0]), round7(p[1])]);
}

function dedupe(line: LngLat[]): LngLat[] {
  const out: LngLat[] = [];
  for (const p of line) {
    const last = out[out.length - 1];
    if (!last || last[0] !== p[0] || last[1] !== p[1]) out.push(p);
  }
  if (out.length === 1) out.push([out[0][0], out[0][1]]);
  return out;
}
