import type { Job, Problem, SolveResult, Team } from '../../../server/solver/model';
import { createRng } from '../../../server/solver/random';

/**
 * A random asymmetric instance: points on a plane, travel time = Euclidean × a per-arc factor in
 * [1, 1.6) (one-way detours), optional windows, back streets, skills, demands and tight budgets.
 */
export function randomProblem(
  seed: number,
  opts: {
    jobs: number;
    teams: number;
    windows?: boolean;
    backStreets?: boolean;
    skills?: boolean;
    capacity?: boolean;
    budget?: number;
    openEnd?: boolean;
    /** Lock every 4th job to team (k / 4) mod teams, ranked in reverse job order through `initial`. */
    locks?: boolean;
  },
): Problem {
  const rng = createRng(seed);
  const nLoc = opts.teams * 2 + opts.jobs * 2;
  const x = Array.from({ length: nLoc }, () => rng.next() * 1000);
  const y = Array.from({ length: nLoc }, () => rng.next() * 1000);
  const d = new Int32Array(nLoc * nLoc);
  for (let i = 0; i < nLoc; i++) {
    for (let j = 0; j < nLoc; j++) {
      d[i * nLoc + j] = i === j ? 0 : Math.round(Math.hypot(x[i] - x[j], y[i] - y[j]) * (1 + 0.6 * rng.next()));
    }
  }
  const teams: Team[] = [];
  for (let t = 0; t < opts.teams; t++) {
    teams.push({
      id: `t${t}`,
      start: 2 * t,
      end: opts.openEnd && t % 2 === 1 ? null : 2 * t + 1 - (t % 3 === 0 ? 1 : 0),
      shiftStart: 1000,
      budget: opts.budget ?? 1e9,
      skills: opts.skills ? (t % 2 === 0 ? ['a'] : ['b']) : undefined,
      capacity: opts.capacity ? 10 : undefined,
    });
  }
  const jobs: Job[] = [];
  const base = opts.teams * 2;
  for (let k = 0; k < opts.jobs; k++) {
    const loc = base + 2 * k;
    const back = opts.backStreets && k % 3 === 0;
    const w = opts.windows && k % 2 === 0 ? rng.int(3000) + 1000 : null;
    jobs.push({
      id: `j${k}`,
      location: loc,
      otherEnd: back ? loc + 1 : null,
      service: 60 + rng.int(300),
      priority: 1 + rng.int(5),
      windows:
        w === null
          ? undefined
          : k % 4 === 0
            ? [{ start: w, end: w + 800 }]
            : [
                { start: w, end: w + 300 },
                { start: w + 2000, end: w + 2600 },
              ],
      skills: opts.skills && k % 5 === 0 ? ['b'] : undefined,
      demand: opts.capacity ? 1 + rng.int(4) : undefined,
      lock: opts.locks && k % 4 === 0 ? { team: (k / 4) % opts.teams } : undefined,
    });
  }
  const initial = opts.locks
    ? teams.map((_, t) => ({ team: t, stops: jobs.map((_, k) => ({ job: opts.jobs - 1 - k })).filter(({ job }) => jobs[job].lock?.team === t) }))
    : undefined;
  return { matrix: { size: nLoc, durations: d, distances: d }, jobs, teams, initial };
}

/** Independent schedule check of a result against the problem (not using solver caches). */
export function checkResult(p: Problem, res: SolveResult): { errors: string[]; cost: number } {
  const n = p.matrix.size;
  const errors: string[] = [];
  const seen = new Map<number, number>();
  let cost = 0;
  const m = p.objective === 'distance' ? p.matrix.distances : p.matrix.durations;
  // Lock ranks: order of each locked job among its team's locked jobs in `initial`.
  const rank = new Map<number, number>();
  const next = new Map<number, number>();
  for (const r of p.initial ?? []) {
    for (const { job } of r.stops) {
      const t = p.jobs[job].lock?.team;
      if (t === undefined) continue;
      rank.set(job, next.get(t) ?? 0);
      next.set(t, (next.get(t) ?? 0) + 1);
    }
  }
  for (const r of res.routes) {
    const team = p.teams[r.team];
    let lastRank = -1;
    for (const st of r.stops) {
      const lock = p.jobs[st.job].lock;
      if (lock && lock.team !== r.team) errors.push(`job ${p.jobs[st.job].id} is locked to team ${lock.team} but served by ${r.team}`);
      const k = rank.get(st.job);
      if (k === undefined) continue;
      if (k <= lastRank) errors.push(`locked job ${p.jobs[st.job].id} is out of its locked order`);
      lastRank = k;
    }
    let time = team.shiftStart;
    let u = team.start;
    let load = 0;
    for (const st of r.stops) {
      const job = p.jobs[st.job];
      seen.set(st.job, (seen.get(st.job) ?? 0) + 1);
      const entry = st.reversed ? job.otherEnd! : job.location;
      const exit = st.reversed ? job.location : (job.otherEnd ?? job.location);
      cost += m[u * n + entry];
      time += p.matrix.durations[u * n + entry];
      if (Math.abs(st.arrival - time) > 1e-6) errors.push(`job ${job.id}: arrival ${st.arrival} but travel gives ${time}`);
      const wins = job.windows ?? [{ start: -Infinity, end: Infinity }];
      const w = wins.find((w) => w.end >= time);
      if (!w) {
        errors.push(`job ${job.id} arrives at ${time} after its last window`);
        break;
      }
      time = Math.max(time, w.start);
      if (st.start !== time) errors.push(`job ${job.id}: start ${st.start} but earliest is ${time}`);
      time += job.service;
      for (const sk of job.skills ?? []) if (!(team.skills ?? []).includes(sk)) errors.push(`job ${job.id} needs skill ${sk} team ${team.id} lacks`);
      load += job.demand ?? 0;
      u = exit;
    }
    const end = team.end ?? null;
    if (end !== null) {
      cost += m[u * n + end];
      time += p.matrix.durations[u * n + end];
    }
    if (time > team.shiftStart + team.budget) errors.push(`team ${team.id} ends at ${time}, over budget`);
    if (team.capacity !== undefined && load > team.capacity) errors.push(`team ${team.id} load ${load} over capacity`);
    cost += team.fixedCost ?? 0;
  }
  for (const [j, c] of seen) if (c > 1) errors.push(`job ${j} served ${c} times`);
  for (const dr of res.dropped) if (seen.has(dr.job)) errors.push(`job ${dr.job} both served and dropped`);
  if (seen.size + res.dropped.length !== p.jobs.length) errors.push('some job neither served nor dropped');
  return { errors, cost };
}
