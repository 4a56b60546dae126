import { afterAll, describe, expect, it } from 'vitest';
import { storageFailure } from '../../server/errors';
import { fixtureApp, getJson } from './fixture';

const fx = await fixtureApp();
afterAll(async () => fx.close());

const post = (path: string, body: unknown) =>
  fx.app.request(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('a data folder that cannot be written', () => {
  it('answers writes with 503 saying what is wrong, while reads carry on', async () => {
    fx.store.db.pragma('query_only = ON'); // SQLite then refuses writes as it does on a read-only file
    try {
      const res = await post('/api/screen-tokens', { name: '大屏' });
      expect(res.status).toBe(503);
      expect((await res.json()).error).toMatch(/数据目录不可写.*DATA_DIR.*cannot be written/);
      expect((await getJson(fx.app, '/api/problems?limit=1')).status).toBe(200);
    } finally {
      fx.store.db.pragma('query_only = OFF');
    }
    expect((await post('/api/screen-tokens', { name: '大屏' })).status).toBe(201);
  });

  it('names a full disk and a read-only file system as such, and nothing else', () => {
    expect(storageFailure(Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' }))?.message).toMatch(/磁盘已满.*full/);
    expect(storageFailure(Object.assign(new Error('no space left on device'), { code: 'ENOSPC' }))?.status).toBe(503);
    expect(storageFailure(Object.assign(new Error('read-only file system'), { code: 'EROFS' }))?.message).toMatch(/cannot be written/);
    expect(storageFailure(Object.assign(new Error('readonly'), { code: 'SQLITE_READONLY_DBMOVED' }))?.status).toBe(503);
    expect(storageFailure(Object.assign(new Error('constraint'), { code: 'SQLITE_CONSTRAINT' }))).toBeNull();
    expect(storageFailure(new Error('plain'))).toBeNull();
  });
});
