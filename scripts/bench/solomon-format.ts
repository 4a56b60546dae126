/**
 * Solomon VRPTW instances (Solomon 1987) for the solver: parsing, the mapping to a solver Problem and
 * the literature's measure (real-valued Euclidean distances, summed without rounding).
 */
import type { Problem } from '../../server/solver/model';
import { scaleCosts } from '../../server/solver/cost-matrix';

export interface SolomonInstance {
  name: string;
  vehicles: number;
  capacity: number;
  /** Node 0 is the depot. */
  x: number[];
  y: number[];
  demand: number[];
  ready: number[];
  due: number[];
  service: number[];
}

/** Parse the classic text format (instance name, VEHICLE block, CUSTOMER rows). */
export function parseSolomon(text: string): SolomonInstance {
  const lines = text.split(/\r?\n/).map((l) => l.trim());
  const name = lines.find((l) => l !== '') ?? '';
  const vi = lines.findIndex((l) => l.startsWith('NUMBER'));
  if (vi < 0) throw new Error('not a Solomon file: no "NUMBER CAPACITY" line under VEHICLE');
  const [vehicles, capacity] = lines[vi + 1].split(/\s+/).map(Number);
  const ci = lines.findIndex((l) => l.startsWith('CUST NO'));
  const inst: SolomonInstance = { name, vehicles, capacity, x: [], y: [], demand: [], ready: [], due: [], service: [] };
  for (let i = ci + 1; i < lines.length; i++) {
    const f = lines[i]
      .split(/\s+/)
      .filter((t) => t !== '')
      .map(Number);
    if (f.length < 7 || f.some((v) => !Number.isFinite(v))) continue;
    inst.x.push(f[1]);
    inst.y.push(f[2]);
    inst.demand.push(f[3]);
    inst.ready.push(f[4]);
    inst.due.push(f[5]);
    inst.service.push(f[6]);
  }
  return inst;
}

/** Real Euclidean distance matrix, row-major. */
export function solomonDistances(s: SolomonInstance): Float64Array {
  const n = s.x.length;
  const d = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) d[i * n + j] = Math.hypot(s.x[i] - s.x[j], s.y[i] - s.y[j]);
  return d;
}

/** Scale of the integer matrices: 1e-4 precision keeps rounding far below the literature's 2 decimals. */
export const SOLOMON_SCALE = 10000;
/** Fixed cost per vehicle for the hierarchical objective (above any total distance in scaled units). */
const VEHICLE_COST = 1e10;

/**
 * A solver problem for the instance. Travel times are rounded up so a plan feasible in scaled units
 * is feasible in real ones; distances are rounded to nearest. `hierarchical` adds a vehicle cost.
 */
export function solomonProblem(s: SolomonInstance, hierarchical: boolean): Problem {
  const n = s.x.length;
  const d = solomonDistances(s);
  const F = SOLOMON_SCALE;
  return {
    matrix: { size: n, durations: scaleCosts(d, F, 'ceil'), distances: scaleCosts(d, F, 'round') },
    objective: 'distance',
    jobs: Array.from({ length: n - 1 }, (_, k) => {
      const i = k + 1;
      return {
        id: String(i),
        location: i,
        service: s.service[i] * F,
        priority: 1,
        demand: s.demand[i],
        windows: [{ start: s.ready[i] * F, end: s.due[i] * F }],
      };
    }),
    teams: Array.from({ length: s.vehicles }, (_, t) => ({
      id: String(t),
      start: 0,
      end: 0,
      shiftStart: s.ready[0] * F,
      budget: (s.due[0] - s.ready[0]) * F,
      capacity: s.capacity,
      fixedCost: hierarchical ? VEHICLE_COST : 0,
    })),
  };
}

/** Real-valued total distance of routes given as customer ids (depot 0 implied at both ends). */
export function solomonRouteDistance(s: SolomonInstance, routes: number[][]): number {
  const n = s.x.length;
  const d = solomonDistances(s);
  let total = 0;
  for (const r of routes) {
    let u = 0;
    for (const v of r) {
      total += d[u * n + v];
      u = v;
    }
    total += d[u * n];
  }
  return total;
}

/**
 * Check a plan against the instance in real numbers: every customer once, capacity, windows
 * (service starts by the due date, waiting allowed) and the return by the depot's due date.
 * Returns the list of violations (empty when feasible).
 */
export function solomonViolations(s: SolomonInstance, routes: number[][]): string[] {
  const n = s.x.length;
  const d = solomonDistances(s);
  const seen = new Uint8Array(n);
  const out: string[] = [];
  for (const r of routes) {
    let t = s.ready[0];
    let u = 0;
    let load = 0;
    for (const v of r) {
      if (seen[v]) out.push(`customer ${v} visited twice`);
      seen[v] = 1;
      t = Math.max(t + d[u * n + v], s.ready[v]);
      if (t > s.due[v] + 1e-9) out.push(`customer ${v} starts at ${t} after due ${s.due[v]}`);
      t += s.service[v];
      load += s.demand[v];
      u = v;
    }
    if (t + d[u * n] > s.due[0] + 1e-9) out.push(`route back at depot after ${s.due[0]}`);
    if (load > s.capacity) out.push(`route load ${load} over capacity ${s.capacity}`);
  }
  for (let i = 1; i < n; i++) if (!seen[i]) out.push(`customer ${i} not served`);
  return out;
}
