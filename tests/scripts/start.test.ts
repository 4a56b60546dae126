import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// `npm start` on a data folder whose database is not SQLite: one readable sentence and exit 1, no stack.
describe('scripts/start.ts', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'xuncha-start-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('refuses a broken database with a message that says how to fix it', () => {
    writeFileSync(join(dataDir, 'xuncha.db'), 'this is not a database, it is a note someone saved here\n'.repeat(100));
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
      env: { ...process.env, DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1' },
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('is not a usable SQLite database');
    expect(run.stderr).toContain('Move it away');
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('refuses invalid configuration with the list of problems', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
      env: { ...process.env, DATA_DIR: dataDir, DEMO_SCALE: 'big' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('Invalid configuration');
    expect(run.stderr).toContain('DEMO_SCALE');
  });
});
