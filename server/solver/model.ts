import type { Cost, CostMatrix, NodeId } from './cost-matrix';

/** A time window on the start of service, in the same clock as `Team.shiftStart` (seconds). */
export interface TimeWindow {
  start: number;
  end: number;
}

/**
 * A stop to visit. A back street has two ends (`location` and `otherEnd`): the team enters at one end,
 * walks it (`service` = its length at walking speed) and leaves at the other; the solver picks the way.
 */
export interface Job {
  id: string;
  location: NodeId;
  otherEnd?: NodeId | null;
  /** Dwell (or walking) time in seconds. */
  service: number;
  /** Value of serving this stop; the solver serves the most total priority first. Positive. */
  priority: number;
  /** Sorted, non-overlapping windows; service must start inside one of them. None = any time. */
  windows?: TimeWindow[];
  /** Every listed skill must be held by the team. */
  skills?: string[];
  /** Load for capacitated problems (Solomon); ignored when teams have no capacity. */
  demand?: number;
  /**
   * Pin the stop to a team (a planner edit): every plan `solve` returns serves it by that team (index
   * into `Problem.teams`), and the locked stops of one team keep the relative order they have in
   * `Problem.initial` when one is given. Unlocked stops may be inserted between them. A locked stop
   * is dropped only when it cannot be served at all (alone on its team, or together with the other
   * stops locked to that team); the reason says which.
   */
  lock?: { team: number };
}

/** An inspection team (a vehicle). */
export interface Team {
  id: string;
  start: NodeId;
  /** Where the day ends; `null`/absent = the route ends at its last stop. */
  end?: NodeId | null;
  /** Seconds on the job-window clock. */
  shiftStart: number;
  /** Longest allowed route duration in seconds, from shiftStart to arrival at the end. */
  budget: number;
  skills?: string[];
  capacity?: number;
  /** Added once when the team is used (hierarchical objectives: fewest vehicles first). */
  fixedCost?: number;
}

export interface Problem {
  matrix: CostMatrix;
  jobs: Job[];
  teams: Team[];
  /** What the secondary objective sums: travel `duration` (default) or `distance`. */
  objective?: 'duration' | 'distance';
  /** Also keep the longest working day short (travel, dwell, waiting): teams finish at about the same time. */
  balance?: boolean;
  /**
   * Warm start: begin from this plan instead of constructing one. Stops are taken in the given order
   * while the route stays feasible; the others, and jobs missing from it, are inserted afterwards.
   * `reversed` fixes a back street's walking direction in the start plan (omitted = walked from
   * `location`); the search may still change it. Also gives the order of locked stops (see `Job.lock`).
   */
  initial?: RouteInput[];
}

/** A route as the planner holds it: a team and its ordered stops (job indices into `Problem.jobs`). */
export interface RouteInput {
  team: number;
  stops: { job: number; reversed?: boolean }[];
}

export interface SolveOptions {
  seed: number;
  /** Monotonic clock in milliseconds, injected so the solver stays pure. */
  now: () => number;
  /** Stop at `now() >= deadline`. */
  deadline: number;
  /** Stop after this many ruin-and-recreate iterations even if time is left. */
  maxIterations?: number;
}

/** Why a stop was left out. */
export type DropReason =
  | 'no-skilled-team' // no team holds every skill the stop needs
  | 'window-unreachable' // no team can arrive inside any of its windows
  | 'over-budget' // even alone it does not fit in any team's budget
  | 'over-capacity' // its demand exceeds every team's capacity
  | 'lower-priority' // it fits alone, but the budgets are used by more valuable stops
  | 'lock-conflict'; // locked to a team, it fits alone there but not with that team's other locked stops

export interface PlannedStop {
  job: number;
  /** Back streets: true when walked from `otherEnd` to `location`. */
  reversed: boolean;
  arrival: number;
  start: number;
  departure: number;
}

export interface PlannedRoute {
  team: number;
  stops: PlannedStop[];
  travelDuration: Cost;
  travelDistance: Cost;
  /** Arrival at the end (or departure from the last stop when the route is open). */
  endTime: number;
}

export interface SolveResult {
  routes: PlannedRoute[];
  dropped: { job: number; reason: DropReason }[];
  servedPriority: number;
  /** Sum of the objective's travel costs plus fixed costs of used teams. */
  cost: Cost;
  iterations: number;
}

/** A stop of a re-timed route, with what is wrong with it (shown by the planner, not refused). */
export interface TimedStop extends PlannedStop {
  /** Seconds past the end of its last window when service starts (0 = on time). */
  late: number;
  /** Skills the stop needs that the team lacks. */
  missingSkills: string[];
}

/** A route re-timed as given (`timeRoutes`), with its violations. */
export interface TimedRoute extends PlannedRoute {
  stops: TimedStop[];
  /** Seconds the route ends past `shiftStart + budget` (0 = within budget). */
  overBudgetS: number;
  /** Load above the team's capacity (0 = within, or no capacity). */
  overCapacity: number;
  /** Sum of the served stops' priorities. */
  priority: number;
}
