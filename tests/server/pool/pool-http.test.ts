/**
 * A pool stream as a response body under @hono/node-server, as an export will be served: the bytes
 * arrive whole, and a client that goes away mid-download stops the task.
 */
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../scripts/free-port';
import { createPool } from '../../../server/pool/pool';
import type { TestTasks } from './pool-tasks';

const pool = createPool<TestTasks>({ tasks: new URL('./pool-tasks.ts', import.meta.url), size: 1 });
const written = new Int32Array(new SharedArrayBuffer(4));
let server: ServerType;
let base: string;

beforeAll(async () => {
  const app = new Hono().get('/export/:chunks', async (c) => {
    const body = await pool.stream('bytes', { chunks: Number(c.req.param('chunks')), size: 64 * 1024, written }, { signal: c.req.raw.signal });
    return c.body(body, 200, { 'Content-Type': 'application/octet-stream' });
  });
  const port = await freePort();
  server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, () => resolve(s));
  });
  base = `http://127.0.0.1:${port}`;
});
afterAll(async () => {
  await pool.close();
  await new Promise((r) => server.close(r));
});

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('a pool stream served over HTTP', () => {
  it('arrives whole', async () => {
    const res = await fetch(`${base}/export/16`);
    expect(res.status).toBe(200);
    const got = new Uint8Array(await res.arrayBuffer());
    expect(got.byteLength).toBe(16 * 64 * 1024);
    expect(got[got.byteLength - 1]).toBe((15 + 64 * 1024 - 1) % 251);
  });

  it('stops its task when the client goes away mid-download', async () => {
    Atomics.store(written, 0, 0);
    const abort = new AbortController();
    // 640 MB if it ran to the end.
    const res = await fetch(`${base}/export/10000`, { signal: abort.signal });
    const reader = res.body!.getReader();
    await reader.read();
    expect(pool.stats().running).toBe(1);
    abort.abort();
    await until(() => pool.stats().running === 0, 'the task to stop');
    expect(pool.stats()).toMatchObject({ stopped: 1, killed: 0 });
    // The credit and the socket's buffers (half a megabyte when measured), not the 640 MB.
    expect(Atomics.load(written, 0)).toBeLessThan(8 * 1024 * 1024);
    const next = await fetch(`${base}/export/1`);
    expect((await next.arrayBuffer()).byteLength).toBe(64 * 1024);
  });
});
