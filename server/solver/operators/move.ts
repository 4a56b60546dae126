import type { State } from '../state';

/**
 * A candidate move; fields are read by the operator that produced it (vroom `operator.h`: each
 * operator computes a gain, checks validity, then applies).
 */
export interface Move {
  gain: number;
  r1: number;
  r2: number;
  i: number;
  j: number;
  l1: number;
  l2: number;
  /** Orientation flags (bit 0: first side, bit 1: second side). */
  flag: number;
}

/** A fresh move record (allocate once, reuse). */
export function newMove(): Move {
  return { gain: 0, r1: -1, r2: -1, i: 0, j: 0, l1: 0, l2: 0, flag: 0 };
}

export function copyMove(from: Move, to: Move): void {
  to.gain = from.gain;
  to.r1 = from.r1;
  to.r2 = from.r2;
  to.i = from.i;
  to.j = from.j;
  to.l1 = from.l1;
  to.l2 = from.l2;
  to.flag = from.flag;
}

/** Every operator module implements this shape. */
export interface Operator {
  name: string;
  /** Exact cost decrease of the move (positive = better). */
  gain(s: State, m: Move): number;
  /** Whether the resulting routes meet skills, windows, budgets and capacities. */
  isValid(s: State, m: Move): boolean;
  apply(s: State, m: Move): void;
  /** Best valid move with gain > minGain into `out`; false when none. */
  findBest(s: State, out: Move, minGain: number): boolean;
}

/** Gains below this are rounding noise (costs are integers). */
export const EPS = 1e-7;
