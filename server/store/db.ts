import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { StoreError } from '../errors';
import { defineAreaFunction } from './area-sql';
import { migrate } from './migrations';

/** SQLite error codes we explain to a person instead of showing a stack. */
const BROKEN_FILE_CODES = new Set(['SQLITE_NOTADB', 'SQLITE_CORRUPT']);

/**
 * Opens (creating if needed) the database file, switches it to WAL and migrates it. Every failure becomes
 * a StoreError whose message names the file and says what to do.
 */
export function openDatabase(file: string): Database.Database {
  const folder = dirname(resolve(file));
  if (!existsSync(folder)) {
    throw new StoreError(
      `Cannot create the database ${file}: its folder ${folder} does not exist. Create it (mkdir -p '${folder}') or set DATA_DIR to a folder that exists.`,
    );
  }
  let db: Database.Database | undefined;
  try {
    db = new Database(file);
    // The first statement is what reads the header, so a non-SQLite file fails here.
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
    db.pragma('temp_store = MEMORY');
    db.pragma('mmap_size = 268435456');
    assertOurs(db, file);
    defineAreaFunction(db);
    migrate(db, file);
    // A write now (the schema version, unchanged), so that a read-only or full folder stops the start
    // with a sentence instead of failing the first request that saves something.
    db.pragma(`user_version = ${db.pragma('user_version', { simple: true }) as number}`);
    return db;
  } catch (err) {
    db?.close();
    if (err instanceof StoreError) throw err;
    throw new StoreError(explain(err, file), { cause: err });
  }
}

/** A SQLite file that has tables but no schema version of ours belongs to something else. */
function assertOurs(db: Database.Database, file: string): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version !== 0) return;
  const row = db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'").get() as { n: number };
  if (row.n > 0) {
    throw new StoreError(
      `${file} is a SQLite database, but not one of Xuncha's (it has tables and no Xuncha schema version). ` +
        `Move it away (mv '${file}' '${file}.other') so a fresh one is created, or point DATA_DIR at another folder.`,
    );
  }
}

function explain(err: unknown, file: string): string {
  const code = (err as { code?: unknown })?.code;
  const reason = err instanceof Error ? err.message : String(err);
  if (typeof code === 'string' && BROKEN_FILE_CODES.has(code)) {
    return (
      `${file} is not a usable SQLite database (${reason}). ` +
      `Move it away (mv '${file}' '${file}.broken') and start again: a fresh database is created and the city imported anew.`
    );
  }
  if (code === 'SQLITE_CANTOPEN') {
    return `Cannot open ${file} (${reason}). Check that its folder exists and is writable, or set DATA_DIR to a folder that is.`;
  }
  if (typeof code === 'string' && (code.startsWith('SQLITE_READONLY') || code === 'SQLITE_PERM')) {
    return `${file} is read-only (${reason}). Make it and its folder writable, or set DATA_DIR to a writable folder.`;
  }
  if (code === 'SQLITE_FULL') {
    return `The disk of ${file} is full (${reason}). Free some space, or set DATA_DIR to a folder on another disk.`;
  }
  if (code === 'SQLITE_BUSY') {
    return `${file} is locked by another process (${reason}). Stop the other Xuncha server using it, then start again.`;
  }
  return `Cannot open the database ${file}: ${reason}. If the file is damaged, move it away so a fresh one is created.`;
}
