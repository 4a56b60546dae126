/**
 * Writes the demo city's layers and prints a JSON summary (counts, timing, file sizes).
 *
 *   npx tsx scripts/demo-city/cli.ts --out DIR [--seed 1] [--scale 1] [--districts N] [--end 2026-11-25]
 */
import { statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { generateDemoCity } from './generate';
import { defaultEnd } from './time';

const USAGE = 'usage: npx tsx scripts/demo-city/cli.ts --out DIR [--seed 1] [--scale 1] [--districts N] [--end YYYY-MM-DD]';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      out: { type: 'string' },
      seed: { type: 'string', default: '1' },
      scale: { type: 'string', default: '1' },
      districts: { type: 'string' },
      end: { type: 'string' },
      quiet: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (!values.out) throw new Error(`--out is required (the folder to write the layers into)\n${USAGE}`);
  const outDir = resolve(values.out);
  const seed = Number(values.seed);
  const scale = Number(values.scale);
  // Unset: the generator's default for the scale (one district below scale 3).
  const districts = values.districts === undefined ? undefined : Number(values.districts);
  const end = values.end ?? defaultEnd(Date.now());
  const started = performance.now();
  const { counts } = await generateDemoCity({
    seed,
    scale,
    districts,
    end,
    outDir,
    onProgress: values.quiet ? undefined : (msg) => console.error(`${((performance.now() - started) / 1000).toFixed(1)} s  ${msg}`),
  });
  const seconds = Math.round((performance.now() - started) / 100) / 10;
  const files: Record<string, number> = {};
  for (const f of [
    'city.json',
    ...(counts.districts ? ['districts.geojson'] : []),
    'roads.geojson',
    'water.geojson',
    'subdistricts.geojson',
    'units.geojson',
    'markets.geojson',
    'communities.geojson',
    'back-streets.geojson',
    'points.geojson',
    'problems.ndjson',
    'checks.ndjson',
  ]) {
    files[f] = statSync(join(outDir, f)).size;
  }
  console.log(JSON.stringify({ outDir, seed, scale, districts: counts.districts ?? 1, end, counts, seconds, bytes: files }, null, 2));
}

main().catch((err: unknown) => {
  console.error(`demo-city: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
