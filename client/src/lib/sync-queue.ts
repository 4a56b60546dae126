/**
 * The field page's offline record queue. Every record an inspector makes (a problem report, a stop's
 * check results, a look-back, a batch of track fixes) is stored first (IndexedDB in the browser, see sync-queue-idb.ts; sent by pages/field/send-record.ts) under
 * a client-generated UUID, then sent in the order it was made when the network is there. The UUID
 * travels as the server's idempotency key, so a record sent twice (the answer was lost, the page was
 * closed mid-send) is stored once. Storage and sending are behind small interfaces so the ordering,
 * backoff, conflict and idempotency rules are tested without a browser.
 */
import { newUuid } from './ids';

/**
 * waiting → sending → sent; `failed` (the server refused it: the reason is shown, "retry" by hand);
 * `conflict` (someone else moved the problem meanwhile: shown until the inspector dismisses it, never
 * retried, never overwritten).
 */
export type RecordState = 'waiting' | 'sending' | 'sent' | 'failed' | 'conflict';

/** A problem report as recorded in the street: photos are kept as Blobs until sent. */
export interface ReportPayload {
  category: string;
  lng: number;
  lat: number;
  description: string;
  reporter: string;
  source: string;
  photos: Blob[];
}

/** One stop's check results (POST /api/checks); `problemIds` are the UUIDs of reports raised from failed items. */
export interface CheckPayload {
  planId: string | null;
  pointId: string;
  /** For the record list only (not sent). */
  pointName: string;
  items: { itemId: string; result: 'pass' | 'fail' | 'na'; note?: string }[];
  at: string;
  lngLat: [number, number] | null;
  problemIds: string[];
}

/** A workflow step made in the street (the look-back 复查: pass → closed, fail → assigned), with the status I saw. */
export interface TransitionPayload {
  problemId: string;
  to: 'closed' | 'assigned';
  expect: 'rectified';
  note: string;
  /** For the conflict notice and the record list (not sent): what the problem is. */
  label: string;
  /** Where the problem is: "另报新问题" reports there. */
  lngLat: [number, number];
  category: string;
}

/** One GPS fix of a walked track as POST /api/tracks takes it; `id` is the fix's own UUID, so a batch sent again stores nothing twice. */
export interface TrackPointPayload {
  id: string;
  lng: number;
  lat: number;
  /** When the phone took it (ISO, with offset). */
  at: string;
  accuracyM: number;
}

/** A batch of my team's track fixes while a plan is walked (POST /api/tracks). */
export interface TrackPayload {
  planId: string;
  /** The team's index in the plan. */
  team: number;
  points: TrackPointPayload[];
}

interface RecordBase {
  /** Client UUID; also the idempotency key. */
  id: string;
  /** Creation order; records are sent in ascending seq. */
  seq: number;
  /**
   * Who recorded it (username): only sent within that person's session, so a phone handed to a
   * colleague never posts my records under their name.
   */
  owner: string;
  createdAt: string;
  state: RecordState;
  attempts: number;
  /** Epoch ms before which a retry is not tried. */
  nextAttemptAt: number;
  /** Why the last attempt failed (a server sentence or "offline"). */
  reason: string | null;
  /** What the server answered (e.g. the new problem id) once sent. */
  resultId: string | null;
  /** Who moved the problem instead, and when (state `conflict`). */
  conflict: Conflict | null;
}

export type QueuedRecord =
  | (RecordBase & { kind: 'report'; payload: ReportPayload })
  | (RecordBase & { kind: 'check'; payload: CheckPayload })
  | (RecordBase & { kind: 'transition'; payload: TransitionPayload })
  | (RecordBase & { kind: 'track'; payload: TrackPayload });
export type RecordKind = QueuedRecord['kind'];
export type PayloadOf<K extends RecordKind> = Extract<QueuedRecord, { kind: K }>['payload'];

/** What the server said when it refused a step because the problem had moved on. */
export interface Conflict {
  /** The server's sentence. */
  message: string;
  /** The problem's status now. */
  status: string;
  /** The step that moved it: who, when (ISO), to what; null when the server did not say. */
  by: string | null;
  at: string | null;
  to: string | null;
}

/** Where records live; the browser uses IndexedDB, tests an in-memory map. */
export interface QueueStorage {
  all(): Promise<QueuedRecord[]>;
  put(record: QueuedRecord): Promise<void>;
  delete(id: string): Promise<void>;
}

/**
 * Sends one record. Resolves with the server's id for it; rejects with a SendError. `permanent` errors
 * (the server refused the record: 4xx other than 408/429) are not retried automatically, since sending
 * the same record again would be refused again; the inspector sees the reason and may retry by hand.
 */
export type Sender = (record: QueuedRecord) => Promise<string>;

export class SendError extends Error {
  readonly permanent: boolean;
  constructor(message: string, permanent: boolean) {
    super(message);
    this.name = 'SendError';
    this.permanent = permanent;
  }
}

/** The server refused a step because someone else moved the problem first (409 with `expect`). */
export class ConflictError extends SendError {
  readonly conflict: Conflict;
  constructor(conflict: Conflict) {
    super(conflict.message, true);
    this.name = 'ConflictError';
    this.conflict = conflict;
  }
}

/** Delay before retry number `attempts` (1-based): 2 s doubling, capped at 5 min. */
export function backoffMs(attempts: number, baseMs = 2_000, maxMs = 300_000): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, attempts - 1));
}

