/**
 * Road-engine benchmark: graph build, cache write and load, contraction-hierarchy preprocessing,
 * a 300 × 300 travel-time matrix per profile (against one plain Dijkstra per source on the same
 * points, checked equal), and single-route latency. Prints JSON.
 *
 *   npx tsx scripts/bench/matrix.ts [--scale 3[,15]] [--seed 1] [--points 300] [--runs 5]
 *        [--only demo|osm] [--extract FILE.osm|.osm.pbf] [--pgrouting [--pg-runs 3]]
 *
 * Graphs: the demo city at each `--scale` (generateRoads, seeded) and a real OSM extract imported
 * by the real importer (scripts/import) into a temp DATA_DIR, its roads layer read back the way
 * the server reads it. Default extract: monaco-2019.osm.pbf, the largest road network in
 * /work/shared/osm (1,899 highway ways, 3,245 road pieces after import; Beijing's file is bigger
 * in bytes but holds 302 highway ways). Skipped when absent.
 * Node counts: `roadVertices` = distinct road vertices (OSM-style node count: every vertex of every
 * road, shared ones once); `junctionNodes` = the engine's graph (road ends and shared vertices,
 * the vertices in between being geometry), with how many of those still have degree 2.
 * Points are seeded uniform points in the city's bbox that every profile can snap within 500 m.
 * Times are wall-clock medians of a few runs after one warm-up run.
 *
 * `--pgrouting` (scripts/bench/pgrouting.ts): installs PostgreSQL + PostGIS + pgRouting when
 * missing, starts a private cluster on 127.0.0.1, loads the same junction graph (one row per
 * segment, cost/reverse_cost per profile in seconds, -1 where not allowed) and runs
 * `pgr_dijkstraCostMatrix` on `--points` graph nodes (both sides start exactly at a vertex) next to
 * our contraction-hierarchy matrix on the same nodes, and checks every cell agrees.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { generateRoads } from '../demo-city/generate';
import { importCity } from '../import/import-city';
import { compareDurations, edgesLoadScript, ensurePgrouting, median, startCluster, timePgCostMatrix, type PgCluster } from './pgrouting';
import { costDurationDs } from '../../server/graph/cost';
import { mulberry32 } from '../../server/solver/random';
import { SnapError } from '../../server/graph/errors';
import { loadRoadGraph } from '../../server/graph/load-graph';
import { matrix } from '../../server/graph/matrix';
import { snapPoint } from '../../server/graph/nearest-edge';
import { PROFILES } from '../../server/graph/profiles';
import { buildRoadGraph, roadsFromFeatures, type RoadFeatureLike, type RoadGraph, type RoadInput } from '../../server/graph/road-graph';
import { createRoutingEngine, type RoutingEngine } from '../../server/graph/routing-engine';
import { shortestPath } from '../../server/graph/shortest-path';

const { values } = parseArgs({
  options: {
    scale: { type: 'string', default: '3' },
    seed: { type: 'string', default: '1' },
    points: { type: 'string', default: '300' },
    only: { type: 'string' },
    runs: { type: 'string', default: '5' },
    extract: { type: 'string', default: '/work/shared/osm/monaco-2019.osm.pbf' },
    pgrouting: { type: 'boolean', default: false },
    'pg-runs': { type: 'string', default: '3' },
  },
});
const POINTS = Number(values.points);
const RUNS = Number(values.runs);
const PG_RUNS = Number(values['pg-runs']);
const ROUTE_PAIRS = 200;
const log = (msg: string): void => {
  process.stderr.write(msg + '\n');
};

const ms = (t0: number): number => Math.round((performance.now() - t0) * 10) / 10;

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

/** Distinct road vertices at the 1e-7° grid the graph nodes on: the node count OSM tools report. */
function roadVertexCount(roads: readonly RoadInput[]): number {
  const keys = new Set<string>();
  for (const r of roads) for (const c of r.coordinates) keys.add(`${Math.round(c[0] * 1e7)}:${Math.round(c[1] * 1e7)}`);
  return keys.size;
}

/** Junction-graph nodes with exactly two segment ends (two roads meeting end to end, no one else). */
function degree2Count(graph: RoadGraph): number {
  const deg = new Uint32Array(graph.nodeCount);
  for (let s = 0; s < graph.segmentCount; s++) {
    deg[graph.segFrom[s]]++;
    deg[graph.segTo[s]]++;
  }
  let n = 0;
  for (let v = 0; v < graph.nodeCount; v++) if (deg[v] === 2) n++;
  return n;
}

