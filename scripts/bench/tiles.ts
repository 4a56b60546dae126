/**
 * Problem tiles at a million problems: the tile table z10–z16 over the densest place and a sparse one
 * (p50, p95, bytes), through the HTTP route in process, and the same tiles from PostGIS `ST_AsMVT` over
 * the same points (the query pg_tileserv and martin run for a point table), side by side in one run.
 * Prints JSON.
 *
 *   npx tsx scripts/bench/million/build-store.ts          # once, ~4 min
 *   npx tsx scripts/bench/tiles.ts [--runs 20] [--db var/bench-million/xuncha.db] [--no-postgis]
 *
 * The densest place is the centre of the z16 tile holding the most problems; the sparse one the centre
 * of a z16 tile holding a single problem (the first in store order). A tile of ours is every problem
 * as a point up to TILE_POINT_LIMIT in it from z14 (clusters below z14 and above the limit); PostGIS
 * sends every problem as a point at every zoom, so its bytes and time at low zooms are what serving the
 * raw points would cost. PostGIS times are inside the server (clock_timestamp around the query), ours
 * include routing, validation and encoding (in process, no socket).
 */
import { cpus, loadavg, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createApp } from '../../server/app';
import { loadCatalog } from '../../server/services/assessment/catalog';
import { createLiveIndex } from '../../server/services/problems/live-index';
import { openStore } from '../../server/store/index';
import { as, signIn } from '../../tests/api/fixture';
import { ensurePgrouting, median, startCluster, type PgCluster } from './pgrouting';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '20' },
    db: { type: 'string', default: join(ROOT, 'var', 'bench-million', 'xuncha.db') },
    'no-postgis': { type: 'boolean', default: false },
  },
});
const runs = Number(values.runs);
const log = (msg: string) => console.error(msg);
const store = openStore(resolve(values.db));
if (!(await store.hasCity())) throw new Error(`No city in ${values.db}: run \`npx tsx scripts/bench/million/build-store.ts\` first (or pass --db).`);
const NOW = Date.parse('2026-11-26T09:00:00+08:00');
const live = createLiveIndex(store);
let t0 = performance.now();
const index = (await live.current()).index.base;
const indexMs = Math.round(performance.now() - t0);
const app = as(
  await createApp({ store, catalog: loadCatalog(join(ROOT, 'data', 'catalog')), now: () => NOW, problemIndex: live }),
  await signIn(store, 'admin', 'u01', NOW),
);

// The places: z16 tiles by problem count.
const Z_PLACE = 16;
const perTile = new Map<number, number>();
const scale = 2 ** Z_PLACE;
for (let i = 0; i < index.size; i++) {
  const key = Math.floor(index.x[i] * scale) * scale + Math.floor(index.y[i] * scale);
  perTile.set(key, (perTile.get(key) ?? 0) + 1);
}
let densest = 0;
let densestCount = 0;
for (const [key, n] of perTile) if (n > densestCount) [densest, densestCount] = [key, n];
const sparse = [...perTile].find(([, n]) => n === 1)?.[0] ?? densest;
const centre = (key: number) => ({ wx: (Math.floor(key / scale) + 0.5) / scale, wy: ((key % scale) + 0.5) / scale });

const ZOOMS = [10, 11, 12, 13, 14, 15, 16];
const stat = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return { p50: Math.round(s[Math.floor(s.length / 2)] * 10) / 10, p95: Math.round(s[Math.min(s.length - 1, Math.floor(s.length * 0.95))] * 10) / 10 };
};

async function ours(z: number, x: number, y: number) {
  const times: number[] = [];
  let bytes = 0;
  for (let r = 0; r <= runs; r++) {
    const t = performance.now();
    const res = await app.request(`/tiles/problems/${z}/${x}/${y}.pbf`);
    bytes = (await res.arrayBuffer()).byteLength;
    if (r > 0) times.push(performance.now() - t); // the first run warms the code paths
  }
  return { ...stat(times), bytes };
}

