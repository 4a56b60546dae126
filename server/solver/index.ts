import type { DropReason, PlannedRoute, Problem, SolveOptions, SolveResult } from './model';
import type { Instance } from './instance';
import { compile, earliestStart } from './instance';
import type { State } from './state';
import { arcTime, cloneState, emptyState, evaluate } from './state';
import { construct, warmStart } from './construct';
import { localSearch } from './local-search';
import { insertByRatio, recreate, ruin } from './ruin-recreate';
import { applyInsertion, bestInsertion, newInsertion, swapInValuable } from './insertion';
import { resequenceRoute } from './route-tsp';
import { rebalance, workingDay } from './balance';
import { createRng } from './random';
import type { Rng } from './random';

export type * from './model';
export { timeRoutes } from './time-routes';

/** Fewest iterations between two local searches of a new best plan. */
const POLISH_EVERY = 25;
/** Kicks of the TSP path when re-sequencing a route without windows. */
const RESEQUENCE_KICKS = 60;
/** Share of the time budget kept for the last local search. */
const FINAL_POLISH_SHARE = 0.05;
/** Annealing runs of a prize-collecting search (see `solve`). */
const EPOCHS = 4;
/** Fewest iterations an epoch must have run before the next one restarts from a new plan. */
const MIN_EPOCH_ITERATIONS = 500;
export type { CostMatrix, NodeId, Cost } from './cost-matrix';

interface Value {
  unserved: number;
  cost: number;
}

/**
 * Objective value; with `balance` the longest working day (travel, dwell and waiting, from the shift's
 * start to arriving at the end) counts once per team on top of the total. Travel alone would miss the
 * point where stops' dwell dominates: two teams, one walking seven stops till noon and one a single stop
 * till nine, differ little in travel.
 */
function value(s: State, balance: boolean): Value {
  const v = evaluate(s);
  if (balance) {
    let longest = 0;
    for (let ri = 0; ri < s.routes.length; ri++) longest = Math.max(longest, workingDay(s, ri));
    v.cost += longest * s.inst.nTeams;
  }
  return v;
}

const better = (a: Value, b: Value): boolean => a.unserved < b.unserved - 1e-9 || (Math.abs(a.unserved - b.unserved) <= 1e-9 && a.cost < b.cost - 1e-9);

/** Local search that is undone when it does not improve the full objective (balance may disagree). */
function polish(s: State, balance: boolean, now: () => number, deadline: number): State {
  const before = value(s, balance);
  const copy = cloneState(s);
  for (let ri = 0; ri < copy.routes.length; ri++) resequenceRoute(copy, ri, ri + 1, RESEQUENCE_KICKS);
  localSearch(copy, now, deadline);
  recreate(copy, [], createRng(0));
  if (swapInValuable(copy) > 0) {
    localSearch(copy, now, deadline);
    recreate(copy, [], createRng(0));
  }
  // Served stops stay served (a move only relocates one), so the cost alone decides.
  const polished = balance
    ? rebalance(
        copy,
        (x) => value(x, true).cost,
        () => now() >= deadline,
      )
    : copy;
  return better(value(polished, balance), before) ? polished : s;
}

/**
 * Plan routes: regret insertion, local search, then ruin-and-recreate (SISR strings, blink
 * recreate) under simulated annealing until the deadline, returning the best plan found.
 * Objective: most served priority, then least travel cost (plus fixed team costs), then (with
 * `balance`) the longest route. Deterministic for a seed and an iteration budget.
 *
 * Planner edits: `Job.lock` pins a stop to a team (kept in every returned plan unless it cannot be
 * served; locked stops of a team keep their order from `problem.initial`), and `problem.initial`
 * starts the search from the planner's current routes ("re-optimise around the locks").
 * @example
 * const res = solve({ matrix, jobs, teams, initial: [{ team: 0, stops: [{ job: 3 }, { job: 1 }] }] },
 *   { seed: 1, now: () => performance.now(), deadline: performance.now() + 1000 });
 */
