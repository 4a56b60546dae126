/** The record queue as the page shows it: my records, whether the browser is online, and the sync loop. */
import { useEffect, useState } from 'react';
import type { QueuedRecord } from '../../lib/sync-queue';
import { fieldQueue } from './queue';

/** How often the queue looks for due records (ms); each record's own backoff decides if it is sent. */
const SYNC_TICK_MS = 2000;

/**
 * `owner`'s records in the queue (re-read on every change), and `online`; while mounted, syncs on
 * every tick and as soon as the browser is back online.
 */
export function useSyncQueue(owner: string): { records: QueuedRecord[]; online: boolean } {
  const [records, setRecords] = useState<QueuedRecord[]>([]);
  const [online, setOnline] = useState(() => navigator.onLine);
  useEffect(() => {
    const q = fieldQueue();
    let alive = true;
    const refresh = () => void q.list(owner).then((r) => alive && setRecords(r));
    const off = q.onChange(refresh);
    const tick = () => {
      if (navigator.onLine) void q.sync(owner);
    };
    const onOnline = () => {
      setOnline(true);
      tick();
    };
    const onOffline = () => setOnline(false);
    window.addEventListener('online', onOnline);
    window.addEventListener('offline', onOffline);
    const timer = window.setInterval(tick, SYNC_TICK_MS);
    refresh();
    tick();
    return () => {
      alive = false;
      off();
      window.clearInterval(timer);
      window.removeEventListener('online', onOnline);
      window.removeEventListener('offline', onOffline);
    };
  }, [owner]);
  return { records, online };
}

/** Sends what is due now, when there is a network (after adding a record). */
export function syncSoon(owner: string): void {
  if (navigator.onLine) void fieldQueue().sync(owner);
}
