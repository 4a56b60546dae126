/**
 * Everything about PostgreSQL for the side-by-side benchmarks: installing PostGIS and pgRouting
 * (Debian packages) when missing, a private throw-away cluster on loopback, loading our road graph
 * and TSPLIB matrices by COPY, and timing `pgr_dijkstraCostMatrix` and `pgr_TSP`.
 *
 * No `pg` dependency: we drive Debian's `psql` (script on stdin, COPY data inline, `-At` tab output).
 *
 *   ensurePgrouting()            apt-get install -y postgresql postgis postgresql-15-pgrouting (if missing)
 *   startCluster()               initdb (as postgres when root) → temp dir, 127.0.0.1:<free port>, trust
 *     .psql(script)              one psql session, stdout as text
 *     .stop()                    pg_ctl stop -m immediate + rm -rf (also on exit, SIGINT, SIGTERM)
 *   edgesCopyText / costMatrixQuery / parseCostMatrix / compareDurations   pure, unit-tested
 *   tspCopyText / parseTspTour                                             pure, unit-tested
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ALLOW_BACKWARD, ALLOW_FORWARD, type ProfileGraph, type RoadGraph } from '../../server/graph/road-graph';
import { freePort } from '../free-port';
export { freePort };

/** PostgreSQL major version whose server binaries and pgRouting package we use (Debian 12). */
export const PG_MAJOR = 15;
export const PG_BIN = `/usr/lib/postgresql/${PG_MAJOR}/bin`;
export const PG_LIB = `/usr/lib/postgresql/${PG_MAJOR}/lib`;
/** The Debian packages the benchmarks need (issue 3): the server, PostGIS and pgRouting. */
export const PG_PACKAGES = ['postgresql', 'postgis', `postgresql-${PG_MAJOR}-pgrouting`] as const;

/** pgRouting's shared library is in the server's lib folder (`libpgrouting-3.4.so`). */
export function pgroutingInstalled(lib = PG_LIB): boolean {
  return existsSync(lib) && readdirSync(lib).some((f) => f.startsWith('libpgrouting'));
}

function postgisInstalled(lib = PG_LIB): boolean {
  return existsSync(lib) && readdirSync(lib).some((f) => f.startsWith('postgis-3'));
}

/**
 * Installs PostgreSQL, PostGIS and pgRouting with apt-get when any is missing (root only).
 * @returns the command run, or null when everything was there already
 * @throws Error saying what to install by hand when not root or apt-get fails
 */
