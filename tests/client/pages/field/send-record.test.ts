/**
 * The record queue's sender for a track batch: what goes over the wire (POST /api/tracks, the batch as
 * the contract takes it), what it hands back (how many points the server holds), and which failures are
 * passing (retried with backoff) or permanent (a 400: sending the same batch again is refused again).
 * The browser globals the session layer reads are given here; fetch is a stand-in server.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { QueuedRecord, TrackPayload } from '../../../../client/src/lib/sync-queue';

interface Seen {
  method: string;
  url: string;
  contentType: string | null;
  body: unknown;
}

let answer: () => Response = () => new Response('{}');
const seen: Seen[] = [];
let sendRecord: typeof import('../../../../client/src/pages/field/send-record').sendRecord;
let SendError: typeof import('../../../../client/src/lib/sync-queue').SendError;

beforeAll(async () => {
  const storage = new Map<string, string>();
  vi.stubGlobal('window', {
    location: new URL('http://xuncha.test/field'),
    sessionStorage: { getItem: (k: string) => storage.get(k) ?? null, setItem: (k: string, v: string) => void storage.set(k, v) },
  });
  vi.stubGlobal('fetch', async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    seen.push({ method: init.method ?? 'GET', url: String(input), contentType: headers.get('content-type'), body: JSON.parse(String(init.body)) });
    return answer();
  });
  // Imported after the globals exist: the session layer reads the screen token at load.
  sendRecord = (await import('../../../../client/src/pages/field/send-record')).sendRecord;
  SendError = (await import('../../../../client/src/lib/sync-queue')).SendError;
});
afterAll(() => vi.unstubAllGlobals());

const payload: TrackPayload = {
  planId: 'plan-7',
  team: 2,
  points: [
    { id: '3b241101-e2bb-4255-8caf-4136c566a962', lng: 115.98, lat: 36.44, at: '2026-03-20T09:00:00+08:00', accuracyM: 8 },
    { id: '3b241101-e2bb-4255-8caf-4136c566a963', lng: 115.98, lat: 36.4402, at: '2026-03-20T09:00:06+08:00', accuracyM: 12.5 },
  ],
};
const record: QueuedRecord = {
  id: 'batch-1',
  seq: 1,
  kind: 'track',
  owner: 'inspector',
  createdAt: '2026-03-20T09:01:00.000Z',
  state: 'sending',
  attempts: 0,
  nextAttemptAt: 0,
  reason: null,
  resultId: null,
  conflict: null,
  payload,
};
const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('sendRecord: track batches', () => {
  it('posts the batch to /api/tracks as JSON and answers with how many points the server holds', async () => {
    seen.length = 0;
    answer = () => json(200, { stored: 1, duplicates: 0, dropped: { inaccurate: 0, future: 0, outside: 0, speed: 1 } });
    expect(await sendRecord(record)).toBe('1');
    expect(seen).toEqual([{ method: 'POST', url: '/api/tracks', contentType: 'application/json', body: payload }]);
    // A resent batch the server already holds counts as held.
    answer = () => json(200, { stored: 0, duplicates: 2, dropped: { inaccurate: 0, future: 0, outside: 0, speed: 0 } });
    expect(await sendRecord(record)).toBe('2');
  });

  it('a 400 is permanent, with the server’s sentence', async () => {
    answer = () => json(400, { error: 'points: at most 500 points per batch' });
    const err = await sendRecord(record).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SendError);
    expect(err).toMatchObject({ permanent: true, message: 'points: at most 500 points per batch' });
  });

  it('a 5xx, a rate limit, an ended session and no connection are passing', async () => {
    for (const status of [500, 503, 429, 401]) {
      answer = () => json(status, { error: `HTTP ${status}` });
      expect(await sendRecord(record).catch((e: unknown) => e), String(status)).toMatchObject({ permanent: false });
    }
    answer = () => {
      throw new TypeError('Failed to fetch');
    };
    const err = await sendRecord(record).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SendError);
    expect(err).toMatchObject({ permanent: false });
  });
});
