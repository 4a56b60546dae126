/**
 * Solver benchmark over ../shared/bench: TSPLIB (gap to the proven optimum), Solomon VRPTW (distance
 * gap to the distance-only best known, bks.csv) and orienteering (score gap to the best known).
 * Prints one JSON document on stdout (per instance and aggregates) and a Markdown table on stderr.
 *
 * Usage: npx tsx scripts/bench/solver.ts [--set tsplib|solomon|orienteering] [--ms N] [--seeds 3]
 *        [--filter REGEX] [--bench DIR] [--pgrouting]
 * `--pgrouting`: pgRouting's pgr_TSP on every TSPLIB instance too (same integer matrix), with its gap and time.
 * Default limits: TSPLIB 1000 ms, Solomon 10000 ms, orienteering 1000 ms per run (one thread).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseTsplib } from './tsplib-format';
import { parseSolomon, solomonProblem, solomonRouteDistance, solomonViolations } from './solomon-format';
import { classicProblem, oplibProblem } from './solver-orienteering';
import type { OrienteeringCase } from './solver-orienteering';
import { solveTsp } from '../../server/solver/tsp';
import { solve } from '../../server/solver/index';
import { createRng } from '../../server/solver/random';
import { ensurePgrouting, pgrTspComparison, startCluster, summarizePgrTsp, type PgCluster } from './pgrouting';

interface Row {
  set: string;
  name: string;
  n: number;
  bestKnown: number;
  values: number[];
  gaps: number[];
  meanGap: number;
  worstGap: number;
  ms: number;
  extra?: Record<string, unknown>;
}

const args = process.argv.slice(2);
const arg = (k: string): string | undefined => {
  const i = args.indexOf(k);
  return i < 0 ? undefined : args[i + 1];
};
const BENCH = arg('--bench') ?? join(import.meta.dirname, '../../../shared/bench');
const seeds = Number(arg('--seeds') ?? '1');
const msArg = arg('--ms');
const filter = new RegExp(arg('--filter') ?? '.');
const sets = (arg('--set') ?? 'tsplib,solomon,orienteering').split(',');

const csv = (file: string): Record<string, string>[] => {
  const [head, ...lines] = readFileSync(file, 'utf8').trim().split(/\r?\n/);
  const keys = head.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [keys[i], v])));
};
const mean = (a: number[]): number => a.reduce((s, x) => s + x, 0) / Math.max(1, a.length);
const log = (s: string): void => {
  process.stderr.write(s + '\n');
};

// --pgrouting: pgr_TSP on the same integer matrix next to ours, TSPLIB only (scripts/bench/pgrouting.ts
// installs PostgreSQL + pgRouting when missing and runs a private cluster on 127.0.0.1).
let pg: PgCluster | null = null;
if (args.includes('--pgrouting')) {
  ensurePgrouting(log);
  pg = await startCluster(log);
} else if (sets.includes('tsplib')) {
  log('pgRouting skipped: add --pgrouting to run pgr_TSP on the TSPLIB set next to ours.');
}

function row(
  set: string,
  name: string,
  n: number,
  bestKnown: number,
  values: number[],
  gapOf: (v: number) => number,
  ms: number,
  extra?: Record<string, unknown>,
): Row {
  const gaps = values.map(gapOf);
  const r = { set, name, n, bestKnown, values, gaps, meanGap: mean(gaps), worstGap: Math.max(...gaps), ms, extra };
  log(`${set} ${name} n=${n} best=${bestKnown} got=${values.join('/')} gap=${(r.meanGap * 100).toFixed(3)}% worst=${(r.worstGap * 100).toFixed(3)}%`);
  return r;
}

function benchTsplib(ms: number): Row[] {
  const rows: Row[] = [];
  for (const o of csv(join(BENCH, 'tsplib/optima.csv'))) {
    // linhp318's value is for a Hamiltonian path with a fixed edge, not a tour (see the bench README).
    if (o.instance === 'linhp318' || !filter.test(o.instance)) continue;
    const inst = parseTsplib(readFileSync(join(BENCH, `tsplib/${o.instance}.tsp`), 'utf8'));
    const opt = Number(o.optimal_tour_length);
    const values: number[] = [];
    for (let s = 1; s <= seeds; s++) {
      const t0 = performance.now();
      values.push(solveTsp(inst.dimension, inst.matrix, { rng: createRng(s), now: () => performance.now(), deadline: t0 + ms }).length);
    }
    const pgrouting = pg ? pgrTspComparison(pg, inst.dimension, inst.matrix, opt, ms) : undefined;
    if (pgrouting) log(`  pgr_TSP ${o.instance}: ${pgrouting.length} gap=${(pgrouting.gap * 100).toFixed(3)}% ${pgrouting.insideMs} ms`);
    rows.push(row('tsplib', o.instance, inst.dimension, opt, values, (v) => (v - opt) / opt, ms, pgrouting && { pgrouting }));
  }
  return rows;
}

function benchSolomon(ms: number): Row[] {
  const rows: Row[] = [];
  for (const b of csv(join(BENCH, 'solomon/bks.csv'))) {
    if (!filter.test(b.instance)) continue;
    const inst = parseSolomon(readFileSync(join(BENCH, `solomon/${b.instance}.txt`), 'utf8'));
    const bks = Number(b.bks_dist_distance);
    const values: number[] = [];
    const vehicles: number[] = [];
    for (let s = 1; s <= seeds; s++) {
      const t0 = performance.now();
      const res = solve(solomonProblem(inst, false), { seed: s, now: () => performance.now(), deadline: t0 + ms });
      const routes = res.routes.map((r) => r.stops.map((st) => st.job + 1));
      const bad = solomonViolations(inst, routes);
      if (bad.length > 0) throw new Error(`${b.instance}: infeasible plan: ${bad.slice(0, 3).join('; ')}`);
      values.push(Math.round(solomonRouteDistance(inst, routes) * 100) / 100);
      vehicles.push(routes.length);
    }
    rows.push(row('solomon', b.instance, inst.x.length - 1, bks, values, (v) => (v - bks) / bks, ms, { vehicles, bksVehicles: Number(b.bks_dist_vehicles) }));
  }
  return rows;
}

function runOp(c: OrienteeringCase, ms: number): number[] {
  const values: number[] = [];
  for (let s = 1; s <= seeds; s++) {
    const t0 = performance.now();
    const res = solve(c.problem, { seed: s, now: () => performance.now(), deadline: t0 + ms });
    values.push(res.servedPriority + c.baseScore);
  }
  return values;
}

function benchOrienteering(ms: number): Row[] {
  const rows: Row[] = [];
  for (const b of csv(join(BENCH, 'orienteering/classic/bks.csv'))) {
    if (!filter.test(b.file)) continue;
    const c = classicProblem(readFileSync(join(BENCH, 'orienteering/classic', b.file), 'utf8'));
    const best = Number(b.best_reported);
    rows.push(row('orienteering', b.file.replace(/^.*\//, '').replace(/\.txt$/, ''), Number(b.nodes), best, runOp(c, ms), (v) => (best - v) / best, ms));
  }
  for (const b of csv(join(BENCH, 'orienteering/oplib/bks_ea4op.csv'))) {
    if (!filter.test(b.file)) continue;
    const dir = join(BENCH, 'orienteering/oplib/instances', b.generation);
    const file = readdirSync(dir).find((f) => f.startsWith(b.file + '.'));
    if (!file) throw new Error(`OPLib file ${b.file} is missing under ${dir}`);
    const c = oplibProblem(readFileSync(join(dir, file), 'utf8'));
    const best = Number(b.ea4op_best_score);
    rows.push(row('orienteering', b.file, Number(b.dimension), best, runOp(c, ms), (v) => (best - v) / best, ms));
  }
  return rows;
}

function aggregate(rows: Row[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const set of new Set(rows.map((r) => r.set))) {
    const rs = rows.filter((r) => r.set === set);
    const agg = (xs: Row[]) => ({
      instances: xs.length,
      meanGap: mean(xs.map((r) => r.meanGap)),
      worstGap: Math.max(...xs.map((r) => r.worstGap)),
      worstInstance: xs.reduce((a, r) => (r.worstGap > a.worstGap ? r : a), xs[0])?.name,
    });
    out[set] = agg(rs);
    if (set === 'tsplib') out['tsplib_51_318'] = agg(rs.filter((r) => r.n >= 51 && r.n <= 318));
  }
  return out;
}

const rows: Row[] = [];
const DEFAULT_MS: Record<string, number> = { tsplib: 1000, solomon: 10000, orienteering: 1000 };
for (const set of sets) {
  const ms = msArg ? Number(msArg) : DEFAULT_MS[set];
  if (set === 'tsplib') rows.push(...benchTsplib(ms));
  else if (set === 'solomon') rows.push(...benchSolomon(ms));
  else if (set === 'orienteering') rows.push(...benchOrienteering(ms));
  else throw new Error(`unknown --set ${set}: use tsplib, solomon or orienteering`);
}
const summary = aggregate(rows);
if (pg) {
  summary.pgrouting_tsplib = { versions: pg.versions, ...summarizePgrTsp(rows.filter((r) => r.set === 'tsplib')) };
  pg.stop();
}
process.stdout.write(JSON.stringify({ seeds, command: `npx tsx scripts/bench/solver.ts ${args.join(' ')}`.trim(), summary, instances: rows }, null, 1) + '\n');
log('\n| set | instances | limit (ms) | seeds | mean gap | worst gap (instance) |\n|---|---:|---:|---:|---:|---|');
for (const [set, a] of Object.entries(summary).filter(([k]) => k !== 'pgrouting_tsplib') as [
  string,
  { instances: number; meanGap: number; worstGap: number; worstInstance: string },
][]) {
  const ms = rows.find((r) => r.set === set.replace('_51_318', ''))?.ms;
  log(`| ${set} | ${a.instances} | ${ms} | ${seeds} | ${(a.meanGap * 100).toFixed(3)} % | ${(a.worstGap * 100).toFixed(3)} % (${a.worstInstance}) |`);
}
if (summary.pgrouting_tsplib) {
  const p = (summary.pgrouting_tsplib as { all: { instances: number; pgrTsp: { meanGap: number; worstGap: number; meanInsideMs: number } } }).all;
  log(
    `| tsplib, pgr_TSP | ${p.instances} | ignored (mean ${p.pgrTsp.meanInsideMs} ms) | 1 | ${(p.pgrTsp.meanGap * 100).toFixed(3)} % | ${(p.pgrTsp.worstGap * 100).toFixed(3)} % |`,
  );
}