export function ensurePgrouting(log: (msg: string) => void): string | null {
  if (existsSync(join(PG_BIN, 'initdb')) && pgroutingInstalled() && postgisInstalled()) return null;
  const cmd = ['apt-get', 'install', '-y', ...PG_PACKAGES];
  if (process.getuid?.() !== 0) {
    throw new Error(`pgRouting is not installed and this is not root: run \`sudo ${cmd.join(' ')}\` and try again.`);
  }
  log(`pgrouting: installing ${PG_PACKAGES.join(', ')} (${cmd.join(' ')}) …`);
  let r = spawnSync(cmd[0], cmd.slice(1), { encoding: 'utf8', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  if (r.status !== 0 && /Unable to locate|no installation candidate|404/i.test(r.stderr + r.stdout)) {
    // Package lists can be stale or absent on a fresh machine: refresh them once and retry.
    spawnSync('apt-get', ['update'], { encoding: 'utf8' });
    r = spawnSync(cmd[0], cmd.slice(1), { encoding: 'utf8', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  }
  if (r.status !== 0 || !pgroutingInstalled()) {
    throw new Error(`\`${cmd.join(' ')}\` failed (exit ${r.status}): ${tail(r.stderr || r.stdout)} — install the packages by hand and run again.`);
  }
  return cmd.join(' ');
}

function tail(text: string, lines = 6): string {
  return text.trim().split('\n').slice(-lines).join(' | ');
}

export interface PgCluster {
  port: number;
  dir: string;
  /** Runs a psql script (stdin, so `COPY … FROM STDIN` data may follow inline) in database `bench`; returns stdout. */
  psql(script: string): string;
  /** `pgr_version()`, `postgis_lib_version()` and `version()`. */
  versions: { pgrouting: string; postgis: string; postgres: string };
  /** Stops the server and removes its folder; safe to call twice. */
  stop(): void;
}

/**
 * Starts a private PostgreSQL cluster in a temp folder, listening on 127.0.0.1 only (its Unix
 * socket in that folder), trust auth, fsync off (a throw-away benchmark database), with database
 * `bench` holding the postgis and pgrouting extensions. Stopped and removed by `stop()` and also
 * when the process exits or gets SIGINT/SIGTERM. When run as root the server runs as `postgres`
 * (PostgreSQL refuses root).
 * @example const pg = await startCluster(console.error); try { pg.psql('SELECT 1') } finally { pg.stop() }
 */
export async function startCluster(log: (msg: string) => void = () => {}): Promise<PgCluster> {
  if (!existsSync(join(PG_BIN, 'initdb')))
    throw new Error(`${PG_BIN}/initdb is missing: install postgresql-${PG_MAJOR} (or run the bench with --pgrouting as root).`);
  const dir = mkdtempSync(join(tmpdir(), 'xuncha-pg-'));
  const asRoot = process.getuid?.() === 0;
  const run = (bin: string, args: string[]): SpawnSyncReturns<string> =>
    asRoot
      ? spawnSync('runuser', ['-u', 'postgres', '--', join(PG_BIN, bin), ...args], { encoding: 'utf8', cwd: dir })
      : spawnSync(join(PG_BIN, bin), args, { encoding: 'utf8', cwd: dir });
  if (asRoot) {
    const uid = Number(spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout.trim());
    const gid = Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout.trim());
    if (!Number.isInteger(uid) || uid <= 0) throw new Error('There is no `postgres` user to run the server as: install the postgresql package.');
    chownSync(dir, uid, gid);
  }
  const data = join(dir, 'data');
  let stopped = false;
  let started = false;
  const stop = (): void => {
    if (stopped) return;
    stopped = true;
    process.removeListener('exit', stop);
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    if (started) run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
    rmSync(dir, { recursive: true, force: true });
  };
  const onSignal = (sig: NodeJS.Signals): void => {
    stop();
    process.exit(sig === 'SIGINT' ? 130 : 143);
  };
  process.once('exit', stop);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const init = run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C', '--no-sync']);
    if (init.status !== 0) throw new Error(`initdb failed: ${tail(init.stderr || init.stdout)}`);
    const port = await freePort();
    const opts = [
      `-c listen_addresses=127.0.0.1`,
      `-p ${port}`,
      `-c unix_socket_directories=${dir}`,
      '-c fsync=off',
      '-c synchronous_commit=off',
      '-c full_page_writes=off',
      '-c shared_buffers=256MB',
      '-c max_parallel_workers_per_gather=0', // one core, as our single-threaded engine
    ].join(' ');
    started = true;
    const start = run('pg_ctl', ['-D', data, '-l', join(dir, 'server.log'), '-o', opts, '-w', '-t', '60', 'start']);
    if (start.status !== 0) {
      const logText = existsSync(join(dir, 'server.log')) ? readFileSync(join(dir, 'server.log'), 'utf8') : '';
      throw new Error(`PostgreSQL did not start on 127.0.0.1:${port}: ${tail(logText || start.stderr)}`);
    }
    log(`pgrouting: private PostgreSQL ${PG_MAJOR} on 127.0.0.1:${port} in ${dir}`);
    const psqlIn = (db: string, script: string): string => {
      const r = spawnSync(
        'psql',
        ['-X', '-q', '-A', '-t', '-F', '\t', '-v', 'ON_ERROR_STOP=1', '-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-d', db, '-f', '-'],
        {
          input: script,
          encoding: 'utf8',
          maxBuffer: 1 << 30,
        },
      );
      if (r.status !== 0) throw new Error(`psql failed (exit ${r.status}): ${tail(r.stderr)}`);
      return r.stdout;
    };
    psqlIn('postgres', 'CREATE DATABASE bench;');
    const v = psqlIn(
      'bench',
      ['CREATE EXTENSION postgis;', 'CREATE EXTENSION pgrouting;', BENCH_FUNCTIONS_SQL, 'SELECT pgr_version(), postgis_lib_version(), version();'].join('\n'),
    )
      .trim()
      .split('\t');
    return { port, dir, psql: (script) => psqlIn('bench', script), versions: { pgrouting: v[0], postgis: v[1], postgres: v[2] }, stop };
  } catch (err) {
    stop();
    throw err;
  }
}

/**
 * `bench_ms(q, runs)`: runs query q `runs` times inside the server and returns each run's wall
 * time in ms (clock_timestamp around `SELECT count(*) FROM (q)`, so the rows are produced but not
 * sent or stored: pgRouting's own time, reading its edge SQL included).
 * `bench_into(q)`: runs q once into the temp table `bench_rows` and returns its time in ms, so a
 * slow query (pgr_TSP on 1,000 nodes takes minutes) gives both times from one run.
 */
const BENCH_FUNCTIONS_SQL = `
CREATE FUNCTION bench_ms(q text, runs int) RETURNS SETOF double precision LANGUAGE plpgsql AS $$
DECLARE t0 timestamptz; n bigint;
BEGIN
  FOR i IN 1..runs LOOP
    t0 := clock_timestamp();
    EXECUTE 'SELECT count(*) FROM (' || q || ') s' INTO n;
    RETURN NEXT 1000 * extract(epoch FROM clock_timestamp() - t0);
  END LOOP;
END $$;
CREATE FUNCTION bench_into(q text) RETURNS double precision LANGUAGE plpgsql AS $$
DECLARE t0 timestamptz;
BEGIN
  DROP TABLE IF EXISTS bench_rows;
  t0 := clock_timestamp();
  EXECUTE 'CREATE TEMP TABLE bench_rows AS ' || q;
  RETURN 1000 * extract(epoch FROM clock_timestamp() - t0);
END $$;`;

/** Table for the road graph: one row per segment, cost/reverse_cost per profile in seconds, -1 = not allowed. */
export function edgesTableSql(profiles: readonly string[]): string {
  const cols = profiles.map((p) => `cost_${p} double precision NOT NULL, reverse_cost_${p} double precision NOT NULL`).join(', ');
  return `CREATE TABLE edges (id bigint PRIMARY KEY, source bigint NOT NULL, target bigint NOT NULL, ${cols});`;
}

/**
 * COPY text (tab-separated, one line per segment) of the graph the engine routes on: id = segment
 * + 1, source/target = node + 1 (pgRouting ids are positive), then per profile the cost along
 * (from → to) and against, in seconds with the engine's decisecond resolution (`12.3`), or -1
 * where the profile may not go that way.
 */
export function edgesCopyText(graph: RoadGraph, views: readonly ProfileGraph[]): string {
  const lines: string[] = [];
  for (let s = 0; s < graph.segmentCount; s++) {
    let line = `${s + 1}\t${graph.segFrom[s] + 1}\t${graph.segTo[s] + 1}`;
    for (const v of views) {
      const sec = secondsOfDs(v.segDurationDs[s]);
      line += `\t${v.segAllowed[s] & ALLOW_FORWARD ? sec : -1}\t${v.segAllowed[s] & ALLOW_BACKWARD ? sec : -1}`;
    }
    lines.push(line);
  }
  return lines.join('\n') + '\n';
}

/** Deciseconds as exact decimal seconds text (123 → "12.3"), no float rounding on the way. */
function secondsOfDs(ds: number): string {
  return `${Math.floor(ds / 10)}.${ds % 10}`;
}

/** `COPY edges FROM STDIN` with the data inline, as psql reads it from a script. */
export function edgesLoadScript(graph: RoadGraph, views: readonly ProfileGraph[]): string {
  return [edgesTableSql(views.map((v) => v.profile)), 'COPY edges FROM STDIN;', edgesCopyText(graph, views) + '\\.', 'ANALYZE edges;', ''].join('\n');
}

/**
 * The `pgr_dijkstraCostMatrix` query for one profile over pgRouting vertex ids (node + 1): the
 * edge SQL selects the profile's columns and skips segments it may use in neither direction.
 */
export function costMatrixQuery(profile: string, vertexIds: readonly number[]): string {
  const edgeSql = `SELECT id, source, target, cost_${profile} AS cost, reverse_cost_${profile} AS reverse_cost FROM edges WHERE cost_${profile} >= 0 OR reverse_cost_${profile} >= 0`;
  return `SELECT start_vid, end_vid, agg_cost FROM pgr_dijkstraCostMatrix(${sqlString(edgeSql)}, ARRAY[${vertexIds.join(',')}]::bigint[], directed => true)`;
}

/** A SQL string literal (single quotes doubled). */
export function sqlString(s: string): string {
  return `'${s.replaceAll("'", "''")}'`;
}

/**
 * pgRouting's `start_vid, end_vid, agg_cost` rows (tab-separated) → row-major n × n seconds for
 * `vertexIds` in order: the diagonal 0 (pgRouting leaves it out), NaN where no row came (unreachable).
 */
export function parseCostMatrix(text: string, vertexIds: readonly number[]): Float64Array {
  const n = vertexIds.length;
  const index = new Map<number, number>(vertexIds.map((v, i) => [v, i]));
  const out = new Float64Array(n * n).fill(NaN);
  for (let i = 0; i < n; i++) out[i * n + i] = 0;
  for (const line of text.split('\n')) {
    if (!line) continue;
    const [a, b, c] = line.split('\t');
    const i = index.get(Number(a));
    const j = index.get(Number(b));
    if (i === undefined || j === undefined) throw new Error(`pgRouting returned a row for vertices ${a} → ${b}, which were not asked for.`);
    out[i * n + j] = Number(c);
  }
  return out;
}

export interface Agreement {
  /** Ordered pairs compared (off-diagonal). */
  pairs: number;
  /** Tolerance in seconds: both sides sum the same decisecond edge times, so only float noise may differ. */
  toleranceS: number;
  /** Pairs whose times differ by more than the tolerance, or that only one side reaches. */
  disagreements: number;
  maxAbsDiffS: number;
  /** Up to 5 disagreeing pairs, for the report. */
  examples: { from: number; to: number; oursS: number | null; pgS: number | null }[];
}

/**
 * Compares our durations (exact deciseconds, -1 = unreachable) with pgRouting's seconds cell by
 * cell. A different path changes a sum by at least 0.1 s, so a tolerance of 0.001 s separates a
 * genuine disagreement from float summation noise (~1e-12 s).
 */
export function compareDurations(oursDs: ArrayLike<number>, pgS: ArrayLike<number>, n: number, toleranceS = 0.001): Agreement {
  const res: Agreement = { pairs: 0, toleranceS, disagreements: 0, maxAbsDiffS: 0, examples: [] };
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (i === j) continue;
      res.pairs++;
      const o = oursDs[i * n + j];
      const p = pgS[i * n + j];
      const oReach = o >= 0;
      const pReach = !Number.isNaN(p);
      let bad = oReach !== pReach;
      if (oReach && pReach) {
        const diff = Math.abs(o / 10 - p);
        if (diff > res.maxAbsDiffS) res.maxAbsDiffS = diff;
        bad = diff > toleranceS;
      }
      if (bad) {
        res.disagreements++;
        if (res.examples.length < 5) res.examples.push({ from: i, to: j, oursS: oReach ? o / 10 : null, pgS: pReach ? p : null });
      }
    }
  }
  return res;
}

