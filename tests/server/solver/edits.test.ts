import { describe, expect, it } from 'vitest';
import { solve, timeRoutes } from '../../../server/solver/index';
import type { Problem, RouteInput, SolveResult } from '../../../server/solver/model';
import { checkResult, randomProblem } from './helpers';

const run = (p: Problem, seed = 1, maxIterations = 300): SolveResult => solve(p, { seed, now: () => 0, deadline: 1, maxIterations });
const asInput = (res: SolveResult): RouteInput[] =>
  res.routes.map((r) => ({ team: r.team, stops: r.stops.map((s) => ({ job: s.job, reversed: s.reversed })) }));

/** Lock ranks as `solve` derives them: order of appearance in `initial` per lock team. */
function lockOrder(p: Problem): Map<number, number> {
  const rank = new Map<number, number>();
  const next = new Map<number, number>();
  for (const r of p.initial ?? []) {
    for (const st of r.stops) {
      const t = p.jobs[st.job].lock?.team;
      if (t === undefined) continue;
      rank.set(st.job, next.get(t) ?? 0);
      next.set(t, (next.get(t) ?? 0) + 1);
    }
  }
  return rank;
}

describe('locks', () => {
  it('keep each locked stop on its team, in the initial order, through ruin and recreate', () => {
    let lockedServed = 0;
    for (let seed = 1; seed <= 10; seed++) {
      const base = randomProblem(seed, {
        jobs: 40,
        teams: 2 + (seed % 3),
        windows: seed % 2 === 0,
        backStreets: true,
        budget: seed % 3 === 0 ? 7000 : 14000,
      });
      // Lock a third of a first plan's stops, some to another team than the one serving them, and
      // give the order through `initial` reversed with respect to that plan.
      const first = run(base, seed, 100);
      const jobs = base.jobs.map((j, k) => (k % 3 === 0 ? { ...j, lock: { team: (k + seed) % base.teams.length } } : j));
      const initial = asInput(first).map((r) => ({ ...r, stops: r.stops.slice().reverse() }));
      const p: Problem = { ...base, jobs, initial };
      const res = run(p, seed, 300);
      expect(checkResult(p, res).errors).toEqual([]);
      const rank = lockOrder(p);
      for (const r of res.routes) {
        let last = -1;
        for (const st of r.stops) {
          const lock = p.jobs[st.job].lock;
          if (!lock) continue;
          expect(lock.team).toBe(r.team);
          lockedServed++;
          const k = rank.get(st.job);
          if (k === undefined) continue;
          expect(k).toBeGreaterThan(last);
          last = k;
        }
      }
      for (const d of res.dropped) {
        if (p.jobs[d.job].lock) expect(d.reason).not.toBe('lower-priority');
      }
    }
    expect(lockedServed).toBeGreaterThan(50);
  });

  it('serve a locked stop even when a more valuable one has to be dropped for it', () => {
    // Start 0; stops at 1, 2, 3 each 100 s from the start and 300 s from each other; budget fits one.
    const n = 4;
    const d = new Int32Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) d[i * n + j] = i === j ? 0 : i === 0 || j === 0 ? 100 : 300;
    const p: Problem = {
      matrix: { size: n, durations: d, distances: d },
      teams: [{ id: 'a', start: 0, end: 0, shiftStart: 0, budget: 250 }],
      jobs: [
        { id: 'low', location: 1, service: 0, priority: 1, lock: { team: 0 } },
        { id: 'high', location: 2, service: 0, priority: 5 },
        { id: 'mid', location: 3, service: 0, priority: 3 },
      ],
    };
    const res = run(p, 1, 50);
    expect(res.routes[0].stops.map((s) => s.job)).toEqual([0]);
    expect(res.servedPriority).toBe(1);
    expect(res.dropped).toEqual([
      { job: 1, reason: 'lower-priority' },
      { job: 2, reason: 'lower-priority' },
    ]);
  });

  it('drop a locked stop only when it cannot be served, saying why', () => {
    // Two stops locked to one team with a budget for one of them: the one not served conflicts.
    const n = 3;
    const d = new Int32Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) d[i * n + j] = i === j ? 0 : 100;
    const teams = [
      { id: 'a', start: 0, end: 0, shiftStart: 0, budget: 250 },
      { id: 'b', start: 0, end: 0, shiftStart: 0, budget: 250 },
    ];
    const p: Problem = {
      matrix: { size: n, durations: d, distances: d },
      teams,
      jobs: [
        { id: 'x', location: 1, service: 0, priority: 1, lock: { team: 0 } },
        { id: 'y', location: 2, service: 0, priority: 2, lock: { team: 0 } },
      ],
    };
    const res = run(p, 1, 50);
    expect(res.routes.map((r) => [r.team, r.stops.map((s) => s.job)])).toEqual([[0, [1]]]);
    expect(res.dropped).toEqual([{ job: 0, reason: 'lock-conflict' }]);
    expect(() => run({ ...p, jobs: [{ ...p.jobs[0], lock: { team: 2 } }] })).toThrow(/locked to team 2, but there are 2 teams/);
  });
});

