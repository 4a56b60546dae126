/**
 * Road-engine benchmark: graph build, cache write and load, contraction-hierarchy preprocessing,
 * a 300 × 300 travel-time matrix per profile (against one plain Dijkstra per source on the same
 * points, checked equal), and single-route latency. Prints JSON.
 *
 *   npx tsx scripts/bench/matrix.ts [--scale 3] [--seed 1] [--points 300] [--only demo|nanjing] [--pgrouting]
 *
 * Graphs: the demo city at `--scale` (generateRoads, seeded) and the Nanjing 新街口 OSM extract
 * (/work/shared/osm, read by the test adapter until the OSM importer lands; skipped when absent).
 * Points are seeded uniform points in the city's bbox (Nanjing: its dense core) that every profile
 * can snap within 500 m. Times are wall-clock medians of a few runs after one warm-up run.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { generateRoads } from '../demo-city/generate';
import { mulberry32 } from '../demo-city/random';
import { SnapError } from '../../server/graph/errors';
import { loadRoadGraph } from '../../server/graph/load-graph';
import { matrix } from '../../server/graph/matrix';
import { snapPoint } from '../../server/graph/nearest-edge';
import { PROFILES } from '../../server/graph/profiles';
import { buildRoadGraph, type RoadInput } from '../../server/graph/road-graph';
import { createRoutingEngine, type RoutingEngine } from '../../server/graph/routing-engine';
import { shortestPath } from '../../server/graph/shortest-path';
import { NANJING_GEOJSON, readOsmGeojsonRoads } from '../../tests/fixtures/graph/osm-geojson-roads';

const { values } = parseArgs({
  options: {
    scale: { type: 'string', default: '3' },
    seed: { type: 'string', default: '1' },
    points: { type: 'string', default: '300' },
    only: { type: 'string' },
    runs: { type: 'string', default: '5' },
    pgrouting: { type: 'boolean', default: false },
  },
});
const POINTS = Number(values.points);
const RUNS = Number(values.runs);
const ROUTE_PAIRS = 200;
const NANJING_CORE: [number, number, number, number] = [118.763, 32.035, 118.797, 32.053];

const ms = (t0: number): number => Math.round((performance.now() - t0) * 10) / 10;
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

function pickPoints(engine: RoutingEngine, bbox: readonly [number, number, number, number], seed: number): [number, number][] {
  const rng = mulberry32(seed);
  const out: [number, number][] = [];
  for (let tries = 0; out.length < POINTS && tries < POINTS * 20; tries++) {
    const p: [number, number] = [bbox[0] + rng() * (bbox[2] - bbox[0]), bbox[1] + rng() * (bbox[3] - bbox[1])];
    try {
      for (const profile of PROFILES) snapPoint(engine.snapIndex, engine.view(profile), p);
      out.push(p);
    } catch (err) {
      if (!(err instanceof SnapError)) throw err;
    }
  }
  return out;
}

function benchGraph(name: string, roads: RoadInput[], bbox: readonly [number, number, number, number], extra: Record<string, unknown>) {
  const dir = mkdtempSync(join(tmpdir(), 'xuncha-bench-'));
  try {
    let t0 = performance.now();
    const graph = buildRoadGraph(roads);
    const buildMs = ms(t0);
    const cachePath = join(dir, 'bench.graph.bin');
    // First load builds everything (graph + three hierarchies) and writes the cache.
    t0 = performance.now();
    loadRoadGraph({ cachePath, roads });
    const buildAndWriteMs = ms(t0);
    t0 = performance.now();
    const loaded = loadRoadGraph({ cachePath, roads });
    const cacheLoadMs = ms(t0);
    if (!loaded.fromCache) throw new Error('The second load did not come from the cache.');
    const engine = createRoutingEngine(graph);
    const points = pickPoints(engine, bbox, Number(values.seed));
    const profiles: Record<string, unknown> = {};
    for (const profile of PROFILES) {
      t0 = performance.now();
      const ch = engine.hierarchy(profile);
      const chMs = ms(t0);
      const cached = loaded.engine;
      matrix(cached, profile, points); // warm-up
      const times: number[] = [];
      let result = matrix(cached, profile, points);
      for (let r = 0; r < RUNS; r++) {
        t0 = performance.now();
        result = matrix(cached, profile, points);
        times.push(ms(t0));
      }
      matrix(engine, profile, points.slice(0, 20), { method: 'dijkstra' }); // warm-up
      t0 = performance.now();
      const ref = matrix(engine, profile, points, { method: 'dijkstra' });
      const dijkstraMs = ms(t0);
      let mismatches = 0;
      for (let i = 0; i < ref.costs.length; i++) if (ref.costs[i] !== result.costs[i]) mismatches++;
      const rng = mulberry32(Number(values.seed) + 1);
      const routeTimes: number[] = [];
      for (let k = 0; k < ROUTE_PAIRS; k++) {
        const a = points[Math.floor(rng() * points.length)];
        const b = points[Math.floor(rng() * points.length)];
        t0 = performance.now();
        shortestPath(cached, profile, a, b);
        routeTimes.push(performance.now() - t0);
      }
      profiles[profile] = {
        mainComponentNodes: engine.view(profile).mainComponentSize,
        chPreprocessMs: chMs,
        shortcuts: ch.shortcutCount,
        matrixMs: median(times),
        matrixMinMs: Math.min(...times),
        dijkstraPerSourceMs: dijkstraMs,
        speedup: Math.round((dijkstraMs / median(times)) * 10) / 10,
        matricesAgree: mismatches === 0,
        unreachablePairs: result.unreachable.length,
        routeP50Ms: Math.round(median(routeTimes) * 1000) / 1000,
      };
    }
    return {
      name,
      ...extra,
      roads: roads.length,
      nodes: graph.nodeCount,
      segments: graph.segmentCount,
      geometryPoints: graph.geom.length / 2,
      points: points.length,
      graphBuildMs: buildMs,
      buildAllAndWriteCacheMs: buildAndWriteMs,
      cacheBytes: statSync(cachePath).size,
      cacheLoadMs,
      profiles,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const out: Record<string, unknown> = {
  node: process.version,
  cpus: cpus().length,
  cpu: cpus()[0]?.model,
  note: 'Wall-clock times on a shared 2-core machine (other CPU-heavy jobs may run): expect noise.',
  graphs: [] as unknown[],
};
if (values.pgrouting) {
  const msg = '--pgrouting: the PostgreSQL/pgRouting comparison is not yet implemented (planned for a later session).';
  console.error(msg);
  out.pgrouting = msg;
}
if (values.only !== 'nanjing') {
  const scale = Number(values.scale);
  const t0 = performance.now();
  const { roads, bbox } = generateRoads({ seed: Number(values.seed), scale });
  const input = roads.map((r) => ({ id: r.id, class: r.cls, oneway: r.oneway, maxspeedKmh: r.maxspeedKmh, coordinates: r.coords }));
  const vertices = new Set(roads.flatMap((r) => r.coords.map((c) => `${c[0]},${c[1]}`))).size;
  (out.graphs as unknown[]).push(benchGraph(`demo city scale ${scale}`, input, bbox, { generateMs: ms(t0), distinctVertices: vertices }));
}
if (values.only !== 'demo') {
  const roads = readOsmGeojsonRoads(NANJING_GEOJSON);
  if (roads) (out.graphs as unknown[]).push(benchGraph('Nanjing 新街口 (OSM 2021)', roads, NANJING_CORE, { source: NANJING_GEOJSON }));
  else out.nanjing = `skipped: ${NANJING_GEOJSON} is absent`;
}
console.log(JSON.stringify(out, null, 2));