/** Median of a non-empty list. */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

const round1 = (x: number): number => Math.round(x * 10) / 10;

export interface PgMatrixTiming {
  /** Median of `runs` in-server times (bench_ms). */
  insideMs: number;
  insideRunsMs: number[];
  /** Median of `runs` end-to-end times from Node: spawn psql, COPY the rows out, parse into a matrix. */
  endToEndMs: number;
  endToEndRunsMs: number[];
  /** The matrix of the last end-to-end run, seconds (NaN unreachable). */
  seconds: Float64Array;
  rows: number;
}

/**
 * Times `pgr_dijkstraCostMatrix` for one profile on the loaded `edges` table: `runs` runs inside
 * the server after one warm-up, and `runs` end-to-end runs from Node (the last one's matrix is
 * returned for the agreement check).
 */
export function timePgCostMatrix(pg: PgCluster, profile: string, vertexIds: readonly number[], runs: number): PgMatrixTiming {
  const q = costMatrixQuery(profile, vertexIds);
  const inside = pg
    .psql(`SELECT bench_ms(${sqlString(q)}, ${runs + 1});`)
    .trim()
    .split('\n')
    .map(Number)
    .slice(1);
  const e2e: number[] = [];
  let seconds: Float64Array = new Float64Array(0);
  let rows = 0;
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    const text = pg.psql(`COPY (${q}) TO STDOUT;`);
    seconds = parseCostMatrix(text, vertexIds);
    e2e.push(performance.now() - t0);
    rows = text.length === 0 ? 0 : text.split('\n').length - 1;
  }
  return {
    insideMs: round1(median(inside)),
    insideRunsMs: inside.map(round1),
    endToEndMs: round1(median(e2e)),
    endToEndRunsMs: e2e.map(round1),
    seconds,
    rows,
  };
}

