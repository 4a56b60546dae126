/**
 * The walked track as the field page records it: the sampling rule decides which fixes are kept, kept
 * fixes gather in an open batch that survives a reload, and the batch becomes one 'track' record of the
 * real record queue every 20 fixes, after a minute, or when recording stops. A batch queued twice
 * (the page died between queueing and forgetting it) is harmless because every point has its own UUID.
 */
import { describe, expect, it } from 'vitest';
import { haversineM } from '../../../../server/contract/geo';
import { TRACK_GAP_MS, TRACK_MAX_ACCURACY_M, type TrackFix } from '../../../../server/contract/track-rules';
import { memoryStorage, SyncQueue } from '../../../../client/src/lib/sync-queue';
import { memoryTrackStore, TrackRecorder, TRACK_FLUSH_MS, type TrackStore } from '../../../../client/src/pages/field/track-recorder';

const PLAN = 'plan-1';
const DAY = '2026-03-20';
const T0 = Date.parse('2026-03-20T09:00:00+08:00');
const START: [number, number] = [115.9841, 36.4481];

/** The `i`-th fix of a walk north at 3 m/s, one every 6 s (15 m apart: each one is kept). */
const walkFix = (i: number, accuracyM = 8): TrackFix => ({ lng: START[0], lat: START[1] + (i * 18) / 111_320, atMs: T0 + i * 6_000, accuracyM });

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const ids = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => id(from + i));
/** Lets every pending promise of the recorder and the in-memory queue run (they wait on nothing else). */
const settled = () => new Promise((resolve) => setTimeout(resolve, 0));

/** A recorder over the real record queue; its point ids count up from `idBase + 1` (a reloaded page gets another base). */
function setup(store: TrackStore = memoryTrackStore(), owner = 'li', idBase = 0) {
  let n = idBase;
  const queue = new SyncQueue(memoryStorage(), async (r) => r.id);
  const recorder = new TrackRecorder(store, queue, owner, { newId: () => id(++n) });
  /** The queued track records' point ids, one array per record. */
  const batches = async () => (await queue.list(owner)).map((r) => (r.kind === 'track' ? r.payload.points.map((p) => p.id) : []));
  return { store, queue, recorder, batches };
}

