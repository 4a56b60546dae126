import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseTsplib } from '../../../scripts/bench/tsplib-format';

const ROOT = join(import.meta.dirname, '../../..');
const dir = mkdtempSync(join(tmpdir(), 'xuncha-solve-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (script: string, ...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, script), ...args], { cwd: ROOT, encoding: 'utf8' });

describe('solve-tsplib', () => {
  it('prints one JSON line with the name, size, exact length and a 1-based tour', () => {
    // A 4 × 3 grid with unit spacing except one long column gap: the optimal tour is the perimeter.
    const pts = [
      [0, 0],
      [1, 0],
      [2, 0],
      [5, 0],
      [5, 1],
      [2, 1],
      [1, 1],
      [0, 1],
    ];
    const file = join(dir, 'tiny.tsp');
    writeFileSync(
      file,
      `NAME: tiny\nTYPE: TSP\nDIMENSION: ${pts.length}\nEDGE_WEIGHT_TYPE: EUC_2D\nNODE_COORD_SECTION\n` +
        pts.map((p, i) => `${i + 1} ${p[0]} ${p[1]}`).join('\n') +
        '\nEOF\n',
    );
    const res = run('scripts/solve-tsplib.ts', file, '--ms', '100', '--seed', '2');
    expect(res.status, res.stderr).toBe(0);
    const lines = res.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const out = JSON.parse(lines[0]);
    expect(Object.keys(out)).toEqual(['name', 'n', 'length', 'tour', 'ms']);
    expect(out).toMatchObject({ name: 'tiny', n: 8, length: 12 });
    expect([...out.tour].sort((a: number, b: number) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(Number.isInteger(out.ms)).toBe(true);
  });

  it('says how to call it when the file is missing', () => {
    const res = run('scripts/solve-tsplib.ts');
    expect(res.status).toBe(2);
    expect(res.stderr).toMatch(/usage: npx tsx scripts\/solve-tsplib.ts FILE.tsp/);
  });
});

describe('solve-solomon', () => {
  it('prints one JSON line with vehicles, distance and routes of customer ids', () => {
    // Depot and four customers of C101 (same columns, CRLF as the originals).
    const rows = [
      [0, 40, 50, 0, 0, 1236, 0],
      [1, 45, 68, 10, 912, 967, 90],
      [2, 45, 70, 30, 825, 870, 90],
      [3, 42, 66, 10, 65, 146, 90],
      [4, 42, 68, 10, 727, 782, 90],
    ];
    const text = [
      'C101',
      '',
      'VEHICLE',
      'NUMBER     CAPACITY',
      '  25         200',
      '',
      'CUSTOMER',
      'CUST NO.  XCOORD.   YCOORD.    DEMAND   READY TIME  DUE DATE   SERVICE   TIME',
      ' ',
      ...rows.map((r) => r.map((v) => String(v).padStart(6)).join('    ')),
      '',
    ].join('\r\n');
    const file = join(dir, 'tiny-solomon.txt');
    writeFileSync(file, text);
    const res = run('scripts/solve-solomon.ts', file, '--ms', '200');
    expect(res.status, res.stderr).toBe(0);
    const out = JSON.parse(res.stdout.trim());
    expect(Object.keys(out).slice(0, 5)).toEqual(['name', 'vehicles', 'distance', 'routes', 'ms']);
    expect(out.name).toBe('C101');
    expect(out.vehicles).toBe(out.routes.length);
    expect(out.routes.flat().sort()).toEqual([1, 2, 3, 4]);
    // Euclidean length of the printed routes, depot 0 at both ends.
    const at = (c: number) => rows[c];
    let d = 0;
    for (const r of out.routes as number[][]) {
      const path = [0, ...r, 0];
      for (let k = 1; k < path.length; k++) d += Math.hypot(at(path[k])[1] - at(path[k - 1])[1], at(path[k])[2] - at(path[k - 1])[2]);
    }
    expect(out.distance).toBeCloseTo(d, 2);
    // Customer 3 closes at 146: it must come first on its route.
    expect(out.routes.find((r: number[]) => r.includes(3))[0]).toBe(3);
  });
});

describe('TSPLIB reader on coordinate files', () => {
  const file = (type: string, coords: number[][]) =>
    `NAME: c\nTYPE: TSP\nDIMENSION: ${coords.length}\nEDGE_WEIGHT_TYPE: ${type}\n` +
    `NODE_COORD_SECTION\n${coords.map((c, i) => `${i + 1} ${c[0]} ${c[1]}`).join('\n')}\nEOF\n`;

  it('rounds ATT, CEIL_2D and EUC_2D distances as TSPLIB95 does', () => {
    const pts = [
      [0, 0],
      [10, 0],
      [30, 40],
    ];
    // ATT: sqrt(100/10) = 3.16 → 4; sqrt(2500/10) = 15.81 → 16; sqrt((400+1600)/10) = 14.14 → 15.
    expect(Array.from(parseTsplib(file('ATT', pts)).matrix)).toEqual([0, 4, 16, 4, 0, 15, 16, 15, 0]);
    // CEIL_2D: 10, 50, sqrt(2000) = 44.7 → 45.
    expect(Array.from(parseTsplib(file('CEIL_2D', pts)).matrix)).toEqual([0, 10, 50, 10, 0, 45, 50, 45, 0]);
    // EUC_2D: 44.7 → 45 too, and 1.41 → 1 for a diagonal unit step.
    expect(
      Array.from(
        parseTsplib(
          file('EUC_2D', [
            [0, 0],
            [1, 1],
          ]),
        ).matrix,
      ),
    ).toEqual([0, 1, 1, 0]);
  });

  it('reads GEO coordinates as degrees.minutes', () => {
    // 0°00' to 0°30' east on the equator: 0.5° × 111.32 km = 55.66 km, TSPLIB gives (int)(55.66 + 1) = 56.
    // Written as 0.30 (30 minutes), not 0.5: reading it as decimal degrees would give 34.
    const inst = parseTsplib(
      file('GEO', [
        [0, 0],
        [0, 0.3],
      ]),
    );
    expect(Array.from(inst.matrix)).toEqual([0, 56, 56, 0]);
  });
});