export function solve(problem: Problem, opts: SolveOptions): SolveResult {
  const inst = compile(problem);
  const { now, deadline } = opts;
  const balance = problem.balance === true;
  const rng = createRng(opts.seed);
  const maxIt = opts.maxIterations ?? Infinity;
  const t0 = now();

  const start = problem.initial ? construct(inst, warmStart(inst, problem.initial)) : construct(inst);
  const searchEnd = Number.isFinite(deadline) ? t0 + (1 - FINAL_POLISH_SHARE) * (deadline - t0) : deadline;
  // The first polish may take at most a fifth of the time, so big problems still get iterations.
  let cur = polish(start, balance, now, Number.isFinite(deadline) ? t0 + (deadline - t0) / 5 : deadline);
  let curV = value(cur, balance);
  let best = cloneState(cur);
  let bestV = curV;

  // Temperatures relative to the mean arc of the first plan, so they fit any cost unit.
  // Travel only: fixed team costs (hierarchical objectives) would make the temperature meaningless.
  let served = 0;
  let travel = 0;
  for (const r of cur.routes) {
    served += r.jobs.length;
    if (r.jobs.length > 0) travel += r.cp[r.jobs.length];
  }
  const meanArc = Math.max(1, travel / Math.max(1, served + 1));
  const T0 = 3 * meanArc;
  const TF = 0.03 * meanArc;
  // When the budgets cannot fit every stop (prize-collecting), the annealing also trades served
  // priority, priced at the first plan's travel per unit of served priority, so that it can leave a
  // region of the map for a better one; the best plan is still kept by served priority first.
  let firstPrize = 0;
  // Own priorities: the lock weights would make every unlocked stop look free to drop.
  for (const r of cur.routes) for (const j of r.jobs) firstPrize += inst.prize[j];
  const scorePrice = travel / Math.max(1e-9, firstPrize);

  // The local search is costly on long routes, so a new best is polished at most every
  // POLISH_EVERY iterations, and once more at the end in the time kept back for it.
  let pending = false;
  // Prize-collecting plans can settle in the wrong part of the map (a cluster of stops far from a
  // better one): the search then runs in EPOCHS, each annealing from hot to cold: the first from the
  // construction, the middle ones from starts grown from a random stop by value per added travel,
  // the last from the best plan.
  const epochs = curV.unserved > 1e-9 && inst.nJobs > 1 ? EPOCHS : 1;
  let epoch = 0;
  let epochStart = 0;
  // The local search costs about O(stops²) per pass, so it runs less often on bigger problems.
  const polishEvery = Math.max(POLISH_EVERY, inst.nJobs);
  let lastPolish = 0;
  let it = 0;
  while (it < maxIt && inst.nJobs > 0) {
    if (now() >= searchEnd) break;
    it++;
    const overall = Number.isFinite(maxIt) ? it / maxIt : Math.min(1, (now() - t0) / Math.max(1, searchEnd - t0));
    const e = Math.min(epochs - 1, Math.floor(overall * epochs));
    if (e !== epoch) {
      epoch = e;
      // A short epoch (a big problem or a short limit) keeps its plan: a restart would waste it.
      if (it - epochStart >= MIN_EPOCH_ITERATIONS) {
        // Not polished: a full local search from a fresh start can take most of a short budget.
        cur = e === epochs - 1 ? cloneState(best) : randomStart(inst, rng);
        curV = value(cur, balance);
        if (better(curV, bestV)) {
          best = cloneState(cur);
          bestV = curV;
        }
        epochStart = it;
      }
    }
    const progress = overall * epochs - epoch;
    const temp = T0 * Math.pow(TF / T0, progress);
    const cand = cloneState(cur);
    const removed = ruin(cand, rng);
    recreate(cand, removed, rng);
    const v = value(cand, balance);
    let accept: boolean;
    if (v.unserved < curV.unserved - 1e-9 || better(v, bestV)) {
      accept = true;
    } else if (bestV.unserved > 1e-9 && firstPrize > 0) {
      const delta = (v.unserved - curV.unserved) * scorePrice + (v.cost - curV.cost);
      accept = delta < -temp * Math.log(rng.next() + 1e-12);
    } else {
      accept = v.unserved < curV.unserved - 1e-9 || (Math.abs(v.unserved - curV.unserved) <= 1e-9 && v.cost < curV.cost - temp * Math.log(rng.next() + 1e-12));
    }
    if (accept) {
      cur = cand;
      curV = v;
      if (better(v, bestV)) {
        best = cloneState(cand);
        bestV = v;
        pending = true;
      }
    }
    if (pending && it - lastPolish >= polishEvery) {
      best = polish(best, balance, now, deadline);
      bestV = value(best, balance);
      pending = false;
      lastPolish = it;
      if (better(bestV, curV)) {
        cur = cloneState(best);
        curV = bestV;
      }
    }
  }
  if (pending) best = polish(best, balance, now, deadline);
  return toResult(inst, best, it);
}

