import type { State } from '../state';
import { arcCost, replaceApply, replaceFeasible } from '../state';
import type { Move, Operator } from './move';
import { EPS } from './move';

// Reverse stops r1[i..j] (inclusive) of one route; back streets in the segment are walked the other way.
// The gain counts every reversed arc, so it is exact for asymmetric matrices.

function fill(s: State, m: Move): void {
  const r = s.routes[m.r1];
  for (let k = 0; k <= m.j - m.i; k++) {
    s.midJobs[k] = r.jobs[m.j - k];
    s.midDirs[k] = r.dirs[m.j - k] ^ 1;
  }
}

export const twoOpt: Operator = {
  name: '2-opt',
  gain(s, m) {
    const inst = s.inst;
    const r = s.routes[m.r1];
    const len = r.jobs.length;
    const prev = m.i > 0 ? inst.exit[2 * r.jobs[m.i - 1] + r.dirs[m.i - 1]] : inst.tStart[r.team];
    const next = m.j + 1 < len ? inst.entry[2 * r.jobs[m.j + 1] + r.dirs[m.j + 1]] : inst.tEnd[r.team];
    let neu = 0;
    let u = prev;
    for (let k = m.j; k >= m.i; k--) {
      const o = 2 * r.jobs[k] + (r.dirs[k] ^ 1);
      neu += arcCost(inst, u, inst.entry[o]);
      u = inst.exit[o];
    }
    neu += arcCost(inst, u, next);
    const old = r.cp[m.j + 1] - (m.i > 0 ? r.cp[m.i - 1] : 0);
    return old - neu;
  },
  isValid(s, m) {
    fill(s, m);
    return replaceFeasible(s, s.routes[m.r1], m.i, m.j + 1, s.midJobs, s.midDirs, m.j - m.i + 1);
  },
  apply(s, m) {
    fill(s, m);
    replaceApply(s, m.r1, m.i, m.j + 1, s.midJobs, s.midDirs, m.j - m.i + 1);
  },
  findBest(s, out, minGain) {
    const inst = s.inst;
    const m = { gain: 0, r1: 0, r2: 0, i: 0, j: 0, l1: 0, l2: 0, flag: 0 };
    let best = minGain;
    let found = false;
    for (let a = 0; a < s.routes.length; a++) {
      const r = s.routes[a];
      const len = r.jobs.length;
      m.r1 = a;
      for (let i = 0; i < len; i++) {
        const prev = i > 0 ? inst.exit[2 * r.jobs[i - 1] + r.dirs[i - 1]] : inst.tStart[r.team];
        const base = i > 0 ? r.cp[i - 1] : 0;
        // Reversed segment i..j built incrementally: inner = cost from entry'(j) to exit'(i).
        let inner = 0;
        for (let j = i; j < len; j++) {
          const oj = 2 * r.jobs[j] + (r.dirs[j] ^ 1);
          if (j > i) inner += arcCost(inst, inst.exit[oj], inst.entry[2 * r.jobs[j - 1] + (r.dirs[j - 1] ^ 1)]);
          const oi = 2 * r.jobs[i] + (r.dirs[i] ^ 1);
          const next = j + 1 < len ? inst.entry[2 * r.jobs[j + 1] + r.dirs[j + 1]] : inst.tEnd[r.team];
          const neu = arcCost(inst, prev, inst.entry[oj]) + inner + arcCost(inst, inst.exit[oi], next);
          const g = r.cp[j + 1] - base - neu;
          if (g > best + EPS) {
            m.i = i;
            m.j = j;
            if (twoOpt.isValid(s, m)) {
              best = g;
              found = true;
              m.gain = g;
              Object.assign(out, m);
            }
          }
        }
      }
    }
    return found;
  },
};
