import type { State } from './state';
import { emptyState, replaceApply, replaceFeasible } from './state';
import type { Instance } from './instance';
import type { RouteInput } from './model';
import { applyInsertion, bestInsertion, newInsertion } from './insertion';

/**
 * Regret-2 insertion (Potvin & Rousseau): repeatedly insert the unassigned stop with the highest
 * priority, ties broken by the largest regret (second-best route minus best route), at its cheapest
 * feasible place. Per-route best insertions are cached and only the changed route is re-evaluated.
 * Stops that fit nowhere stay unassigned. With `start`, only its unassigned stops are inserted.
 * `rule: 'ratio'` ranks stops by priority per unit of insertion cost instead of priority alone.
 */
export function construct(inst: Instance, start?: State, rule: 'priority' | 'ratio' = 'priority'): State {
  const s = start ?? emptyState(inst);
  const n = inst.nJobs;
  const T = inst.nTeams;
  const cost = new Float64Array(n * T);
  const pos = new Int32Array(n * T);
  const dir = new Int32Array(n * T);
  const open = new Uint8Array(n);
  for (let j = 0; j < n; j++) open[j] = s.routeOf[j] < 0 ? 1 : 0;
  const ins = newInsertion();
  const evalRoute = (j: number, t: number): void => {
    if (bestInsertion(s, j, t, ins, null, 0)) {
      cost[j * T + t] = ins.delta;
      pos[j * T + t] = ins.pos;
      dir[j * T + t] = ins.dir;
    } else {
      cost[j * T + t] = Infinity;
    }
  };
  for (let j = 0; j < n; j++) if (open[j]) for (let t = 0; t < T; t++) evalRoute(j, t);
  for (;;) {
    let bj = -1;
    let bPrio = -Infinity;
    let bRegret = -Infinity;
    let bCost = Infinity;
    let bt = -1;
    for (let j = 0; j < n; j++) {
      if (!open[j]) continue;
      let c1 = Infinity;
      let c2 = Infinity;
      let t1 = -1;
      for (let t = 0; t < T; t++) {
        const c = cost[j * T + t];
        if (c < c1) {
          c2 = c1;
          c1 = c;
          t1 = t;
        } else if (c < c2) c2 = c;
      }
      if (t1 < 0) {
        open[j] = 0;
        continue;
      }
      const regret = c2 === Infinity ? 1e15 : c2 - c1;
      // 'ratio': value per added travel first (prize-collecting starts grow around what is served).
      const p = rule === 'priority' ? inst.priority[j] : inst.priority[j] / Math.max(1, c1);
      if (p > bPrio || (p === bPrio && (regret > bRegret || (regret === bRegret && c1 < bCost)))) {
        bj = j;
        bPrio = p;
        bRegret = regret;
        bCost = c1;
        bt = t1;
      }
    }
    if (bj < 0) break;
    ins.route = bt;
    ins.pos = pos[bj * T + bt];
    ins.dir = dir[bj * T + bt];
    ins.delta = cost[bj * T + bt];
    applyInsertion(s, bj, ins);
    open[bj] = 0;
    for (let j = 0; j < n; j++) if (open[j]) evalRoute(j, bt);
  }
  return s;
}

/**
 * The planner's routes as a state: each route's stops appended in the given order while the route
 * stays feasible (windows, budget, skills, locks, capacity); a stop that does not fit there is left
 * unassigned for the insertion that follows. Routes must have passed `checkRoutes`.
 */
export function warmStart(inst: Instance, routes: readonly RouteInput[]): State {
  const s = emptyState(inst);
  for (const input of routes) {
    const r = s.routes[input.team];
    for (const st of input.stops) {
      s.midJobs[0] = st.job;
      s.midDirs[0] = st.reversed === true && inst.flippable[st.job] ? 1 : 0;
      const end = r.jobs.length;
      if (replaceFeasible(s, r, end, end, s.midJobs, s.midDirs, 1)) replaceApply(s, input.team, end, end, s.midJobs, s.midDirs, 1);
    }
  }
  return s;
}
