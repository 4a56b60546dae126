import type { State } from './state';
import { replaceApply, replaceDelta, replaceFeasible } from './state';
import { solveTsp } from './tsp';
import { createRng } from './random';

/**
 * Re-sequence one route with the TSP path (2-opt / Or-opt / Or-3opt iterated local search) when its
 * stops have no time windows and no walking direction to choose: the route becomes a tour through
 * start, stops and end, with the end→start arc forced by making every other arc into the start or out
 * of the end prohibitively expensive. Kept only if cheaper and feasible. Returns true when applied.
 */
export function resequenceRoute(s: State, ri: number, seed: number, maxKicks: number): boolean {
  const inst = s.inst;
  const r = s.routes[ri];
  const L = r.jobs.length;
  if (L < 4) return false;
  for (const j of r.jobs) {
    if (inst.flippable[j]) return false;
    if (inst.winOff[j + 1] - inst.winOff[j] !== 1 || inst.winStart[inst.winOff[j]] !== -Infinity || inst.winEnd[inst.winOff[j]] !== Infinity) return false;
  }
  const k = L + 2;
  const nodes = new Int32Array(k);
  nodes[0] = inst.tStart[r.team];
  for (let i = 0; i < L; i++) nodes[i + 1] = inst.entry[2 * r.jobs[i]];
  nodes[k - 1] = inst.tEnd[r.team];
  let maxC = 0;
  const mat = new Int32Array(k * k);
  for (let a = 0; a < k; a++) {
    for (let b = 0; b < k; b++) {
      const u = nodes[a];
      const v = nodes[b];
      const c = a === b || u < 0 || v < 0 ? 0 : inst.cost[u * inst.size + v];
      mat[a * k + b] = c;
      if (c > maxC) maxC = c;
    }
  }
  const big = Math.min(2000000000, (maxC + 1) * k);
  for (let a = 0; a < k; a++) {
    if (a !== k - 1) mat[a * k] = big;
    if (a !== 0) mat[(k - 1) * k + a] = big;
  }
  mat[(k - 1) * k] = 0;
  const res = solveTsp(k, mat, { rng: createRng(seed), now: () => 0, deadline: 1, maxKicks });
  const tour = res.tour;
  let p0 = 0;
  while (tour[p0] !== 0) p0++;
  if (tour[(p0 + k - 1) % k] !== k - 1) return false;
  const mj = s.midJobs;
  const md = s.midDirs;
  for (let t = 1; t <= L; t++) {
    mj[t - 1] = r.jobs[tour[(p0 + t) % k] - 1];
    md[t - 1] = 0;
  }
  const d = replaceDelta(s, r, 0, L, mj, md, L);
  if (d >= -1e-9 || !replaceFeasible(s, r, 0, L, mj, md, L)) return false;
  replaceApply(s, ri, 0, L, mj, md, L);
  return true;
}
