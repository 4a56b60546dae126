/**
 * The browser side of the record queue's storage: an IndexedDB QueueStorage, so records and their
 * photo Blobs survive a reload and a closed tab. (The Sender that posts them is the field page's
 * send-record.ts.)
 */
import type { QueueStorage, QueuedRecord } from './sync-queue';

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
