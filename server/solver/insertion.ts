import type { Rng } from './random';
import type { State } from './state';
import { arcCost, arcTime, replaceApply, replaceDelta, replaceFeasible } from './state';
import { earliestStart } from './instance';

/** Result of a best-insertion search (reused, no allocation per call). */
export interface Insertion {
  route: number;
  pos: number;
  dir: number;
  delta: number;
}

export function newInsertion(): Insertion {
  return { route: -1, pos: 0, dir: 0, delta: Infinity };
}

/**
 * Cheapest feasible place for job j in route `ri` (or in every route when ri < 0). Each position is
 * skipped with probability `blink` (SISR blinks) when an rng is given. Returns false when none fits.
 * On a granular instance only the places next to one of j's near jobs and each route's two ends are
 * tried.
 */
export function bestInsertion(s: State, j: number, ri: number, out: Insertion, rng: Rng | null, blink: number): boolean {
  const inst = s.inst;
  out.route = -1;
  out.delta = Infinity;
  const r0 = ri < 0 ? 0 : ri;
  const r1 = ri < 0 ? s.routes.length : ri + 1;
  for (let t = r0; t < r1; t++) {
    if (!inst.allowed[j * inst.nTeams + t]) continue;
    const len = s.routes[t].jobs.length;
    if (!inst.granular) {
      for (let p = 0; p <= len; p++) tryInsert(s, j, t, p, out, rng, blink);
    } else {
      tryInsert(s, j, t, 0, out, rng, blink);
      if (len > 0) tryInsert(s, j, t, len, out, rng, blink);
    }
  }
  if (inst.granular) {
    for (let k = 0; k < inst.KJ; k++) {
      const c = inst.near[j * inst.KJ + k];
      const t = s.routeOf[c];
      if (t < 0 || (ri >= 0 && t !== ri) || !inst.allowed[j * inst.nTeams + t]) continue;
      const p = s.posOf[c];
      if (p > 0) tryInsert(s, j, t, p, out, rng, blink);
      if (p + 1 < s.routes[t].jobs.length) tryInsert(s, j, t, p + 1, out, rng, blink);
    }
  }
  return out.route >= 0;
}

/**
 * Try job j before position p of route t, in each direction; keep it in `out` when cheaper. The
 * same cost and checks as `replaceDelta` / `replaceFeasible` for one stop, inlined: this is the
 * innermost loop of every recreate.
 */
function tryInsert(s: State, j: number, t: number, p: number, out: Insertion, rng: Rng | null, blink: number): void {
  if (rng && blink > 0 && rng.next() < blink) return;
  const inst = s.inst;
  const r = s.routes[t];
  const len = r.jobs.length;
  const team = r.team;
  if (r.load[len] + inst.demand[j] > inst.tCap[team]) return;
  if (inst.ranked) {
    const k = inst.lockRank[j];
    if (k >= 0 && (k <= r.lockMax[p] || k >= r.lockMin[p])) return;
  }
  const prev = p > 0 ? inst.exit[2 * r.jobs[p - 1] + r.dirs[p - 1]] : inst.tStart[team];
  const next = p < len ? inst.entry[2 * r.jobs[p] + r.dirs[p]] : inst.tEnd[team];
  const depPrev = p > 0 ? r.dep[p - 1] : inst.tShift[team];
  const latestNext = p < len ? r.latest[p] : inst.tLatest[team];
  // An unused team costs nothing before (not even start → end), and its fixed cost once used.
  const old = len === 0 ? -inst.tFixed[team] : p > 0 ? r.cp[p] - r.cp[p - 1] : r.cp[0];
  for (let o = 0; o <= inst.flippable[j]; o++) {
    const en = inst.entry[2 * j + o];
    const ex = inst.exit[2 * j + o];
    const d = arcCost(inst, prev, en) + arcCost(inst, ex, next) - old;
    if (!(d < out.delta)) continue;
    const st = earliestStart(inst, j, depPrev + arcTime(inst, prev, en));
    if (st === Infinity || st + inst.service[j] + arcTime(inst, ex, next) > latestNext) continue;
    out.route = t;
    out.pos = p;
    out.dir = o;
    out.delta = d;
  }
}

/** Insert job j as found by `bestInsertion`. */
export function applyInsertion(s: State, j: number, ins: Insertion): void {
  s.midJobs[0] = j;
  s.midDirs[0] = ins.dir;
  replaceApply(s, ins.route, ins.pos, ins.pos, s.midJobs, s.midDirs, 1);
}

/**
 * Prize-collecting repair: put an unassigned stop in the place of a served stop worth less (same
 * position, either direction) when the route stays feasible; repeat while the served priority grows.
 * Returns the number of replacements.
 */
export function swapInValuable(s: State): number {
  const inst = s.inst;
  const mj = s.midJobs;
  const md = s.midDirs;
  let swaps = 0;
  let improved = true;
  while (improved) {
    improved = false;
    for (let j = 0; j < inst.nJobs; j++) {
      if (s.routeOf[j] >= 0) continue;
      let bestGain = 0;
      let bestCost = Infinity;
      let br = -1;
      let bp = -1;
      let bo = 0;
      for (let t = 0; t < s.routes.length; t++) {
        if (!inst.allowed[j * inst.nTeams + t]) continue;
        const r = s.routes[t];
        mj[0] = j;
        for (let p = 0; p < r.jobs.length; p++) {
          const g = inst.priority[j] - inst.priority[r.jobs[p]];
          if (g < bestGain || g <= 0) continue;
          for (let o = 0; o <= inst.flippable[j]; o++) {
            md[0] = o;
            const d = replaceDelta(s, r, p, p + 1, mj, md, 1);
            if ((g > bestGain || d < bestCost) && replaceFeasible(s, r, p, p + 1, mj, md, 1)) {
              bestGain = g;
              bestCost = d;
              br = t;
              bp = p;
              bo = o;
            }
          }
        }
      }
      if (br >= 0) {
        mj[0] = j;
        md[0] = bo;
        replaceApply(s, br, bp, bp + 1, mj, md, 1);
        swaps++;
        improved = true;
      }
    }
  }
  return swaps;
}
