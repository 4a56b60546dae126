import { getRandomValues, randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { newUuid, uuidFromBytes, type IdSource } from '../../../client/src/lib/ids';
import { memoryStorage, SyncQueue } from '../../../client/src/lib/sync-queue';
import { CheckBody } from '../../../server/contract/checks';

const V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
/** What a page over plain HTTP at a non-localhost address has: getRandomValues, no randomUUID. */
const insecure: IdSource = { getRandomValues: (a) => getRandomValues(a) };

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('uuidFromBytes', () => {
  it('lays 16 bytes out as an RFC 4122 v4 UUID, setting the version and variant bits', () => {
    expect(uuidFromBytes(new Uint8Array(16))).toBe('00000000-0000-4000-8000-000000000000');
    expect(uuidFromBytes(new Uint8Array(16).fill(0xff))).toBe('ffffffff-ffff-4fff-bfff-ffffffffffff');
    expect(uuidFromBytes(Uint8Array.from({ length: 16 }, (_, i) => i * 17))).toBe('00112233-4455-4677-8899-aabbccddeeff');
  });

  it('refuses a wrong number of bytes', () => {
    expect(() => uuidFromBytes(new Uint8Array(15))).toThrow(/16 bytes/);
  });
});

describe('newUuid', () => {
  it('uses randomUUID where there is one', () => {
    const source: IdSource = { randomUUID: () => 'from-random-uuid', getRandomValues: () => expect.unreachable('getRandomValues') };
    expect(newUuid(source)).toBe('from-random-uuid');
    expect(newUuid()).toMatch(V4);
  });

  it('without randomUUID (an insecure context) makes distinct v4 UUIDs the server takes as record ids', () => {
    const ids = Array.from({ length: 2000 }, () => newUuid(insecure));
    for (const id of ids) expect(id).toMatch(V4);
    expect(new Set(ids).size).toBe(ids.length);
    // The id check of POST /api/checks (the report's Idempotency-Key is checked the same way).
    for (const id of ids.slice(0, 10)) expect(CheckBody.shape.id.parse(id)).toBe(id);
  });

  it('gives the record queue ids in a browser without randomUUID', async () => {
    vi.stubGlobal('crypto', insecure);
    expect(typeof (globalThis.crypto as Partial<Crypto>).randomUUID).toBe('undefined');
    const queue = new SyncQueue(memoryStorage(), async () => randomUUID());
    const record = await queue.addReport({ category: 'c', lng: 120, lat: 30, description: 'd', reporter: 'r', source: 'inspection', photos: [] }, 'li');
    expect(record.id).toMatch(V4);
    expect(queue.makeId()).toMatch(V4);
  });
});
