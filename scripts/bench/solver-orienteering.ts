/**
 * Orienteering instances (prize-collecting, one vehicle) as solver problems: the classic Tsiligirides
 * and Chao files (start ≠ end, real Euclidean lengths) and OPLib (closed tour from the depot, TSPLIB
 * integer distances, the depot's score always counted).
 */
import type { Problem } from '../../server/solver/model';
import { scaleCosts } from '../../server/solver/cost-matrix';
import { parseTsplib } from './tsplib-format';

export interface OrienteeringCase {
  problem: Problem;
  /** Score collected regardless of the route (OPLib depot). */
  baseScore: number;
}

/** Scale of the classic files' real distances; travel rounded up keeps plans within Tmax exactly. */
const CLASSIC_SCALE = 10000;

/** Classic file: line 1 `Tmax P`, then `x y score`; point 1 is the start, point 2 the end. */
export function classicProblem(text: string): OrienteeringCase {
  const rows = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .map((l) => l.split(/\s+/).map(Number));
  const tmax = rows[0][0];
  const pts = rows.slice(1);
  const n = pts.length;
  const d = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) d[i * n + j] = Math.hypot(pts[i][0] - pts[j][0], pts[i][1] - pts[j][1]);
  const m = scaleCosts(d, CLASSIC_SCALE, 'ceil');
  const jobs = [];
  for (let i = 2; i < n; i++) if (pts[i][2] > 0) jobs.push({ id: String(i), location: i, service: 0, priority: pts[i][2] });
  return {
    problem: {
      matrix: { size: n, durations: m, distances: m },
      objective: 'distance',
      jobs,
      teams: [{ id: 'v', start: 0, end: 1, shiftStart: 0, budget: Math.floor(tmax * CLASSIC_SCALE) }],
    },
    baseScore: 0,
  };
}

/** OPLib file (TYPE: OP): closed tour from the depot within COST_LIMIT. */
export function oplibProblem(text: string): OrienteeringCase {
  const inst = parseTsplib(text);
  if (!inst.scores || inst.costLimit === null) throw new Error('not an OPLib file: it needs NODE_SCORE_SECTION and COST_LIMIT');
  const depot = inst.depot ?? 0;
  const jobs = [];
  for (let i = 0; i < inst.dimension; i++) {
    if (i !== depot && inst.scores[i] > 0) jobs.push({ id: String(i + 1), location: i, service: 0, priority: inst.scores[i] });
  }
  return {
    problem: {
      matrix: { size: inst.dimension, durations: inst.matrix, distances: inst.matrix },
      objective: 'distance',
      jobs,
      teams: [{ id: 'v', start: depot, end: depot, shiftStart: 0, budget: inst.costLimit }],
    },
    baseScore: inst.scores[depot],
  };
}