/** `count` distinct graph nodes, seeded, each in the largest strongly connected component of every profile. */
function pickNodes(engine: RoutingEngine, count: number, seed: number): number[] {
  const views = PROFILES.map((p) => engine.view(p));
  const ok: number[] = [];
  for (let v = 0; v < engine.graph.nodeCount; v++) if (views.every((w) => w.mainComponent[v] === 1)) ok.push(v);
  const rng = mulberry32(seed);
  // Partial Fisher–Yates: the first `count` of a seeded shuffle.
  for (let i = 0; i < Math.min(count, ok.length); i++) {
    const j = i + Math.floor(rng() * (ok.length - i));
    [ok[i], ok[j]] = [ok[j], ok[i]];
  }
  return ok.slice(0, count);
}

/**
 * Our matrix and pgRouting's on the same nodes, per profile. Ours is timed twice: the bare
 * contraction-hierarchy many-to-many with the nodes as seeds (what pgRouting computes), and the
 * public `matrix()` on the nodes' coordinates (snapping included, what POST /api/matrix runs).
 */
function pgSideBySide(pg: PgCluster, engine: RoutingEngine, seed: number): Record<string, unknown> {
  const graph = engine.graph;
  const views = PROFILES.map((p) => engine.view(p));
  let t0 = performance.now();
  pg.psql('DROP TABLE IF EXISTS edges;\n' + edgesLoadScript(graph, views));
  const loadMs = ms(t0);
  const nodes = pickNodes(engine, POINTS, seed);
  const n = nodes.length;
  const vertexIds = nodes.map((v) => v + 1);
  const coords = nodes.map((v): [number, number] => [graph.coords[2 * v], graph.coords[2 * v + 1]]);
  const seedNode = new Int32Array(2 * n).fill(-1);
  const seedCost = new Float64Array(2 * n);
  nodes.forEach((v, i) => (seedNode[2 * i] = v));
  const profiles: Record<string, unknown> = {};
  for (const profile of PROFILES) {
    const q = engine.chQuery(profile);
    const costs = new Float64Array(n * n);
    q.manyToMany(seedNode, seedCost, n, seedNode, seedCost, n, costs); // warm-up
    const chTimes: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      t0 = performance.now();
      q.manyToMany(seedNode, seedCost, n, seedNode, seedCost, n, costs);
      chTimes.push(ms(t0));
    }
    const oursDs = new Float64Array(n * n);
    for (let c = 0; c < n * n; c++) oursDs[c] = costs[c] === Infinity ? -1 : costDurationDs(costs[c]);
    matrix(engine, profile, coords); // warm-up
    const pubTimes: number[] = [];
    let pub = matrix(engine, profile, coords);
    for (let r = 0; r < RUNS; r++) {
      t0 = performance.now();
      pub = matrix(engine, profile, coords);
      pubTimes.push(ms(t0));
    }
    // A node's coordinates snap onto one of its segments at fraction 0 or 1; the phantom seeds then
    // follow that segment's one-way rule, so some cells may come out longer than node to node.
    let publicDiffering = 0;
    let publicMaxExtraS = 0;
    for (let c = 0; c < n * n; c++) {
      if (pub.costs[c] === costs[c]) continue;
      publicDiffering++;
      publicMaxExtraS = Math.max(publicMaxExtraS, (costDurationDs(pub.costs[c]) - costDurationDs(costs[c])) / 10);
    }
    log(`pgrouting: ${profile}: pgr_dijkstraCostMatrix ${n} × ${n} …`);
    const pgt = timePgCostMatrix(pg, profile, vertexIds, PG_RUNS);
    const agreement = compareDurations(oursDs, pgt.seconds, n);
    const ours = median(chTimes);
    const oursPublic = median(pubTimes);
    profiles[profile] = {
      ours: {
        chManyToManyMs: ours,
        chManyToManyRunsMs: chTimes,
        publicMatrixMs: oursPublic,
        publicMatrixCellsDifferingFromNodeSeeds: publicDiffering,
        publicMatrixMaxExtraS: publicMaxExtraS,
      },
      pgrouting: { insideMs: pgt.insideMs, insideRunsMs: pgt.insideRunsMs, endToEndMs: pgt.endToEndMs, endToEndRunsMs: pgt.endToEndRunsMs, rows: pgt.rows },
      ratioInsideVsOurs: Math.round((pgt.insideMs / ours) * 10) / 10,
      ratioEndToEndVsOursPublic: Math.round((pgt.endToEndMs / oursPublic) * 10) / 10,
      agreement,
    };
  }
  return {
    points: n,
    pointsAre: "distinct junction-graph nodes in every profile's largest strongly connected component",
    edgesLoaded: graph.segmentCount,
    loadEdgesMs: loadMs,
    profiles,
  };
}

