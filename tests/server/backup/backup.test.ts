import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { createBackup } from '../../../server/backup/backup';
import { MANIFEST_FILE, readManifest } from '../../../server/backup/manifest';
import { PID_FILE, restoreBackup, verifyBackup } from '../../../server/backup/restore';
import { backupName, nextRunAt, startBackupSchedule } from '../../../server/backup/schedule';
import { openStore, SCHEMA_VERSION } from '../../../server/store/index';
import { jpegWithExif } from '../../fixtures/media/photos';
import { fixtureApp, NOW } from '../../api/fixture';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const dirs: string[] = [];
const fx = await fixtureApp();
const mediaDir = join(dirname(fx.store.file), 'media');
afterAll(async () => {
  await fx.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'xuncha-backup-'));
  dirs.push(d);
  return d;
};

let reports = 0;
/** Reports one problem with a photo of its own (photos are stored by content, so each must differ). */
async function report(): Promise<number> {
  const n = ++reports;
  const photo = await jpegWithExif({ color: `#${(n * 2654435761).toString(16).slice(-6).padStart(6, '0')}` });
  const fd = new FormData();
  for (const [k, v] of Object.entries({ category: 'occupy-road', lng: 115.9841, lat: 36.4481, description: `占道 ${n}`, reporter: '督查组' }))
    fd.set(k, String(v));
  fd.append('photos', new File([new Uint8Array(photo)], `IMG_${n}.jpg`, { type: 'image/jpeg' }));
  const res = await fx.app.request('/api/problems', { method: 'POST', body: fd });
  return res.status;
}

function countsOf(file: string) {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const n = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
    return {
      problems: n('SELECT count(*) AS n FROM problems'),
      media: n('SELECT count(*) AS n FROM media'),
      links: n('SELECT count(*) AS n FROM problem_media'),
      hashes: (db.prepare('SELECT hash FROM media').all() as { hash: string }[]).map((r) => r.hash),
      integrity: db.pragma('integrity_check', { simple: true }),
    };
  } finally {
    db.close();
  }
}

