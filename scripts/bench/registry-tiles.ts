/**
 * Basemap tiles after registry edits: the basemap's indexes built whole (streets and registry, once per city), then the
 * first tile after each of `--edits` renames of a market (its z14 tile, asked once before the edit so
 * geojson-vt's own first cut is not counted). Run on a copy: it edits the store it opens. Prints JSON.
 *
 *   cp var/bench-million/xuncha.db /tmp/tiles.db && npx tsx scripts/bench/registry-tiles.ts --db /tmp/tiles.db [--edits 9]
 */
import { cpus, loadavg, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { pointMarker } from '../../server/contract/geo';
import { latToWorldY, lngToWorldX } from '../../server/geo/mercator';
import { loadCatalog } from '../../server/services/assessment/catalog';
import { patchPlace } from '../../server/services/city/place-edits';
import { createBaseTiles } from '../../server/services/tiles/base-tiles';
import { openStore } from '../../server/store/index';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const { values } = parseArgs({ options: { db: { type: 'string' }, edits: { type: 'string', default: '9' } } });
if (!values.db) throw new Error('Pass --db a copy of a store (this benchmark edits it).');
const store = openStore(resolve(values.db));
const catalog = loadCatalog(join(ROOT, 'data', 'catalog'));
const tiles = createBaseTiles(store);
const round = (v: number) => Math.round(v * 10) / 10;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const tileAt = (lng: number, lat: number) => [Math.floor(lngToWorldX(lng) * 2 ** 14), Math.floor(latToWorldY(lat) * 2 ** 14)];

let t = performance.now();
await tiles.warm();
const buildMs = performance.now() - t;
const before: number[] = [];
const after: number[] = [];
for (const p of (await store.listPlaces({ kind: 'market', status: 'in-use' })).slice(0, Number(values.edits))) {
  const [x, y] = tileAt(...pointMarker(p.state.geometry, p.state.entrance));
  await tiles.getTile(14, x, y);
  t = performance.now();
  await tiles.getTile(14, x, y);
  before.push(performance.now() - t);
  await patchPlace(store, catalog, p.id, { version: p.version, name: `${p.state.name}（改）` }, 'bench', Date.now());
  t = performance.now();
  await tiles.getTile(14, x, y);
  after.push(performance.now() - t);
}
console.log(
  JSON.stringify(
    {
      machine: { cpus: cpus().length, cpu: cpus()[0]?.model, memGB: Math.round(totalmem() / 2 ** 30), load: loadavg().map((l) => round(l)) },
      date: new Date().toISOString().slice(0, 10),
      points: (await store.counts()).markets + (await store.counts()).communities + (await store.counts()).backStreets + (await store.counts()).points,
      basemapIndexBuildMs: round(buildMs),
      edits: after.length,
      tileBeforeEditMs: { p50: round(median(before)), max: round(Math.max(...before)) },
      firstTileAfterEditMs: { p50: round(median(after)), max: round(Math.max(...after)) },
    },
    null,
    2,
  ),
);
await store.close();
