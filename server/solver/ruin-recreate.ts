import type { Rng } from './random';
import type { State } from './state';
import { replaceApply } from './state';
import { applyInsertion, bestInsertion, newInsertion } from './insertion';

/** SISR parameters (Christiaens & Vanden Berghe 2020): average removed stops and longest string. */
const C_BAR = 10;
const L_MAX = 10;
const BLINK = 0.01;

/**
 * Ruin: remove a few strings of consecutive stops from routes near a random seed stop (SISR).
 * Returns the removed jobs.
 */
export function ruin(s: State, rng: Rng): number[] {
  const inst = s.inst;
  const removed: number[] = [];
  let served = 0;
  let used = 0;
  for (const r of s.routes)
    if (r.jobs.length > 0) {
      served += r.jobs.length;
      used++;
    }
  if (served === 0) return removed;
  const lsMax = Math.min(L_MAX, served / used);
  const ksMax = (4 * C_BAR) / (1 + lsMax) - 1;
  const ks = Math.floor(rng.next() * ksMax) + 1;
  // A random served stop as the seed.
  let seed = rng.int(inst.nJobs);
  while (s.routeOf[seed] < 0) seed = seed + 1 === inst.nJobs ? 0 : seed + 1;
  const ruined = new Set<number>();
  for (let k = -1; k < inst.KJ && ruined.size < ks; k++) {
    const c = k < 0 ? seed : inst.near[seed * inst.KJ + k];
    const ri = s.routeOf[c];
    if (ri < 0 || ruined.has(ri)) continue;
    const r = s.routes[ri];
    const len = r.jobs.length;
    const lmax = Math.min(len, lsMax);
    const l = Math.floor(rng.next() * lmax) + 1;
    const pc = r.jobs.indexOf(c);
    let start = pc - rng.int(l);
    if (start < 0) start = 0;
    if (start + l > len) start = len - l;
    for (let t = start; t < start + l; t++) removed.push(r.jobs[t]);
    replaceApply(s, ri, start, start + l, s.midJobs, s.midDirs, 0);
    ruined.add(ri);
  }
  return removed;
}

/** Up to this many left-out stops (besides the removed ones), recreate tries every one. */
const OTHERS_ALL = 50;
/** Beyond that, the share of the left-out stops far from the ruin that recreate tries. */
const OTHERS_SAMPLE = 0.1;
/** Share of recreates that insert by value per added travel when some stops stay unserved. */
const RATIO_SHARE = 0.5;

/**
 * Recreate: insert the removed and all unassigned stops, each at its cheapest feasible place with
 * blinks, in a random SISR order (most valuable first most of the time). When stops were left out
 * before this ruin (the budgets do not fit everything: a prize-collecting plan), half the time the
 * order is by value per added travel instead (priority / cheapest insertion cost in the ruined plan,
 * with noise), and stops that fit nowhere in the ruined plan are skipped: insertions only use slack.
 */
export function recreate(s: State, removed: number[], rng: Rng): void {
  const inst = s.inst;
  const jobs = removed.slice();
  const inRemoved = new Set(removed);
  let others = 0;
  for (let j = 0; j < inst.nJobs; j++) if (s.routeOf[j] < 0 && !inRemoved.has(j)) others++;
  if (others <= OTHERS_ALL) {
    for (let j = 0; j < inst.nJobs; j++) if (s.routeOf[j] < 0 && !inRemoved.has(j)) jobs.push(j);
  } else {
    // Many stops left out (a prize-collecting plan): trying each of them every time costs most of
    // the iteration, and the slack the ruin made is cheapest to use near the removed stops. So only
    // the left-out stops near a removed one are tried, and a random tenth of the others.
    const take = new Uint8Array(inst.nJobs);
    for (const r of removed) {
      for (let k = 0; k < inst.KL; k++) take[inst.near[r * inst.KJ + k]] = 1;
    }
    for (let j = 0; j < inst.nJobs; j++) {
      if (s.routeOf[j] >= 0 || inRemoved.has(j)) continue;
      if (take[j] || rng.next() < OTHERS_SAMPLE) jobs.push(j);
    }
  }
  const key = new Map<number, number>();
  const ins = newInsertion();
  if (jobs.length > removed.length && rng.next() < RATIO_SHARE) {
    insertByRatio(s, jobs, rng);
    return;
  }
  const mode = rng.int(11);
  for (const j of jobs) {
    let k: number;
    if (mode < 4) k = rng.next();
    else if (mode < 8) k = -inst.demand[j] - rng.next() * 1e-6;
    else {
      // Distance from the first team's start: far first (2 of 11) or close first (1 of 11).
      const d = inst.cost[inst.tStart[0] * inst.size + inst.entry[2 * j]];
      k = mode < 10 ? -d : d;
    }
    key.set(j, k);
  }
  // Usually the most valuable first; sometimes not, so that two cheaper stops can displace one
  // valuable stop of the same total worth.
  if (rng.next() < 0.7) jobs.sort((a, b) => inst.priority[b] - inst.priority[a] || key.get(a)! - key.get(b)!);
  else jobs.sort((a, b) => key.get(a)! - key.get(b)!);
  for (const j of jobs) {
    if (bestInsertion(s, j, -1, ins, rng, BLINK)) applyInsertion(s, j, ins);
  }
}

/**
 * Insert `jobs` one by one at their cheapest places, in the order of value per added travel in the
 * current plan (priority / cheapest insertion cost, with noise); stops that fit nowhere now are
 * skipped, since insertions only use up slack.
 */
export function insertByRatio(s: State, jobs: number[], rng: Rng): void {
  const inst = s.inst;
  const ins = newInsertion();
  const fits: number[] = [];
  const key = new Map<number, number>();
  for (const j of jobs) {
    if (!bestInsertion(s, j, -1, ins, null, 0)) continue;
    fits.push(j);
    // A free insertion (a shortcut) goes first.
    key.set(j, -(inst.priority[j] / Math.max(1, ins.delta)) * (0.8 + 0.4 * rng.next()));
  }
  fits.sort((a, b) => key.get(a)! - key.get(b)!);
  for (const j of fits) {
    if (bestInsertion(s, j, -1, ins, rng, BLINK)) applyInsertion(s, j, ins);
  }
}