/**
 * COPY text of an n × n integer matrix as pgr_TSP's matrix cells `start_vid, end_vid, agg_cost`
 * with 1-based TSPLIB node ids, every ordered pair but the diagonal.
 */
export function tspCopyText(n: number, matrix: ArrayLike<number>): string {
  const lines: string[] = [];
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i !== j) lines.push(`${i + 1}\t${j + 1}\t${matrix[i * n + j]}`);
  return lines.join('\n') + '\n';
}

/** pgr_TSP's `seq, node, cost, agg_cost` rows → the tour as 1-based node ids, the closing return to the start dropped. */
export function parseTspTour(text: string): number[] {
  const nodes = text
    .split('\n')
    .filter(Boolean)
    .map((l) => Number(l.split('\t')[1]));
  if (nodes.length > 1 && nodes[0] === nodes[nodes.length - 1]) nodes.pop();
  return nodes;
}

/** Length of a closed tour (1-based ids) on a row-major integer matrix; throws when it is not a permutation. */
export function tourLength(n: number, matrix: ArrayLike<number>, tour: readonly number[]): number {
  const seen = new Uint8Array(n);
  for (const v of tour) {
    if (v < 1 || v > n || seen[v - 1]) throw new Error(`pgr_TSP's tour is not a permutation of 1…${n} (node ${v}).`);
    seen[v - 1] = 1;
  }
  if (tour.length !== n) throw new Error(`pgr_TSP's tour visits ${tour.length} of ${n} nodes.`);
  let len = 0;
  for (let k = 0; k < n; k++) len += matrix[(tour[k] - 1) * n + (tour[(k + 1) % n] - 1)];
  return len;
}

