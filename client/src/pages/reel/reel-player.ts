/**
 * Where the reel is and whether it plays, as a pure reducer: position 0 is the title card, 1…n the
 * slides, n + 1 the end card. The presenter steps whole problems (← →, a clicker's PageUp/PageDown);
 * the clock (use-reel-player.ts) advances frame by frame within a problem. Playing from a card starts
 * at the first problem; the reel stops on its end card.
 */

export interface PlayerState {
  pos: number;
  /** The frame of the current slide (reel-slides.ts `slideFrames`); 0 on a card. */
  frame: number;
  playing: boolean;
}

export type PlayerAction =
  | { type: 'next' }
  | { type: 'prev' }
  | { type: 'toggle' }
  | { type: 'pause' }
  /** The current frame's time is up. */
  | { type: 'advance' }
  | { type: 'restart' };

/** The title card, paused: a meeting starts the reel when the room is ready. */
export const PLAYER_START: PlayerState = { pos: 0, frame: 0, playing: false };

/**
 * The state after `action`, for a reel whose slides have `frameCounts[i]` frames each.
 *
 * @example stepPlayer(PLAYER_START, { type: 'toggle' }, [1, 2]) // { pos: 1, frame: 0, playing: true }
 */
export function stepPlayer(s: PlayerState, action: PlayerAction, frameCounts: readonly number[]): PlayerState {
  const n = frameCounts.length;
  if (n === 0) return PLAYER_START;
  const end = n + 1;
  const onSlide = s.pos >= 1 && s.pos <= n;
  switch (action.type) {
    case 'next':
      if (s.pos >= end) return s;
      return { pos: s.pos + 1, frame: 0, playing: s.pos + 1 === end ? false : s.playing };
    case 'prev':
      if (s.pos <= 0) return s;
      return { pos: s.pos - 1, frame: 0, playing: s.pos - 1 === 0 ? false : s.playing };
    case 'toggle':
      return onSlide ? { ...s, playing: !s.playing } : { pos: 1, frame: 0, playing: true };
    case 'pause':
      return s.playing ? { ...s, playing: false } : s;
    case 'restart':
      return { pos: 1, frame: 0, playing: true };
    case 'advance': {
      if (!onSlide || !s.playing) return s;
      if (s.frame + 1 < Math.max(1, frameCounts[s.pos - 1])) return { ...s, frame: s.frame + 1 };
      return { pos: s.pos + 1, frame: 0, playing: s.pos + 1 !== end };
    }
  }
}

/**
 * The progress bar: the share of the reel done before the current frame, and the current frame's
 * share (filled as it plays), both 0–1. Each problem gets an equal share, split among its frames.
 */
export function progressOf(s: PlayerState, frameCounts: readonly number[]): { done: number; current: number } {
  const n = frameCounts.length;
  if (n === 0 || s.pos === 0) return { done: 0, current: 0 };
  if (s.pos > n) return { done: 1, current: 0 };
  const frames = Math.max(1, frameCounts[s.pos - 1]);
  return { done: (s.pos - 1 + s.frame / frames) / n, current: 1 / (n * frames) };
}
