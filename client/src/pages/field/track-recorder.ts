/**
 * The walked track (实走轨迹) as the phone records it while a plan is walked: the GPS fixes the
 * sampling rule keeps (track-rules.ts `keepFix`) gather in an open batch, kept on the phone after every
 * fix so a reload loses none, and become one 'track' record of the record queue every
 * TRACK_FLUSH_POINTS fixes, every TRACK_FLUSH_MS, or when recording stops or the page is hidden. Each
 * fix carries its own UUID, so a batch queued twice (the page died between queueing it and forgetting
 * it) is stored once by the server. Storage and the queue are behind small interfaces, so the batching
 * is tested without a browser.
 */
import { toCityIso } from '../../../../server/contract/city-time';
import { haversineM, type LngLat } from '../../../../server/contract/geo';
import { keepFix, TRACK_BATCH_MAX, TRACK_GAP_MS, type TrackFix } from '../../../../server/contract/track-rules';
import type { TrackPayload, TrackPointPayload } from '../../lib/sync-queue';

/** An open batch is queued once it holds this many fixes. */
export const TRACK_FLUSH_POINTS = 20;
/** …or once its oldest fix is this old (ms), so a slow walk still reaches the planner within a minute or so. */
export const TRACK_FLUSH_MS = 60_000;

/** One owner's track of one plan, as kept on the phone (rewritten after every kept fix). */
export interface TrackState {
  planId: string;
  /** The team's index in the plan (PlannedTeam.index). */
  team: number;
  /** The city day (YYYY-MM-DD) it was recorded on: a recording resumes on that day only. */
  day: string;
  recording: boolean;
  /** Kept fixes not yet handed to the record queue, oldest first. */
  open: TrackPointPayload[];
  /** The last kept fix, which the sampling rule compares the next one with. */
  last: TrackFix | null;
  /** Fixes kept today, queued or not. */
  kept: number;
  /** Sum of the great-circle distances between consecutive kept fixes, not across a gap (m). */
  distanceM: number;
  /** The walked line so far, broken where fixes stopped for longer than TRACK_GAP_MS. */
  parts: LngLat[][];
}

/** Where track states live: localStorage in the browser (field-storage.ts), a map in tests. */
export interface TrackStore {
  read(owner: string, planId: string): TrackState | null;
  write(owner: string, state: TrackState): void;
  remove(owner: string, planId: string): void;
  /** The plans `owner` has a state for. */
  plans(owner: string): string[];
}

/** The part of the record queue the recorder needs (SyncQueue has it). */
export interface TrackQueue {
  add(kind: 'track', payload: TrackPayload, owner: string): Promise<unknown>;
}

/** What the page shows of the recording. */
export interface TrackSnapshot {
  planId: string | null;
  team: number | null;
  recording: boolean;
  kept: number;
  distanceM: number;
  /** Kept fixes not yet in the record queue. */
  open: number;
  /** Accuracy of the last fix offered (m), kept or not; null before one. */
  lastAccuracyM: number | null;
  /** Whether that fix was kept (false: too vague, too soon, or standing still). */
  lastKept: boolean;
  /** Why the last batch could not be queued (storage refused it; its fixes stay open), else null. */
  error: string | null;
  parts: readonly (readonly LngLat[])[];
}

export interface TrackRecorderOptions {
  newId: () => string;
  /** Called after a batch went into the queue (to send it soon). */
  onQueued?: () => void;
}

const EMPTY_PARTS: readonly (readonly LngLat[])[] = [];

/**
 * Records one owner's track. `restore()` first (resumes today's recording of today's plan and queues
 * what other plans left open), then `start()`, `offer()` for every GPS fix, `tick()` now and then,
 * `stop()`. Queueing runs one at a time, in order with start, stop and restore. None of them rejects:
 * a failure (storage refused) is `snapshot().error`, and the fixes stay in the open batch for the next try.
 */