/** An in-memory QueueStorage (tests; also a fallback when IndexedDB is unavailable). */
export function memoryStorage(): QueueStorage {
  const map = new Map<string, QueuedRecord>();
  return {
    all: async () => [...map.values()].map((r) => ({ ...r })),
    put: async (r) => void map.set(r.id, { ...r }),
    delete: async (id) => void map.delete(id),
  };
}

export interface SyncQueueOptions {
  now?: () => number;
  newId?: () => string;
  backoff?: (attempts: number) => number;
}

/**
 * The queue. `sync()` sends due records one at a time in creation order; a record that fails for a
 * passing reason (offline, server down) stops the pass so that later records do not overtake it.
 * Only one pass runs at a time: a second call while one runs waits for it.
 */
export class SyncQueue {
  private readonly now: () => number;
  private readonly newId: () => string;
  private readonly backoff: (attempts: number) => number;
  private running: Promise<void> | null = null;
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly storage: QueueStorage,
    private readonly send: Sender,
    opts: SyncQueueOptions = {},
  ) {
    this.now = opts.now ?? Date.now;
    this.newId = opts.newId ?? (() => newUuid());
    this.backoff = opts.backoff ?? ((n) => backoffMs(n));
  }

  /** Calls `listener` after every change of a record; returns the unsubscribe. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The records (of `owner`, or everyone's), oldest first. */
  async list(owner?: string): Promise<QueuedRecord[]> {
    return (await this.storage.all()).filter((r) => owner === undefined || r.owner === owner).sort((a, b) => a.seq - b.seq);
  }

  /** Stores a new report of `owner` (waiting) and returns it; nothing is sent until `sync()`. */
  addReport(payload: ReportPayload, owner: string): Promise<QueuedRecord> {
    return this.add('report', payload, owner);
  }

  /** Stores a new record of any kind (waiting) after everything already queued; `id` may be given (a UUID made earlier, e.g. to link it). */
  async add<K extends RecordKind>(kind: K, payload: PayloadOf<K>, owner: string, id?: string): Promise<QueuedRecord> {
    const all = await this.list();
    const record = {
      id: id ?? this.newId(),
      seq: (all.at(-1)?.seq ?? 0) + 1,
      kind,
      owner,
      createdAt: new Date(this.now()).toISOString(),
      state: 'waiting',
      attempts: 0,
      nextAttemptAt: 0,
      reason: null,
      resultId: null,
      conflict: null,
      payload,
    } as QueuedRecord;
    await this.save(record);
    return record;
  }

  /** A new UUID, for a record that another must name before it is queued (a report linked from a check). */
  makeId(): string {
    return this.newId();
  }

  /** Forgets a record the inspector has read and dismissed ("知道了" on a conflict, or a failed one given up). */
  async dismiss(id: string): Promise<void> {
    const r = (await this.storage.all()).find((x) => x.id === id);
    if (!r || (r.state !== 'conflict' && r.state !== 'failed')) return;
    await this.storage.delete(id);
    this.emit();
  }

  /** Makes a failed record due now (the inspector's "retry"). */
  async retry(id: string): Promise<void> {
    const r = (await this.storage.all()).find((x) => x.id === id);
    if (!r || r.state === 'sent' || r.state === 'conflict') return;
    await this.save({ ...r, state: 'waiting', nextAttemptAt: 0 });
  }

  /** Forgets the sent records (their problems are on the server). */
  async clearSent(): Promise<void> {
    for (const r of await this.storage.all()) if (r.state === 'sent') await this.storage.delete(r.id);
    this.emit();
  }

  /** Sends what of `owner`'s is due; resolves when the pass is over. */
  sync(owner: string): Promise<void> {
    if (!this.running) {
      this.running = this.pass(owner).finally(() => {
        this.running = null;
      });
    }
    return this.running;
  }

  /** Epoch ms of `owner`'s next due retry, or null when nothing waits. */
  async nextDueAt(owner: string): Promise<number | null> {
    const waiting = (await this.list(owner)).filter((r) => r.state === 'waiting' || r.state === 'sending');
    return waiting.length ? Math.min(...waiting.map((r) => r.nextAttemptAt)) : null;
  }

  private async pass(owner: string): Promise<void> {
    for (const r of await this.list(owner)) {
      if (r.state === 'sent' || r.state === 'failed' || r.state === 'conflict') continue;
      // A record left "sending" was cut off (page closed, crash): resend, the key makes it safe.
      if (r.nextAttemptAt > this.now()) return;
      await this.save({ ...r, state: 'sending' });
      try {
        const resultId = await this.send(r);
        await this.save({ ...r, state: 'sent', attempts: r.attempts + 1, reason: null, resultId });
      } catch (err) {
        const attempts = r.attempts + 1;
        const reason = err instanceof Error ? err.message : String(err);
        // Someone else moved the problem first: show it, never resend (it would be refused again or, worse, applied).
        if (err instanceof ConflictError) {
          await this.save({ ...r, state: 'conflict', attempts, reason, conflict: err.conflict });
          continue;
        }
        if (err instanceof SendError && err.permanent) {
          await this.save({ ...r, state: 'failed', attempts, reason });
          continue;
        }
        await this.save({ ...r, state: 'waiting', attempts, reason, nextAttemptAt: this.now() + this.backoff(attempts) });
        return;
      }
    }
  }

  private async save(r: QueuedRecord): Promise<void> {
    await this.storage.put(r);
    this.emit();
  }

  private emit(): void {
    for (const l of this.listeners) l();
  }
}
