import type { Problem, RouteInput } from './model';

/**
 * The problem flattened into typed arrays for the hot loops. Job j has two orientations o ∈ {0,1}:
 * `entry[2j+o]` is where the team arrives, `exit[2j+o]` where it leaves (equal for a point stop).
 */
export interface Instance {
  nJobs: number;
  nTeams: number;
  size: number;
  /** Travel time matrix (feasibility). */
  time: Int32Array;
  /** Objective matrix (durations or distances). */
  cost: Int32Array;
  distance: Int32Array;
  entry: Int32Array;
  exit: Int32Array;
  flippable: Uint8Array;
  service: Float64Array;
  /**
   * Objective weight of serving each job: its priority, plus (for a locked job) more than all
   * unlocked priorities together, so that no trade ever drops a locked stop that fits.
   */
  priority: Float64Array;
  /** The job's own priority (what `servedPriority` reports). */
  prize: Float64Array;
  /** Team a job is locked to, -1 = free. */
  lockTeam: Int32Array;
  /** Order of a locked job among its team's locked jobs in `Problem.initial`, -1 = no order. */
  lockRank: Int32Array;
  /** Whether any job has a lock rank (routes then keep the rank caches). */
  ranked: boolean;
  demand: Float64Array;
  winOff: Int32Array;
  winStart: Float64Array;
  winEnd: Float64Array;
  allowed: Uint8Array;
  tStart: Int32Array;
  /** -1 = open route. */
  tEnd: Int32Array;
  tShift: Float64Array;
  tLatest: Float64Array;
  tCap: Float64Array;
  tFixed: Float64Array;
  /** Job proximity lists (nearest jobs first), `KJ` per job. */
  near: Int32Array;
  KJ: number;
  /** How many of the nearest jobs granular local-search moves look at (a prefix of `near`). */
  KL: number;
  /**
   * Search only near the job's proximity list (granular neighbourhoods, Toth & Vigo 2003): insertion
   * positions next to a near job or at a route's ends, inter-route moves between near jobs. On for
   * big problems, where the full neighbourhoods cost O(stops²) per pass; tests may switch it.
   */
  granular: boolean;
}

/** From this many jobs on, insertion and local search are granular. */
export const GRANULAR_FROM = 150;

const NEAR = 30;
/** Granular local search looks at fewer neighbours than insertion: it runs to a local optimum. */
const NEAR_LS = 10;

