import type Database from 'better-sqlite3';
import type { UserRole } from '../contract/roles';

/** An account as the server uses it (never with its password hash outside this module and auth/). */
export interface UserRecord {
  id: number;
  username: string;
  displayName: string;
  role: UserRole;
  unitId: string | null;
  /** A district account's district (leaders and inspectors of a district office); null: the whole city. */
  districtId: string | null;
  demo: boolean;
  disabled: boolean;
  mustChange: boolean;
  createdAt: string;
  passwordChangedAt: string;
}

interface UserRow {
  id: number;
  username: string;
  display_name: string;
  role: UserRole;
  unit_id: string | null;
  district_id: string | null;
  password_hash: string;
  demo: number;
  disabled: number;
  must_change: number;
  created_at: string;
  password_changed_at: string;
}

export interface SessionRecord {
  userId: number;
  role: UserRole;
  csrfToken: string;
  createdMs: number;
  seenMs: number;
  expiresMs: number;
}

export interface TokenRecord {
  id: number;
  prefix: string;
  name: string;
  createdAt: string;
  revokedAt: string | null;
}

export interface AuditEntry {
  id: number;
  at: string;
  userId: number | null;
  username: string | null;
  role: string | null;
  method: string;
  path: string;
  status: number;
  ip: string;
  detail: string | null;
}

const toUser = (r: UserRow): UserRecord => ({
  id: r.id,
  username: r.username,
  displayName: r.display_name,
  role: r.role,
  unitId: r.unit_id,
  districtId: r.district_id ?? null,
  demo: r.demo === 1,
  disabled: r.disabled === 1,
  mustChange: r.must_change === 1,
  createdAt: r.created_at,
  passwordChangedAt: r.password_changed_at,
});

