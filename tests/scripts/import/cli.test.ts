import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { OSM_FIXTURES, tempDir } from './helpers';

const ROOT = new URL('../../../', import.meta.url).pathname;
const dataDir = tempDir();
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const run = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts/import/cli.ts'), ...args], { cwd: ROOT, encoding: 'utf8' });

describe('npm run import', () => {
  it('prints a JSON summary on stdout and human lines on stderr', () => {
    const r = run(join(OSM_FIXTURES, 'back-streets.osm'), '--name', '测试城', '--data-dir', dataDir);
    expect(r.status, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary.counts).toMatchObject({ roads: 9, backStreets: 5, subdistricts: 1, units: 1 });
    expect(summary.city.name).toBe('测试城');
    expect(summary.skipped[0]).toMatchObject({ count: 1, examples: ['way 7'] });
    expect(r.stderr).toMatch(/backStreets: 5/);
    expect(r.stderr).toMatch(/skipped 1: unnamed back street candidate/);
  });

  it('exits 1 with one readable sentence for a bad option', () => {
    const r = run(join(OSM_FIXTURES, 'roads.osm'), '--bbox', '118.8,32,118.7,32.1', '--data-dir', dataDir);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('import failed: --bbox "118.8,32,118.7,32.1" must be west,south,east,north');
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace for an input error
  });
});
