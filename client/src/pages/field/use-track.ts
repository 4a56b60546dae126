/**
 * The walked track on the field page: one TrackRecorder per signed-in person (a module singleton, like
 * the record queue, so a remount does not record twice), fed with the GPS fixes, ticked for its
 * minute batches, flushed when the page is hidden or closed, and taken up again after a reload.
 */
import { useEffect, useState } from 'react';
import { cityDate } from '../../../../server/contract/city-time';
import { newUuid } from '../../lib/ids';
import { localTrackStore } from './field-storage';
import { fieldQueue } from './queue';
import { TrackRecorder, type TrackSnapshot } from './track-recorder';
import type { Fix } from './use-gps';
import { syncSoon } from './use-sync-queue';
import { useWakeLock, type WakeLock } from './use-wake-lock';

/** How often an open batch is looked at for its age (ms); TRACK_FLUSH_MS decides when it goes. */
const TICK_MS = 5_000;

const recorders = new Map<string, TrackRecorder>();

/** The recorder of `owner` (one per page load). */
function recorderOf(owner: string): TrackRecorder {
  let r = recorders.get(owner);
  if (!r) {
    r = new TrackRecorder(localTrackStore(), fieldQueue(), owner, { newId: () => newUuid(), onQueued: () => syncSoon(owner) });
    recorders.set(owner, r);
  }
  return r;
}

export interface UseTrack {
  track: TrackSnapshot;
  wakeLock: WakeLock;
  start: (planId: string, team: number) => void;
  stop: () => void;
}

/**
 * `owner`'s track of today's plan. `planId` is today's plan once the plans are known (null: none
 * today), undefined before: only then is a recording taken up again or another plan's leftovers queued.
 * Every new `fix` (a new object from useGps) is offered while recording.
 */
export function useTrack(owner: string, planId: string | null | undefined, fix: Fix): UseTrack {
  const recorder = recorderOf(owner);
  const [track, setTrack] = useState(() => recorder.snapshot());
  useEffect(() => {
    setTrack(recorder.snapshot());
    return recorder.onChange(() => setTrack(recorder.snapshot()));
  }, [recorder]);

  useEffect(() => {
    if (planId === undefined) return;
    void recorder.restore(planId, cityDate(Date.now()));
  }, [recorder, planId]);

  const recording = track.recording;
  useEffect(() => {
    if (!recording || fix.atMs === null || fix.accuracyM === null) return;
    recorder.offer({ lng: fix.at[0], lat: fix.at[1], atMs: fix.atMs, accuracyM: fix.accuracyM });
  }, [recorder, recording, fix]);

  useEffect(() => {
    if (!recording) return;
    const timer = window.setInterval(() => recorder.tick(Date.now()), TICK_MS);
    // Hidden is the last moment a phone's browser surely runs the page: what is open goes into the queue (it is kept on the phone either way).
    const onHide = () => {
      if (document.visibilityState === 'hidden') void recorder.flush();
    };
    const onPageHide = () => void recorder.flush();
    document.addEventListener('visibilitychange', onHide);
    window.addEventListener('pagehide', onPageHide);
    return () => {
      window.clearInterval(timer);
      document.removeEventListener('visibilitychange', onHide);
      window.removeEventListener('pagehide', onPageHide);
    };
  }, [recorder, recording]);

  const wakeLock = useWakeLock(recording);
  return {
    track,
    wakeLock,
    start: (id, team) => void recorder.start(id, team, cityDate(Date.now())),
    stop: () => void recorder.stop(),
  };
}
