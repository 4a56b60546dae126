import type { Store } from '../../store/index';

/** Event types sent on `GET /api/events`. */
export type EventType = 'problem.created' | 'problem.transition' | 'problem.merged';

/**
 * Wakes the open event streams after a write committed. The events themselves are in the store's log
 * (written in the write's own transaction), so a stream that wakes reads what it has not sent yet and a
 * reconnecting one replays from its Last-Event-ID: nothing is lost between the two.
 */
export interface EventHub {
  /** Called after a commit that appended events. */
  notify(): void;
  /** Calls `fn` after every commit with events; returns the unsubscribe function. */
  subscribe(fn: () => void): () => void;
}

/** An in-process hub (one server process writes the store). */
export function createEventHub(): EventHub {
  const listeners = new Set<() => void>();
  return {
    notify() {
      for (const fn of [...listeners]) fn();
    },
    subscribe(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
  };
}

/** Appends an event to the log; call inside the write's transaction, then `hub.notify()` after it. */
export function logEvent(store: Store, type: EventType, at: string, data: Record<string, unknown>): number {
  return store.appendEvent(type, at, data);
}
