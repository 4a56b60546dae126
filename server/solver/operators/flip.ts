import type { State } from '../state';
import { replaceApply, replaceDelta, replaceFeasible } from '../state';
import type { Move, Operator } from './move';
import { EPS } from './move';

// Walk back street r1[i] the other way round (enter at the end it used to leave by).

function fill(s: State, m: Move): void {
  const r = s.routes[m.r1];
  s.midJobs[0] = r.jobs[m.i];
  s.midDirs[0] = r.dirs[m.i] ^ 1;
}

export const flip: Operator = {
  name: 'flip',
  gain(s, m) {
    fill(s, m);
    return -replaceDelta(s, s.routes[m.r1], m.i, m.i + 1, s.midJobs, s.midDirs, 1);
  },
  isValid(s, m) {
    fill(s, m);
    return replaceFeasible(s, s.routes[m.r1], m.i, m.i + 1, s.midJobs, s.midDirs, 1);
  },
  apply(s, m) {
    fill(s, m);
    replaceApply(s, m.r1, m.i, m.i + 1, s.midJobs, s.midDirs, 1);
  },
  findBest(s, out, minGain) {
    const m = { gain: 0, r1: 0, r2: 0, i: 0, j: 0, l1: 0, l2: 0, flag: 0 };
    let best = minGain;
    let found = false;
    for (let a = 0; a < s.routes.length; a++) {
      const r = s.routes[a];
      m.r1 = a;
      for (let i = 0; i < r.jobs.length; i++) {
        if (!s.inst.flippable[r.jobs[i]]) continue;
        m.i = i;
        const g = flip.gain(s, m);
        if (g > best + EPS && flip.isValid(s, m)) {
          best = g;
          found = true;
          m.gain = g;
          Object.assign(out, m);
        }
      }
    }
    return found;
  },
};
