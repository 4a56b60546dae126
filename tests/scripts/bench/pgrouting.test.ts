import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  compareDurations,
  costMatrixQuery,
  edgesCopyText,
  edgesLoadScript,
  parseCostMatrix,
  parseTspTour,
  pgroutingInstalled,
  runPgrTsp,
  sqlString,
  startCluster,
  timePgCostMatrix,
  tourLength,
  tspCopyText,
  type PgCluster,
} from '../../../scripts/bench/pgrouting';
import { costDurationDs } from '../../../server/graph/cost';
import { PROFILES } from '../../../server/graph/profiles';
import { buildRoadGraph } from '../../../server/graph/road-graph';
import { createRoutingEngine } from '../../../server/graph/routing-engine';
import { TINY_ROADS } from '../../fixtures/graph/tiny-roads';

// Nodes of the tiny graph (tests/fixtures/graph/tiny-roads.ts) and their pgRouting ids (node + 1):
// A 1, B 2, C 3, F 4, G 5, H 6. Segments: 1 A→B (one-way), 2 B–C, 3 A–D–E–C (400 m), 4 B–F footway, 5 G–H.
const graph = buildRoadGraph(TINY_ROADS);
const engine = createRoutingEngine(graph);
const views = PROFILES.map((p) => engine.view(p));

/** Our durations in deciseconds (-1 unreachable) between `nodes`, by the CH many-to-many the bench times. */
function oursDs(profile: (typeof PROFILES)[number], nodes: number[]): Float64Array {
  const n = nodes.length;
  const seedNode = new Int32Array(2 * n).fill(-1);
  nodes.forEach((v, i) => (seedNode[2 * i] = v));
  const costs = new Float64Array(n * n);
  engine.chQuery(profile).manyToMany(seedNode, new Float64Array(2 * n), n, seedNode, new Float64Array(2 * n), n, costs);
  return costs.map((c) => (c === Infinity ? -1 : costDurationDs(c)));
}

describe('edge rows for pgRouting', () => {
  it('writes one row per segment: ids + 1, then per profile cost and reverse cost in exact seconds, -1 where not allowed', () => {
    expect(edgesCopyText(graph, views)).toBe(
      [
        // walk both ways; e-bike and car only along the one-way A → B
        '1\t1\t2\t80.0\t80.0\t30.0\t-1\t18.0\t-1',
        '2\t2\t3\t80.0\t80.0\t30.0\t30.0\t18.0\t18.0',
        '3\t1\t3\t320.0\t320.0\t120.0\t120.0\t72.0\t72.0',
        // footway: e-bike pushed at 5 km/h, no cars
        '4\t2\t4\t64.0\t64.0\t57.6\t57.6\t-1\t-1',
        '5\t5\t6\t80.0\t80.0\t30.0\t30.0\t18.0\t18.0',
      ].join('\n') + '\n',
    );
  });

  it('wraps the rows in a table, an inline COPY ended by \\. and ANALYZE', () => {
    const script = edgesLoadScript(graph, views);
    expect(
      script.startsWith('CREATE TABLE edges (id bigint PRIMARY KEY, source bigint NOT NULL, target bigint NOT NULL, cost_walk double precision NOT NULL'),
    ).toBe(true);
    expect(script).toContain('\nCOPY edges FROM STDIN;\n1\t1\t2\t');
    expect(script.endsWith('\t18.0\t18.0\n\\.\nANALYZE edges;\n')).toBe(true);
  });

  it('selects the profile columns in a quoted edge SQL and passes the vertices as a bigint array', () => {
    expect(costMatrixQuery('car', [1, 3, 4])).toBe(
      "SELECT start_vid, end_vid, agg_cost FROM pgr_dijkstraCostMatrix('SELECT id, source, target, cost_car AS cost, reverse_cost_car AS reverse_cost FROM edges WHERE cost_car >= 0 OR reverse_cost_car >= 0', ARRAY[1,3,4]::bigint[], directed => true)",
    );
    expect(sqlString("it's")).toBe("'it''s'");
  });
});