let pg: PgCluster | null = null;
let postgis: { versions: PgCluster['versions']; loadS: number } | null = null;
if (!values['no-postgis']) {
  ensurePgrouting(log);
  pg = await startCluster(log);
  t0 = performance.now();
  // The same points, as a tile server's source table: WGS84 points with a GiST index.
  const rows: string[] = [];
  for (let i = 0; i < index.size; i++) {
    rows.push(`${index.ids[i]}\t${index.categoryNames[index.category[i]]}\t${index.status[i]}\t${index.x[i]}\t${index.y[i]}`);
  }
  pg.psql(
    [
      'CREATE TABLE problems (id text, category text, status int, wx float8, wy float8);',
      'COPY problems FROM STDIN;',
      ...rows,
      '\\.',
      // World [0,1) → EPSG:3857 metres, as ST_TileEnvelope works in.
      `ALTER TABLE problems ADD COLUMN geom geometry(Point, 3857);`,
      `UPDATE problems SET geom = ST_SetSRID(ST_MakePoint((wx - 0.5) * 40075016.68557849, (0.5 - wy) * 40075016.68557849), 3857);`,
      'CREATE INDEX ON problems USING gist (geom);',
      'ANALYZE problems;',
      // Each run's bytes are made and handed to plpgsql (a count(*) around the query lets the planner skip ST_AsMVT).
      `CREATE FUNCTION tile_ms(q text, runs int) RETURNS SETOF double precision LANGUAGE plpgsql AS $f$
       DECLARE t0 timestamptz; b bytea;
       BEGIN
         FOR i IN 1..runs LOOP
           t0 := clock_timestamp();
           EXECUTE q INTO b;
           RETURN NEXT 1000 * extract(epoch FROM clock_timestamp() - t0);
         END LOOP;
       END $f$;`,
    ].join('\n'),
  );
  postgis = { versions: pg.versions, loadS: Math.round(performance.now() - t0) / 1000 };
}

function theirs(z: number, x: number, y: number) {
  if (!pg) return null;
  const q = `SELECT ST_AsMVT(t, 'problems', 4096, 'geom') AS mvt FROM (
    SELECT id, category, status, ST_AsMVTGeom(geom, ST_TileEnvelope(${z}, ${x}, ${y}), 4096, 64, true) AS geom
    FROM problems WHERE geom && ST_TileEnvelope(${z}, ${x}, ${y}, margin => (64.0 / 4096))) t`;
  const times = pg
    .psql(`SELECT tile_ms($q$${q}$q$, ${runs + 1});`)
    .trim()
    .split('\n')
    .map(Number)
    .slice(1);
  const bytes = Number(pg.psql(`SELECT coalesce(length(mvt), 0) FROM (${q}) s;`).trim());
  return { ...stat(times), bytes };
}

const table: Record<string, unknown>[] = [];
for (const [place, key] of [
  ['densest', densest],
  ['sparse', sparse],
] as const) {
  const { wx, wy } = centre(key);
  for (const z of ZOOMS) {
    const x = Math.floor(wx * 2 ** z);
    const y = Math.floor(wy * 2 ** z);
    table.push({ place, z, tile: `${z}/${x}/${y}`, ours: await ours(z, x, y), postgis: theirs(z, x, y) });
  }
}
pg?.stop();

console.log(
  JSON.stringify(
    {
      machine: { cpus: cpus().length, cpu: cpus()[0]?.model, memGB: Math.round(totalmem() / 2 ** 30), load: loadavg().map((l) => Math.round(l * 100) / 100) },
      date: new Date().toISOString().slice(0, 10),
      problems: index.size,
      indexMs,
      places: { densest: { z16Problems: densestCount }, sparse: { z16Problems: perTile.get(sparse) } },
      runs,
      postgis,
      medianOursP50Ms: median(table.map((r) => (r.ours as { p50: number }).p50)),
      table,
    },
    null,
    2,
  ),
);
await store.close();
