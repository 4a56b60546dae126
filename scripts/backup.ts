/**
 * `npm run backup -- --out DIR`: a consistent backup of DATA_DIR (database and photos) into DIR, safe
 * while the server runs (SQLite's online backup), with manifest.json (SHA-256 of every file, the schema
 * version). Restore it with `npm run restore -- DIR`.
 *
 * Environment: DATA_DIR (./var).
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { createBackup } from '../server/backup/backup';

const USAGE = 'Usage: npm run backup -- --out /path/to/new/folder';

let out: string | undefined;
try {
  out = parseArgs({ options: { out: { type: 'string' } }, strict: true }).values.out;
} catch (err) {
  console.error(`${(err as Error).message}\n${USAGE}`);
  process.exit(1);
}
if (!out) {
  console.error(`Say where the backup goes.\n${USAGE}`);
  process.exit(1);
}
const dataDir = resolve(process.env.DATA_DIR || './var');
const dbFile = join(dataDir, 'xuncha.db');
if (!existsSync(dbFile)) {
  console.error(`There is no database in ${dataDir} (no xuncha.db). Set DATA_DIR to the server's data folder.`);
  process.exit(1);
}
// A connection of our own: the server's keeps working, and SQLite's backup sees one consistent state.
const db = new Database(dbFile, { fileMustExist: true });
db.pragma('busy_timeout = 5000');
try {
  const started = performance.now();
  // All pages in one step: this process has no event loop to keep free, and the server's writes cannot restart it.
  const result = await createBackup({ db, mediaDir: join(dataDir, 'media'), outDir: resolve(out), pagesPerStep: 0x7fffffff });
  const mb = (result.sizeBytes / 1048576).toFixed(1);
  console.log(`Backed up ${dataDir} into ${result.dir}: ${result.manifest.files.length} files, ${mb} MB, schema version ${result.manifest.schemaVersion}`);
  console.log(`in ${((performance.now() - started) / 1000).toFixed(1)} s. Restore with: npm run restore -- ${result.dir}`);
} catch (err) {
  console.error(`Backup failed: ${(err as Error).message}`);
  process.exitCode = 1;
} finally {
  db.close();
}
