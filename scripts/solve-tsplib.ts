/**
 * Solve one TSPLIB instance with the solver's TSP path and print one JSON line:
 * `{"name","n","length","tour":[1-based ids],"ms"}`.
 * Usage: npx tsx scripts/solve-tsplib.ts FILE.tsp [--ms 1000] [--seed 1]
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { parseTsplib } from './bench/tsplib-format';
import { solveTsp } from '../server/solver/tsp';
import { createRng } from '../server/solver/random';

function main(argv: string[]): void {
  const args = argv.slice(2);
  const file = args.find((a, i) => !a.startsWith('--') && !(i > 0 && args[i - 1].startsWith('--')));
  const opt = (k: string, d: number): number => {
    const i = args.indexOf(k);
    if (i < 0) return d;
    const v = Number(args[i + 1]);
    if (!Number.isFinite(v)) throw new Error(`${k} needs a number, e.g. ${k} ${d}`);
    return v;
  };
  if (!file) {
    process.stderr.write('usage: npx tsx scripts/solve-tsplib.ts FILE.tsp [--ms 1000] [--seed 1]\n');
    process.exit(2);
  }
  const ms = opt('--ms', 1000);
  const seed = opt('--seed', 1);
  const inst = parseTsplib(readFileSync(file, 'utf8'));
  const t0 = performance.now();
  const res = solveTsp(inst.dimension, inst.matrix, {
    rng: createRng(seed),
    now: () => performance.now(),
    deadline: t0 + ms,
  });
  const elapsed = performance.now() - t0;
  process.stdout.write(
    JSON.stringify({ name: inst.name, n: inst.dimension, length: res.length, tour: Array.from(res.tour, (v) => v + 1), ms: Math.round(elapsed) }) + '\n',
  );
}

main(process.argv);