describe('warm start', () => {
  it('starts from the given plan: never worse than it, and inserts the jobs it leaves out', () => {
    for (let seed = 1; seed <= 6; seed++) {
      const p = randomProblem(seed, { jobs: 45, teams: 3, windows: seed % 2 === 0, backStreets: true, budget: 12000 });
      const good = run(p, seed, 400);
      const warm = run({ ...p, initial: asInput(good) }, seed + 100, 0);
      expect(checkResult(p, warm).errors).toEqual([]);
      expect(warm.servedPriority).toBeGreaterThanOrEqual(good.servedPriority);
      if (warm.servedPriority === good.servedPriority) expect(warm.cost).toBeLessThanOrEqual(good.cost);
      // Half the served stops taken out of the plan: they are inserted again.
      const partial = asInput(good).map((r) => ({ ...r, stops: r.stops.filter((_, i) => i % 2 === 0) }));
      const refilled = run({ ...p, initial: partial }, seed, 0);
      expect(checkResult(p, refilled).errors).toEqual([]);
      expect(refilled.servedPriority).toBeGreaterThanOrEqual(good.servedPriority * 0.9);
    }
  });

  it('repairs an infeasible start plan instead of keeping it', () => {
    const p = randomProblem(5, { jobs: 30, teams: 2, windows: true, budget: 6000 });
    // Every stop on team 0 in job order: far over its budget and past windows.
    const initial: RouteInput[] = [{ team: 0, stops: p.jobs.map((_, j) => ({ job: j })) }];
    const res = run({ ...p, initial }, 1, 100);
    expect(checkResult(p, res).errors).toEqual([]);
    expect(res.routes.length).toBeGreaterThan(0);
  });

  it('rejects a malformed start plan with a sentence saying what to fix', () => {
    const p = randomProblem(1, { jobs: 5, teams: 2 });
    expect(() => run({ ...p, initial: [{ team: 3, stops: [] }] })).toThrow(/team 3 is not a team index/);
    expect(() =>
      run({
        ...p,
        initial: [
          { team: 0, stops: [{ job: 1 }] },
          { team: 0, stops: [] },
        ],
      }),
    ).toThrow(/two routes/);
    expect(() =>
      run({
        ...p,
        initial: [
          { team: 0, stops: [{ job: 1 }] },
          { team: 1, stops: [{ job: 1 }] },
        ],
      }),
    ).toThrow(/appears twice/);
    expect(() => run({ ...p, initial: [{ team: 0, stops: [{ job: 9 }] }] })).toThrow(/not a job index/);
  });
});