export interface PgTspResult {
  length: number;
  tour: number[];
  /** In-server time of pgr_TSP (reading the matrix SQL included). */
  insideMs: number;
  /** From Node, the same run: spawn psql, run pgr_TSP, read the tour. */
  endToEndMs: number;
  /** Loading the matrix by COPY (not counted in either time). */
  loadMs: number;
}

/**
 * Solves one TSPLIB instance with pgr_TSP on the same integer matrix as our solver, given our
 * time limit as `max_processing_time` (seconds). NOTE: pgRouting 3.2.1+ runs Boost's metric TSP
 * approximation (a preorder walk of a minimum spanning tree) and ignores that parameter (3.4.2,
 * measured: a280 with 0.001 s still runs ~0.6 s and returns the same tour); it is passed so a
 * version that honours it gets the same limit as ours.
 */
export function runPgrTsp(pg: PgCluster, n: number, matrix: ArrayLike<number>, limitMs = Infinity): PgTspResult {
  let t0 = performance.now();
  pg.psql(
    [
      'DROP TABLE IF EXISTS tsp;',
      'CREATE TABLE tsp (start_vid bigint, end_vid bigint, agg_cost double precision);',
      'COPY tsp FROM STDIN;',
      tspCopyText(n, matrix) + '\\.',
      'ANALYZE tsp;',
      '',
    ].join('\n'),
  );
  const loadMs = performance.now() - t0;
  const limit = Number.isFinite(limitMs) ? `, max_processing_time => ${limitMs / 1000}` : '';
  const q = `SELECT seq, node, cost, agg_cost FROM pgr_TSP('SELECT start_vid, end_vid, agg_cost FROM tsp', start_id => 1${limit})`;
  t0 = performance.now();
  const out = pg.psql(`SET client_min_messages = warning;\nSELECT bench_into(${sqlString(q)});\nCOPY (SELECT * FROM bench_rows ORDER BY seq) TO STDOUT;`);
  const endToEndMs = performance.now() - t0;
  const newline = out.indexOf('\n');
  const insideMs = Number(out.slice(0, newline));
  const tour = parseTspTour(out.slice(newline + 1));
  return { length: tourLength(n, matrix, tour), tour, insideMs: round1(insideMs), endToEndMs: round1(endToEndMs), loadMs: round1(loadMs) };
}

