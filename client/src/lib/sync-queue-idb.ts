/**
 * The browser side of the record queue: an IndexedDB QueueStorage (records and their photo Blobs
 * survive a reload and a closed tab) and the Sender that posts each kind of record with its UUID as
 * the idempotency key.
 */
import { ApiError } from '../api/client';
import { postReport } from '../api/ledger';
import { postCheck, postExpectedTransition } from '../api/field';
import { ConflictError, SendError, type QueueStorage, type QueuedRecord, type Sender } from './sync-queue';

const DB_NAME = 'xuncha-field';
const STORE = 'records';

function promised<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  });
}

function openDb(): Promise<IDBDatabase> {
  const req = indexedDB.open(DB_NAME, 1);
  req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: 'id' });
  return promised(req);
}

/** A QueueStorage in IndexedDB (database `xuncha-field`, store `records`). */
export function indexedDbStorage(): QueueStorage {
  const db = openDb();
  const tx = async (mode: IDBTransactionMode) => (await db).transaction(STORE, mode).objectStore(STORE);
  return {
    all: async () => promised((await tx('readonly')).getAll() as IDBRequest<QueuedRecord[]>),
    put: async (r) => void (await promised((await tx('readwrite')).put(r))),
    delete: async (id) => void (await promised((await tx('readwrite')).delete(id))),
  };
}

const passing = (status: number) => status === 0 || status === 401 || status === 408 || status === 429 || status >= 500;

/**
 * Sends a queued record: a report (multipart, its UUID as the Idempotency-Key), a stop's check results
 * (POST /api/checks, the UUID in the body) or a look-back (a transition with the status I saw). Could-not-connect, an ended session (401: sign in
 * again and it goes), timeouts, rate limits and 5xx are passing (retried with backoff); a look-back
 * the problem's status no longer allows is a ConflictError; any other refusal is permanent and shown
 * with the server's sentence.
 */
export const sendRecord: Sender = async (record) => {
  try {
    switch (record.kind) {
      case 'report': {
        const p = record.payload;
        const photos = p.photos.map((b, i) => (b instanceof File ? b : new File([b], `photo-${i + 1}.jpg`, { type: b.type || 'image/jpeg' })));
        const out = await postReport(
          { category: p.category, lng: p.lng, lat: p.lat, description: p.description, reporter: p.reporter, source: p.source },
          photos,
          record.id,
        );
        return out.mergedInto ?? out.problem.id;
      }
      case 'check': {
        const p = record.payload;
        const out = await postCheck({
          id: record.id,
          ...(p.planId ? { planId: p.planId } : {}),
          pointId: p.pointId,
          items: p.items,
          at: p.at,
          ...(p.lngLat ? { lngLat: p.lngLat } : {}),
          problemIds: p.problemIds,
        });
        return out.id;
      }
      case 'transition': {
        const p = record.payload;
        const out = await postExpectedTransition(p.problemId, { to: p.to, expect: p.expect, note: p.note });
        if ('conflict' in out) {
          const c = out.conflict;
          throw new ConflictError({ message: c.error, status: c.status, by: c.last?.actor ?? null, at: c.last?.at ?? null, to: c.last?.to ?? null });
        }
        return `${p.problemId} → ${out.history.status}`;
      }
    }
  } catch (err) {
    if (err instanceof ApiError) throw new SendError(err.message, !passing(err.status));
    throw err;
  }
};
