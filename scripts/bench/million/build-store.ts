/**
 * A store of 1,000,000 problems over 104 weeks for benchmarks: the demo city at its largest scale (20,
 * about 480,000 problems; the same seeded generator, so hotspots, recurrences, weekly rhythm and
 * campaign peaks are the demo's), grown to `problems` by seeded copies (amplify.ts), imported into
 * SQLite. Reused when it already exists.
 *
 *   npx tsx scripts/bench/million/build-store.ts [--dir var/bench-million] [--seed 1] [--scale 20] [--problems 1000000] [--end 2026-11-25]
 *
 * Prints JSON: counts and seconds for each step. Run it once; the benchmarks then read `<dir>/xuncha.db`.
 */
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { importLayers } from '../../../server/store/import-layers';
import { openStore } from '../../../server/store/index';
import { generateDemoCity } from '../../demo-city/generate';
import { amplifyProblems } from './amplify';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

/** Where the million store lives and how it was made. */
export interface MillionStoreOptions {
  dir: string;
  seed: number;
  scale: number;
  problems: number;
  end: string;
  onProgress?: (msg: string) => void;
}

/** Makes `<dir>/xuncha.db` (generating `<dir>/layers` first) unless it already holds a city. */
export async function buildMillionStore(opts: MillionStoreOptions) {
  mkdirSync(opts.dir, { recursive: true });
  const dbPath = join(opts.dir, 'xuncha.db');
  const layers = join(opts.dir, 'layers');
  const out: Record<string, unknown> = { dbPath, seed: opts.seed, scale: opts.scale, end: opts.end };
  {
    const store = openStore(dbPath);
    const ready = await store.hasCity();
    if (ready) out.problems = (await store.counts()).problems;
    await store.close();
    if (ready) return { ...out, reused: true };
  }
  if (!existsSync(join(layers, 'problems.ndjson'))) {
    const t0 = performance.now();
    const { counts } = await generateDemoCity({ seed: opts.seed, scale: opts.scale, end: opts.end, outDir: layers, onProgress: opts.onProgress });
    out.generateS = Math.round(performance.now() - t0) / 1000;
    out.counts = counts;
    const t2 = performance.now();
    renameSync(join(layers, 'problems.ndjson'), join(opts.dir, 'demo-problems.ndjson'));
    out.amplify = await amplifyProblems(join(opts.dir, 'demo-problems.ndjson'), join(layers, 'problems.ndjson'), opts.problems, { seed: opts.seed });
    out.amplifyS = Math.round(performance.now() - t2) / 1000;
  }
  const t1 = performance.now();
  const store = openStore(dbPath);
  try {
    const { counts } = importLayers(store, layers, { onProgress: opts.onProgress });
    out.importS = Math.round(performance.now() - t1) / 1000;
    out.problems = counts.problems;
  } finally {
    await store.close();
  }
  return { ...out, reused: false };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      dir: { type: 'string', default: join(ROOT, 'var', 'bench-million') },
      seed: { type: 'string', default: '1' },
      scale: { type: 'string', default: '20' },
      problems: { type: 'string', default: '1000000' },
      end: { type: 'string', default: '2026-11-25' },
      clean: { type: 'boolean', default: false },
    },
  });
  const dir = resolve(values.dir);
  if (values.clean) rmSync(dir, { recursive: true, force: true });
  const started = performance.now();
  const result = await buildMillionStore({
    dir,
    seed: Number(values.seed),
    scale: Number(values.scale),
    problems: Number(values.problems),
    end: values.end,
    onProgress: (msg) => console.error(`${((performance.now() - started) / 1000).toFixed(1)} s  ${msg}`),
  });
  console.log(JSON.stringify(result, null, 2));
}