function benchGraph(name: string, roads: RoadInput[], bbox: readonly [number, number, number, number], extra: Record<string, unknown>, pg: PgCluster | null) {
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
    const pgrouting = pg ? pgSideBySide(pg, loaded.engine, Number(values.seed)) : undefined;
    return {
      name,
      ...extra,
      roads: roads.length,
      roadVertices: roadVertexCount(roads),
      junctionNodes: graph.nodeCount,
      junctionNodesOfDegree2: degree2Count(graph),
      segments: graph.segmentCount,
      geometryPoints: graph.geom.length / 2,
      points: points.length,
      graphBuildMs: buildMs,
      buildAllAndWriteCacheMs: buildAndWriteMs,
      cacheBytes: statSync(cachePath).size,
      cacheLoadMs,
      profiles,
      pgrouting,
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
let pg: PgCluster | null = null;
if (values.pgrouting) {
  const installed = ensurePgrouting(log);
  pg = await startCluster(log);
  out.pgrouting = {
    installedNow: installed,
    versions: pg.versions,
    server: `private cluster on 127.0.0.1:${pg.port}, fsync off, max_parallel_workers_per_gather 0`,
    timing:
      'insideMs: clock_timestamp() around SELECT count(*) FROM pgr_dijkstraCostMatrix(...) in PL/pgSQL (median of --pg-runs after a warm-up); endToEndMs: from Node, spawn psql + COPY the rows out + parse (median of --pg-runs). Ratios divide by our median matrix time, CH preprocessing excluded (built once per city and cached; see chPreprocessMs).',
    tolerance: 'durations compared in seconds; both sides sum the same decisecond edge times, so any other path differs by >= 0.1 s; tolerance 0.001 s',
  };
} else {
  const msg =
    'pgRouting skipped: run with --pgrouting to compare with pgr_dijkstraCostMatrix (installs postgresql, postgis, postgresql-15-pgrouting when missing; needs root or the packages).';
  log(msg);
  out.pgrouting = msg;
}
try {
  if (values.only !== 'osm') {
    for (const scale of values.scale.split(',').map(Number)) {
      const t0 = performance.now();
      const { roads, bbox } = generateRoads({ seed: Number(values.seed), scale });
      const input = roads.map((r) => ({ id: r.id, class: r.cls, oneway: r.oneway, maxspeedKmh: r.maxspeedKmh, coordinates: r.coords }));
      const generateMs = ms(t0);
      (out.graphs as unknown[]).push(benchGraph(`demo city scale ${scale}`, input, bbox, { generateMs }, pg));
      log(`done: demo city scale ${scale}`);
    }
  }
  if (values.only !== 'demo') {
    const file = values.extract;
    if (!existsSync(file)) {
      out.osm = `skipped: ${file} is absent`;
    } else {
      const dataDir = mkdtempSync(join(tmpdir(), 'xuncha-bench-import-'));
      try {
        const t0 = performance.now();
        const summary = await importCity({ file, dataDir });
        const importMs = ms(t0);
        const fc = JSON.parse(readFileSync(join(summary.layersDir, 'roads.geojson'), 'utf8')) as { features: RoadFeatureLike[] };
        const roads = roadsFromFeatures(fc.features);
        const bbox = summary.city.bbox as [number, number, number, number];
        (out.graphs as unknown[]).push(
          benchGraph(
            `${summary.city.name} (${file.replace(/^.*\//, '')}, via scripts/import)`,
            roads,
            bbox,
            { source: file, importMs, importedRoads: summary.counts.roads },
            pg,
          ),
        );
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    }
  }
} finally {
  pg?.stop();
}
console.log(JSON.stringify(out, null, 2));
