/**
 * Planner benchmark: click-to-routes time — one travel-time matrix over every location, the solver
 * with the planner's default time limit, and the routes along the streets — for 200 stops and 4 teams
 * on the demo city's road network, the same path POST /api/plans takes (server/planner/compute.ts
 * over the road engine), after the engine is warm (the server loads it at startup). Prints JSON.
 *
 *   npx tsx scripts/bench/planner.ts [--scale 3,15] [--stops 200] [--teams 4] [--profile walk] [--seed 1] [--runs 2]
 *
 * Stops (seeded, mulberry32): 80 % point stops (markets, communities, problems: a point within 500 m
 * of a street, 10 min dwell) and 20 % back streets (a residential lane or alley of the generated
 * city, walked end to end at 4.5 km/h). Teams start at the city centre, shift 08:00, 8 h each.
 * `totalMs` is the wall time of computePlan, the part of a request that grows with the city.
 */
import { parseArgs } from 'node:util';
import { generateRoads } from '../demo-city/generate';
import { mulberry32 } from '../../server/solver/random';
import { buildRoadGraph, createRoutingEngine, isProfile, type Profile } from '../../server/graph/index';
import { computePlan, defaultTimeLimitMs, type TeamSpec } from '../../server/planner/compute';
import { lineLengthM, BACK_STREET_SPEED_MS } from '../../server/planner/stops';
import type { PlanStopBase } from '../../server/contract/plans';
import { engineRouter } from '../../server/services/plans/plans';

const { values } = parseArgs({
  options: {
    scale: { type: 'string', default: '3,15' },
    stops: { type: 'string', default: '200' },
    teams: { type: 'string', default: '4' },
    profile: { type: 'string', default: 'walk' },
    seed: { type: 'string', default: '1' },
    runs: { type: 'string', default: '2' },
  },
});
const N_STOPS = Number(values.stops);
const N_TEAMS = Number(values.teams);
const SEED = Number(values.seed);
const RUNS = Number(values.runs);
if (!isProfile(values.profile)) throw new Error(`--profile must be walk, ebike or car (got ${values.profile})`);
const PROFILE: Profile = values.profile;
const log = (msg: string) => process.stderr.write(`${msg}\n`);

const results: unknown[] = [];
for (const scale of values.scale.split(',').map(Number)) {
  let t = performance.now();
  const { roads, bbox } = generateRoads({ seed: SEED, scale });
  const graph = buildRoadGraph(roads.map((r) => ({ id: r.id, class: r.cls, oneway: r.oneway, maxspeedKmh: r.maxspeedKmh, coordinates: r.coords })));
  const engine = createRoutingEngine(graph);
  engine.hierarchy(PROFILE);
  const prepMs = performance.now() - t;
  log(`scale ${scale}: ${graph.nodeCount} junction nodes, engine ready in ${Math.round(prepMs)} ms`);

  const router = engineRouter(engine, PROFILE);
  const rand = mulberry32(SEED * 7919 + scale);
  const stops: PlanStopBase[] = [];
  const lanes = roads.filter((r) => ['residential', 'living_street', 'service', 'footway'].includes(r.cls));
  const nLanes = Math.round(N_STOPS * 0.2);
  const base = { address: null, subdistrictId: null, subdistrictName: null, unitName: null, category: null, priority: 1, windows: [] };
  for (let i = 0; stops.length < nLanes && i < 10_000; i++) {
    const r = lanes[Math.floor(rand() * lanes.length)];
    const line = r.coords.map((c) => [c[0], c[1]] as [number, number]);
    const len = lineLengthM(line);
    if (len < 80 || stops.some((s) => s.id === r.id)) continue;
    stops.push({
      ...base,
      id: r.id,
      kind: 'back-street',
      name: r.name ?? r.id,
      lngLat: line[0],
      otherEnd: line[line.length - 1],
      line,
      dwellS: Math.round(len / BACK_STREET_SPEED_MS),
    });
  }
  for (let i = 0; stops.length < N_STOPS && i < 100_000; i++) {
    const p: [number, number] = [bbox[0] + rand() * (bbox[2] - bbox[0]), bbox[1] + rand() * (bbox[3] - bbox[1])];
    try {
      router.snap(p);
    } catch (err) {
      if (router.isSnapError(err)) continue;
      throw err;
    }
    stops.push({ ...base, id: `s${i}`, kind: 'market', name: `s${i}`, lngLat: p, otherEnd: null, line: null, dwellS: 600 });
  }
  const center: [number, number] = [(bbox[0] + bbox[2]) / 2, (bbox[1] + bbox[3]) / 2];
  const teams: TeamSpec[] = Array.from({ length: N_TEAMS }, (_, i) => ({
    name: `T${i + 1}`,
    start: center,
    end: center,
    shiftStart: '08:00',
    budgetS: 8 * 3600,
    skills: [],
  }));

  const runs = [];
  for (let r = 0; r < RUNS; r++) {
    t = performance.now();
    const plan = computePlan(router, {
      date: '2026-11-25',
      profile: PROFILE,
      teams,
      stops,
      mode: { kind: 'solve', seed: SEED + r, timeLimitMs: null, balance: false },
      now: () => performance.now(),
    });
    const wallMs = performance.now() - t;
    runs.push({
      ...plan.timing,
      wallMs: Math.round(wallMs),
      served: plan.totals.served,
      dropped: plan.totals.dropped,
      travelS: plan.totals.travelS,
      longestS: plan.totals.longestS,
    });
    log(
      `  run ${r + 1}: ${Math.round(wallMs)} ms (matrix ${plan.timing.matrixMs}, solve ${plan.timing.solveMs}, geometry ${plan.timing.geometryMs}), served ${plan.totals.served}/${stops.length}`,
    );
  }
  results.push({
    scale,
    junctionNodes: graph.nodeCount,
    segments: graph.segmentCount,
    profile: PROFILE,
    stops: stops.length,
    backStreets: stops.filter((s) => s.kind === 'back-street').length,
    teams: N_TEAMS,
    solverLimitMs: defaultTimeLimitMs(stops.length),
    enginePrepMs: Math.round(prepMs),
    runs,
  });
}
console.log(JSON.stringify({ bench: 'planner', node: process.version, date: new Date().toISOString(), results }, null, 2));
