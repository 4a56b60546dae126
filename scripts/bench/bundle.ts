/**
 * What each page of the client costs the browser to open: the page's lazy chunk with every chunk it
 * imports statically (so fetched before the page can render), bytes and gzip bytes, plus the entry
 * chunk every page loads and the build's total. Dynamic imports inside a page (deck.gl on the maps that
 * draw with it, ECharts) are counted apart, as `lazy`. Reads a built dist/client; prints JSON.
 *
 *   npx tsx scripts/build-client.ts && npx tsx scripts/bench/bundle.ts [--dist dist/client]
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';

const { values } = parseArgs({ options: { dist: { type: 'string', default: 'dist/client' } } });
const assets = join(resolve(values.dist), 'assets');
const files = readdirSync(assets).filter((f) => f.endsWith('.js') || f.endsWith('.mjs'));

const size = new Map<string, { bytes: number; gzip: number }>();
const statics = new Map<string, string[]>();
const dynamics = new Map<string, string[]>();
for (const file of files) {
  const code = readFileSync(join(assets, file));
  size.set(file, { bytes: code.length, gzip: gzipSync(code).length });
  const text = code.toString('utf8');
  // Minified ES modules: `import{…}from"./x.js"` and bare `import"./x.js"` load before the chunk runs.
  statics.set(
    file,
    [...text.matchAll(/import(?:[^"'`;()]*?from)?\s*"\.\/([^"]+\.m?js)"/g)].map((m) => m[1]!),
  );
  dynamics.set(
    file,
    [...text.matchAll(/import\(\s*["`]\.\/([^"`]+\.m?js)["`]\s*\)/g)].map((m) => m[1]!),
  );
}

/** `file` and everything it imports statically, each once. */
function closure(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file) || !size.has(file)) return seen;
  seen.add(file);
  for (const dep of statics.get(file) ?? []) closure(dep, seen);
  return seen;
}

function total(set: Iterable<string>): { bytes: number; gzip: number } {
  let bytes = 0;
  let gzip = 0;
  for (const f of set) {
    bytes += size.get(f)!.bytes;
    gzip += size.get(f)!.gzip;
  }
  return { bytes, gzip };
}

const entry = files.find((f) => /^index-.*\.js$/.test(f));
if (!entry) throw new Error(`no entry chunk (index-*.js) in ${assets}: build the client first (npx tsx scripts/build-client.ts)`);
const shell = closure(entry);
const pages: Record<string, { page: { bytes: number; gzip: number }; lazy: { bytes: number; gzip: number } }> = {};
for (const file of files) {
  const name = /^([A-Z][A-Za-z]+Page)-/.exec(file)?.[1];
  if (!name) continue;
  const own = closure(file);
  for (const f of shell) own.delete(f);
  const lazy = new Set<string>();
  for (const f of own) for (const d of dynamics.get(f) ?? []) for (const g of closure(d)) if (!own.has(g) && !shell.has(g)) lazy.add(g);
  pages[name] = { page: total(own), lazy: total(lazy) };
}

console.log(
  JSON.stringify(
    { dist: values.dist, entry: total(shell), pages, all: total(files), largestChunk: Math.max(...[...size.values()].map((s) => s.bytes)) },
    null,
    2,
  ),
);
