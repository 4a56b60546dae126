import type { Instance } from './instance';
import { earliestStart, latestStart } from './instance';

/**
 * One team's route with caches refreshed after every change (O(length)), so that a move is checked in
 * O(1) plus the length of the part it rewrites:
 * - `dep[i]`: earliest departure from stop i (forward schedule);
 * - `latest[i]`: latest arrival at stop i that keeps every later stop and the end on time (backward);
 * - `cp[i]`: objective cost of the arcs from the start up to the arrival at stop i (`cp[len]` = at the end);
 * - `load[i]`: demand of stops before i;
 * - `lockMax[i]` / `lockMin[i]`: highest lock rank among stops before i / lowest from i on (only kept
 *   when the instance has ranked locks; empty otherwise).
 */
export interface Route {
  team: number;
  jobs: number[];
  dirs: number[];
  dep: number[];
  latest: number[];
  cp: number[];
  load: number[];
  lockMax: number[];
  lockMin: number[];
}

/** Solution state: routes (one per team, possibly empty) and where each job is. */
export interface State {
  inst: Instance;
  routes: Route[];
  /** Route index of each job, -1 when unassigned. */
  routeOf: Int32Array;
  /** Position of each assigned job in its route (stale for unassigned jobs). */
  posOf: Int32Array;
  /** Scratch buffers for candidate middles (operators fill them, `replaceDelta` reads them). */
  midJobs: Int32Array;
  midDirs: Int32Array;
  midJobs2: Int32Array;
  midDirs2: Int32Array;
}

/** Objective arc cost between two matrix nodes; -1 (an open end) costs nothing. */
export function arcCost(inst: Instance, u: number, v: number): number {
  return u < 0 || v < 0 ? 0 : inst.cost[u * inst.size + v];
}

/** Travel time between two matrix nodes; -1 (an open end) takes no time. */
export function arcTime(inst: Instance, u: number, v: number): number {
  return u < 0 || v < 0 ? 0 : inst.time[u * inst.size + v];
}

/** An empty state: every team has an empty route, every job unassigned. */
export function emptyState(inst: Instance): State {
  const routes: Route[] = [];
  for (let t = 0; t < inst.nTeams; t++) {
    const r: Route = { team: t, jobs: [], dirs: [], dep: [], latest: [], cp: [], load: [], lockMax: [], lockMin: [] };
    refresh(inst, r);
    routes.push(r);
  }
  const n = Math.max(1, inst.nJobs);
  return {
    inst,
    routes,
    routeOf: new Int32Array(inst.nJobs).fill(-1),
    posOf: new Int32Array(inst.nJobs),
    midJobs: new Int32Array(n),
    midDirs: new Int32Array(n),
    midJobs2: new Int32Array(n),
    midDirs2: new Int32Array(n),
  };
}

/** Deep copy (routes and assignment); scratch buffers are shared. */
export function cloneState(s: State): State {
  return {
    ...s,
    routes: s.routes.map((r) => ({
      team: r.team,
      jobs: r.jobs.slice(),
      dirs: r.dirs.slice(),
      dep: r.dep.slice(),
      latest: r.latest.slice(),
      cp: r.cp.slice(),
      load: r.load.slice(),
      lockMax: r.lockMax.slice(),
      lockMin: r.lockMin.slice(),
    })),
    routeOf: s.routeOf.slice(),
    posOf: s.posOf.slice(),
  };
}

/** Recompute a route's caches. */
export function refresh(inst: Instance, r: Route): void {
  const len = r.jobs.length;
  const t = r.team;
  r.dep.length = len;
  r.latest.length = len;
  r.cp.length = len + 1;
  r.load.length = len + 1;
  let time = inst.tShift[t];
  let u = inst.tStart[t];
  let c = 0;
  let l = 0;
  for (let i = 0; i < len; i++) {
    const j = r.jobs[i];
    const o = 2 * j + r.dirs[i];
    const v = inst.entry[o];
    c += arcCost(inst, u, v);
    r.cp[i] = c;
    r.load[i] = l;
    l += inst.demand[j];
    const st = earliestStart(inst, j, time + arcTime(inst, u, v));
    time = st + inst.service[j];
    r.dep[i] = time;
    u = inst.exit[o];
  }
  c += arcCost(inst, u, inst.tEnd[t]);
  r.cp[len] = c;
  r.load[len] = l;
  let lat = inst.tLatest[t];
  let v = inst.tEnd[t];
  for (let i = len - 1; i >= 0; i--) {
    const j = r.jobs[i];
    const o = 2 * j + r.dirs[i];
    const bound = lat - arcTime(inst, inst.exit[o], v) - inst.service[j];
    lat = latestStart(inst, j, bound);
    r.latest[i] = lat;
    v = inst.entry[o];
  }
  if (inst.ranked) {
    r.lockMax.length = len + 1;
    r.lockMin.length = len + 1;
    let mx = -1;
    for (let i = 0; i < len; i++) {
      r.lockMax[i] = mx;
      if (inst.lockRank[r.jobs[i]] > mx) mx = inst.lockRank[r.jobs[i]];
    }
    r.lockMax[len] = mx;
    let mn = Infinity;
    r.lockMin[len] = mn;
    for (let i = len - 1; i >= 0; i--) {
      const k = inst.lockRank[r.jobs[i]];
      if (k >= 0 && k < mn) mn = k;
      r.lockMin[i] = mn;
    }
  }
}

