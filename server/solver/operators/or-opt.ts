import type { Route, State } from '../state';
import { arcCost, replaceApply, replaceFeasible } from '../state';
import type { Move, Operator } from './move';
import { EPS } from './move';

// Move segment r1[i, i+l1) of one route to before original index j (j < i or j > i+l1); flag 1 = reversed.

const MAX_SEG = 3;

/** Node the team leaves stop p from (the start for p < 0). */
function exitAt(s: State, r: Route, p: number): number {
  if (p < 0) return s.inst.tStart[r.team];
  return s.inst.exit[2 * r.jobs[p] + r.dirs[p]];
}

/** Node the team arrives at stop p by (the end for p past the last stop). */
function entryAt(s: State, r: Route, p: number): number {
  if (p >= r.jobs.length) return s.inst.tEnd[r.team];
  return s.inst.entry[2 * r.jobs[p] + r.dirs[p]];
}

/** Build the rewritten region into the scratch middle; returns [from, to, length]. */
function fill(s: State, m: Move): [number, number, number] {
  const r = s.routes[m.r1];
  let k = 0;
  const seg = (): void => {
    for (let t = 0; t < m.l1; t++) {
      const src = m.flag ? m.i + m.l1 - 1 - t : m.i + t;
      s.midJobs[k] = r.jobs[src];
      s.midDirs[k] = m.flag ? r.dirs[src] ^ 1 : r.dirs[src];
      k++;
    }
  };
  if (m.j < m.i) {
    seg();
    for (let t = m.j; t < m.i; t++, k++) {
      s.midJobs[k] = r.jobs[t];
      s.midDirs[k] = r.dirs[t];
    }
    return [m.j, m.i + m.l1, k];
  }
  for (let t = m.i + m.l1; t < m.j; t++, k++) {
    s.midJobs[k] = r.jobs[t];
    s.midDirs[k] = r.dirs[t];
  }
  seg();
  return [m.i, m.j, k];
}

export const orOpt: Operator = {
  name: 'or-opt',
  gain(s, m) {
    const inst = s.inst;
    const r = s.routes[m.r1];
    const i = m.i;
    const e = m.i + m.l1 - 1;
    const prev = exitAt(s, r, i - 1);
    const next = entryAt(s, r, e + 1);
    const first = 2 * r.jobs[i] + r.dirs[i];
    const last = 2 * r.jobs[e] + r.dirs[e];
    const removed = arcCost(inst, prev, inst.entry[first]) + arcCost(inst, inst.exit[last], next) - arcCost(inst, prev, next);
    const x = exitAt(s, r, m.j - 1);
    const y = entryAt(s, r, m.j);
    let added: number;
    if (!m.flag) {
      added = arcCost(inst, x, inst.entry[first]) + arcCost(inst, inst.exit[last], y);
    } else {
      let fw = 0;
      let bw = 0;
      for (let t = i; t < e; t++) {
        fw += arcCost(inst, inst.exit[2 * r.jobs[t] + r.dirs[t]], inst.entry[2 * r.jobs[t + 1] + r.dirs[t + 1]]);
        bw += arcCost(inst, inst.exit[2 * r.jobs[t + 1] + (r.dirs[t + 1] ^ 1)], inst.entry[2 * r.jobs[t] + (r.dirs[t] ^ 1)]);
      }
      const fr = 2 * r.jobs[e] + (r.dirs[e] ^ 1);
      const lr = 2 * r.jobs[i] + (r.dirs[i] ^ 1);
      added = arcCost(inst, x, inst.entry[fr]) + arcCost(inst, inst.exit[lr], y) + bw - fw;
    }
    return removed - (added - arcCost(inst, x, y));
  },
  isValid(s, m) {
    const [a, b, k] = fill(s, m);
    return replaceFeasible(s, s.routes[m.r1], a, b, s.midJobs, s.midDirs, k);
  },
  apply(s, m) {
    const [a, b, k] = fill(s, m);
    replaceApply(s, m.r1, a, b, s.midJobs, s.midDirs, k);
  },
  findBest(s, out, minGain) {
    const m = { gain: 0, r1: 0, r2: 0, i: 0, j: 0, l1: 0, l2: 0, flag: 0 };
    const inst = s.inst;
    let best = minGain;
    let found = false;
    const consider = (j: number): void => {
      if (j >= m.i && j <= m.i + m.l1) return;
      m.j = j;
      for (let f = 0; f < 2; f++) {
        if (f === 1 && m.l1 === 1 && !inst.flippable[s.routes[m.r1].jobs[m.i]]) break;
        m.flag = f;
        const g = orOpt.gain(s, m);
        if (g > best + EPS && orOpt.isValid(s, m)) {
          best = g;
          found = true;
          m.gain = g;
          Object.assign(out, m);
        }
      }
    };
    for (let a = 0; a < s.routes.length; a++) {
      const r = s.routes[a];
      const len = r.jobs.length;
      m.r1 = a;
      for (let l = 1; l <= MAX_SEG && l < len; l++) {
        m.l1 = l;
        for (let i = 0; i + l <= len; i++) {
          m.i = i;
          if (!inst.granular) {
            for (let j = 0; j <= len; j++) consider(j);
            continue;
          }
          // Granular: next to a job near either end of the segment, or at the route's ends.
          consider(0);
          consider(len);
          for (let e = 0; e < 2; e++) {
            const u = r.jobs[e === 0 ? i : i + l - 1];
            for (let k = 0; k < inst.KL; k++) {
              const c = inst.near[u * inst.KJ + k];
              if (s.routeOf[c] !== a) continue;
              consider(s.posOf[c]);
              consider(s.posOf[c] + 1);
            }
          }
          if (found) return true; // first improvement: a full granular pass costs more than it finds
        }
      }
    }
    return found;
  },
};
