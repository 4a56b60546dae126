/** A session's touch never waits for another connection's write lock: the event loop would wait with it. */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../../server/store/index';

const dir = mkdtempSync(join(tmpdir(), 'xuncha-touch-'));
const store = openStore(join(dir, 'xuncha.db'));
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('touchSession', () => {
  it('skips the touch while another connection writes, and makes it once the lock is free', async () => {
    const user = await store.createUser({ username: 'u', displayName: 'u', role: 'inspector', unitId: null, passwordHash: 'x', now: new Date().toISOString() });
    await store.createSession('h', { userId: user.id, role: 'inspector', csrfToken: 'c', createdMs: 1, seenMs: 1, expiresMs: 10 });
    const builder = new Database(store.file);
    try {
      builder.prepare('BEGIN IMMEDIATE').run();
      const t0 = performance.now();
      expect(await store.touchSession('h', 2, 20)).toBe(false);
      // Not the connection's 5 s busy timeout: no wait at all (a generous bound for a loaded machine).
      expect(performance.now() - t0).toBeLessThan(1000);
      expect((await store.session('h'))?.seenMs).toBe(1);
      builder.prepare('COMMIT').run();
      expect(await store.touchSession('h', 3, 30)).toBe(true);
      expect(await store.session('h')).toMatchObject({ seenMs: 3, expiresMs: 30 });
      // The connection's own waits are as they were for every other write.
      expect(store.db.pragma('busy_timeout', { simple: true })).toBe(5000);
    } finally {
      builder.close();
    }
  });
});