/** Objective cost of a route (travel plus the team's fixed cost when used). */
export function routeCost(inst: Instance, r: Route): number {
  return r.jobs.length === 0 ? 0 : r.cp[r.jobs.length] + inst.tFixed[r.team];
}

/** Whether the route's cached schedule meets every window, the budget and the capacity. */
export function routeFeasible(inst: Instance, r: Route): boolean {
  const len = r.jobs.length;
  if (len === 0) return true;
  if (r.load[len] > inst.tCap[r.team]) return false;
  let rank = -1;
  for (let i = 0; i < len; i++) {
    if (!inst.allowed[r.jobs[i] * inst.nTeams + r.team]) return false;
    if (!Number.isFinite(r.dep[i])) return false;
    const k = inst.lockRank[r.jobs[i]];
    if (k >= 0) {
      if (k <= rank) return false;
      rank = k;
    }
  }
  const last = 2 * r.jobs[len - 1] + r.dirs[len - 1];
  return r.dep[len - 1] + arcTime(inst, inst.exit[last], inst.tEnd[r.team]) <= inst.tLatest[r.team];
}

/** Total objective: [unserved priority, cost]. */
export function evaluate(s: State): { unserved: number; cost: number } {
  let unserved = 0;
  for (let j = 0; j < s.inst.nJobs; j++) if (s.routeOf[j] < 0) unserved += s.inst.priority[j];
  let cost = 0;
  for (const r of s.routes) cost += routeCost(s.inst, r);
  return { unserved, cost };
}

/**
 * Cost change of replacing stops [a, b) of route r by `len` stops from (mj, md). Does not check
 * feasibility. Includes the fixed cost when the route becomes empty or stops being empty.
 */
export function replaceDelta(s: State, r: Route, a: number, b: number, mj: Int32Array, md: Int32Array, len: number): number {
  const inst = s.inst;
  const rl = r.jobs.length;
  const prev = a > 0 ? inst.exit[2 * r.jobs[a - 1] + r.dirs[a - 1]] : inst.tStart[r.team];
  const next = b < rl ? inst.entry[2 * r.jobs[b] + r.dirs[b]] : inst.tEnd[r.team];
  const old = r.cp[b] - (a > 0 ? r.cp[a - 1] : 0);
  let neu = 0;
  let u = prev;
  for (let k = 0; k < len; k++) {
    const o = 2 * mj[k] + md[k];
    neu += arcCost(inst, u, inst.entry[o]);
    u = inst.exit[o];
  }
  neu += arcCost(inst, u, next);
  // An unused team costs nothing: not even the trip from its start to its end.
  const newLen = rl - (b - a) + len;
  if (rl === 0) return newLen > 0 ? neu + inst.tFixed[r.team] : 0;
  if (newLen === 0) return -old - inst.tFixed[r.team];
  return neu - old;
}

/**
 * Whether replacing stops [a, b) of route r by the middle keeps the route feasible (skills, locks,
 * windows, budget, capacity). O(len) using the cached prefix departure and suffix latest arrival.
 */
export function replaceFeasible(s: State, r: Route, a: number, b: number, mj: Int32Array, md: Int32Array, len: number): boolean {
  const inst = s.inst;
  const t = r.team;
  const rl = r.jobs.length;
  let load = r.load[a] + (r.load[rl] - r.load[b]);
  let time = a > 0 ? r.dep[a - 1] : inst.tShift[t];
  let u = a > 0 ? inst.exit[2 * r.jobs[a - 1] + r.dirs[a - 1]] : inst.tStart[t];
  if (inst.ranked) {
    // Locked stops keep their order: ranks rise along the route.
    let rank = r.lockMax[a];
    for (let k = 0; k < len; k++) {
      const q = inst.lockRank[mj[k]];
      if (q < 0) continue;
      if (q <= rank) return false;
      rank = q;
    }
    if (rank >= r.lockMin[b]) return false;
  }
  for (let k = 0; k < len; k++) {
    const j = mj[k];
    if (!inst.allowed[j * inst.nTeams + t]) return false;
    load += inst.demand[j];
    const o = 2 * j + md[k];
    const st = earliestStart(inst, j, time + arcTime(inst, u, inst.entry[o]));
    if (st === Infinity) return false;
    time = st + inst.service[j];
    u = inst.exit[o];
  }
  if (load > inst.tCap[t]) return false;
  if (b < rl) return time + arcTime(inst, u, inst.entry[2 * r.jobs[b] + r.dirs[b]]) <= r.latest[b];
  return time + arcTime(inst, u, inst.tEnd[t]) <= inst.tLatest[t];
}

/** Replace stops [a, b) of route `ri` by the middle and refresh caches and the assignment. */
export function replaceApply(s: State, ri: number, a: number, b: number, mj: Int32Array, md: Int32Array, len: number): void {
  const r = s.routes[ri];
  for (let i = a; i < b; i++) if (s.routeOf[r.jobs[i]] === ri) s.routeOf[r.jobs[i]] = -1;
  const nj: number[] = new Array(len);
  const nd: number[] = new Array(len);
  for (let k = 0; k < len; k++) {
    nj[k] = mj[k];
    nd[k] = md[k];
  }
  r.jobs.splice(a, b - a, ...nj);
  r.dirs.splice(a, b - a, ...nd);
  for (let k = 0; k < len; k++) s.routeOf[mj[k]] = ri;
  for (let i = a; i < r.jobs.length; i++) s.posOf[r.jobs[i]] = i;
  refresh(s.inst, r);
}
