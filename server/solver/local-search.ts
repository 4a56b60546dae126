import type { State } from './state';
import type { Operator } from './operators/move';
import { newMove } from './operators/move';
import { relocate } from './operators/relocate';
import { exchange } from './operators/exchange';
import { crossExchange } from './operators/cross-exchange';
import { twoOptStar } from './operators/two-opt-star';
import { twoOpt } from './operators/two-opt';
import { orOpt } from './operators/or-opt';
import { flip } from './operators/flip';

/** Cheap intra-route moves first, then the inter-route ones. */
export const OPERATORS: readonly Operator[] = [flip, twoOpt, orOpt, relocate, exchange, twoOptStar, crossExchange];

/**
 * Apply each operator's best improving move until none improves or the deadline passes
 * (vroom `local_search.cpp`). The state stays feasible throughout.
 */
export function localSearch(s: State, now: () => number, deadline: number, ops: readonly Operator[] = OPERATORS): number {
  const mv = newMove();
  let applied = 0;
  let improved = true;
  while (improved) {
    improved = false;
    for (const op of ops) {
      if (now() >= deadline) return applied;
      while (op.findBest(s, mv, 0)) {
        op.apply(s, mv);
        applied++;
        improved = true;
        if (now() >= deadline) return applied;
      }
    }
  }
  return applied;
}
