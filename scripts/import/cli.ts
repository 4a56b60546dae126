/**
 * Imports a real city or a point list; prints a JSON summary on stdout and human lines on stderr.
 *
 *   npm run import -- <file.osm|.osm.pbf|.geojson|.csv|.xlsx> [--bbox w,s,e,n] [--name 城市名] [--name-en Name]
 *                     [--crs wgs84|gcj02|bd09] [--kind market|community|back-street] [--data-dir DIR] [--replace-points]
 *
 * DATA_DIR (env) is the default for --data-dir, as for the server (./var).
 */
import { parseArgs } from 'node:util';
import type { BBox } from '../../server/contract/geo';
import { ImportError } from './errors';
import { importCity } from './import-city';
import type { Crs, PlaceKind } from './points';

const USAGE =
  'usage: npm run import -- <file.osm|.osm.pbf|.geojson|.csv|.xlsx> [--bbox w,s,e,n] [--name 城市名] [--name-en Name] [--crs wgs84|gcj02|bd09] [--kind market|community|back-street] [--data-dir DIR] [--replace-points]';

/** Parses "w,s,e,n" in degrees. */
export function parseBBox(text: string): BBox {
  const v = text.split(',').map(Number);
  if (v.length !== 4 || v.some((x) => !Number.isFinite(x)) || v[0] >= v[2] || v[1] >= v[3] || v[1] < -90 || v[3] > 90) {
    throw new ImportError(`--bbox "${text}" must be west,south,east,north in degrees with west < east and south < north, e.g. 118.763,32.035,118.797,32.053`);
  }
  return v as BBox;
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      bbox: { type: 'string' },
      name: { type: 'string' },
      'name-en': { type: 'string' },
      // No default: a sheet without --crs has its system checked against the streets (crs-guess.ts).
      crs: { type: 'string' },
      kind: { type: 'string' },
      'data-dir': { type: 'string' },
      'replace-points': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (positionals.length !== 1) throw new ImportError(`give exactly one file to import\n${USAGE}`);
  const crs = values.crs?.toLowerCase().replace('-', '');
  if (crs !== undefined && crs !== 'wgs84' && crs !== 'gcj02' && crs !== 'bd09')
    throw new ImportError(`--crs must be wgs84, gcj02 (高德/腾讯) or bd09 (百度), not "${values.crs}"`);
  const kind = values.kind;
  if (kind !== undefined && kind !== 'market' && kind !== 'community' && kind !== 'back-street') {
    throw new ImportError(`--kind must be market, community or back-street, not "${kind}"`);
  }
  const summary = await importCity({
    file: positionals[0],
    dataDir: values['data-dir'] ?? process.env.DATA_DIR ?? './var',
    bbox: values.bbox ? parseBBox(values.bbox) : undefined,
    name: values.name,
    nameEn: values['name-en'],
    crs: crs as Crs | undefined,
    kind: kind as PlaceKind | undefined,
    replacePoints: values['replace-points'],
    onProgress: (msg) => console.error(msg),
  });
  for (const [layer, n] of Object.entries(summary.counts)) console.error(`  ${layer}: ${n}`);
  for (const s of summary.skipped) console.error(`  skipped ${s.count}: ${s.reason} (e.g. ${s.examples.join(', ')})`);
  console.error(`imported ${summary.city.name} into ${summary.layersDir} in ${summary.seconds} s`);
  console.log(JSON.stringify(summary, null, 2));
}

main().catch((err: unknown) => {
  const e = err as Error;
  console.error(`import failed: ${e.message}`);
  if (!(err instanceof ImportError) && e.name !== 'StoreError') console.error(e.stack);
  console.error('The previous city (if any) is unchanged.');
  process.exitCode = 1;
});
