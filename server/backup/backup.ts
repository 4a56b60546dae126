/**
 * `createBackup`: a consistent copy of the data while the server keeps running. The database goes first,
 * through SQLite's online backup (better-sqlite3's `db.backup()`, which copies in pages between event-loop
 * turns, so writes carry on); the photos after it. Photo files are written before the rows that name them
 * and never change, so every photo the snapshot refers to is already on disk when it is copied.
 */
import { copyFile, mkdir, rename, rm, stat, writeFile, readdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { type BackupManifest, DB_FILE, hashFile, listFiles, MANIFEST_FILE, MEDIA_DIR } from './manifest';

export interface BackupResult {
  dir: string;
  manifest: BackupManifest;
  sizeBytes: number;
}

async function isEmptyOrMissing(dir: string): Promise<boolean> {
  try {
    return (await readdir(dir)).length === 0;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw err;
  }
}

/**
 * Backs `db` and the photo folder `mediaDir` up into `outDir` (which must be empty or not exist). The copy
 * is made in `<outDir>.partial-<pid>` and renamed at the end, so a folder named like a backup is complete.
 * @throws Error when outDir is not empty, or a copy fails (the partial folder is removed).
 */
export async function createBackup(opts: {
  db: Database.Database;
  mediaDir: string;
  outDir: string;
  now?: Date;
  /**
   * Database pages per step (default 100, one step per event-loop turn). A separate process (the CLI) copies
   * everything in one step instead: a write from another connection restarts a paged backup, so under
   * steady writes a paged copy from outside the server might never finish; one step holds only a read
   * snapshot, which in WAL mode blocks no writer.
   */
  pagesPerStep?: number;
}): Promise<BackupResult> {
  const { db, mediaDir, outDir } = opts;
  if (!(await isEmptyOrMissing(outDir))) throw new Error(`${outDir} is not empty; back up into a new folder.`);
  const partial = `${outDir}.partial-${process.pid}`;
  await rm(partial, { recursive: true, force: true });
  await mkdir(join(partial, MEDIA_DIR), { recursive: true });
  try {
    const rate = opts.pagesPerStep;
    await db.backup(join(partial, DB_FILE), rate === undefined ? undefined : { progress: () => rate });
    // The copy keeps the live database's WAL mode; as a rollback-journal file it is one self-contained
    // file (no -wal/-shm beside it), and the server switches it back to WAL when it opens it.
    const snapshot = new Database(join(partial, DB_FILE), { fileMustExist: true });
    let schemaVersion: number;
    try {
      snapshot.pragma('journal_mode = DELETE');
      schemaVersion = snapshot.pragma('user_version', { simple: true }) as number;
    } finally {
      snapshot.close();
    }
    const files: BackupManifest['files'] = [{ path: DB_FILE, ...(await hashFile(join(partial, DB_FILE))) }];
    for (const rel of await listFiles(mediaDir)) {
      // Our own temporary files (a photo being written) are not photos yet.
      if (/\.tmp(-\d+)?$/.test(rel)) continue;
      const target = join(partial, MEDIA_DIR, ...rel.split('/'));
      await mkdir(dirname(target), { recursive: true });
      try {
        await copyFile(join(mediaDir, ...rel.split('/')), target);
      } catch (err) {
        // Removed since the listing (a failed upload cleaned up): not referenced by the snapshot.
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
        throw err;
      }
      files.push({ path: `${MEDIA_DIR}/${rel}`, ...(await hashFile(target)) });
    }
    const manifest: BackupManifest = {
      format: 'xuncha-backup',
      formatVersion: 1,
      createdAt: (opts.now ?? new Date()).toISOString(),
      schemaVersion,
      files,
    };
    await writeFile(join(partial, MANIFEST_FILE), JSON.stringify(manifest, null, 2) + '\n');
    await mkdir(dirname(outDir), { recursive: true });
    await rm(outDir, { recursive: true, force: true });
    await rename(partial, outDir);
    const sizeBytes = files.reduce((sum, f) => sum + f.size, 0) + (await stat(join(outDir, MANIFEST_FILE))).size;
    return { dir: outDir, manifest, sizeBytes };
  } catch (err) {
    await rm(partial, { recursive: true, force: true });
    throw err;
  }
}