/** A start plan: one random stop (drawn by priority), then the others by value per added travel from it, placed alone on a team that fits it. */
function randomStart(inst: Instance, rng: Rng): State {
  const s = emptyState(inst);
  // A stop drawn with probability in proportion to its priority: valuable regions are worth a look.
  let total = 0;
  for (let k = 0; k < inst.nJobs; k++) total += inst.priority[k];
  let x = rng.next() * total;
  let j = 0;
  while (j < inst.nJobs - 1 && x >= inst.priority[j]) x -= inst.priority[j++];
  const ins = newInsertion();
  if (bestInsertion(s, j, -1, ins, null, 0)) applyInsertion(s, j, ins);
  const rest: number[] = [];
  for (let k = 0; k < inst.nJobs; k++) if (s.routeOf[k] < 0) rest.push(k);
  insertByRatio(s, rest, rng);
  return s;
}

function toResult(inst: Instance, s: State, iterations: number): SolveResult {
  const routes: PlannedRoute[] = [];
  let servedPriority = 0;
  for (const r of s.routes) {
    if (r.jobs.length === 0) continue;
    const t = r.team;
    let time = inst.tShift[t];
    let u = inst.tStart[t];
    let dur = 0;
    let dist = 0;
    const stops = r.jobs.map((j, i) => {
      const o = 2 * j + r.dirs[i];
      const v = inst.entry[o];
      const tt = arcTime(inst, u, v);
      dur += tt;
      dist += u < 0 || v < 0 ? 0 : inst.distance[u * inst.size + v];
      const arrival = time + tt;
      const start = earliestStart(inst, j, arrival);
      time = start + inst.service[j];
      u = inst.exit[o];
      servedPriority += inst.prize[j];
      return { job: j, reversed: r.dirs[i] === 1 && inst.flippable[j] === 1, arrival, start, departure: time };
    });
    const end = inst.tEnd[t];
    const tt = arcTime(inst, u, end);
    dur += tt;
    dist += end < 0 ? 0 : inst.distance[u * inst.size + end];
    routes.push({ team: t, stops, travelDuration: dur, travelDistance: dist, endTime: time + tt });
  }
  const dropped: { job: number; reason: DropReason }[] = [];
  for (let j = 0; j < inst.nJobs; j++) if (s.routeOf[j] < 0) dropped.push({ job: j, reason: dropReason(inst, j) });
  return { routes, dropped, servedPriority, cost: evaluate(s).cost, iterations };
}

/** Why job j cannot be served: tested against each team with the job alone on its route. */
function dropReason(inst: Instance, j: number): DropReason {
  let anySkill = false;
  let anyCap = false;
  let anyWindow = false;
  for (let t = 0; t < inst.nTeams; t++) {
    if (!inst.allowed[j * inst.nTeams + t]) continue;
    anySkill = true;
    if (inst.demand[j] > inst.tCap[t]) continue;
    anyCap = true;
    for (let o = 0; o <= inst.flippable[j]; o++) {
      const st = earliestStart(inst, j, inst.tShift[t] + arcTime(inst, inst.tStart[t], inst.entry[2 * j + o]));
      if (st === Infinity) continue;
      anyWindow = true;
      if (st + inst.service[j] + arcTime(inst, inst.exit[2 * j + o], inst.tEnd[t]) <= inst.tLatest[t])
        return inst.lockTeam[j] >= 0 ? 'lock-conflict' : 'lower-priority';
    }
  }
  if (!anySkill) return 'no-skilled-team';
  if (!anyCap) return 'over-capacity';
  return anyWindow ? 'over-budget' : 'window-unreachable';
}