describe('reading and checking pgRouting matrices', () => {
  it('places rows by vertex, 0 on the diagonal, NaN where no row came', () => {
    const m = parseCostMatrix('3\t1\t72\n1\t3\t36.5\n', [1, 3, 4]);
    expect(Array.from(m)).toEqual([0, 36.5, NaN, 72, 0, NaN, NaN, NaN, 0]);
    expect(() => parseCostMatrix('1\t9\t5\n', [1, 3])).toThrow(/9.*not asked for/);
  });

  it('counts a different path (≥ 0.1 s) and one-sided reachability as disagreements, float noise not', () => {
    const ours = [0, 365, -1, 720, 0, -1, 10, -1, 0];
    const same = [0, 36.5 + 1e-11, NaN, 72, 0, NaN, 1, NaN, 0];
    const a = compareDurations(ours, same, 3);
    expect(a).toMatchObject({ pairs: 6, toleranceS: 0.001, disagreements: 0, examples: [] });
    expect(a.maxAbsDiffS).toBeLessThan(1e-9);
    const off = [0, 36.6, NaN, 72, 0, 5, NaN, NaN, 0];
    const b = compareDurations(ours, off, 3);
    expect(b.disagreements).toBe(3);
    expect(b.examples).toEqual([
      { from: 0, to: 1, oursS: 36.5, pgS: 36.6 },
      { from: 1, to: 2, oursS: null, pgS: 5 },
      { from: 2, to: 0, oursS: 1, pgS: null },
    ]);
  });
});

describe('pgr_TSP input and output', () => {
  const m = Int32Array.from([0, 1, 5, 2, 1, 0, 1, 6, 5, 1, 0, 1, 2, 6, 1, 0]);

  it('writes every ordered off-diagonal cell with 1-based ids', () => {
    const text = tspCopyText(4, m);
    expect(text.split('\n').filter(Boolean)).toHaveLength(12);
    expect(text.startsWith('1\t2\t1\n1\t3\t5\n1\t4\t2\n2\t1\t1\n')).toBe(true);
  });

  it('reads the tour without its closing return and measures it on our matrix', () => {
    const tour = parseTspTour('1\t1\t0\t0\n2\t2\t1\t1\n3\t3\t1\t2\n4\t4\t1\t3\n5\t1\t2\t5\n');
    expect(tour).toEqual([1, 2, 3, 4]);
    expect(tourLength(4, m, tour)).toBe(5);
    expect(tourLength(4, m, [1, 3, 2, 4])).toBe(5 + 1 + 6 + 2);
    expect(() => tourLength(4, m, [1, 2, 2, 4])).toThrow(/not a permutation/);
    expect(() => tourLength(4, m, [1, 2, 3])).toThrow(/visits 3 of 4/);
  });
});

// Integration: only where pgRouting is installed (the bench installs it with --pgrouting; this test never does).
const havePg = pgroutingInstalled() && existsSync('/usr/lib/postgresql/15/bin/initdb');
if (!havePg) console.warn('pgRouting is not installed (/usr/lib/postgresql/15/lib/libpgrouting*): the PostgreSQL integration tests are skipped.');

describe.skipIf(!havePg)('on a private PostgreSQL with pgRouting', () => {
  let pg: PgCluster;
  beforeAll(async () => {
    pg = await startCluster();
    pg.psql(edgesLoadScript(graph, views));
  });
  afterAll(() => pg?.stop());

  it('listens on loopback only, with pgRouting and PostGIS', () => {
    expect(pg.psql("SELECT current_setting('listen_addresses');").trim()).toBe('127.0.0.1');
    expect(pg.versions.pgrouting).toMatch(/^3\./);
    expect(pg.versions.postgis).toMatch(/^3\./);
  });

  it('gives the same matrix as our engine for every profile, unreachable pairs included', () => {
    const nodes = [0, 1, 2, 3, 4]; // A B C F G (G is on a piece of its own)
    const ids = nodes.map((v) => v + 1);
    for (const profile of PROFILES) {
      const t = timePgCostMatrix(pg, profile, ids, 1);
      const agree = compareDurations(oursDs(profile, nodes), t.seconds, nodes.length);
      expect(agree.disagreements, profile).toBe(0);
      if (profile === 'car') {
        // C → A: B → A is against the one-way, so round by D and E (72 s); F has no car road at all.
        expect(t.seconds[2 * 5 + 0]).toBeCloseTo(72, 9);
        expect(t.seconds[0 * 5 + 2]).toBeCloseTo(36, 9);
        expect(Number.isNaN(t.seconds[0 * 5 + 3])).toBe(true);
      }
      if (profile === 'ebike') expect(t.seconds[3 * 5 + 0]).toBeCloseTo(57.6 + 30 + 120, 9); // F → B → C → A
      expect(Number.isNaN(t.seconds[0 * 5 + 4])).toBe(true); // A → G
    }
  });

  it('solves a TSP with pgr_TSP into a permutation no shorter than the optimum', () => {
    // Five points on a line: the optimum goes out and back, 2 × 4 = 8.
    const n = 5;
    const m = new Int32Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) m[i * n + j] = Math.abs(i - j);
    const r = runPgrTsp(pg, n, m, 1000);
    expect([...r.tour].sort()).toEqual([1, 2, 3, 4, 5]);
    expect(r.tour[0]).toBe(1);
    expect(r.length).toBeGreaterThanOrEqual(8);
  });
});
