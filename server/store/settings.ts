import type Database from 'better-sqlite3';

/**
 * Settings the administrator makes on the 系统管理 page (the assessment window of the big screen's
 * countdown): one JSON value per key. The store keeps text; the service parses it with its schema, so a
 * value written by an older Xuncha is checked, not trusted.
 */
export function settingsQueries(db: Database.Database) {
  const get = db.prepare<[string], { value: string; updatedAt: string }>('SELECT value, updated_at AS updatedAt FROM settings WHERE key = ?');
  const put = db.prepare(
    'INSERT INTO settings (key, value, updated_at) VALUES (@key, @value, @at) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
  );
  const del = db.prepare('DELETE FROM settings WHERE key = ?');
  return {
    /** The JSON value stored under `key` and when it was written, or null when none is. */
    getSetting(key: string): { value: unknown; updatedAt: string } | null {
      const row = get.get(key);
      return row ? { value: JSON.parse(row.value) as unknown, updatedAt: row.updatedAt } : null;
    },
    /** Stores `value` (JSON-serialisable) under `key`, replacing what was there; `at` is an ISO time. */
    putSetting(key: string, value: unknown, at: string): void {
      put.run({ key, value: JSON.stringify(value), at });
    },
    /** Removes `key`; true when there was a value. */
    deleteSetting(key: string): boolean {
      return del.run(key).changes > 0;
    },
  };
}
