/**
 * `npm run restore -- DIR [--check]`: verifies the backup in DIR (every checksum, the schema version,
 * SQLite's integrity check) and puts it in place of DATA_DIR's database and photos; what it replaces is
 * moved to DATA_DIR/previous-<time>/, not deleted. Refuses while a server runs on DATA_DIR, and a backup
 * from a newer Xuncha. `--check` only verifies.
 *
 * Environment: DATA_DIR (./var).
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { restoreBackup, verifyBackup } from '../server/backup/restore';

const USAGE = 'Usage: npm run restore -- /path/to/backup [--check]';

let parsed;
try {
  parsed = parseArgs({ options: { check: { type: 'boolean' } }, allowPositionals: true, strict: true });
} catch (err) {
  console.error(`${(err as Error).message}\n${USAGE}`);
  process.exit(1);
}
if (parsed.positionals.length !== 1) {
  console.error(`Name one backup folder.\n${USAGE}`);
  process.exit(1);
}
const backupDir = resolve(parsed.positionals[0]);
const dataDir = resolve(process.env.DATA_DIR || './var');
try {
  if (parsed.values.check) {
    const m = await verifyBackup(backupDir);
    console.log(`${backupDir} is a good backup: ${m.files.length} files match, schema version ${m.schemaVersion}, made ${m.createdAt}.`);
  } else {
    const { manifest, previousDir } = await restoreBackup(backupDir, dataDir);
    console.log(`Restored the backup of ${manifest.createdAt} (${manifest.files.length} files, schema version ${manifest.schemaVersion}) into ${dataDir}.`);
    if (previousDir) console.log(`The data it replaced is in ${previousDir}; delete it once the server runs well.`);
    console.log('Start the server (npm start).');
  }
} catch (err) {
  console.error(`Restore refused: ${(err as Error).message}`);
  process.exitCode = 1;
}
