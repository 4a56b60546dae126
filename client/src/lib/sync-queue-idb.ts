/**
 * The browser side of the record queue: an IndexedDB QueueStorage (records and their photo Blobs
 * survive a reload and a closed tab) and the Sender that posts a report with its UUID as the
 * Idempotency-Key.
 */
import { ApiError } from '../api/client';
import { postReport } from '../api/workflow';
import { SendError, type QueueStorage, type QueuedRecord, type Sender } from './sync-queue';

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

/**
 * Posts a queued report. Could-not-connect, an ended session (401: sign in again and it goes), timeouts, rate limits and 5xx are passing (retried with
 * backoff); any other refusal is permanent and shown with the server's sentence.
 */
export const sendRecord: Sender = async (record) => {
  const p = record.payload;
  const photos = p.photos.map((b, i) => (b instanceof File ? b : new File([b], `photo-${i + 1}.jpg`, { type: b.type || 'image/jpeg' })));
  try {
    const out = await postReport({ category: p.category, lng: p.lng, lat: p.lat, description: p.description, reporter: p.reporter, source: p.source }, photos, record.id);
    return out.mergedInto ?? out.problem.id;
  } catch (err) {
    if (err instanceof ApiError) {
      const passing = err.status === 0 || err.status === 401 || err.status === 408 || err.status === 429 || err.status >= 500;
      throw new SendError(err.message, !passing);
    }
    throw err;
  }
};
