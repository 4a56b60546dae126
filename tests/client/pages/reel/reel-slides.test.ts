import { describe, expect, it } from 'vitest';
import type { ReelMedia, ReelSlide } from '../../../../client/src/api/reel';
import { translate } from '../../../../client/src/app/i18n';
import { CLIP_GRACE_MS, frameTiming, openDaysPhrase, reelTally, slideFrames } from '../../../../client/src/pages/reel/reel-slides';

const photo = (name: string): ReelMedia => ({
  kind: 'photo',
  src: `/media/${name}/screen`,
  thumbUrl: `/media/${name}/thumb`,
  posterUrl: null,
  width: 1600,
  height: 1200,
  durationMs: null,
  review: 'unchecked',
});
const clip = (name: string, durationMs: number | null): ReelMedia => ({
  ...photo(name),
  kind: 'video',
  src: `/media/${name}`,
  posterUrl: `/media/${name}/screen`,
  durationMs,
});

describe('slideFrames', () => {
  it('shows one frame for one photo, with no after photo when not rectified', () => {
    expect(slideFrames({ before: [photo('a')], after: [] })).toEqual([{ before: photo('a'), after: null }]);
  });

  it('shows the photos in turn, the shorter list holding its last', () => {
    const frames = slideFrames({ before: [photo('b1'), photo('b2'), photo('b3')], after: [photo('a1')] });
    expect(frames.map((f) => [f.before?.src, f.after?.src])).toEqual([
      ['/media/b1/screen', '/media/a1/screen'],
      ['/media/b2/screen', '/media/a1/screen'],
      ['/media/b3/screen', '/media/a1/screen'],
    ]);
    expect(slideFrames({ before: [photo('b1')], after: [photo('a1'), photo('a2')] }).map((f) => [f.before?.src, f.after?.src])).toEqual([
      ['/media/b1/screen', '/media/a1/screen'],
      ['/media/b1/screen', '/media/a2/screen'],
    ]);
  });

  it('still gives one frame to a problem the server sent without photos', () => {
    expect(slideFrames({ before: [], after: [] })).toEqual([{ before: null, after: null }]);
  });
});

describe('frameTiming', () => {
  it('keeps a photo up for the slide time', () => {
    expect(frameTiming({ before: photo('a'), after: photo('b') }, 8)).toEqual({ minMs: 8000, clips: [], maxMs: 8000, expectedMs: 8000 });
    expect(frameTiming({ before: photo('a'), after: null }, 2)).toEqual({ minMs: 2000, clips: [], maxMs: 2000, expectedMs: 2000 });
  });

  it('plays a clip to its end, never shorter than a photo and not much past its length', () => {
    expect(frameTiming({ before: clip('long', 30_000), after: null }, 8)).toEqual({
      minMs: 8000,
      clips: ['/media/long'],
      maxMs: 30_000 + CLIP_GRACE_MS,
      expectedMs: 30_000,
    });
    expect(frameTiming({ before: clip('short', 2_000), after: null }, 8)).toEqual({
      minMs: 8000,
      clips: ['/media/short'],
      maxMs: 8000 + CLIP_GRACE_MS,
      expectedMs: 8000,
    });
  });

  it('waits for both clips of a before/after pair, and gives a clip of unknown length one slide time more', () => {
    expect(frameTiming({ before: clip('b', 12_000), after: clip('a', 20_000) }, 5)).toMatchObject({ clips: ['/media/b', '/media/a'], expectedMs: 20_000 });
    expect(frameTiming({ before: clip('x', null), after: photo('a') }, 5)).toEqual({
      minMs: 5000,
      clips: ['/media/x'],
      maxMs: 5000 + CLIP_GRACE_MS,
      expectedMs: 5000,
    });
  });
});

type Days = Pick<ReelSlide, 'status' | 'rectifiedAt' | 'openDays' | 'overdue'>;
const say = (s: Days, lang: 'zh' | 'en' = 'zh') => {
  const p = openDaysPhrase(s);
  return [translate(lang, p.key, p.params), p.tone];
};

describe('openDaysPhrase', () => {
  it('says how long an open problem has waited, in red when overdue', () => {
    expect(say({ status: 'assigned', rectifiedAt: null, openDays: 12, overdue: true })).toEqual(['已 12 天未整改', 'bad']);
    expect(say({ status: 'reported', rectifiedAt: null, openDays: 3, overdue: false })).toEqual(['已 3 天未整改', 'plain']);
    expect(say({ status: 'reported', rectifiedAt: null, openDays: 0, overdue: false })).toEqual(['今日发现，尚未整改', 'plain']);
    expect(say({ status: 'assigned', rectifiedAt: null, openDays: 12, overdue: true }, 'en')).toEqual(['Open for 12 days, not rectified', 'bad']);
  });

  it('says when a rectified or closed problem was rectified', () => {
    expect(say({ status: 'rectified', rectifiedAt: '2026-12-05T10:00:00+08:00', openDays: 12, overdue: false })).toEqual(['12 天后整改', 'good']);
    expect(say({ status: 'closed', rectifiedAt: '2026-12-05T10:00:00+08:00', openDays: 0, overdue: false })).toEqual(['当天整改', 'good']);
    expect(say({ status: 'rectified', rectifiedAt: '2026-12-05T10:00:00+08:00', openDays: 1, overdue: false }, 'en')).toEqual([
      'Rectified after 1 day',
      'good',
    ]);
  });

  it('names a problem finished without a rectification by its status, and a reopened one as open', () => {
    expect(say({ status: 'rejected', rectifiedAt: null, openDays: 2, overdue: false })).toEqual(['不予立案', 'plain']);
    expect(say({ status: 'closed', rectifiedAt: null, openDays: 2, overdue: false })).toEqual(['已销号', 'plain']);
    // Rectified once, failed its look-back and handed back: it is open again.
    expect(say({ status: 'assigned', rectifiedAt: '2026-12-01T10:00:00+08:00', openDays: 9, overdue: true })).toEqual(['已 9 天未整改', 'bad']);
  });
});

describe('reelTally', () => {
  it('counts the rectified, the open and the overdue of the reel', () => {
    expect(
      reelTally([
        { status: 'rectified', rectifiedAt: '2026-12-05T10:00:00+08:00', overdue: false },
        { status: 'closed', rectifiedAt: '2026-12-04T10:00:00+08:00', overdue: false },
        { status: 'assigned', rectifiedAt: null, overdue: true },
        { status: 'reported', rectifiedAt: null, overdue: false },
        { status: 'rejected', rectifiedAt: null, overdue: false },
      ]),
    ).toEqual({ rectified: 2, open: 2, overdue: 1 });
  });
});
