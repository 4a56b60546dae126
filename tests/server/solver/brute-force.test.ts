import { describe, expect, it } from 'vitest';
import { solve } from '../../../server/solver/index';
import type { Problem } from '../../../server/solver/model';
import { checkResult, randomProblem } from './helpers';

/** What leaving a job out costs: its priority, and for a locked job more than all unlocked ones together. */
function lockWeights(p: Problem): number[] {
  const free = p.jobs.reduce((a, j) => a + (j.lock ? 0 : j.priority), 0);
  return p.jobs.map((j) => j.priority + (j.lock ? free + 1 : 0));
}

/** Order of each locked job among its team's locked jobs in `initial`. */
function lockRanks(p: Problem): Map<number, number> {
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
  return rank;
}

/** Exact optimum by enumeration: each job dropped or inserted at any place of any team's route. */
function bruteForce(p: Problem): { unserved: number; cost: number } {
  const n = p.matrix.size;
  const m = p.matrix.durations;
  const routes: { job: number; rev: boolean }[][] = p.teams.map(() => []);
  let best = { unserved: Infinity, cost: Infinity };
  const weight = lockWeights(p);
  const rank = lockRanks(p);
  const evalRoute = (t: number): number | null => {
    const team = p.teams[t];
    const r = routes[t];
    if (r.length === 0) return 0;
    let time = team.shiftStart;
    let u = team.start;
    let cost = 0;
    let load = 0;
    let lastRank = -1;
    for (const { job: j, rev } of r) {
      const job = p.jobs[j];
      if (job.lock && job.lock.team !== t) return null;
      const k = rank.get(j);
      if (k !== undefined) {
        if (k <= lastRank) return null;
        lastRank = k;
      }
      load += job.demand ?? 0;
      if (load > (team.capacity ?? Infinity)) return null;
      if ((job.skills ?? []).some((s) => !(team.skills ?? []).includes(s))) return null;
      const entry = rev ? job.otherEnd! : job.location;
      cost += m[u * n + entry];
      time += m[u * n + entry];
      const w = (job.windows ?? [{ start: -Infinity, end: Infinity }]).find((w) => w.end >= time);
      if (!w) return null;
      time = Math.max(time, w.start) + job.service;
      u = rev ? job.location : (job.otherEnd ?? job.location);
    }
    if (team.end != null) {
      cost += m[u * n + team.end];
      time += m[u * n + team.end];
    }
    return time <= team.shiftStart + team.budget ? cost : null;
  };
  const rec = (k: number, unserved: number): void => {
    if (k === p.jobs.length) {
      let cost = 0;
      for (let t = 0; t < routes.length; t++) {
        const c = evalRoute(t);
        if (c === null) return;
        cost += c;
      }
      if (unserved < best.unserved || (unserved === best.unserved && cost < best.cost)) best = { unserved, cost };
      return;
    }
    rec(k + 1, unserved + weight[k]);
    const dirs = p.jobs[k].otherEnd != null ? [false, true] : [false];
    for (let t = 0; t < routes.length; t++) {
      for (let pos = 0; pos <= routes[t].length; pos++) {
        for (const rev of dirs) {
          routes[t].splice(pos, 0, { job: k, rev });
          if (evalRoute(t) !== null) rec(k + 1, unserved);
          routes[t].splice(pos, 1);
        }
      }
    }
  };
  rec(0, 0);
  return best;
}

describe('exact optimum on small instances', () => {
  const cases: [number, Parameters<typeof randomProblem>[1]][] = [
    [1, { jobs: 7, teams: 1, backStreets: true }],
    [2, { jobs: 7, teams: 1, windows: true, budget: 4000 }],
    [3, { jobs: 6, teams: 2, windows: true, backStreets: true, budget: 3500 }],
    [4, { jobs: 6, teams: 2, skills: true, budget: 5000 }],
    [5, { jobs: 8, teams: 1, budget: 3500, backStreets: true }],
    [6, { jobs: 6, teams: 2, openEnd: true, windows: true }],
    [7, { jobs: 7, teams: 2, budget: 2500 }],
  ];
  for (let seed = 8; seed < 16; seed++) {
    cases.push([
      seed,
      { jobs: 6, teams: 1 + (seed % 2), windows: seed % 3 === 0, backStreets: seed % 2 === 0, budget: 2500 + 300 * (seed % 5), capacity: seed % 4 === 1 },
    ]);
  }
  // Locked stops: pinned to a team, in the reverse of their job order (see randomProblem).
  cases.push([16, { jobs: 7, teams: 2, locks: true, budget: 3000 }]);
  cases.push([17, { jobs: 8, teams: 2, locks: true, windows: true, backStreets: true, budget: 4000 }]);
  cases.push([18, { jobs: 7, teams: 1, locks: true, budget: 2500 }]);
  for (const [seed, opts] of cases) {
    it(`seed ${seed}: ${JSON.stringify(opts)}`, () => {
      const p = randomProblem(seed, opts);
      const exact = bruteForce(p);
      const res = solve(p, { seed: 1, now: () => 0, deadline: 1, maxIterations: 3000 });
      expect(checkResult(p, res).errors).toEqual([]);
      const weight = lockWeights(p);
      const unserved = res.dropped.reduce((s, d) => s + weight[d.job], 0);
      expect({ unserved, cost: res.cost }).toEqual(exact);
    });
  }
});
