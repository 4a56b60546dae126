/**
 * The 暗访片 at a million problems: how long `GET /api/screen/reel`'s work takes (the pool task `screen.reel`,
 * here in process) for a month of the whole city, a subdistrict's month and the whole store, when
 * `--photos` problems of the last year carry a report photo (a real city's app-reported share; imported
 * problems have none). The photo links are written inside a transaction that is rolled back at the end:
 * the store is left as it was. Also the blur of a 12-megapixel phone photo (4000×3000) with three rectangles
 * (PUT /api/media/:hash/redaction's work; sharp runs it on libuv's threads, not the event loop). Prints JSON.
 *
 *   npx tsx scripts/bench/million/build-store.ts          # once, ~4 min
 *   npx tsx scripts/bench/reel.ts [--photos 20000] [--runs 5] [--db var/bench-million/xuncha.db]
 */
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parseTimeBound } from '../../server/contract/common';
import { loadCatalog } from '../../server/services/assessment/catalog';
import { reel } from '../../server/services/screen/reel';
import { openStore } from '../../server/store/index';
import { blurPhoto } from '../../server/media/redact';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const { values } = parseArgs({
  options: {
    photos: { type: 'string', default: '20000' },
    runs: { type: 'string', default: '5' },
    db: { type: 'string', default: join(ROOT, 'var', 'bench-million', 'xuncha.db') },
  },
});
const runs = Number(values.runs);
const store = openStore(resolve(values.db));
if (!(await store.hasCity())) throw new Error(`No city in ${values.db}: run \`npx tsx scripts/bench/million/build-store.ts\` first (or pass --db).`);
const catalog = loadCatalog(join(ROOT, 'data', 'catalog'));
const db = store.db;
const last = db.prepare<[], { ms: number }>('SELECT max(reported_ms) AS ms FROM problems').get()!.ms;
const NOW = last + 3_600_000;
const YEAR = 365 * 86_400_000;

db.exec('BEGIN');
try {
  // One stored photo, linked as the report photo of every `step`-th problem of the last year.
  const hash = 'ab'.repeat(32);
  await store.putMedia(
    { hash, kind: 'photo', mime: 'image/jpeg', bytes: 1, width: 1600, height: 1200, takenAt: null, gps: null, durationMs: null, poster: null },
    'x',
  );
  const inYear = db.prepare<[number], { n: number }>('SELECT count(*) AS n FROM problems WHERE reported_ms >= ?').get(NOW - YEAR)!.n;
  const step = Math.max(1, Math.floor(inYear / Number(values.photos)));
  const linked = db
    .prepare(
      `INSERT INTO problem_media (problem_id, hash, role, history_seq, distance_m, far, added_at)
       SELECT id, ?, 'before', NULL, NULL, 0, 'x' FROM (SELECT id, row_number() OVER (ORDER BY reported_ms) AS k FROM problems WHERE reported_ms >= ?) WHERE k % ? = 0`,
    )
    .run(hash, NOW - YEAR, step).changes;
  const sd = db
    .prepare<[], { id: string }>('SELECT subdistrict_id AS id FROM problems WHERE subdistrict_id IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC LIMIT 1')
    .get()!.id;
  const day = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);
  const month = { from: parseTimeBound(day(NOW - 30 * 86_400_000), 'start')!, to: parseTimeBound(day(NOW), 'end')! };
  const cases = {
    cityMonth: { ...month },
    subdistrictMonth: { ...month, subdistrict: [sd] },
    wholeStore: {},
  };
  const out: Record<string, unknown> = {};
  for (const [name, q] of Object.entries(cases)) {
    const times: number[] = [];
    let r = await reel(store, catalog, q, NOW);
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      r = await reel(store, catalog, q, NOW);
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    out[name] = {
      p50Ms: Math.round(times[Math.floor(times.length / 2)]),
      maxMs: Math.round(times[times.length - 1]),
      matched: r.matched,
      withMedia: r.withMedia,
      slides: r.slides.length,
    };
  }
  const sharp = (await import('sharp')).default;
  const photo = await sharp({ create: { width: 4000, height: 3000, channels: 3, background: '#777', noise: { type: 'gaussian', mean: 128, sigma: 50 } } })
    .jpeg({ quality: 90 })
    .toBuffer();
  const regions = [
    { x: 0.1, y: 0.1, w: 0.1, h: 0.15 },
    { x: 0.5, y: 0.4, w: 0.08, h: 0.1 },
    { x: 0.7, y: 0.75, w: 0.2, h: 0.06 },
  ];
  const blurTimes: number[] = [];
  for (let i = 0; i <= runs; i++) {
    const t = performance.now();
    await blurPhoto(photo, regions);
    if (i > 0) blurTimes.push(performance.now() - t);
  }
  blurTimes.sort((a, b) => a - b);
  out.blur12mp = {
    p50Ms: Math.round(blurTimes[Math.floor(blurTimes.length / 2)]),
    maxMs: Math.round(blurTimes[blurTimes.length - 1]),
    photoMb: Math.round(photo.length / 1e5) / 10,
  };
  const problems = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM problems').get()!.n;
  console.log(
    JSON.stringify(
      {
        bench: 'reel',
        date: new Date().toISOString(),
        cpu: cpus()[0]?.model,
        cores: cpus().length,
        load: loadavg()[0],
        problems,
        photoLinks: linked,
        runs,
        ...out,
      },
      null,
      2,
    ),
  );
} finally {
  db.exec('ROLLBACK');
  await store.close();
}