describe('backup and restore', () => {
  it('backs up during a burst of writes; the restore into a fresh DATA_DIR has the same counts, passes integrity_check, and has every photo', async () => {
    for (let i = 0; i < 3; i++) expect(await report()).toBe(201);
    const before = countsOf(fx.store.file);
    const out = join(tempDir(), 'b1');
    // The writes and the backup share the event loop, as in the server.
    const burst = Promise.all(Array.from({ length: 12 }, () => report()));
    const backup = await createBackup({ db: fx.store.db, mediaDir, outDir: out, now: new Date(NOW) });
    expect(await burst).toEqual(Array(12).fill(201));
    const after = countsOf(fx.store.file);

    const snapshot = countsOf(join(out, 'xuncha.db'));
    expect(snapshot.integrity).toBe('ok');
    expect(snapshot.problems).toBeGreaterThanOrEqual(before.problems);
    expect(snapshot.problems).toBeLessThanOrEqual(after.problems);
    expect(backup.manifest.schemaVersion).toBe(SCHEMA_VERSION);
    expect(backup.manifest.files[0].path).toBe('xuncha.db');
    // One self-contained database file: no WAL beside it.
    expect(readdirSync(out).sort()).toEqual(['manifest.json', 'media', 'xuncha.db']);

    const fresh = join(tempDir(), 'data');
    const restored = await restoreBackup(out, fresh);
    expect(restored.previousDir).toBeNull();
    const got = countsOf(join(fresh, 'xuncha.db'));
    expect({ ...got, hashes: undefined }).toEqual({ ...snapshot, hashes: undefined });
    expect(got.integrity).toBe('ok');
    // Every photo the restored database names is on disk, original and variants.
    const files = readdirSync(join(fresh, 'media'), { recursive: true }).map(String);
    for (const hash of got.hashes)
      expect(
        files.some((f) => f.includes(hash)),
        hash,
      ).toBe(true);
    // And the restored folder opens as a store.
    const store = openStore(join(fresh, 'xuncha.db'));
    expect((await store.counts()).problems).toBe(snapshot.problems);
    await store.close();
  });

  it('backs up from a connection of its own (the CLI) while the server writes on its own', async () => {
    const before = countsOf(fx.store.file);
    const own = new Database(fx.store.file, { fileMustExist: true });
    const out = join(tempDir(), 'cli-conn');
    try {
      const burst = Promise.all(Array.from({ length: 8 }, () => report()));
      await createBackup({ db: own, mediaDir, outDir: out, pagesPerStep: 0x7fffffff });
      expect(await burst).toEqual(Array(8).fill(201));
    } finally {
      own.close();
    }
    const snapshot = countsOf(join(out, 'xuncha.db'));
    expect(snapshot.integrity).toBe('ok');
    expect(snapshot.problems).toBeGreaterThanOrEqual(before.problems);
    expect(snapshot.problems).toBeLessThanOrEqual(countsOf(fx.store.file).problems);
    await expect(verifyBackup(out)).resolves.toMatchObject({ schemaVersion: SCHEMA_VERSION });
  });

  it('keeps the replaced data aside, and refuses a damaged backup, a newer schema, a running server, a used folder', async () => {
    const out = join(tempDir(), 'b2');
    await createBackup({ db: fx.store.db, mediaDir, outDir: out });
    await expect(createBackup({ db: fx.store.db, mediaDir, outDir: out })).rejects.toThrow(/is not empty/);

    const dataDir = tempDir();
    writeFileSync(join(dataDir, 'xuncha.db'), 'the old database');
    await restoreBackup(out, dataDir, { now: new Date(NOW) });
    const previous = readdirSync(dataDir).filter((n) => n.startsWith('previous-'));
    expect(previous).toHaveLength(1);
    expect(readFileSync(join(dataDir, previous[0], 'xuncha.db'), 'utf8')).toBe('the old database');
    expect(readdirSync(dataDir).filter((n) => n.startsWith('.restore-'))).toEqual([]);

    // Damaged: one photo changed. Nothing in the data folder moves.
    const damaged = join(tempDir(), 'b3');
    await createBackup({ db: fx.store.db, mediaDir, outDir: damaged });
    const manifest = await readManifest(damaged);
    const photo = manifest.files.find((f) => f.path.startsWith('media/'))!;
    writeFileSync(join(damaged, ...photo.path.split('/')), 'not the photo');
    const untouched = tempDir();
    writeFileSync(join(untouched, 'xuncha.db'), 'keep me');
    await expect(restoreBackup(damaged, untouched)).rejects.toThrow(new RegExp(`${photo.path} does not match the manifest's checksum`));
    await expect(verifyBackup(damaged)).rejects.toThrow(/does not match/);
    expect(readFileSync(join(untouched, 'xuncha.db'), 'utf8')).toBe('keep me');
    expect(readdirSync(untouched)).toEqual(['xuncha.db']);

    // Newer schema.
    const newer = join(tempDir(), 'b4');
    await createBackup({ db: fx.store.db, mediaDir, outDir: newer });
    const m = JSON.parse(readFileSync(join(newer, MANIFEST_FILE), 'utf8'));
    writeFileSync(join(newer, MANIFEST_FILE), JSON.stringify({ ...m, schemaVersion: SCHEMA_VERSION + 1 }));
    await expect(restoreBackup(newer, untouched)).rejects.toThrow(/newer than this Xuncha's/);

    // A server on the folder (here: a live process's pid).
    writeFileSync(join(untouched, PID_FILE), String(process.ppid));
    await expect(restoreBackup(out, untouched)).rejects.toThrow(/is running on .*stop it first/);
    expect(readFileSync(join(untouched, 'xuncha.db'), 'utf8')).toBe('keep me');

    // A manifest naming a file outside the backup is refused, not followed.
    writeFileSync(
      join(newer, MANIFEST_FILE),
      JSON.stringify({ ...m, files: [...m.files, { path: 'media/../../etc/passwd', size: 1, sha256: 'a'.repeat(64) }] }),
    );
    await expect(readManifest(newer)).rejects.toThrow(/not a Xuncha backup manifest/);
  });

  it('works from the command line: npm run backup, then npm run restore', async () => {
    const out = join(tempDir(), 'cli');
    const dataDir = dirname(fx.store.file);
    const tsx = join(ROOT, 'node_modules', '.bin', 'tsx');
    const b = spawnSync(tsx, [join(ROOT, 'scripts', 'backup.ts'), '--out', out], { env: { ...process.env, DATA_DIR: dataDir }, encoding: 'utf8' });
    expect(b.stderr).toBe('');
    expect(b.status).toBe(0);
    expect(b.stdout).toMatch(/Backed up .* files/);
    const fresh = join(tempDir(), 'restored');
    const r = spawnSync(tsx, [join(ROOT, 'scripts', 'restore.ts'), out], { env: { ...process.env, DATA_DIR: fresh }, encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Restored the backup/);
    expect(countsOf(join(fresh, 'xuncha.db')).problems).toBe((await fx.store.counts()).problems);
    const check = spawnSync(tsx, [join(ROOT, 'scripts', 'restore.ts'), join(tempDir(), 'nothing-here'), '--check'], {
      env: { ...process.env },
      encoding: 'utf8',
    });
    expect(check.status).toBe(1);
    expect(check.stderr).toMatch(/is not a Xuncha backup: it has no manifest.json/);
  });
});

describe('the daily schedule', () => {
  it('runs at the next HH:MM city time', () => {
    // 2026-03-20 12:00 in the city.
    expect(new Date(nextRunAt('02:00', NOW)).toISOString()).toBe('2026-03-20T18:00:00.000Z');
    expect(new Date(nextRunAt('13:30', NOW)).toISOString()).toBe('2026-03-20T05:30:00.000Z');
    expect(new Date(nextRunAt('12:00', NOW)).toISOString()).toBe('2026-03-21T04:00:00.000Z');
    expect(backupName(NOW)).toBe('xuncha-20260320-1200');
  });

  it('keeps BACKUP_KEEP backups, reports the last one, and reports a failure', async () => {
    const dir = tempDir();
    let clock = NOW;
    const lines: string[] = [];
    const schedule = startBackupSchedule({ db: fx.store.db, mediaDir, dir, at: '02:00', keep: 2, now: () => clock, log: (l) => lines.push(l) });
    try {
      expect(schedule.status()).toMatchObject({ schedule: { dir, at: '02:00', keep: 2, next: '2026-03-21T02:00:00+08:00' }, last: null, lastFailure: null });
      for (let day = 0; day < 3; day++) {
        clock = NOW + day * 86_400_000;
        await schedule.runNow();
      }
      expect(readdirSync(dir).sort()).toEqual(['xuncha-20260321-1200', 'xuncha-20260322-1200']);
      const status = schedule.status();
      expect(status.last).toMatchObject({ dir: join(dir, 'xuncha-20260322-1200'), schemaVersion: SCHEMA_VERSION });
      expect(status.last!.sizeBytes).toBeGreaterThan(0);
      expect(status.lastFailure).toBeNull();

      // The same minute again: the folder is taken, and the failure is reported, the last good one kept.
      await schedule.runNow();
      expect(schedule.status().lastFailure).toMatchObject({ error: expect.stringMatching(/is not empty/) });
      expect(schedule.status().last!.dir).toBe(join(dir, 'xuncha-20260322-1200'));
      expect(lines.some((l) => /FAILED/.test(l))).toBe(true);
    } finally {
      schedule.stop();
    }
    // A restarted server finds the last backup on disk.
    const again = startBackupSchedule({ db: fx.store.db, mediaDir, dir, now: () => clock, log: () => {} });
    try {
      await again.ready;
      expect(again.status().last?.dir).toBe(join(dir, 'xuncha-20260322-1200'));
      expect(existsSync(join(dir, 'xuncha-20260322-1200', MANIFEST_FILE))).toBe(true);
    } finally {
      again.stop();
    }
  });
});
