import { applyInsertion, bestInsertion, newInsertion } from './insertion';
import type { State } from './state';
import { arcTime, cloneState, replaceApply } from './state';

/** A team's working day in seconds: from its shift's start to arriving at its end (travel, dwell, waiting). */
export function workingDay(s: State, ri: number): number {
  const { inst } = s;
  const r = s.routes[ri];
  const n = r.jobs.length;
  if (n === 0) return 0;
  const last = inst.exit[2 * r.jobs[n - 1] + r.dirs[n - 1]];
  return r.dep[n - 1] + arcTime(inst, last, inst.tEnd[r.team]) - inst.tShift[r.team];
}

/**
 * Moves stops off the longest working day onto the other teams, one at a time, while `score` (the
 * balanced objective, lower is better) improves. The search's moves are priced by travel alone, so
 * when dwell fills the day they never find this: leaving a stop to a team still at the office costs
 * its trip there, and only the balance term pays it back.
 */
export function rebalance(s: State, score: (s: State) => number, stop: () => boolean): State {
  const ins = newInsertion();
  let cur = s;
  let curScore = score(cur);
  for (let move = 0; move < cur.inst.nJobs && !stop(); move++) {
    let longest = 0;
    for (let ri = 1; ri < cur.routes.length; ri++) if (workingDay(cur, ri) > workingDay(cur, longest)) longest = ri;
    const from = cur.routes[longest];
    let best: State | null = null;
    let bestScore = curScore;
    for (let p = 0; p < from.jobs.length; p++) {
      const j = from.jobs[p];
      for (let t = 0; t < cur.routes.length; t++) {
        if (t === longest) continue;
        const trial = cloneState(cur);
        replaceApply(trial, longest, p, p + 1, trial.midJobs, trial.midDirs, 0);
        if (!bestInsertion(trial, j, t, ins, null, 0)) continue;
        applyInsertion(trial, j, ins);
        const v = score(trial);
        if (v < bestScore - 1e-9) {
          best = trial;
          bestScore = v;
        }
      }
    }
    if (!best) break;
    cur = best;
    curScore = bestScore;
  }
  return cur;
}
