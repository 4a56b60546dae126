/**
 * Imports a real city or a point list; prints a JSON summary on stdout and human lines on stderr.
 *
 *   npm run import -- <file.osm|.osm.pbf|.geojson|.csv|.xlsx> [--bbox w,s,e,n] [--name 城市名] [--name-en Name]
 *                     [--crs wgs84|gcj02|bd09] [--kind market|community|back-street] [--data-dir DIR] [--replace-points]
 *                     [--merge [--apply]] [--replace]
 *   npm run import -- <区县街道对照表.xlsx> --districts [--apply] [--data-dir DIR]
 *
 * Into a city that holds what the app made (problems, check results, registry edits) a file is merged:
 * --merge lists what it adds, changes, moves and retires (a dry run), --merge --apply writes it as registry
 * edits; --replace loads the file as the city and removes them.
 *
 * DATA_DIR (env) is the default for --data-dir, as for the server (./var).
 */
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import type { BBox } from '../../server/contract/geo';
import type { RegistryImportResult } from '../../server/contract/places';
import { applyDistrictSheet, planDistrictSheet } from '../../server/services/city/district-sheet';
import { openStore } from '../../server/store/index';
import { ImportError } from './errors';
import { importCity } from './import-city';
import type { Crs, PlaceKind } from './points';

const USAGE =
  'usage: npm run import -- <file.osm|.osm.pbf|.geojson|.csv|.xlsx> [--bbox w,s,e,n] [--name 城市名] [--name-en Name] [--crs wgs84|gcj02|bd09] [--kind market|community|back-street] [--data-dir DIR] [--replace-points] [--merge [--apply]] [--replace]\n       npm run import -- <districts.xlsx> --districts [--apply] [--data-dir DIR]';

/** Parses "w,s,e,n" in degrees. */
export function parseBBox(text: string): BBox {
  const v = text.split(',').map(Number);
  if (v.length !== 4 || v.some((x) => !Number.isFinite(x)) || v[0] >= v[2] || v[1] >= v[3] || v[1] < -90 || v[3] > 90) {
    throw new ImportError(`--bbox "${text}" must be west,south,east,north in degrees with west < east and south < north, e.g. 118.763,32.035,118.797,32.053`);
  }
  return v as BBox;
}

/**
 * `--districts`: the 区县与街道对照表 (server/services/city/district-sheet.ts) into the city in `dataDir`: a dry
 * run lists the districts it would make; with --apply they are written. Problems refuse it whole.
 */
async function importDistrictSheet(file: string, dataDir: string, apply: boolean): Promise<void> {
  if (!/\.xlsx$/i.test(file)) throw new ImportError(`--districts reads an Excel sheet (.xlsx) of districts and subdistricts, not ${basename(file)}`);
  const store = openStore(join(dataDir, 'xuncha.db'));
  try {
    if (!(await store.hasCity())) throw new ImportError(`There is no city in ${dataDir} yet: import or generate one first, then its districts.`);
    const plan = await planDistrictSheet(store, new Uint8Array(readFileSync(file)));
    for (const d of plan.districts) console.error(`  ${d.name} (${d.id}${d.code ? `, ${d.code}` : ''}, ${d.kind}): ${d.subdistrictIds.length} subdistricts`);
    for (const p of plan.problems) console.error(`  problem: ${p}`);
    if (plan.problems.length) throw new ImportError(`${basename(file)}: ${plan.problems.length} problem(s), nothing was changed (see above)`);
    if (apply) applyDistrictSheet(store, plan);
    console.error(apply ? `districts written: ${plan.districts.length}` : 'dry run: nothing written; add --apply to write the districts');
    console.log(JSON.stringify({ applied: apply, ...plan }, null, 2));
  } finally {
    await store.close();
  }
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
      merge: { type: 'boolean', default: false },
      apply: { type: 'boolean', default: false },
      replace: { type: 'boolean', default: false },
      districts: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (positionals.length !== 1) throw new ImportError(`give exactly one file to import\n${USAGE}`);
  if (values.districts) {
    await importDistrictSheet(positionals[0], values['data-dir'] ?? process.env.DATA_DIR ?? './var', values.apply);
    return;
  }
  if (values.apply && !values.merge)
    throw new ImportError(`--apply applies a merge: give --merge with it (run --merge alone first to see the dry run)\n${USAGE}`);
  if (values.merge && values.replace) throw new ImportError('--merge keeps the city and --replace replaces it: give one of the two');
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
    merge: values.merge,
    apply: values.apply,
    replace: values.replace,
    onProgress: (msg) => console.error(msg),
  });
  if (summary.merge) {
    printMerge(summary.merge);
    console.log(JSON.stringify(summary, null, 2));
    return;
  }
  for (const [layer, n] of Object.entries(summary.counts)) console.error(`  ${layer}: ${n}`);
  for (const s of summary.skipped) console.error(`  skipped ${s.count}: ${s.reason} (e.g. ${s.examples.join(', ')})`);
  console.error(`imported ${summary.city.name} into ${summary.layersDir} in ${summary.seconds} s`);
  console.log(JSON.stringify(summary, null, 2));
}

/** The merge's diff as lines a clerk reads: counts, then each change. */
function printMerge(m: RegistryImportResult): void {
  const verb = m.dryRun ? 'would' : 'did';
  console.error(
    `merge (${m.dryRun ? 'dry run: nothing written; add --apply to write it' : 'applied'}): ${m.rows} points in the file, ` +
      `${m.unchanged} unchanged, ${m.added} added, ${m.changed} changed, ${m.moved} moved, ${m.retired} retired` +
      (m.kept ? `, ${m.kept} kept as edited by hand in the registry` : ''),
  );
  for (const c of m.changes) {
    const what = c.action === 'add' ? 'add' : c.action === 'retire' ? 'retire' : `change ${c.fields.join(', ')}`;
    console.error(`  ${verb} ${what}: ${c.name} (${c.kind}${c.id ? `, ${c.id}` : ''})${c.movedM !== null ? ` moved ${c.movedM} m` : ''}`);
  }
  for (const s of m.skipped) console.error(`  left out: ${s.name}${s.id ? ` (${s.id})` : ''}: ${s.reason}`);
}

main().catch((err: unknown) => {
  const e = err as Error;
  console.error(`import failed: ${e.message}`);
  if (!(err instanceof ImportError) && e.name !== 'StoreError') console.error(e.stack);
  console.error(process.argv.includes('--merge') ? 'The registry is unchanged.' : 'The previous city (if any) is unchanged.');
  process.exitCode = 1;
});
