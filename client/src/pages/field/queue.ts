/** The one record queue of the page (a module singleton: a remount must not start a second sync loop). */
import { indexedDbStorage } from '../../lib/sync-queue-idb';
import { memoryStorage, SyncQueue } from '../../lib/sync-queue';
import { sendRecord } from './send-record';

let queue: SyncQueue | null = null;

/** The page's queue, over IndexedDB (in memory only where the browser has no IndexedDB). */
export function fieldQueue(): SyncQueue {
  queue ??= new SyncQueue(typeof indexedDB === 'undefined' ? memoryStorage() : indexedDbStorage(), sendRecord);
  return queue;
}
