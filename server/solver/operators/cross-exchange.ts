import type { State } from '../state';
import { replaceApply, replaceDelta, replaceFeasible } from '../state';
import type { Move, Operator } from './move';
import { EPS } from './move';

// Swap segment r1[i, i+l1) with segment r2[j, j+l2) between two routes, keeping each stop's orientation.

const MAX_SEG = 3;

function fill(s: State, m: Move): void {
  const ra = s.routes[m.r1];
  const rb = s.routes[m.r2];
  for (let k = 0; k < m.l2; k++) {
    s.midJobs[k] = rb.jobs[m.j + k];
    s.midDirs[k] = rb.dirs[m.j + k];
  }
  for (let k = 0; k < m.l1; k++) {
    s.midJobs2[k] = ra.jobs[m.i + k];
    s.midDirs2[k] = ra.dirs[m.i + k];
  }
}

export const crossExchange: Operator = {
  name: 'cross-exchange',
  gain(s, m) {
    fill(s, m);
    return -(
      replaceDelta(s, s.routes[m.r1], m.i, m.i + m.l1, s.midJobs, s.midDirs, m.l2) +
      replaceDelta(s, s.routes[m.r2], m.j, m.j + m.l2, s.midJobs2, s.midDirs2, m.l1)
    );
  },
  isValid(s, m) {
    fill(s, m);
    return (
      replaceFeasible(s, s.routes[m.r1], m.i, m.i + m.l1, s.midJobs, s.midDirs, m.l2) &&
      replaceFeasible(s, s.routes[m.r2], m.j, m.j + m.l2, s.midJobs2, s.midDirs2, m.l1)
    );
  },
  apply(s, m) {
    fill(s, m);
    replaceApply(s, m.r1, m.i, m.i + m.l1, s.midJobs, s.midDirs, m.l2);
    replaceApply(s, m.r2, m.j, m.j + m.l2, s.midJobs2, s.midDirs2, m.l1);
  },
  findBest(s, out, minGain) {
    const m = { gain: 0, r1: 0, r2: 0, i: 0, j: 0, l1: 0, l2: 0, flag: 0 };
    let best = minGain;
    let found = false;
    const inst = s.inst;
    const T = inst.nTeams;
    const consider = (): void => {
      const g = crossExchange.gain(s, m);
      if (g > best + EPS && crossExchange.isValid(s, m)) {
        best = g;
        found = true;
        m.gain = g;
        Object.assign(out, m);
      }
    };
    for (let a = 0; a < s.routes.length; a++) {
      const ra = s.routes[a];
      if (inst.granular) {
        // Granular: the segment of r_b starts at, or right after, a job near r_a[i].
        for (let i = 0; i < ra.jobs.length; i++) {
          for (let k = 0; k < inst.KL; k++) {
            const c = inst.near[ra.jobs[i] * inst.KJ + k];
            const b = s.routeOf[c];
            if (b < 0 || b === a) continue;
            const rb = s.routes[b];
            for (let l1 = 1; l1 <= MAX_SEG && i + l1 <= ra.jobs.length; l1++) {
              if (!inst.allowed[ra.jobs[i + l1 - 1] * T + b]) break;
              for (let j = s.posOf[c]; j <= s.posOf[c] + 1; j++) {
                for (let l2 = 1; l2 <= MAX_SEG && j + l2 <= rb.jobs.length; l2++) {
                  if (!inst.allowed[rb.jobs[j + l2 - 1] * T + a]) break;
                  if (l1 === 1 && l2 === 1) continue;
                  m.r1 = a;
                  m.r2 = b;
                  m.i = i;
                  m.j = j;
                  m.l1 = l1;
                  m.l2 = l2;
                  consider();
                }
              }
            }
          }
          if (found) return true; // first improvement: a full granular pass costs more than it finds
        }
        continue;
      }
      for (let b = a + 1; b < s.routes.length; b++) {
        const rb = s.routes[b];
        for (let l1 = 1; l1 <= MAX_SEG; l1++) {
          for (let l2 = 1; l2 <= MAX_SEG; l2++) {
            if (l1 === 1 && l2 === 1) continue; // that is exchange
            for (let i = 0; i + l1 <= ra.jobs.length; i++) {
              let okA = true;
              for (let k = 0; k < l1; k++) if (!inst.allowed[ra.jobs[i + k] * T + b]) okA = false;
              if (!okA) continue;
              for (let j = 0; j + l2 <= rb.jobs.length; j++) {
                let okB = true;
                for (let k = 0; k < l2; k++) if (!inst.allowed[rb.jobs[j + k] * T + a]) okB = false;
                if (!okB) continue;
                m.r1 = a;
                m.r2 = b;
                m.i = i;
                m.j = j;
                m.l1 = l1;
                m.l2 = l2;
                consider();
              }
            }
          }
        }
      }
    }
    return found;
  },
};