export class TrackRecorder {
  private state: TrackState | null = null;
  /** Points at the head of the open batch being queued right now (not counted for the next batch). */
  private sending = 0;
  private chain: Promise<void> = Promise.resolve();
  private lastAccuracyM: number | null = null;
  private lastKept = false;
  private error: string | null = null;
  private snap: TrackSnapshot | null = null;
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly store: TrackStore,
    private readonly queue: TrackQueue,
    private readonly owner: string,
    private readonly opts: TrackRecorderOptions,
  ) {}

  /** Calls `listener` after every change; returns the unsubscribe. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The recording as the page shows it; the same object until something changes. */
  snapshot(): TrackSnapshot {
    const s = this.state;
    this.snap ??= {
      planId: s?.planId ?? null,
      team: s?.team ?? null,
      recording: s?.recording ?? false,
      kept: s?.kept ?? 0,
      distanceM: s?.distanceM ?? 0,
      open: s?.open.length ?? 0,
      lastAccuracyM: this.lastAccuracyM,
      lastKept: this.lastKept,
      error: this.error,
      parts: s?.parts ?? EMPTY_PARTS,
    };
    return this.snap;
  }

  /**
   * On page load, once today's plan is known (`planId`, null: no plan today): its state of `day` is
   * taken up again — recording again if it was recording — and every other state of mine (another plan,
   * another day) has its open fixes queued and is forgotten.
   */
  restore(planId: string | null, day: string): Promise<void> {
    return this.serial(async () => {
      for (const id of this.store.plans(this.owner)) {
        const s = this.store.read(this.owner, id);
        if (!s) continue;
        if (s.planId === planId && s.day === day) {
          // A remount: what is in memory is as new as the store, or newer (a write the storage refused).
          if (this.state?.planId !== s.planId) this.state = s;
          continue;
        }
        if (this.state?.planId === s.planId) this.state = null;
        await this.queueAll(s);
        this.store.remove(this.owner, id);
      }
      this.changed();
    });
  }

  /** Starts (or goes on) recording `team` of `planId` on `day`; a recording of another plan or team is queued and ended first. */
  start(planId: string, team: number, day: string): Promise<void> {
    return this.serial(async () => {
      const cur = this.state?.planId === planId ? this.state : this.store.read(this.owner, planId);
      if (this.state && this.state !== cur) await this.end(this.state);
      let s: TrackState;
      if (cur && cur.day === day && cur.team === team) s = { ...cur, recording: true };
      else {
        if (cur) await this.queueAll(cur);
        s = { planId, team, day, recording: true, open: [], last: null, kept: 0, distanceM: 0, parts: [] };
      }
      this.state = s;
      this.store.write(this.owner, s);
      this.changed();
    });
  }

  /** Stops recording: the open batch is queued; the line walked so far stays on the map. */
  stop(): Promise<void> {
    return this.serial(async () => {
      if (this.state) await this.end(this.state);
      this.changed();
    });
  }

  /**
   * Offers a GPS fix; returns whether it was kept. Not recording, nothing is kept. A kept fix is in the
   * open batch on the phone before this returns (in memory only, with `error` set, if storage refused
   * it); the batch is queued once it is full.
   */
  offer(fix: TrackFix): boolean {
    const s = this.state;
    if (!s?.recording) return false;
    this.lastAccuracyM = fix.accuracyM;
    this.lastKept = keepFix(s.last, fix);
    if (this.lastKept) {
      const point: TrackPointPayload = { id: this.opts.newId(), lng: fix.lng, lat: fix.lat, at: toCityIso(fix.atMs), accuracyM: fix.accuracyM };
      const here: LngLat = [fix.lng, fix.lat];
      const gap = s.last === null || fix.atMs - s.last.atMs > TRACK_GAP_MS;
      const parts = gap ? [...s.parts, [here]] : [...s.parts.slice(0, -1), [...s.parts[s.parts.length - 1], here]];
      const stepM = gap || !s.last ? 0 : haversineM(s.last.lng, s.last.lat, fix.lng, fix.lat);
      this.state = { ...s, open: [...s.open, point], last: fix, kept: s.kept + 1, distanceM: s.distanceM + stepM, parts };
      try {
        this.store.write(this.owner, this.state);
      } catch (err) {
        // Storage full or refused: the fix is still in memory and goes into the queue with the next batch; the page says why.
        this.error = err instanceof Error ? err.message : String(err);
      }
      if (this.state.open.length - this.sending >= TRACK_FLUSH_POINTS) this.flushSoon();
    }
    this.changed();
    return this.lastKept;
  }

  /** Queues the open batch when its oldest fix not yet queued is TRACK_FLUSH_MS old at `nowMs`. */
  tick(nowMs: number): void {
    const first = this.state?.open[this.sending];
    if (first && nowMs - Date.parse(first.at) >= TRACK_FLUSH_MS) this.flushSoon();
  }

  /** Queues what is open now (the page is being hidden or closed); resolves once it is in the queue. */
  flush(): Promise<void> {
    return this.serial(async () => {
      if (this.state) await this.queueOpen(this.state.planId);
    });
  }

  private flushSoon(): void {
    void this.flush();
  }

  /** Queues the open batch of `s` and marks it not recording. */
  private async end(s: TrackState): Promise<void> {
    await this.queueOpen(s.planId);
    const cur = this.state?.planId === s.planId ? this.state : s;
    const ended = { ...cur, recording: false };
    if (this.state?.planId === s.planId) this.state = ended;
    this.store.write(this.owner, ended);
  }

  /** Queues the current state's open fixes (of `planId`), in batches of at most TRACK_BATCH_MAX. */
  private async queueOpen(planId: string): Promise<void> {
    for (;;) {
      const s = this.state;
      if (s?.planId !== planId || s.open.length === 0) return;
      const batch = s.open.slice(0, TRACK_BATCH_MAX);
      this.sending = batch.length;
      try {
        await this.queue.add('track', { planId: s.planId, team: s.team, points: batch }, this.owner);
      } finally {
        this.sending = 0;
      }
      // Forgotten only once queued: fixes kept meanwhile were appended to the newest state.
      const now = this.state;
      if (now?.planId !== planId) return;
      const sent = new Set(batch.map((p) => p.id));
      this.state = { ...now, open: now.open.filter((p) => !sent.has(p.id)) };
      this.error = null;
      this.store.write(this.owner, this.state);
      this.opts.onQueued?.();
      this.changed();
    }
  }

  /** Queues every open fix of a state that is not the current one (another plan or day, on restore). */
  private async queueAll(s: TrackState): Promise<void> {
    for (let i = 0; i < s.open.length; i += TRACK_BATCH_MAX) {
      await this.queue.add('track', { planId: s.planId, team: s.team, points: s.open.slice(i, i + TRACK_BATCH_MAX) }, this.owner);
    }
    if (s.open.length > 0) this.opts.onQueued?.();
  }

  /** Runs `fn` after what runs now; its failure becomes `error` (shown), so the chain never breaks. */
  private serial(fn: () => Promise<void>): Promise<void> {
    const next = this.chain.then(fn).then(
      () => undefined,
      (err: unknown) => {
        this.error = err instanceof Error ? err.message : String(err);
        this.changed();
      },
    );
    this.chain = next;
    return next;
  }

  private changed(): void {
    this.snap = null;
    for (const l of this.listeners) l();
  }
}

/** A TrackStore in memory (tests; and where the browser refuses localStorage). */
export function memoryTrackStore(): TrackStore {
  const map = new Map<string, { owner: string; state: TrackState }>();
  const key = (owner: string, planId: string) => JSON.stringify([owner, planId]);
  return {
    read: (owner, planId) => structuredClone(map.get(key(owner, planId))?.state ?? null),
    write: (owner, state) => void map.set(key(owner, state.planId), { owner, state: structuredClone(state) }),
    remove: (owner, planId) => void map.delete(key(owner, planId)),
    plans: (owner) => [...map.values()].filter((e) => e.owner === owner).map((e) => e.state.planId),
  };
}
