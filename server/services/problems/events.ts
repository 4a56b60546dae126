import type { Store } from '../../store/index';
import { planWithin } from '../plans/plans';

/** Event types sent on `GET /api/events`. */
export type EventType = 'problem.created' | 'problem.transition' | 'problem.merged' | 'team.position';

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
export async function logEvent(store: Store, type: EventType, at: string, data: Record<string, unknown>): Promise<number> {
  return store.appendEvent(type, at, data);
}

/** Events a screen gets on a replay (`since`, Last-Event-ID): enough to bridge a dropped connection, not the city's history. */
export const SCREEN_REPLAY_MAX = 200;

/** The fields of each event type a screen may see: what it shows (no names, no people's words, whatever is added to the log later). */
const SCREEN_FIELDS: Readonly<Record<string, readonly string[]>> = {
  'problem.created': ['id', 'category', 'lng', 'lat', 'status', 'reportedAt', 'recurrenceOf'],
  'problem.transition': ['id', 'action', 'from', 'to', 'at', 'unitId', 'deadline'],
  'problem.merged': ['id', 'mergedFrom', 'at'],
  // Where a team is now: a screen shows the day's positions, never a track's history (a replay is 200 events at most).
  'team.position': ['planId', 'team', 'lng', 'lat', 'at'],
};

/** Who reads the stream, as far as the stream cares. */
export type EventReader = { kind: 'unit'; unitId: string } | { kind: 'district'; subdistrictIds: ReadonlySet<string> } | { kind: 'screen' } | { kind: 'all' };

/**
 * What `reader` may be sent of a logged event (its data as JSON text), or null to skip it — the same
 * rules as the other reads: a unit gets the events of its own problems only (a problem handed to it, or
 * now its), a district account those of its district's problems, a screen the fields it shows.
 */
export async function eventFor(store: Store, reader: EventReader, row: { type: string; data: string }): Promise<string | null> {
  if (reader.kind === 'all') return row.data;
  const data = JSON.parse(row.data) as Record<string, unknown>;
  if (reader.kind === 'unit') {
    const mine = data.unitId === reader.unitId || (typeof data.id === 'string' && (await store.problemUnit(data.id)) === reader.unitId);
    return mine ? row.data : null;
  }
  if (reader.kind === 'district' && row.type === 'team.position') {
    const plan = typeof data.planId === 'string' ? await store.getPlan(data.planId) : null;
    return plan && planWithin(plan, reader.subdistrictIds) ? row.data : null;
  }
  if (reader.kind === 'district') {
    const sd = typeof data.id === 'string' ? await store.problemSubdistrict(data.id) : null;
    return sd && reader.subdistrictIds.has(sd) ? row.data : null;
  }
  const fields = SCREEN_FIELDS[row.type];
  if (!fields) return null;
  return JSON.stringify(Object.fromEntries(fields.filter((f) => f in data).map((f) => [f, data[f]])));
}

/** Where a replay for `reader` starts: a screen's goes back SCREEN_REPLAY_MAX events at most. */
export function replayStart(reader: EventReader, requested: number, lastSeq: number): number {
  return reader.kind === 'screen' ? Math.max(requested, lastSeq - SCREEN_REPLAY_MAX) : requested;
}