/** Accounts, sessions, keys, tokens, login failures and the audit log. */
export function authQueries(db: Database.Database) {
  const userBy = {
    id: db.prepare<[number], UserRow>('SELECT * FROM users WHERE id = ?'),
    name: db.prepare<[string], UserRow>('SELECT * FROM users WHERE username = ?'),
  };
  const tokenList = (table: 'api_keys' | 'screen_tokens') =>
    db.prepare<[], TokenRecord>(`SELECT id, prefix, name, created_at AS createdAt, revoked_at AS revokedAt FROM ${table} ORDER BY id`);
  // Prepared once: every request (every map tile) looks its caller up through these.
  const sessionBy = db.prepare<[string], SessionRecord>(
    'SELECT user_id AS userId, role, csrf_token AS csrfToken, created_ms AS createdMs, seen_ms AS seenMs, expires_ms AS expiresMs FROM sessions WHERE token_hash = ?',
  );
  const apiKeyBy = db.prepare<[string], { id: number }>('SELECT id FROM api_keys WHERE key_hash = ? AND revoked_at IS NULL');
  const screenTokenBy = db.prepare<[string], { id: number }>('SELECT id FROM screen_tokens WHERE token_hash = ? AND revoked_at IS NULL');
  const touch = db.prepare('UPDATE sessions SET seen_ms = ?, expires_ms = ? WHERE token_hash = ?');
  const audit = db.prepare('INSERT INTO audit_log (at, user_id, username, role, method, path, status, ip, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');

  return {
    /** True when the city has a responsible unit with this id (unit accounts are tied to one). */
    unitExists(id: string): boolean {
      return db.prepare('SELECT 1 FROM units WHERE id = ?').get(id) !== undefined;
    },
    /** The responsible unit with the most problems (for the demo unit account), or null. */
    busiestUnit(): string | null {
      const row = db.prepare('SELECT unit_id FROM problems WHERE unit_id IS NOT NULL GROUP BY unit_id ORDER BY count(*) DESC, unit_id LIMIT 1').pluck().get();
      return (row as string | undefined) ?? (db.prepare('SELECT id FROM units ORDER BY rid LIMIT 1').pluck().get() as string | undefined) ?? null;
    },
    userCount(): number {
      return db.prepare('SELECT count(*) FROM users').pluck().get() as number;
    },
    /** The account and its password hash, for login. */
    userForLogin(username: string): { user: UserRecord; passwordHash: string } | null {
      const r = userBy.name.get(username);
      return r ? { user: toUser(r), passwordHash: r.password_hash } : null;
    },
    userById(id: number): UserRecord | null {
      const r = userBy.id.get(id);
      return r ? toUser(r) : null;
    },
    passwordHashOf(id: number): string | null {
      return userBy.id.get(id)?.password_hash ?? null;
    },
    listUsers(): UserRecord[] {
      return (db.prepare('SELECT * FROM users ORDER BY id').all() as UserRow[]).map(toUser);
    },
    createUser(u: {
      username: string;
      displayName: string;
      role: UserRole;
      unitId: string | null;
      districtId?: string | null;
      passwordHash: string;
      demo?: boolean;
      mustChange?: boolean;
      now: string;
    }): UserRecord {
      const info = db
        .prepare(
          `INSERT INTO users (username, display_name, role, unit_id, district_id, password_hash, demo, must_change, created_at, password_changed_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(u.username, u.displayName, u.role, u.unitId, u.districtId ?? null, u.passwordHash, u.demo ? 1 : 0, u.mustChange ? 1 : 0, u.now, u.now);
      return toUser(userBy.id.get(Number(info.lastInsertRowid))!);
    },
    /** Sets a password; `mustChange` when it is one the person did not choose (an administrator's reset). */
    setPassword(id: number, passwordHash: string, now: string, mustChange = false): void {
      db.prepare('UPDATE users SET password_hash = ?, must_change = ?, password_changed_at = ? WHERE id = ?').run(passwordHash, mustChange ? 1 : 0, now, id);
    },
    setUserDisabled(id: number, disabled: boolean): void {
      db.prepare('UPDATE users SET disabled = ? WHERE id = ?').run(disabled ? 1 : 0, id);
    },
    /** Turns the demo accounts on or off (DEMO_ACCOUNTS); returns how many there are. */
    setDemoAccountsEnabled(enabled: boolean): number {
      return db.prepare('UPDATE users SET disabled = ? WHERE demo = 1').run(enabled ? 0 : 1).changes;
    },

    createSession(tokenHash: string, s: SessionRecord): void {
      db.prepare('INSERT INTO sessions (token_hash, user_id, role, csrf_token, created_ms, seen_ms, expires_ms) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
        tokenHash,
        s.userId,
        s.role,
        s.csrfToken,
        s.createdMs,
        s.seenMs,
        s.expiresMs,
      );
    },
    session(tokenHash: string): SessionRecord | null {
      return sessionBy.get(tokenHash) ?? null;
    },
    /**
     * Moves a session's idle clock on; false when another connection holds the write lock (the search index
     * being built in a worker). A read must not wait for a lock on the event loop — every other request
     * would wait with it — and a touch skipped is made by the next request.
     */
    touchSession(tokenHash: string, seenMs: number, expiresMs: number): boolean {
      const waits = db.pragma('busy_timeout', { simple: true }) as number;
      db.pragma('busy_timeout = 0');
      try {
        touch.run(seenMs, expiresMs, tokenHash);
        return true;
      } catch (err) {
        if ((err as { code?: string }).code === 'SQLITE_BUSY') return false;
        throw err;
      } finally {
        db.pragma(`busy_timeout = ${waits}`);
      }
    },
    deleteSession(tokenHash: string): void {
      db.prepare('DELETE FROM sessions WHERE token_hash = ?').run(tokenHash);
    },
    /** Ends every session of a user (password changed, account disabled), optionally keeping one. */
    deleteSessionsOf(userId: number, keepTokenHash: string | null = null): void {
      db.prepare('DELETE FROM sessions WHERE user_id = ? AND token_hash IS NOT ?').run(userId, keepTokenHash);
    },
    deleteExpiredSessions(nowMs: number): void {
      db.prepare('DELETE FROM sessions WHERE expires_ms <= ?').run(nowMs);
    },

    createApiKey(keyHash: string, prefix: string, name: string, now: string): TokenRecord {
      const info = db.prepare('INSERT INTO api_keys (key_hash, prefix, name, created_at) VALUES (?, ?, ?, ?)').run(keyHash, prefix, name, now);
      return { id: Number(info.lastInsertRowid), prefix, name, createdAt: now, revokedAt: null };
    },
    apiKeyValid(keyHash: string): boolean {
      return apiKeyBy.get(keyHash) !== undefined;
    },
    listApiKeys: () => tokenList('api_keys').all(),
    revokeApiKey(id: number, now: string): boolean {
      return db.prepare('UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(now, id).changes > 0;
    },

    createScreenToken(tokenHash: string, prefix: string, name: string, now: string): TokenRecord {
      const info = db.prepare('INSERT INTO screen_tokens (token_hash, prefix, name, created_at) VALUES (?, ?, ?, ?)').run(tokenHash, prefix, name, now);
      return { id: Number(info.lastInsertRowid), prefix, name, createdAt: now, revokedAt: null };
    },
    screenTokenValid(tokenHash: string): boolean {
      return screenTokenBy.get(tokenHash) !== undefined;
    },
    listScreenTokens: () => tokenList('screen_tokens').all(),
    revokeScreenToken(id: number, now: string): boolean {
      return db.prepare('UPDATE screen_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(now, id).changes > 0;
    },

    recordLoginFailure(username: string, ip: string, atMs: number): void {
      db.prepare('INSERT INTO login_failures (username, ip, at_ms) VALUES (?, ?, ?)').run(username, ip, atMs);
    },
    /**
     * Failures since `sinceMs`, oldest first: those of the username (with their addresses) and those of
     * the address (any username).
     */
    loginFailures(username: string, ip: string, sinceMs: number): { byUser: { ip: string; atMs: number }[]; byIp: number[] } {
      return {
        byUser: db
          .prepare<[string, number], { ip: string; atMs: number }>(
            'SELECT ip, at_ms AS atMs FROM login_failures WHERE username = ? AND at_ms > ? ORDER BY at_ms',
          )
          .all(username, sinceMs),
        byIp: db.prepare('SELECT at_ms FROM login_failures WHERE ip = ? AND at_ms > ? ORDER BY at_ms').pluck().all(ip, sinceMs) as number[],
      };
    },
    /** Forgets the failures of one account from one address (it has just proved the password there). */
    clearLoginFailures(username: string, ip: string): void {
      db.prepare('DELETE FROM login_failures WHERE username = ? AND ip = ?').run(username, ip);
    },

    appendAudit(e: Omit<AuditEntry, 'id'>): void {
      audit.run(e.at, e.userId, e.username, e.role, e.method, e.path, e.status, e.ip, e.detail);
    },
    /** Newest first; `beforeId` pages back. */
    auditLog(limit: number, beforeId: number | null): AuditEntry[] {
      return db
        .prepare<[number, number], AuditEntry>(
          `SELECT id, at, user_id AS userId, username, role, method, path, status, ip, detail FROM audit_log
           WHERE id < ? ORDER BY id DESC LIMIT ?`,
        )
        .all(beforeId ?? Number.MAX_SAFE_INTEGER, limit);
    },
  };
}
