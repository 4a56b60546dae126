/**
 * Solve one Solomon VRPTW instance and print one JSON line:
 * `{"name","vehicles","distance","routes":[[customer ids]],"ms"}`.
 * Usage: npx tsx scripts/solve-solomon.ts FILE.txt [--ms 10000] [--seed 1] [--objective hierarchical|distance]
 * Default objective: fewest vehicles, then distance (as the literature reports it).
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { parseSolomon, solomonProblem, solomonRouteDistance } from './bench/solomon-format';
import { solve } from '../server/solver/index';

function main(argv: string[]): void {
  const args = argv.slice(2);
  const file = args.find((a, i) => !a.startsWith('--') && !(i > 0 && args[i - 1].startsWith('--')));
  const opt = (k: string, d: string): string => {
    const i = args.indexOf(k);
    return i < 0 ? d : args[i + 1];
  };
  if (!file) {
    process.stderr.write('usage: npx tsx scripts/solve-solomon.ts FILE.txt [--ms 10000] [--seed 1] [--objective hierarchical|distance]\n');
    process.exit(2);
  }
  const ms = Number(opt('--ms', '10000'));
  const seed = Number(opt('--seed', '1'));
  const objective = opt('--objective', 'hierarchical');
  if (!Number.isFinite(ms) || !Number.isFinite(seed)) throw new Error('--ms and --seed need numbers, e.g. --ms 10000 --seed 1');
  if (objective !== 'hierarchical' && objective !== 'distance') throw new Error('--objective is hierarchical or distance');
  const inst = parseSolomon(readFileSync(file, 'utf8'));
  const t0 = performance.now();
  const res = solve(solomonProblem(inst, objective === 'hierarchical'), { seed, now: () => performance.now(), deadline: t0 + ms });
  const elapsed = performance.now() - t0;
  const routes = res.routes.map((r) => r.stops.map((st) => st.job + 1));
  const distance = Math.round(solomonRouteDistance(inst, routes) * 100) / 100;
  process.stdout.write(
    JSON.stringify({ name: inst.name, vehicles: routes.length, distance, routes, ms: Math.round(elapsed), unserved: res.dropped.length }) + '\n',
  );
}

main(process.argv);
