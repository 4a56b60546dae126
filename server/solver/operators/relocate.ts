import type { State } from '../state';
import { replaceApply, replaceDelta, replaceFeasible } from '../state';
import type { Move, Operator } from './move';
import { EPS } from './move';

// Move stop r1[i] into route r2 before index j; flag = its new orientation.

function fill(s: State, m: Move): void {
  s.midJobs[0] = s.routes[m.r1].jobs[m.i];
  s.midDirs[0] = m.flag;
}

export const relocate: Operator = {
  name: 'relocate',
  gain(s, m) {
    const r1 = s.routes[m.r1];
    fill(s, m);
    return -(replaceDelta(s, r1, m.i, m.i + 1, s.midJobs, s.midDirs, 0) + replaceDelta(s, s.routes[m.r2], m.j, m.j, s.midJobs, s.midDirs, 1));
  },
  isValid(s, m) {
    fill(s, m);
    return replaceFeasible(s, s.routes[m.r1], m.i, m.i + 1, s.midJobs, s.midDirs, 0) && replaceFeasible(s, s.routes[m.r2], m.j, m.j, s.midJobs, s.midDirs, 1);
  },
  apply(s, m) {
    fill(s, m);
    replaceApply(s, m.r2, m.j, m.j, s.midJobs, s.midDirs, 1);
    replaceApply(s, m.r1, m.i, m.i + 1, s.midJobs, s.midDirs, 0);
  },
  findBest(s, out, minGain) {
    const inst = s.inst;
    let best = minGain;
    let found = false;
    for (let a = 0; a < s.routes.length; a++) {
      const ra = s.routes[a];
      for (let i = 0; i < ra.jobs.length; i++) {
        const job = ra.jobs[i];
        const g1 = -replaceDelta(s, ra, i, i + 1, s.midJobs, s.midDirs, 0);
        if (g1 <= best) continue;
        if (!replaceFeasible(s, ra, i, i + 1, s.midJobs, s.midDirs, 0)) continue;
        if (!inst.granular) {
          for (let b = 0; b < s.routes.length; b++) {
            if (b === a || !inst.allowed[job * inst.nTeams + b]) continue;
            for (let j = 0; j <= s.routes[b].jobs.length; j++) {
              if (tryAt(s, a, i, b, j, g1, best, out)) {
                best = out.gain;
                found = true;
              }
            }
          }
          continue;
        }
        // Granular: next to a near job in another route, or into an empty route.
        for (let k = 0; k < inst.KL; k++) {
          const c = inst.near[job * inst.KJ + k];
          const b = s.routeOf[c];
          if (b < 0 || b === a || !inst.allowed[job * inst.nTeams + b]) continue;
          const p = s.posOf[c];
          if (tryAt(s, a, i, b, p, g1, best, out)) {
            best = out.gain;
            found = true;
          }
          if (tryAt(s, a, i, b, p + 1, g1, best, out)) {
            best = out.gain;
            found = true;
          }
        }
        for (let b = 0; b < s.routes.length; b++) {
          if (b === a || s.routes[b].jobs.length > 0 || !inst.allowed[job * inst.nTeams + b]) continue;
          if (tryAt(s, a, i, b, 0, g1, best, out)) {
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

/** Relocate r_a[i] before r_b[j] in its better orientation; writes `out` and returns true if it beats `best`. */
function tryAt(s: State, a: number, i: number, b: number, j: number, g1: number, best: number, out: Move): boolean {
  const inst = s.inst;
  const rb = s.routes[b];
  const job = s.routes[a].jobs[i];
  const mj = s.midJobs;
  const md = s.midDirs;
  let hit = false;
  mj[0] = job;
  for (let o = 0; o <= inst.flippable[job]; o++) {
    md[0] = o;
    const g = g1 - replaceDelta(s, rb, j, j, mj, md, 1);
    if (g > best + EPS && replaceFeasible(s, rb, j, j, mj, md, 1)) {
      best = g;
      hit = true;
      out.gain = g;
      out.r1 = a;
      out.r2 = b;
      out.i = i;
      out.j = j;
      out.flag = o;
    }
  }
  return hit;
}