describe('TrackRecorder', () => {
  it('keeps nothing before it is started', async () => {
    const { recorder, batches } = setup();
    expect(recorder.offer(walkFix(0))).toBe(false);
    expect(recorder.snapshot()).toMatchObject({ recording: false, kept: 0, open: 0 });
    expect(await batches()).toEqual([]);
  });

  it('queues one track record of 20 points after 20 kept fixes, each with its own id, and nothing before', async () => {
    const { recorder, queue, batches } = setup();
    await recorder.start(PLAN, 1, DAY);
    for (let i = 0; i < 19; i++) expect(recorder.offer(walkFix(i))).toBe(true);
    await settled();
    expect(await batches()).toEqual([]);
    expect(recorder.snapshot().open).toBe(19);

    recorder.offer(walkFix(19));
    await settled();
    expect(await batches()).toEqual([ids(1, 20)]);
    const [r] = await queue.list('li');
    expect(r).toMatchObject({ kind: 'track', state: 'waiting', owner: 'li' });
    expect(r.kind === 'track' && r.payload.planId).toBe(PLAN);
    expect(r.kind === 'track' && r.payload.team).toBe(1);
    expect(r.kind === 'track' && r.payload.points[0]).toEqual({ id: id(1), lng: START[0], lat: START[1], at: '2026-03-20T09:00:00+08:00', accuracyM: 8 });
    expect(r.kind === 'track' && r.payload.points[19].at).toBe('2026-03-20T09:01:54+08:00');
    expect(recorder.snapshot()).toMatchObject({ recording: true, kept: 20, open: 0 });
  });

  it('keeps by the sampling rule: none too vague, one a minute standing still', async () => {
    const { recorder } = setup();
    await recorder.start(PLAN, 0, DAY);
    expect(recorder.offer({ ...walkFix(0), accuracyM: TRACK_MAX_ACCURACY_M + 10 })).toBe(false);
    expect(recorder.snapshot()).toMatchObject({ kept: 0, lastAccuracyM: 60, lastKept: false });
    // Standing at a market for two minutes, a fix every second.
    const kept = Array.from({ length: 121 }, (_, s) => recorder.offer({ ...walkFix(0), atMs: T0 + s * 1000 })).filter(Boolean).length;
    expect(kept).toBe(3);
    expect(recorder.snapshot().distanceM).toBe(0);
  });

  it('adds the distance between kept fixes, and breaks the line without distance over a long gap', async () => {
    const { recorder } = setup();
    await recorder.start(PLAN, 0, DAY);
    for (let i = 0; i < 4; i++) recorder.offer(walkFix(i));
    const late = { ...walkFix(4), atMs: walkFix(3).atMs + TRACK_GAP_MS + 1 };
    recorder.offer(late);
    recorder.offer({ ...walkFix(5), atMs: late.atMs + 6_000 });
    const step = haversineM(START[0], START[1], walkFix(1).lng, walkFix(1).lat);
    const s = recorder.snapshot();
    expect(s.distanceM).toBeCloseTo(4 * step, 6);
    expect(s.parts.map((p) => p.length)).toEqual([4, 2]);
    expect(s.parts[1][0]).toEqual([late.lng, late.lat]);
  });

  it('keeps the open batch through a reload: the new page takes the recording up again and batches on from there', async () => {
    const store = memoryTrackStore();
    const before = setup(store);
    await before.recorder.start(PLAN, 0, DAY);
    for (let i = 0; i < 7; i++) before.recorder.offer(walkFix(i));
    // The page is reloaded: nothing of `before` is used again but what it left in the store.
    const after = setup(store, 'li', 100);
    expect(after.recorder.snapshot().recording).toBe(false);
    await after.recorder.restore(PLAN, DAY);
    expect(after.recorder.snapshot()).toMatchObject({ recording: true, planId: PLAN, team: 0, kept: 7, open: 7 });
    expect(after.recorder.snapshot().parts[0]).toHaveLength(7);
    // The sampling goes on from the last fix before the reload: one 2 s later is too soon.
    expect(after.recorder.offer({ ...walkFix(7), atMs: walkFix(6).atMs + 2_000 })).toBe(false);
    for (let i = 7; i < 20; i++) expect(after.recorder.offer(walkFix(i))).toBe(true);
    await settled();
    // One batch of 20: the old page's seven fixes, then the new page's thirteen.
    expect(await after.batches()).toEqual([[...ids(1, 7), ...ids(101, 113)]]);
    expect(await before.batches()).toEqual([]);
  });

  it('queues what is open when recording stops, and keeps the walked line on the map', async () => {
    const { recorder, batches, store } = setup();
    await recorder.start(PLAN, 0, DAY);
    for (let i = 0; i < 5; i++) recorder.offer(walkFix(i));
    await recorder.stop();
    expect(await batches()).toEqual([ids(1, 5)]);
    expect(recorder.snapshot()).toMatchObject({ recording: false, kept: 5, open: 0 });
    expect(recorder.snapshot().parts[0]).toHaveLength(5);
    expect(recorder.offer(walkFix(5))).toBe(false);
    // Not recording is remembered too: a reload does not start again.
    const after = setup(store);
    await after.recorder.restore(PLAN, DAY);
    expect(after.recorder.snapshot()).toMatchObject({ recording: false, kept: 5 });
  });

  it('queues the open batch once its oldest fix is a minute old, not before', async () => {
    const { recorder, batches } = setup();
    await recorder.start(PLAN, 0, DAY);
    for (let i = 0; i < 3; i++) recorder.offer(walkFix(i));
    recorder.tick(T0 + TRACK_FLUSH_MS - 1);
    await settled();
    expect(await batches()).toEqual([]);
    recorder.tick(T0 + TRACK_FLUSH_MS);
    await settled();
    expect(await batches()).toEqual([ids(1, 3)]);
    // The next batch's minute counts from its own first fix (66 s in).
    recorder.offer(walkFix(11));
    recorder.tick(T0 + 66_000 + TRACK_FLUSH_MS - 1);
    await settled();
    expect(await batches()).toEqual([ids(1, 3)]);
    recorder.tick(T0 + 66_000 + TRACK_FLUSH_MS);
    await settled();
    expect(await batches()).toEqual([ids(1, 3), ids(4, 4)]);
  });

  it('on a new day (or another plan) queues what the old recording left open and forgets it', async () => {
    const store = memoryTrackStore();
    const before = setup(store);
    await before.recorder.start(PLAN, 0, DAY);
    for (let i = 0; i < 4; i++) before.recorder.offer(walkFix(i));
    const after = setup(store);
    await after.recorder.restore('plan-2', '2026-03-21');
    expect(await after.batches()).toEqual([ids(1, 4)]);
    expect(after.recorder.snapshot()).toMatchObject({ recording: false, kept: 0, planId: null });
    expect(store.plans('li')).toEqual([]);
  });

  it("does not take up someone else's recording on a shared phone", async () => {
    const store = memoryTrackStore();
    const li = setup(store, 'li');
    await li.recorder.start(PLAN, 0, DAY);
    li.recorder.offer(walkFix(0));
    const zhang = setup(store, 'zhang');
    await zhang.recorder.restore(PLAN, DAY);
    expect(zhang.recorder.snapshot()).toMatchObject({ recording: false, kept: 0 });
    expect(store.plans('li')).toEqual([PLAN]);
  });

  it('starting for another team queues the first team’s open fixes under that team and starts a new line', async () => {
    const { recorder, queue } = setup();
    await recorder.start(PLAN, 0, DAY);
    for (let i = 0; i < 3; i++) recorder.offer(walkFix(i));
    await recorder.start(PLAN, 2, DAY);
    expect(recorder.snapshot()).toMatchObject({ recording: true, team: 2, kept: 0, distanceM: 0 });
    const list = await queue.list('li');
    expect(list.map((r) => r.kind === 'track' && [r.payload.team, r.payload.points.length])).toEqual([[0, 3]]);
  });

  it('a batch the storage refused stays open and is shown; the next try queues it', async () => {
    const store = memoryTrackStore();
    let refuse = true;
    const queue = new SyncQueue(memoryStorage(), async (r) => r.id);
    const flaky = {
      add: (...args: Parameters<SyncQueue['add']>) => (refuse ? Promise.reject(new Error('QuotaExceededError')) : queue.add(...args)),
    };
    let n = 0;
    const recorder = new TrackRecorder(store, flaky, 'li', { newId: () => id(++n) });
    await recorder.start(PLAN, 0, DAY);
    for (let i = 0; i < 20; i++) recorder.offer(walkFix(i));
    await recorder.flush();
    expect(recorder.snapshot()).toMatchObject({ open: 20, error: 'QuotaExceededError' });
    expect(await queue.list()).toEqual([]);
    refuse = false;
    await recorder.flush();
    expect(recorder.snapshot()).toMatchObject({ open: 0, error: null });
    expect((await queue.list()).map((r) => r.kind === 'track' && r.payload.points.length)).toEqual([20]);
  });

  it('a fix the storage refused is kept in memory and queued with the next batch, and the page says why', async () => {
    const inner = memoryTrackStore();
    let full = false;
    const store: TrackStore = {
      ...inner,
      write: (owner, state) => {
        if (full) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
        inner.write(owner, state);
      },
    };
    const { recorder, batches } = setup(store);
    await recorder.start(PLAN, 0, DAY);
    recorder.offer(walkFix(0));
    full = true;
    expect(recorder.offer(walkFix(1))).toBe(true);
    expect(recorder.snapshot()).toMatchObject({ kept: 2, open: 2, error: 'The quota has been exceeded.' });
    full = false;
    await recorder.stop();
    expect(await batches()).toEqual([ids(1, 2)]);
    expect(recorder.snapshot()).toMatchObject({ open: 0, error: null });
  });

  it('a batch queued again after the page died before forgetting it is stored once by a server keyed on point ids', async () => {
    const inner = memoryTrackStore();
    let dead = false;
    // The page dies right after the batch went into the queue: the store never hears that it is gone.
    const dying: TrackStore = {
      ...inner,
      write: (owner, state) => {
        if (dead) throw new Error('the page is gone');
        inner.write(owner, state);
      },
    };
    const stored = new Set<string>();
    let received = 0;
    const queue = new SyncQueue(memoryStorage(), async (r) => {
      if (r.kind !== 'track') return r.id;
      received += r.payload.points.length;
      for (const p of r.payload.points) stored.add(p.id);
      return r.id;
    });
    let n = 0;
    const dyingQueue = { add: (...a: Parameters<SyncQueue['add']>) => queue.add(...a).finally(() => (dead = true)) };
    const before = new TrackRecorder(dying, dyingQueue, 'li', { newId: () => id(++n) });
    await before.start(PLAN, 0, DAY);
    for (let i = 0; i < 20; i++) before.offer(walkFix(i));
    await before.flush();
    expect(before.snapshot().error).toBe('the page is gone');

    const after = new TrackRecorder(inner, queue, 'li', { newId: () => id(++n) });
    await after.restore(PLAN, DAY);
    expect(after.snapshot().open).toBe(20);
    await after.stop();
    expect(await queue.list('li')).toHaveLength(2);
    await queue.sync('li');
    expect(received).toBe(40);
    expect(stored.size).toBe(20);
  });
});
