/**
 * What one slide of the reel shows and for how long. Pure: slides in, frames, timings and texts out;
 * use-reel-player.ts runs the clock and ReelStage.tsx draws.
 *
 * A problem with several photos shows them in turn, one large at a time (a thumbnail strip cannot be
 * read from the back of a meeting room): frame i holds its i-th before photo and, where rectified, its
 * i-th after photo beside it, the shorter list holding its last one.
 */
import type { ReelMedia, ReelSlide } from '../../api/reel';
import type { MessageKey } from '../../app/i18n';

export interface ReelFrame {
  /** Null only for a problem the server sent without a report photo (the contract promises one). */
  before: ReelMedia | null;
  /** The rectification's photo beside it; null when not rectified or rectified without one. */
  after: ReelMedia | null;
}

/** The frames of a slide, one per photo of its longer list; at least one. */
export function slideFrames(slide: Pick<ReelSlide, 'before' | 'after'>): ReelFrame[] {
  const n = Math.max(slide.before.length, slide.after.length, 1);
  const at = (list: readonly ReelMedia[], i: number) => (list.length ? list[Math.min(i, list.length - 1)] : null);
  return Array.from({ length: n }, (_, i) => ({ before: at(slide.before, i), after: at(slide.after, i) }));
}

/** Slack after a clip's stated length before the reel gives up waiting for its end (a stalled or undecodable clip). */
export const CLIP_GRACE_MS = 3_000;

export interface FrameTiming {
  /** The least time it stays: the slide time, so the place and dates beside a short clip can be read. */
  minMs: number;
  /** The clips it waits for (their `src`): it ends once all have ended, or at `maxMs`. */
  clips: string[];
  /** The most it stays, however the clips play. */
  maxMs: number;
  /** What it is expected to last, for the progress bar: the slide time, or the longest clip when longer. */
  expectedMs: number;
}

/**
 * How long a frame stays up: a photo `slideS` seconds; a clip to its end (each clip of the frame),
 * but never less than a photo, and no longer than its stated length and CLIP_GRACE_MS.
 *
 * @example frameTiming({ before: clip30s, after: null }, 8) // { minMs: 8000, clips: [clip30s.src], maxMs: 33000, expectedMs: 30000 }
 */
export function frameTiming(frame: ReelFrame, slideS: number): FrameTiming {
  const minMs = Math.round(slideS * 1000);
  const clips = [frame.before, frame.after].filter((m): m is ReelMedia => m?.kind === 'video');
  // A clip whose length the server could not read plays at most one slide time more.
  const longest = clips.reduce((ms, c) => Math.max(ms, c.durationMs ?? minMs), 0);
  return {
    minMs,
    clips: clips.map((c) => c.src),
    maxMs: clips.length ? Math.max(minMs, longest) + CLIP_GRACE_MS : minMs,
    expectedMs: Math.max(minMs, longest),
  };
}

/** A sentence of the i18n table with its parameters. */
export interface Phrase {
  key: MessageKey;
  params?: Record<string, string | number>;
}

/**
 * How long the problem has been, or was, open: "已 12 天未整改" (red when overdue), "12 天后整改",
 * "当天整改"; a problem closed without a rectification, or not filed, by its status.
 */
export function openDaysPhrase(s: Pick<ReelSlide, 'status' | 'rectifiedAt' | 'openDays' | 'overdue'>): Phrase & { tone: 'bad' | 'good' | 'plain' } {
  const n = s.openDays;
  if (s.rectifiedAt !== null && (s.status === 'rectified' || s.status === 'closed')) {
    if (n === 0) return { key: 'reel.days.sameDay', tone: 'good' };
    // English says "1 day", not "1 days": one key per number form, the same words in Chinese.
    return { key: n === 1 ? 'reel.days.afterOne' : 'reel.days.after', params: { n }, tone: 'good' };
  }
  if (s.status === 'closed' || s.status === 'rejected') return { key: `status.${s.status}`, tone: 'plain' };
  const tone = s.overdue ? 'bad' : 'plain';
  if (n === 0) return { key: 'reel.days.today', tone };
  return { key: n === 1 ? 'reel.days.openOne' : 'reel.days.open', params: { n }, tone };
}

/** The end card's tally: how many of the reel's problems were rectified, are open, are overdue. */
export function reelTally(slides: readonly Pick<ReelSlide, 'status' | 'rectifiedAt' | 'overdue'>[]): { rectified: number; open: number; overdue: number } {
  let rectified = 0;
  let open = 0;
  let overdue = 0;
  for (const s of slides) {
    if (s.rectifiedAt !== null && (s.status === 'rectified' || s.status === 'closed')) rectified++;
    else if (s.status !== 'closed' && s.status !== 'rejected') open++;
    if (s.overdue) overdue++;
  }
  return { rectified, open, overdue };
}
