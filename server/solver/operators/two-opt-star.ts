import type { Route, State } from '../state';
import { arcCost, replaceApply, replaceFeasible } from '../state';
import type { Move, Operator } from './move';
import { EPS } from './move';

// Exchange tails between two routes: r1 = r1[0, i) + r2[j, end), r2 = r2[0, j) + r1[i, end).

/** Cost of team route `ra` once its stops from i on are replaced by `rb`'s stops from j on. O(1). */
function newSideCost(s: State, ra: Route, i: number, rb: Route, j: number): number {
  const inst = s.inst;
  const lb = rb.jobs.length;
  const head = i > 0 ? ra.cp[i - 1] : 0;
  const u = i > 0 ? inst.exit[2 * ra.jobs[i - 1] + ra.dirs[i - 1]] : inst.tStart[ra.team];
  const end = inst.tEnd[ra.team];
  let c = head;
  if (j < lb) {
    c +=
      arcCost(inst, u, inst.entry[2 * rb.jobs[j] + rb.dirs[j]]) +
      (rb.cp[lb - 1] - rb.cp[j]) +
      arcCost(inst, inst.exit[2 * rb.jobs[lb - 1] + rb.dirs[lb - 1]], end);
  } else {
    c += arcCost(inst, u, end);
  }
  return i + lb - j > 0 ? c + inst.tFixed[ra.team] : 0;
}

function oldCost(s: State, r: Route): number {
  return r.jobs.length > 0 ? r.cp[r.jobs.length] + s.inst.tFixed[r.team] : 0;
}

function fill(s: State, m: Move): void {
  const ra = s.routes[m.r1];
  const rb = s.routes[m.r2];
  let k = 0;
  for (let t = m.j; t < rb.jobs.length; t++, k++) {
    s.midJobs[k] = rb.jobs[t];
    s.midDirs[k] = rb.dirs[t];
  }
  k = 0;
  for (let t = m.i; t < ra.jobs.length; t++, k++) {
    s.midJobs2[k] = ra.jobs[t];
    s.midDirs2[k] = ra.dirs[t];
  }
}

export const twoOptStar: Operator = {
  name: '2-opt*',
  gain(s, m) {
    const ra = s.routes[m.r1];
    const rb = s.routes[m.r2];
    return oldCost(s, ra) + oldCost(s, rb) - newSideCost(s, ra, m.i, rb, m.j) - newSideCost(s, rb, m.j, ra, m.i);
  },
  isValid(s, m) {
    fill(s, m);
    const ra = s.routes[m.r1];
    const rb = s.routes[m.r2];
    return (
      replaceFeasible(s, ra, m.i, ra.jobs.length, s.midJobs, s.midDirs, rb.jobs.length - m.j) &&
      replaceFeasible(s, rb, m.j, rb.jobs.length, s.midJobs2, s.midDirs2, ra.jobs.length - m.i)
    );
  },
  apply(s, m) {
    fill(s, m);
    const la = s.routes[m.r1].jobs.length;
    const lb = s.routes[m.r2].jobs.length;
    replaceApply(s, m.r1, m.i, la, s.midJobs, s.midDirs, lb - m.j);
    replaceApply(s, m.r2, m.j, lb, s.midJobs2, s.midDirs2, la - m.i);
  },
  findBest(s, out, minGain) {
    const m = { gain: 0, r1: 0, r2: 0, i: 0, j: 0, l1: 0, l2: 0, flag: 0 };
    const inst = s.inst;
    let best = minGain;
    let found = false;
    for (let a = 0; a < s.routes.length; a++) {
      const ra = s.routes[a];
      if (inst.granular) {
        // Granular: the new arc r_a[i-1] → r_b[j] joins near jobs. Both route orders are visited, so
        // the other new arc r_b[j-1] → r_a[i] is covered from r_b's side.
        for (let i = 1; i <= ra.jobs.length; i++) {
          const u = ra.jobs[i - 1];
          for (let k = 0; k < inst.KL; k++) {
            const c = inst.near[u * inst.KJ + k];
            const b = s.routeOf[c];
            if (b < 0 || b === a) continue;
            m.r1 = a;
            m.r2 = b;
            m.i = i;
            m.j = s.posOf[c];
            const g = twoOptStar.gain(s, m);
            if (g > best + EPS && twoOptStar.isValid(s, m)) {
              best = g;
              found = true;
              m.gain = g;
              Object.assign(out, m);
            }
          }
          if (found) return true; // first improvement: a full granular pass costs more than it finds
        }
        continue;
      }
      for (let b = a + 1; b < s.routes.length; b++) {
        const rb = s.routes[b];
        if (ra.jobs.length + rb.jobs.length === 0) continue;
        m.r1 = a;
        m.r2 = b;
        for (let i = 0; i <= ra.jobs.length; i++) {
          for (let j = 0; j <= rb.jobs.length; j++) {
            if ((i === 0 && j === 0) || (i === ra.jobs.length && j === rb.jobs.length)) continue;
            m.i = i;
            m.j = j;
            const g = twoOptStar.gain(s, m);
            if (g > best + EPS && twoOptStar.isValid(s, m)) {
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