export interface PgrTspComparison {
  length: number;
  /** (length − optimum) / optimum. */
  gap: number;
  insideMs: number;
  endToEndMs: number;
  loadMs: number;
}

/** pgr_TSP on one TSPLIB instance, with its gap to the proven optimum (for scripts/bench/solver.ts). */
export function pgrTspComparison(pg: PgCluster, n: number, matrix: ArrayLike<number>, optimum: number, limitMs: number): PgrTspComparison {
  const r = runPgrTsp(pg, n, matrix, limitMs);
  return { length: r.length, gap: (r.length - optimum) / optimum, insideMs: r.insideMs, endToEndMs: r.endToEndMs, loadMs: r.loadMs };
}

/**
 * Aggregates ours and pgr_TSP's gaps over the rows that carry `extra.pgrouting` (all instances,
 * and the 51–318-node range the targets use).
 */
export function summarizePgrTsp(
  rows: readonly { n: number; meanGap: number; worstGap: number; ms: number; extra?: Record<string, unknown> }[],
): Record<string, unknown> {
  const agg = (xs: typeof rows) => {
    const pgr = xs.map((r) => r.extra!.pgrouting as PgrTspComparison);
    const mean = (a: number[]): number => a.reduce((s, x) => s + x, 0) / Math.max(1, a.length);
    return {
      instances: xs.length,
      ours: { meanGap: mean(xs.map((r) => r.meanGap)), worstGap: Math.max(...xs.map((r) => r.worstGap)), limitMs: xs[0]?.ms },
      pgrTsp: {
        meanGap: mean(pgr.map((p) => p.gap)),
        worstGap: Math.max(...pgr.map((p) => p.gap)),
        meanInsideMs: round1(mean(pgr.map((p) => p.insideMs))),
        maxInsideMs: Math.max(...pgr.map((p) => p.insideMs)),
        meanEndToEndMs: round1(mean(pgr.map((p) => p.endToEndMs))),
      },
    };
  };
  const withPg = rows.filter((r) => r.extra?.pgrouting);
  return {
    note: "pgr_TSP (pgRouting 3.2.1+) is Boost's metric TSP approximation (MST preorder walk): it is given our limit as max_processing_time but ignores it, is deterministic and runs once per instance; ours gets the bench limit per seed.",
    all: agg(withPg),
    n51to318: agg(withPg.filter((r) => r.n >= 51 && r.n <= 318)),
  };
}
