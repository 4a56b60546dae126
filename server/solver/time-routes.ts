import type { Problem, RouteInput, TimedRoute, TimedStop } from './model';
import { checkRoutes } from './instance';

/**
 * Re-time routes exactly as given, without re-optimising (the planner after a drag-and-drop edit).
 * Each stop gets arrival, service start (waiting for a window to open is allowed: start =
 * max(arrival, window start)) and departure; what the edit broke is reported, not refused:
 * per stop `late` (seconds past its last window, when every window is missed) and `missingSkills`,
 * per route `overBudgetS` and `overCapacity`. A back street is walked as given by `reversed`; when
 * `reversed` is omitted, in the direction that makes the route's travel time least (exact, over all
 * such streets of the route at once). Locks are not checked: the routes are the planner's own.
 * Routes are returned in the given order, empty ones included.
 * @throws Error naming a bad team or job index, or a job given twice.
 * @example
 * const [r] = timeRoutes(problem, [{ team: 0, stops: [{ job: 2 }, { job: 0, reversed: true }] }]);
 * r.stops[1].late; // 0 when on time
 */
export function timeRoutes(problem: Problem, routes: readonly RouteInput[]): TimedRoute[] {
  checkRoutes(routes, problem.jobs.length, problem.teams.length, 'timeRoutes');
  const { size, durations, distances } = problem.matrix;
  const arc = (m: Int32Array, u: number, v: number): number => (u < 0 || v < 0 ? 0 : m[u * size + v]);
  return routes.map((input) => {
    const team = problem.teams[input.team];
    const end = team.end ?? -1;
    const L = input.stops.length;
    const jobs = input.stops.map((st) => problem.jobs[st.job]);
    const entryOf = (i: number, d: number): number => (d === 1 ? jobs[i].otherEnd! : jobs[i].location);
    const exitOf = (i: number, d: number): number => (d === 1 ? jobs[i].location : (jobs[i].otherEnd ?? jobs[i].location));
    // Allowed directions per stop: fixed by `reversed`, or both for a back street left open.
    const dirsOf = (i: number): number[] => {
      const flippable = jobs[i].otherEnd != null && jobs[i].otherEnd !== jobs[i].location;
      const rev = input.stops[i].reversed;
      if (!flippable) return [0];
      return rev === undefined ? [0, 1] : [rev ? 1 : 0];
    };
    // Least travel time over the open directions (Viterbi over two states per stop).
    const best: number[][] = [];
    const from: number[][] = [];
    for (let i = 0; i < L; i++) {
      best.push([Infinity, Infinity]);
      from.push([0, 0]);
      for (const d of dirsOf(i)) {
        if (i === 0) {
          best[0][d] = arc(durations, team.start, entryOf(0, d));
          continue;
        }
        for (const p of [0, 1]) {
          const c = best[i - 1][p] + arc(durations, exitOf(i - 1, p), entryOf(i, d));
          if (c < best[i][d]) {
            best[i][d] = c;
            from[i][d] = p;
          }
        }
      }
    }
    const dirs = new Array<number>(L).fill(0);
    if (L > 0) {
      const last = [0, 1].map((d) => best[L - 1][d] + (best[L - 1][d] < Infinity ? arc(durations, exitOf(L - 1, d), end) : 0));
      dirs[L - 1] = last[1] < last[0] ? 1 : 0;
      for (let i = L - 1; i > 0; i--) dirs[i - 1] = from[i][dirs[i]];
    }
    let time = team.shiftStart;
    let u = team.start;
    let travelDuration = 0;
    let travelDistance = 0;
    let load = 0;
    let priority = 0;
    const teamSkills = new Set(team.skills ?? []);
    const stops: TimedStop[] = input.stops.map((st, i) => {
      const job = jobs[i];
      const v = entryOf(i, dirs[i]);
      travelDuration += arc(durations, u, v);
      travelDistance += arc(distances, u, v);
      const arrival = time + arc(durations, u, v);
      let start = arrival;
      let late = 0;
      const wins = job.windows ?? [];
      if (wins.length > 0) {
        const w = wins.find((x) => x.end >= arrival);
        if (w) start = Math.max(arrival, w.start);
        else late = arrival - wins[wins.length - 1].end;
      }
      time = start + job.service;
      u = exitOf(i, dirs[i]);
      load += job.demand ?? 0;
      priority += job.priority;
      const missingSkills = (job.skills ?? []).filter((k) => !teamSkills.has(k));
      return { job: st.job, reversed: dirs[i] === 1, arrival, start, departure: time, late, missingSkills };
    });
    travelDuration += arc(durations, u, end);
    travelDistance += arc(distances, u, end);
    const endTime = time + arc(durations, u, end);
    return {
      team: input.team,
      stops,
      travelDuration,
      travelDistance,
      endTime,
      priority,
      overBudgetS: Math.max(0, endTime - (team.shiftStart + team.budget)),
      overCapacity: team.capacity === undefined ? 0 : Math.max(0, load - team.capacity),
    };
  });
}
