import { describe, expect, it } from 'vitest';
import { PLAYER_START, progressOf, stepPlayer, type PlayerAction, type PlayerState } from '../../../../client/src/pages/reel/reel-player';

// Three problems: one photo, three photos shown in turn, one photo.
const FRAMES = [1, 3, 1];

/** The states after each action in turn, from the title card. */
function run(actions: PlayerAction['type'][], frames = FRAMES, from: PlayerState = PLAYER_START): PlayerState[] {
  const out: PlayerState[] = [];
  let s = from;
  for (const type of actions) {
    s = stepPlayer(s, { type } as PlayerAction, frames);
    out.push(s);
  }
  return out;
}

describe('stepPlayer', () => {
  it('waits on the title card, then plays every frame of every problem in order and stops on the end card', () => {
    expect(PLAYER_START).toEqual({ pos: 0, frame: 0, playing: false });
    // The clock only advances a playing slide: on the paused title card nothing moves.
    expect(stepPlayer(PLAYER_START, { type: 'advance' }, FRAMES)).toBe(PLAYER_START);
    const states = run(['toggle', 'advance', 'advance', 'advance', 'advance', 'advance', 'advance']);
    expect(states.map((s) => [s.pos, s.frame, s.playing])).toEqual([
      [1, 0, true],
      [2, 0, true],
      [2, 1, true],
      [2, 2, true],
      [3, 0, true],
      [4, 0, false],
      [4, 0, false],
    ]);
  });

  it('steps whole problems by hand, playing or paused, from the title card to the end card and back', () => {
    expect(run(['next', 'next', 'next', 'next', 'next']).map((s) => [s.pos, s.frame, s.playing])).toEqual([
      [1, 0, false],
      [2, 0, false],
      [3, 0, false],
      [4, 0, false],
      [4, 0, false],
    ]);
    // In the middle of a problem's photos, → goes to the next problem, ← to the previous one's first photo.
    const mid: PlayerState = { pos: 2, frame: 1, playing: true };
    expect(stepPlayer(mid, { type: 'next' }, FRAMES)).toEqual({ pos: 3, frame: 0, playing: true });
    expect(stepPlayer(mid, { type: 'prev' }, FRAMES)).toEqual({ pos: 1, frame: 0, playing: true });
    // Stepping onto a card stops the clock there.
    expect(stepPlayer({ pos: 3, frame: 0, playing: true }, { type: 'next' }, FRAMES)).toEqual({ pos: 4, frame: 0, playing: false });
    expect(stepPlayer({ pos: 1, frame: 0, playing: true }, { type: 'prev' }, FRAMES)).toEqual({ pos: 0, frame: 0, playing: false });
    expect(stepPlayer(PLAYER_START, { type: 'prev' }, FRAMES)).toBe(PLAYER_START);
    expect(stepPlayer({ pos: 4, frame: 0, playing: false }, { type: 'prev' }, FRAMES)).toEqual({ pos: 3, frame: 0, playing: false });
  });

  it('pauses and resumes on a slide, and starts or replays from the first problem on a card', () => {
    const playing: PlayerState = { pos: 2, frame: 2, playing: true };
    const paused = stepPlayer(playing, { type: 'toggle' }, FRAMES);
    expect(paused).toEqual({ pos: 2, frame: 2, playing: false });
    expect(stepPlayer(paused, { type: 'advance' }, FRAMES)).toBe(paused);
    expect(stepPlayer(paused, { type: 'toggle' }, FRAMES)).toEqual(playing);
    expect(stepPlayer(playing, { type: 'pause' }, FRAMES)).toEqual(paused);
    expect(stepPlayer({ pos: 4, frame: 0, playing: false }, { type: 'toggle' }, FRAMES)).toEqual({ pos: 1, frame: 0, playing: true });
    expect(stepPlayer({ pos: 4, frame: 0, playing: false }, { type: 'restart' }, FRAMES)).toEqual({ pos: 1, frame: 0, playing: true });
  });

  it('stays on the title card of an empty reel', () => {
    expect(run(['toggle', 'next', 'advance'], [])).toEqual([PLAYER_START, PLAYER_START, PLAYER_START]);
  });
});

describe('progressOf', () => {
  it('gives each problem an equal share of the bar, split among its photos', () => {
    expect(progressOf(PLAYER_START, FRAMES)).toEqual({ done: 0, current: 0 });
    expect(progressOf({ pos: 1, frame: 0, playing: true }, FRAMES)).toEqual({ done: 0, current: 1 / 3 });
    expect(progressOf({ pos: 2, frame: 2, playing: true }, FRAMES)).toEqual({ done: (1 + 2 / 3) / 3, current: 1 / 9 });
    expect(progressOf({ pos: 4, frame: 0, playing: false }, FRAMES)).toEqual({ done: 1, current: 0 });
  });
});
