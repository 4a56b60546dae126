/**
 * The Screen Wake Lock while a track is recorded: a web page gets no GPS once the phone locks its
 * screen, so the screen is kept on instead. The browser drops the lock whenever the page is hidden;
 * it is asked for again each time the page is visible again. The rule is `holdWakeLock` over a small
 * interface (tested without a browser); the hook gives it the page's document and navigator.
 */
import { useEffect, useState } from 'react';

/**
 * `on`: the screen stays on; `off`: not asked (not recording) or dropped while hidden; `unsupported`:
 * this browser has no Screen Wake Lock; `refused`: it said no (battery saver, a policy).
 */
export type WakeLockState = 'off' | 'on' | 'unsupported' | 'refused';

export interface WakeLock {
  state: WakeLockState;
  /** The browser's sentence when it refused, else null. */
  reason: string | null;
}

/** The part of a WakeLockSentinel the rule uses. */
export interface Sentinel {
  readonly released: boolean;
  release(): Promise<void>;
  addEventListener(type: 'release', listener: () => void): void;
}

/** What the rule needs of the page: the lock request, whether the page is visible, and its changes. */
export interface WakeLockEnv {
  request: () => Promise<Sentinel>;
  visible: () => boolean;
  /** Calls `listener` on every visibility change; returns the unsubscribe. */
  onVisibility: (listener: () => void) => () => void;
}

/**
 * Holds the screen wake lock until the returned function is called (which releases it): asks now if the
 * page is visible, and again whenever it becomes visible while the lock is not held. Tells `onChange`
 * every new state. A refusal other than the browser's DOMException is a bug and is thrown.
 */
export function holdWakeLock(env: WakeLockEnv, onChange: (lock: WakeLock) => void): () => void {
  let sentinel: Sentinel | null = null;
  let asking = false;
  let held = true;
  const acquire = () => {
    // Only a visible page may hold it: asking while hidden is refused, and the next `visible` asks again.
    if (!held || asking || !env.visible() || (sentinel && !sentinel.released)) return;
    asking = true;
    env.request().then(
      (s) => {
        asking = false;
        if (!held) return void s.release();
        sentinel = s;
        s.addEventListener('release', () => held && onChange({ state: 'off', reason: null }));
        onChange({ state: 'on', reason: null });
      },
      (err: unknown) => {
        asking = false;
        if (!(err instanceof DOMException)) throw err;
        if (held) onChange({ state: 'refused', reason: `${err.name}: ${err.message}` });
      },
    );
  };
  const off = env.onVisibility(acquire);
  acquire();
  return () => {
    held = false;
    off();
    void sentinel?.release();
    onChange({ state: 'off', reason: null });
  };
}

/** Whether this browser has the Screen Wake Lock API (secure pages only). */
export const hasWakeLock = (): boolean => typeof navigator !== 'undefined' && 'wakeLock' in navigator;

const PAGE: WakeLockEnv = {
  request: () => navigator.wakeLock.request('screen'),
  visible: () => document.visibilityState === 'visible',
  onVisibility: (listener) => {
    document.addEventListener('visibilitychange', listener);
    return () => document.removeEventListener('visibilitychange', listener);
  },
};

/** Holds the screen wake lock while `active`; returns its state. */
export function useWakeLock(active: boolean): WakeLock {
  const [lock, setLock] = useState<WakeLock>({ state: hasWakeLock() ? 'off' : 'unsupported', reason: null });
  useEffect(() => {
    if (!active || !hasWakeLock()) return;
    return holdWakeLock(PAGE, setLock);
  }, [active]);
  return lock;
}
