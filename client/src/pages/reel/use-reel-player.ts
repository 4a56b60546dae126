/**
 * The reel's clock: the player state (reel-player.ts) and the timer that advances it. A frame's time
 * (reel-slides.ts `frameTiming`) survives a pause: paused at 5 of 8 s, it resumes with 3 s left. A
 * frame with clips also waits for each clip's end, which the stage reports through `clipEnded`.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ReelSlide } from '../../api/reel';
import { PLAYER_START, stepPlayer, type PlayerAction, type PlayerState } from './reel-player';
import { frameTiming, slideFrames, type FrameTiming, type ReelFrame } from './reel-slides';

export interface ReelPlayer {
  state: PlayerState;
  dispatch: (action: PlayerAction) => void;
  /** Every slide's frames. */
  frames: ReelFrame[][];
  frameCounts: number[];
  /** The frame on screen; null on the title and end cards. */
  frame: ReelFrame | null;
  timing: FrameTiming | null;
  /** `pos:frame`: a new value for every frame shown, for keys that restart an animation. */
  clockKey: string;
  /** The stage says a clip has ended (or cannot play). */
  clipEnded: (src: string) => void;
}

/** The player of `slides`, a photo staying `slideS` seconds. */
export function useReelPlayer(slides: readonly ReelSlide[], slideS: number): ReelPlayer {
  const frames = useMemo(() => slides.map(slideFrames), [slides]);
  const frameCounts = useMemo(() => frames.map((f) => f.length), [frames]);
  const [state, setState] = useState<PlayerState>(PLAYER_START);
  const dispatch = useCallback((action: PlayerAction) => setState((s) => stepPlayer(s, action, frameCounts)), [frameCounts]);

  const onSlide = state.pos >= 1 && state.pos <= slides.length;
  const frame = onSlide ? frames[state.pos - 1][state.frame] : null;
  const timing = useMemo(() => (frame ? frameTiming(frame, slideS) : null), [frame, slideS]);
  const clockKey = `${state.pos}:${state.frame}`;

  // The time spent on the frame `key` before the last pause, and the clips of it that have ended.
  const clock = useRef({ key: '', elapsedMs: 0, ended: new Set<string>() });
  const check = useRef<(() => void) | null>(null);
  useEffect(() => {
    if (clock.current.key !== clockKey) clock.current = { key: clockKey, elapsedMs: 0, ended: new Set() };
    if (!state.playing || !timing) return;
    const c = clock.current;
    const started = performance.now();
    const elapsed = () => c.elapsedMs + performance.now() - started;
    let done = false;
    const tryAdvance = () => {
      const t = elapsed();
      // A millisecond of slack: timers and performance.now() round differently.
      const up = t >= timing.maxMs - 1 || (t >= timing.minMs - 1 && timing.clips.every((src) => c.ended.has(src)));
      if (done || !up) return;
      done = true;
      setState((s) => stepPlayer(s, { type: 'advance' }, frameCounts));
    };
    const minTimer = setTimeout(tryAdvance, Math.max(0, timing.minMs - c.elapsedMs));
    const maxTimer = setTimeout(tryAdvance, Math.max(0, timing.maxMs - c.elapsedMs));
    check.current = tryAdvance;
    return () => {
      clearTimeout(minTimer);
      clearTimeout(maxTimer);
      c.elapsedMs = elapsed();
      check.current = null;
    };
  }, [clockKey, state.playing, timing, frameCounts]);

  const clipEnded = useCallback(
    (src: string) => {
      if (clock.current.key !== clockKey) return;
      clock.current.ended.add(src);
      check.current?.();
    },
    [clockKey],
  );

  return { state, dispatch, frames, frameCounts, frame, timing, clockKey, clipEnded };
}

/**
 * False once the pointer has been still (and no key pressed) for `ms`: the controls fade and the
 * cursor hides, as in a presentation; any move or key brings them back.
 */
export function usePointerActive(ms: number): boolean {
  const [active, setActive] = useState(true);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    const wake = () => {
      setActive(true);
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => setActive(false), ms);
    };
    wake();
    const events = ['pointermove', 'pointerdown', 'keydown', 'wheel'] as const;
    for (const e of events) window.addEventListener(e, wake, { passive: true });
    return () => {
      if (timer) clearTimeout(timer);
      for (const e of events) window.removeEventListener(e, wake);
    };
  }, [ms]);
  return active;
}
