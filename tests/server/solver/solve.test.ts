import { describe, expect, it } from 'vitest';
import { solve } from '../../../server/solver/index';
import type { Problem } from '../../../server/solver/model';
import { checkResult, randomProblem } from './helpers';

const run = (p: Problem, seed = 1, maxIterations = 300) => solve(p, { seed, now: () => 0, deadline: 1, maxIterations });

describe('solve', () => {
  it('returns feasible plans: each stop once, windows, budgets, skills and capacities respected', () => {
    for (let seed = 1; seed <= 8; seed++) {
      const p = randomProblem(seed, {
        jobs: 40,
        teams: 1 + (seed % 4),
        windows: seed % 2 === 0,
        backStreets: seed % 3 !== 0,
        skills: seed % 3 === 1,
        capacity: seed % 4 === 2,
        budget: seed % 2 === 0 ? 9000 : 20000,
        openEnd: seed === 5,
      });
      const res = run(p, seed, 150);
      const chk = checkResult(p, res);
      expect(chk.errors).toEqual([]);
      expect(chk.cost).toBe(res.cost);
      let prio = 0;
      for (const r of res.routes) for (const st of r.stops) prio += p.jobs[st.job].priority;
      expect(res.servedPriority).toBe(prio);
    }
  });

  it('returns feasible plans on big problems too (granular insertion and local search)', () => {
    const p = randomProblem(77, { jobs: 220, teams: 6, windows: true, backStreets: true, skills: true, budget: 16000, locks: true });
    const res = run(p, 1, 60);
    const chk = checkResult(p, res);
    expect(chk.errors).toEqual([]);
    expect(chk.cost).toBe(res.cost);
    for (const r of res.routes) for (const st of r.stops) if (p.jobs[st.job].lock) expect(p.jobs[st.job].lock!.team).toBe(r.team);
    expect(res.routes.reduce((a, r) => a + r.stops.length, 0)).toBeGreaterThan(150);
  });

  it('is deterministic for a seed', () => {
    const p = randomProblem(3, { jobs: 35, teams: 3, windows: true, backStreets: true, budget: 8000 });
    const a = run(p, 42, 200);
    const b = run(p, 42, 200);
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
  });

  it('improves on the construction with more iterations', () => {
    const p = randomProblem(11, { jobs: 60, teams: 4, windows: true, backStreets: true });
    const few = run(p, 1, 1);
    const many = run(p, 1, 400);
    expect(many.servedPriority).toBeGreaterThanOrEqual(few.servedPriority);
    if (many.servedPriority === few.servedPriority) expect(many.cost).toBeLessThanOrEqual(few.cost);
  });

  it('drops every stop with a reason when the budgets are impossible, instead of failing', () => {
    const p = randomProblem(4, { jobs: 10, teams: 2, budget: 5 });
    const res = run(p, 1, 20);
    expect(res.routes).toEqual([]);
    expect(res.dropped.map((d) => d.reason)).toEqual(new Array(10).fill('over-budget'));
  });

  it('gives the reason for each kind of impossible stop', () => {
    const d = new Int32Array([0, 100, 100, 0]);
    const p: Problem = {
      matrix: { size: 2, durations: d, distances: d },
      teams: [{ id: 'a', start: 0, end: 0, shiftStart: 0, budget: 1000, skills: ['x'], capacity: 5 }],
      jobs: [
        { id: 'ok', location: 1, service: 10, priority: 1 },
        { id: 'skill', location: 1, service: 10, priority: 1, skills: ['y'] },
        { id: 'window', location: 1, service: 10, priority: 1, windows: [{ start: 0, end: 50 }] },
        { id: 'budget', location: 1, service: 900, priority: 1 },
        { id: 'heavy', location: 1, service: 10, priority: 1, demand: 9 },
      ],
    };
    const res = run(p, 1, 10);
    expect(res.routes[0].stops.map((s) => s.job)).toEqual([0]);
    expect(res.dropped).toEqual([
      { job: 1, reason: 'no-skilled-team' },
      { job: 2, reason: 'window-unreachable' },
      { job: 3, reason: 'over-budget' },
      { job: 4, reason: 'over-capacity' },
    ]);
  });

  it('drops the least valuable stops when the budget is short, saying they lost to higher priorities', () => {
    // Start 0; stops at 1, 2, 3 each 100 s from the start and 300 s from each other; budget fits one.
    const n = 4;
    const d = new Int32Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) d[i * n + j] = i === j ? 0 : i === 0 || j === 0 ? 100 : 300;
    const p: Problem = {
      matrix: { size: n, durations: d, distances: d },
      teams: [{ id: 'a', start: 0, end: 0, shiftStart: 0, budget: 250 }],
      jobs: [
        { id: 'low', location: 1, service: 0, priority: 1 },
        { id: 'high', location: 2, service: 0, priority: 5 },
        { id: 'mid', location: 3, service: 0, priority: 3 },
      ],
    };
    const res = run(p, 1, 50);
    expect(res.routes[0].stops.map((s) => s.job)).toEqual([1]);
    expect(res.dropped).toEqual([
      { job: 0, reason: 'lower-priority' },
      { job: 2, reason: 'lower-priority' },
    ]);
  });

  it('walks a back street in the better direction', () => {
    // Locations on a line: 0 = start (x=0), 1 = end A of the lane (x=600), 2 = end B (x=100),
    // 3 = team end (x=700). Entering at A: 600 + |700-100| = 1200; entering at B: 100 + 100 = 200.
    const xs = [0, 600, 100, 700];
    const n = xs.length;
    const d = new Int32Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) d[i * n + j] = Math.abs(xs[i] - xs[j]);
    const team = { id: 'a', start: 0, end: 3, shiftStart: 0, budget: 10000 };
    const lane = { id: 'lane', location: 1, otherEnd: 2, service: 400, priority: 1 };
    let res = run({ matrix: { size: n, durations: d, distances: d }, teams: [team], jobs: [lane] }, 1, 5);
    expect(res.routes[0].stops[0].reversed).toBe(true);
    expect(res.routes[0].travelDuration).toBe(200);
    expect(res.routes[0].endTime).toBe(600);
    // The same lane described from its other end: now the natural direction is the better one.
    res = run({ matrix: { size: n, durations: d, distances: d }, teams: [team], jobs: [{ ...lane, location: 2, otherEnd: 1 }] }, 1, 5);
    expect(res.routes[0].stops[0].reversed).toBe(false);
    expect(res.routes[0].travelDuration).toBe(200);
  });

  it('balance: with balance on, the longest route is no longer than without', () => {
    const p = randomProblem(9, { jobs: 30, teams: 3 });
    const free = run(p, 1, 200);
    const bal = run({ ...p, balance: true }, 1, 200);
    const longest = (r: typeof free) => Math.max(...r.routes.map((x) => x.travelDuration));
    expect(longest(bal)).toBeLessThanOrEqual(longest(free));
    expect(checkResult(p, bal).errors).toEqual([]);
  });

  it('balance: evens out the teams’ working day when the stops’ dwell, not travel, fills it', () => {
    // Both teams start at the office (node 0); eight markets close together 1 km away, 25 minutes each.
    // Travel barely differs between one team doing all and two sharing; the day differs by hours.
    const n = 9;
    const d = new Int32Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) d[i * n + j] = i === j ? 0 : i === 0 || j === 0 ? 800 : 60;
    const team = (id: string) => ({ id, start: 0, end: 0, shiftStart: 0, budget: 8 * 3600 });
    const jobs = Array.from({ length: 8 }, (_, i) => ({ id: `m${i}`, location: i + 1, service: 1500, priority: 1 }));
    const p: Problem = { matrix: { size: n, durations: d, distances: d }, teams: [team('a'), team('b')], jobs };
    // Each team's working day (0 for a team left at the office: the solver returns used teams only).
    const day = (r: ReturnType<typeof run>) => [0, 1].map((t) => r.routes.find((x) => x.team === t)?.endTime ?? 0);
    const free = run(p, 1, 300);
    const bal = run({ ...p, balance: true }, 1, 300);
    expect(checkResult(p, bal).errors).toEqual([]);
    // Without balance one team does nearly everything; with it each does four stops, finishing together.
    expect(Math.max(...day(free)) - Math.min(...day(free))).toBeGreaterThan(3 * 1500);
    expect(bal.routes.map((r) => r.stops.length)).toEqual([4, 4]);
    expect(Math.abs(day(bal)[0] - day(bal)[1])).toBeLessThanOrEqual(60);
  });

  it('uses fewer teams when each used team carries a fixed cost (hierarchical objective)', () => {
    // Two teams based at either end of a line, two stops near each base.
    const xs = [0, 1000, 10, 20, 980, 990];
    const n = xs.length;
    const d = new Int32Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) d[i * n + j] = Math.abs(xs[i] - xs[j]);
    const teams = [
      { id: 'west', start: 0, end: 0, shiftStart: 0, budget: 1e6 },
      { id: 'east', start: 1, end: 1, shiftStart: 0, budget: 1e6 },
    ];
    const jobs = [2, 3, 4, 5].map((loc) => ({ id: String(loc), location: loc, service: 0, priority: 1 }));
    const p: Problem = { matrix: { size: n, durations: d, distances: d }, teams, jobs };
    const free = run(p, 1, 100);
    expect(free.routes.length).toBe(2);
    expect(free.cost).toBe(80);
    const fixed = run({ ...p, teams: teams.map((t) => ({ ...t, fixedCost: 1e7 })) }, 1, 100);
    expect(fixed.routes.length).toBe(1);
    expect(fixed.cost).toBe(1e7 + 1980); // 0→10→20→980→990→0 or the mirror from 1000
    expect(fixed.dropped).toEqual([]);
  });

  it('rejects bad input with a sentence saying what to fix', () => {
    const p = randomProblem(1, { jobs: 3, teams: 1 });
    expect(() => run({ ...p, teams: [] })).toThrow(/at least one team/);
    expect(() => run({ ...p, jobs: [{ ...p.jobs[0], location: 999 }] })).toThrow(/outside/);
    expect(() => run({ ...p, jobs: [{ ...p.jobs[0], priority: 0 }] })).toThrow(/positive/);
  });
});
