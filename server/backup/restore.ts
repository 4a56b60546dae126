/**
 * `restoreBackup`: puts a backup in place of a data folder's database and photos. The backup is copied
 * into a staging folder inside DATA_DIR first and verified there (every checksum, the schema version,
 * SQLite's integrity check), so what is swapped in is exactly what was checked; only then are the current
 * files moved aside into `DATA_DIR/previous-<time>/` and the staged ones renamed into place. Renames within
 * one folder are atomic; if one fails, the ones before it are undone.
 */
import { copyFile, mkdir, rename, rm, readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { SCHEMA_VERSION } from '../store/migrations';
import { type BackupManifest, DB_FILE, MEDIA_DIR, readManifest, verifyFiles } from './manifest';

/** Written by a running server into its DATA_DIR (its pid), so restore refuses to pull the data from under it. */
export const PID_FILE = 'xuncha.pid';

/** The pid of a server running on `dataDir`, or null. */
export async function runningServer(dataDir: string): Promise<number | null> {
  let pid: number;
  try {
    pid = Number((await readFile(join(dataDir, PID_FILE), 'utf8')).trim());
  } catch {
    return null;
  }
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return null;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (err) {
    // EPERM: it exists but belongs to someone else, which still means running.
    return (err as NodeJS.ErrnoException).code === 'EPERM' ? pid : null;
  }
}

/**
 * Verifies the backup folder `dir` where it is: manifest, checksums, a schema this Xuncha can open, and
 * `PRAGMA integrity_check`. @throws Error saying what is wrong.
 */
export async function verifyBackup(dir: string): Promise<BackupManifest> {
  const manifest = await readManifest(dir);
  checkSchema(manifest, dir);
  await verifyFiles(dir, manifest);
  checkIntegrity(join(dir, DB_FILE));
  return manifest;
}

function checkSchema(manifest: BackupManifest, dir: string): void {
  if (manifest.schemaVersion > SCHEMA_VERSION) {
    throw new Error(
      `The backup in ${dir} has schema version ${manifest.schemaVersion}, newer than this Xuncha's ${SCHEMA_VERSION}: ` +
        'update Xuncha (git pull && npm install) before restoring it.',
    );
  }
}

function checkIntegrity(file: string): void {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) throw new Error(`${file} has schema version ${version}, newer than this Xuncha's ${SCHEMA_VERSION}.`);
    const result = db.pragma('integrity_check', { simple: true });
    if (result !== 'ok') throw new Error(`${file} fails SQLite's integrity check (${String(result)}): the backup is damaged.`);
  } finally {
    db.close();
  }
}

const stamp = (d: Date) =>
  d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');

export interface RestoreResult {
  manifest: BackupManifest;
  /** Where the data that was replaced now is (null when DATA_DIR had none). */
  previousDir: string | null;
}

/**
 * Restores the backup in `backupDir` into `dataDir` (created if missing). Refuses while a server runs on
 * it, a damaged backup, and a backup of a newer schema.
 */
export async function restoreBackup(backupDir: string, dataDir: string, opts: { now?: Date } = {}): Promise<RestoreResult> {
  const pid = await runningServer(dataDir);
  if (pid !== null)
    throw new Error(`A Xuncha server (pid ${pid}) is running on ${dataDir}: stop it first, then restore. (If none runs, delete ${join(dataDir, PID_FILE)}.)`);
  const manifest = await readManifest(backupDir);
  checkSchema(manifest, backupDir);

  const now = opts.now ?? new Date();
  await mkdir(dataDir, { recursive: true });
  const stage = join(dataDir, `.restore-${stamp(now)}`);
  await rm(stage, { recursive: true, force: true });
  await mkdir(join(stage, MEDIA_DIR), { recursive: true });
  try {
    for (const f of manifest.files) {
      const parts = f.path.split('/');
      await mkdir(dirname(join(stage, ...parts)), { recursive: true });
      await copyFile(join(backupDir, ...parts), join(stage, ...parts)).catch(() => {
        throw new Error(`The backup is missing ${f.path}.`);
      });
    }
    await verifyFiles(stage, manifest);
    checkIntegrity(join(stage, DB_FILE));
  } catch (err) {
    await rm(stage, { recursive: true, force: true });
    throw err;
  }

  // The database with its WAL and shared-memory files: they are one state and move together.
  const current = [DB_FILE, `${DB_FILE}-wal`, `${DB_FILE}-shm`, MEDIA_DIR].filter((name) => existsSync(join(dataDir, name)));
  const previousDir = current.length > 0 ? join(dataDir, `previous-${stamp(now)}`) : null;
  const undo: (() => Promise<void>)[] = [];
  try {
    if (previousDir) {
      await mkdir(previousDir);
      for (const name of current) {
        await rename(join(dataDir, name), join(previousDir, name));
        undo.push(() => rename(join(previousDir, name), join(dataDir, name)));
      }
    }
    for (const name of [DB_FILE, MEDIA_DIR]) {
      await rename(join(stage, name), join(dataDir, name));
      undo.push(() => rename(join(dataDir, name), join(stage, name)));
    }
  } catch (err) {
    for (const step of undo.reverse()) await step().catch(() => undefined);
    throw new Error(`Restore failed while swapping the files; the previous data is back in place: ${(err as Error).message}`, { cause: err });
  }
  await rm(stage, { recursive: true, force: true });
  return { manifest, previousDir };
}