/** Validate and compile a problem; throws a sentence saying which input to fix. */
export function compile(p: Problem): Instance {
  const size = p.matrix.size;
  const nJobs = p.jobs.length;
  const nTeams = p.teams.length;
  if (nTeams < 1) throw new Error('no teams: give at least one team with a start, a shift start and a budget');
  const checkNode = (v: number, what: string): void => {
    if (!Number.isInteger(v) || v < 0 || v >= size) throw new Error(`${what} is ${v}, outside the ${size}-location matrix: use a matrix index`);
  };
  const entry = new Int32Array(2 * nJobs);
  const exit = new Int32Array(2 * nJobs);
  const flippable = new Uint8Array(nJobs);
  const service = new Float64Array(nJobs);
  const priority = new Float64Array(nJobs);
  const lockTeam = new Int32Array(nJobs).fill(-1);
  const lockRank = new Int32Array(nJobs).fill(-1);
  const demand = new Float64Array(nJobs);
  const winOff = new Int32Array(nJobs + 1);
  const ws: number[] = [];
  const we: number[] = [];
  for (let j = 0; j < nJobs; j++) {
    const job = p.jobs[j];
    checkNode(job.location, `job ${job.id} location`);
    const other = job.otherEnd ?? null;
    if (other !== null) checkNode(other, `job ${job.id} otherEnd`);
    entry[2 * j] = job.location;
    exit[2 * j] = other ?? job.location;
    entry[2 * j + 1] = other ?? job.location;
    exit[2 * j + 1] = job.location;
    flippable[j] = other !== null && other !== job.location ? 1 : 0;
    if (!(job.service >= 0)) throw new Error(`job ${job.id} has service ${job.service}: use seconds ≥ 0`);
    service[j] = job.service;
    if (!(job.priority > 0)) throw new Error(`job ${job.id} has priority ${job.priority}: use a positive number`);
    priority[j] = job.priority;
    if (job.lock !== undefined) {
      const lt = job.lock.team;
      if (!Number.isInteger(lt) || lt < 0 || lt >= nTeams)
        throw new Error(`job ${job.id} is locked to team ${lt}, but there are ${nTeams} teams: lock to a team index`);
      lockTeam[j] = lt;
    }
    demand[j] = job.demand ?? 0;
    winOff[j] = ws.length;
    const wins = job.windows ?? [];
    let last = -Infinity;
    for (const w of wins) {
      if (!(w.start <= w.end) || w.start < last) throw new Error(`job ${job.id} windows must be sorted, non-overlapping and start ≤ end`);
      ws.push(w.start);
      we.push(w.end);
      last = w.end;
    }
    if (wins.length === 0) {
      ws.push(-Infinity);
      we.push(Infinity);
    }
  }
  winOff[nJobs] = ws.length;
  const allowed = new Uint8Array(nJobs * nTeams);
  const tStart = new Int32Array(nTeams);
  const tEnd = new Int32Array(nTeams);
  const tShift = new Float64Array(nTeams);
  const tLatest = new Float64Array(nTeams);
  const tCap = new Float64Array(nTeams);
  const tFixed = new Float64Array(nTeams);
  for (let t = 0; t < nTeams; t++) {
    const team = p.teams[t];
    checkNode(team.start, `team ${team.id} start`);
    const end = team.end ?? null;
    if (end !== null) checkNode(end, `team ${team.id} end`);
    tStart[t] = team.start;
    tEnd[t] = end ?? -1;
    tShift[t] = team.shiftStart;
    if (!(team.budget >= 0)) throw new Error(`team ${team.id} has budget ${team.budget}: use seconds ≥ 0`);
    tLatest[t] = team.shiftStart + team.budget;
    tCap[t] = team.capacity ?? Infinity;
    tFixed[t] = team.fixedCost ?? 0;
    const skills = new Set(team.skills ?? []);
    for (let j = 0; j < nJobs; j++) {
      const need = p.jobs[j].skills ?? [];
      allowed[j * nTeams + t] = need.every((s) => skills.has(s)) && (lockTeam[j] < 0 || lockTeam[j] === t) ? 1 : 0;
    }
  }
  const prize = priority.slice();
  let free = 0;
  for (let j = 0; j < nJobs; j++) if (lockTeam[j] < 0) free += priority[j];
  for (let j = 0; j < nJobs; j++) if (lockTeam[j] >= 0) priority[j] += free + 1;
  let ranked = false;
  if (p.initial) {
    checkRoutes(p.initial, nJobs, nTeams, 'initial');
    const next = new Int32Array(nTeams);
    for (const r of p.initial) {
      for (const st of r.stops) {
        const lt = lockTeam[st.job];
        if (lt >= 0) {
          lockRank[st.job] = next[lt]++;
          ranked = true;
        }
      }
    }
  }
  const time = p.matrix.durations;
  const distance = p.matrix.distances;
  const cost = p.objective === 'distance' ? distance : time;
  // Proximity between jobs by the cheaper direction between any of their ends.
  const KJ = Math.min(NEAR, Math.max(0, nJobs - 1));
  const near = new Int32Array(nJobs * KJ);
  if (KJ > 0) {
    // Sort (cost, index) pairs packed in one exact float (cost × nJobs + index < 2^53): a typed-array
    // sort without a comparator, about ten times faster than sorting ids by a key.
    const key = new Float64Array(nJobs - 1);
    for (let i = 0; i < nJobs; i++) {
      let m = 0;
      for (let j = 0; j < nJobs; j++) {
        if (j === i) continue;
        let best = Infinity;
        for (let o = 0; o < 2; o++) {
          for (let q = 0; q < 2; q++) {
            const a = cost[exit[2 * i + o] * size + entry[2 * j + q]];
            const b = cost[exit[2 * j + q] * size + entry[2 * i + o]];
            if (a < best) best = a;
            if (b < best) best = b;
          }
        }
        key[m++] = Math.max(0, Math.min(best, 2 ** 31)) * nJobs + j;
      }
      key.sort();
      for (let k = 0; k < KJ; k++) near[i * KJ + k] = key[k] % nJobs;
    }
  }
  return {
    nJobs,
    nTeams,
    size,
    time,
    cost,
    distance,
    entry,
    exit,
    flippable,
    service,
    priority,
    prize,
    lockTeam,
    lockRank,
    ranked,
    demand,
    winOff,
    winStart: Float64Array.from(ws),
    winEnd: Float64Array.from(we),
    allowed,
    tStart,
    tEnd,
    tShift,
    tLatest,
    tCap,
    tFixed,
    near,
    KJ,
    KL: Math.min(KJ, NEAR_LS),
    granular: nJobs >= GRANULAR_FROM,
  };
}

/**
 * Check planner routes: team and job indices in range, each team at most once, each job at most once.
 * Throws a sentence naming the bad entry.
 */
export function checkRoutes(routes: readonly RouteInput[], nJobs: number, nTeams: number, what: string): void {
  const seenTeam = new Set<number>();
  const seenJob = new Set<number>();
  for (const r of routes) {
    if (!Number.isInteger(r.team) || r.team < 0 || r.team >= nTeams) throw new Error(`${what}: team ${r.team} is not a team index (0 to ${nTeams - 1})`);
    if (seenTeam.has(r.team)) throw new Error(`${what}: team ${r.team} has two routes: give each team one route`);
    seenTeam.add(r.team);
    for (const st of r.stops) {
      if (!Number.isInteger(st.job) || st.job < 0 || st.job >= nJobs) throw new Error(`${what}: stop ${st.job} is not a job index (0 to ${nJobs - 1})`);
      if (seenJob.has(st.job)) throw new Error(`${what}: job ${st.job} appears twice: keep each stop in one place`);
      seenJob.add(st.job);
    }
  }
}

/** Earliest service start at or after `arrival` inside a window of job j, or Infinity if none is left. */
export function earliestStart(inst: Instance, j: number, arrival: number): number {
  const e = inst.winOff[j + 1];
  for (let w = inst.winOff[j]; w < e; w++) {
    if (inst.winEnd[w] >= arrival) return arrival > inst.winStart[w] ? arrival : inst.winStart[w];
  }
  return Infinity;
}

/** Latest service start of job j no later than `bound`, or -Infinity when every window opens after it. */
export function latestStart(inst: Instance, j: number, bound: number): number {
  for (let w = inst.winOff[j + 1] - 1; w >= inst.winOff[j]; w--) {
    if (inst.winStart[w] <= bound) return bound < inst.winEnd[w] ? bound : inst.winEnd[w];
  }
  return -Infinity;
}
