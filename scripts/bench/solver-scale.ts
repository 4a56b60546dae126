/**
 * Solver scaling benchmark on city-like instances: stops are seeded points of the demo city snapped
 * to its roads, travel times and distances come from the road engine's e-bike matrix (server/graph
 * `matrix()`), a fifth of the stops are back streets (two ends ~100–300 m apart, walked at 1.25 m/s),
 * a sixth have a two-hour window, dwell 3–10 min, priorities 1–5, teams on 8-hour shifts leaving from
 * and returning to a few offices. Two planner cases: 500 stops × 20 teams and 200 stops × 4 teams.
 * Prints JSON: per case and time limit, ruin-and-recreate iterations, served priority, travel cost.
 *
 *   npx tsx scripts/bench/solver-scale.ts [--scale 3] [--seed 1] [--limits 1000,2000] [--seeds 1]
 *
 * The matrix is cached in the OS temp folder (keyed by scale and seed), so only the first run pays
 * for the road graph and its hierarchy.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { generateRoads } from '../demo-city/generate';
import { mulberry32 } from '../../server/solver/random';
import { SnapError } from '../../server/graph/errors';
import { matrix } from '../../server/graph/matrix';
import { snapPoint } from '../../server/graph/nearest-edge';
import { buildRoadGraph } from '../../server/graph/road-graph';
import { createRoutingEngine } from '../../server/graph/routing-engine';
import { solve } from '../../server/solver/index';
import type { Job, Problem, Team } from '../../server/solver/model';

const { values } = parseArgs({
  options: {
    scale: { type: 'string', default: '3' },
    seed: { type: 'string', default: '1' },
    limits: { type: 'string', default: '1000,2000' },
    seeds: { type: 'string', default: '1' },
    cases: { type: 'string', default: '500x20,200x4' },
  },
});
const PROFILE = 'ebike';
const JOBS = 500;
const OFFICES = 3;
const WALK_MPS = 1.25;
const SHIFT_START = 8 * 3600;
const SHIFT_S = 8 * 3600;

interface CityMatrix {
  size: number;
  durations: number[];
  distances: number[];
  /** Point index of each job's location and its other end (-1 = a point stop). */
  location: number[];
  otherEnd: number[];
}

function buildMatrix(scale: number, seed: number): CityMatrix {
  const cache = join(tmpdir(), `xuncha-solver-scale-${scale}-${seed}-${JOBS}.json`);
  if (existsSync(cache)) return JSON.parse(readFileSync(cache, 'utf8')) as CityMatrix;
  const t0 = performance.now();
  const { roads, bbox } = generateRoads({ seed, scale });
  const input = roads.map((r) => ({ id: r.id, class: r.cls, oneway: r.oneway, maxspeedKmh: r.maxspeedKmh, coordinates: r.coords }));
  const engine = createRoutingEngine(buildRoadGraph(input));
  const view = engine.view(PROFILE);
  const rng = mulberry32(seed);
  const snaps = (p: [number, number]): boolean => {
    try {
      snapPoint(engine.snapIndex, view, p);
      return true;
    } catch (err) {
      if (err instanceof SnapError) return false;
      throw err;
    }
  };
  const random = (): [number, number] => {
    for (;;) {
      const p: [number, number] = [bbox[0] + rng() * (bbox[2] - bbox[0]), bbox[1] + rng() * (bbox[3] - bbox[1])];
      if (snaps(p)) return p;
    }
  };
  const points: [number, number][] = [];
  for (let o = 0; o < OFFICES; o++) points.push(random());
  const location: number[] = [];
  const otherEnd: number[] = [];
  for (let k = 0; k < JOBS; k++) {
    const p = random();
    location.push(points.length);
    points.push(p);
    if (k % 5 !== 0) {
      otherEnd.push(-1);
      continue;
    }
    for (;;) {
      const len = 100 + 200 * rng();
      const a = 2 * Math.PI * rng();
      const q: [number, number] = [p[0] + (len * Math.cos(a)) / (111320 * Math.cos((p[1] * Math.PI) / 180)), p[1] + (len * Math.sin(a)) / 110540];
      if (!snaps(q)) continue;
      otherEnd.push(points.length);
      points.push(q);
      break;
    }
  }
  const m = matrix(engine, PROFILE, points);
  const out: CityMatrix = {
    size: points.length,
    durations: Array.from(m.durationsS),
    distances: Array.from(m.distancesM, (d) => Math.round(d)),
    location,
    otherEnd,
  };
  writeFileSync(cache, JSON.stringify(out));
  process.stderr.write(`matrix ${points.length}² built in ${Math.round(performance.now() - t0)} ms (cached in ${cache})\n`);
  return out;
}

function cityProblem(cm: CityMatrix, nJobs: number, nTeams: number, seed: number): Problem {
  const rng = mulberry32(seed * 7919 + nJobs);
  const jobs: Job[] = [];
  for (let k = 0; k < nJobs; k++) {
    const other = cm.otherEnd[k];
    const walk = other < 0 ? 0 : Math.round(cm.distances[cm.location[k] * cm.size + other] / WALK_MPS);
    const windowStart = SHIFT_START + Math.floor(rng() * 6) * 3600;
    jobs.push({
      id: `s${k}`,
      location: cm.location[k],
      otherEnd: other < 0 ? null : other,
      service: other < 0 ? 180 + Math.round(rng() * 420) : walk,
      priority: 1 + Math.floor(rng() * 5),
      windows: k % 6 === 3 ? [{ start: windowStart, end: windowStart + 7200 }] : undefined,
    });
  }
  const teams: Team[] = [];
  for (let t = 0; t < nTeams; t++) {
    teams.push({ id: `t${t}`, start: t % OFFICES, end: (t + 1) % OFFICES, shiftStart: SHIFT_START, budget: SHIFT_S });
  }
  const durations = Int32Array.from(cm.durations);
  return { matrix: { size: cm.size, durations, distances: Int32Array.from(cm.distances) }, jobs, teams };
}

const cm = buildMatrix(Number(values.scale), Number(values.seed));
const limits = values.limits.split(',').map(Number);
const results: unknown[] = [];
for (const c of values.cases.split(',')) {
  const [nJobs, nTeams] = c.split('x').map(Number);
  const p = cityProblem(cm, nJobs, nTeams, Number(values.seed));
  for (const ms of limits) {
    for (let s = 1; s <= Number(values.seeds); s++) {
      const t0 = performance.now();
      const res = solve(p, { seed: s, now: () => performance.now(), deadline: t0 + ms });
      const took = performance.now() - t0;
      const served = res.routes.reduce((a, r) => a + r.stops.length, 0);
      const row = {
        case: c,
        ms,
        seed: s,
        tookMs: Math.round(took),
        iterations: res.iterations,
        itPerS: Math.round(res.iterations / (took / 1000)),
        served,
        dropped: res.dropped.length,
        servedPriority: res.servedPriority,
        travelS: res.cost,
      };
      process.stderr.write(`${JSON.stringify(row)}\n`);
      results.push(row);
    }
  }
}
process.stdout.write(
  JSON.stringify(
    { command: `npx tsx scripts/bench/solver-scale.ts ${process.argv.slice(2).join(' ')}`.trim(), profile: PROFILE, size: cm.size, results },
    null,
    1,
  ) + '\n',
);
