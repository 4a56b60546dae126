import type { State } from '../state';
import { replaceApply, replaceDelta, replaceFeasible } from '../state';
import type { Move, Operator } from './move';
import { EPS } from './move';

// Swap stop r1[i] with stop r2[j] (different routes); flag bit 0/1 = new orientation of each.

function fill(s: State, m: Move): void {
  s.midJobs[0] = s.routes[m.r2].jobs[m.j];
  s.midDirs[0] = m.flag & 1;
  s.midJobs2[0] = s.routes[m.r1].jobs[m.i];
  s.midDirs2[0] = (m.flag >> 1) & 1;
}

export const exchange: Operator = {
  name: 'exchange',
  gain(s, m) {
    fill(s, m);
    return -(replaceDelta(s, s.routes[m.r1], m.i, m.i + 1, s.midJobs, s.midDirs, 1) + replaceDelta(s, s.routes[m.r2], m.j, m.j + 1, s.midJobs2, s.midDirs2, 1));
  },
  isValid(s, m) {
    fill(s, m);
    return (
      replaceFeasible(s, s.routes[m.r1], m.i, m.i + 1, s.midJobs, s.midDirs, 1) && replaceFeasible(s, s.routes[m.r2], m.j, m.j + 1, s.midJobs2, s.midDirs2, 1)
    );
  },
  apply(s, m) {
    fill(s, m);
    replaceApply(s, m.r1, m.i, m.i + 1, s.midJobs, s.midDirs, 1);
    replaceApply(s, m.r2, m.j, m.j + 1, s.midJobs2, s.midDirs2, 1);
  },
  findBest(s, out, minGain) {
    const inst = s.inst;
    let best = minGain;
    let found = false;
    for (let a = 0; a < s.routes.length; a++) {
      const ra = s.routes[a];
      if (!inst.granular) {
        for (let b = a + 1; b < s.routes.length; b++) {
          for (let i = 0; i < ra.jobs.length; i++) {
            for (let j = 0; j < s.routes[b].jobs.length; j++) {
              if (tryPair(s, a, i, b, j, best, out)) {
                best = out.gain;
                found = true;
              }
            }
          }
        }
        continue;
      }
      // Granular: swap with a near job of another route.
      for (let i = 0; i < ra.jobs.length; i++) {
        const ja = ra.jobs[i];
        for (let k = 0; k < inst.KL; k++) {
          const c = inst.near[ja * inst.KJ + k];
          const b = s.routeOf[c];
          if (b < 0 || b === a) continue;
          if (tryPair(s, a, i, b, s.posOf[c], best, out)) {
            best = out.gain;
            found = true;
          }
        }
        if (found) return true; // first improvement: a full granular pass costs more than it finds
      }
    }
    return found;
  },
};

/** Swap r_a[i] and r_b[j], each side in its better orientation; writes `out` and returns true if it beats `best`. */
function tryPair(s: State, a: number, i: number, b: number, j: number, best: number, out: Move): boolean {
  const inst = s.inst;
  const T = inst.nTeams;
  const ra = s.routes[a];
  const rb = s.routes[b];
  const ja = ra.jobs[i];
  const jb = rb.jobs[j];
  if (!inst.allowed[ja * T + b] || !inst.allowed[jb * T + a]) return false;
  // Each side's best orientation is independent of the other side.
  let bestA = Infinity;
  let oa = -1;
  s.midJobs[0] = jb;
  for (let o = 0; o <= inst.flippable[jb]; o++) {
    s.midDirs[0] = o;
    const d = replaceDelta(s, ra, i, i + 1, s.midJobs, s.midDirs, 1);
    if (d < bestA && replaceFeasible(s, ra, i, i + 1, s.midJobs, s.midDirs, 1)) {
      bestA = d;
      oa = o;
    }
  }
  if (oa < 0) return false;
  let bestB = Infinity;
  let ob = -1;
  s.midJobs2[0] = ja;
  for (let o = 0; o <= inst.flippable[ja]; o++) {
    s.midDirs2[0] = o;
    const d = replaceDelta(s, rb, j, j + 1, s.midJobs2, s.midDirs2, 1);
    if (d < bestB && -(bestA + d) > best + EPS && replaceFeasible(s, rb, j, j + 1, s.midJobs2, s.midDirs2, 1)) {
      bestB = d;
      ob = o;
    }
  }
  if (ob < 0) return false;
  const g = -(bestA + bestB);
  if (!(g > best + EPS)) return false;
  out.gain = g;
  out.r1 = a;
  out.r2 = b;
  out.i = i;
  out.j = j;
  out.flag = oa | (ob << 1);
  return true;
}