describe('timeRoutes', () => {
  // Locations on a line (x in metres, 1 m = 1 s; distances are twice the durations to tell them apart):
  // 0 depot x=0, 1 x=100, 2 x=350 and 3 x=500 the two ends of a lane, 4 x=600.
  const xs = [0, 100, 350, 500, 600];
  const n = xs.length;
  const dur = new Int32Array(n * n);
  const dist = new Int32Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      dur[i * n + j] = Math.abs(xs[i] - xs[j]);
      dist[i * n + j] = 2 * dur[i * n + j];
    }
  const p: Problem = {
    matrix: { size: n, durations: dur, distances: dist },
    teams: [{ id: 'a', start: 0, end: 0, shiftStart: 1000, budget: 1200, skills: ['a'], capacity: 3 }],
    jobs: [
      { id: 'market', location: 1, service: 60, priority: 2, windows: [{ start: 1200, end: 1300 }], demand: 1 },
      { id: 'lane', location: 3, otherEnd: 2, service: 150, priority: 1, demand: 1 },
      { id: 'school', location: 4, service: 30, priority: 4, windows: [{ start: 1000, end: 1100 }], skills: ['a', 'b'], demand: 2 },
    ],
  };

  it('times a route as given against a hand-computed schedule, with its violations', () => {
    const [r] = timeRoutes(p, [{ team: 0, stops: [{ job: 0 }, { job: 1 }, { job: 2 }] }]);
    // market: arrive 1100, wait for 1200, leave 1260. lane: from x=100 entering at x=350 (250 s)
    // and leaving at x=500 beats the other way (400 + 250 vs 250 + 100): arrive 1510, leave 1660.
    // school: arrive 1760, 660 s past its window, leave 1790; back at the depot at 2390.
    expect(r.stops).toEqual([
      { job: 0, reversed: false, arrival: 1100, start: 1200, departure: 1260, late: 0, missingSkills: [] },
      { job: 1, reversed: true, arrival: 1510, start: 1510, departure: 1660, late: 0, missingSkills: [] },
      { job: 2, reversed: false, arrival: 1760, start: 1760, departure: 1790, late: 660, missingSkills: ['b'] },
    ]);
    expect(r.travelDuration).toBe(100 + 250 + 100 + 600);
    expect(r.travelDistance).toBe(2 * 1050);
    expect(r.endTime).toBe(2390);
    expect(r.overBudgetS).toBe(2390 - 2200);
    expect(r.overCapacity).toBe(1);
    expect(r.priority).toBe(7);
  });

  it('walks a back street the given way when told, and agrees with solve on a feasible plan', () => {
    const [r] = timeRoutes(p, [{ team: 0, stops: [{ job: 0 }, { job: 1, reversed: false }] }]);
    expect(r.stops[1]).toMatchObject({ reversed: false, arrival: 1260 + 400, departure: 1810 });
    expect(r.endTime).toBe(1810 + 350);
    for (let seed = 1; seed <= 4; seed++) {
      const q = randomProblem(seed, { jobs: 30, teams: 3, windows: true, backStreets: true, budget: 10000 });
      const res = run(q, seed, 100);
      const timed = timeRoutes(q, asInput(res));
      timed.forEach((t, i) => {
        const { stops, travelDuration, travelDistance, endTime } = res.routes[i];
        expect({
          stops: t.stops.map(({ late: _l, missingSkills: _m, ...s }) => s),
          travelDuration: t.travelDuration,
          travelDistance: t.travelDistance,
          endTime: t.endTime,
        }).toEqual({ stops, travelDuration, travelDistance, endTime });
        expect(t.overBudgetS).toBe(0);
        expect(t.stops.every((s) => s.late === 0)).toBe(true);
      });
    }
  });

  it('returns empty routes and rejects bad indices', () => {
    expect(timeRoutes(p, [{ team: 0, stops: [] }])[0]).toMatchObject({ stops: [], travelDuration: 0, endTime: 1000, overBudgetS: 0 });
    expect(() => timeRoutes(p, [{ team: 0, stops: [{ job: 7 }] }])).toThrow(/not a job index/);
  });
});
