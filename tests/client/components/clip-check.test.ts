import { describe, expect, it } from 'vitest';
import { clipFileName, clipProblem, isClip, videoLimitsOf } from '../../../client/src/components/clip-check';
import { clipNameOfPoster, formatClipLength, posterNameFor } from '../../../server/contract/media-rules';
import { translate } from '../../../client/src/app/i18n';

const LIMITS = { maxMb: 50, maxSeconds: 60 };
const MB = 1024 * 1024;

describe('the page’s check of a clip before sending', () => {
  it('refuses a clip over the size limit, saying both sizes, before its length is known', () => {
    const p = clipProblem({ name: 'IMG_0042.MOV', bytes: 72.34 * MB, durationS: null }, LIMITS);
    expect(p).toEqual({ key: 'video.tooBig', params: { name: 'IMG_0042.MOV', mb: '72.3', max: 50 } });
    expect(translate('zh', p!.key, p!.params)).toBe('视频“IMG_0042.MOV”为 72.3 MB，超过每段 50 MB 的上限，请拍摄更短的视频');
    expect(translate('en', p!.key, p!.params)).toMatch(/^Clip "IMG_0042.MOV" is 72.3 MB; clips of at most 50 MB/);
  });

  it('refuses a clip over the length limit, and lets a recorder’s few extra ms and an unknown length through', () => {
    expect(clipProblem({ name: 'a.mp4', bytes: MB, durationS: 75.42 }, LIMITS)).toEqual({
      key: 'video.tooLong',
      params: { name: 'a.mp4', s: '75.4', max: 60 },
    });
    expect(clipProblem({ name: 'a.mp4', bytes: MB, durationS: 60.02 }, LIMITS)).toBeNull();
    expect(clipProblem({ name: 'a.webm', bytes: MB, durationS: null }, LIMITS)).toBeNull();
    expect(clipProblem({ name: 'a.webm', bytes: MB, durationS: Infinity }, LIMITS)).toBeNull();
    expect(clipProblem({ name: 'a.mp4', bytes: 50 * MB, durationS: 60 }, LIMITS)).toBeNull();
  });

  it('knows clips by type, or by name when the browser gives no type', () => {
    expect(isClip({ type: 'video/mp4', name: 'x' })).toBe(true);
    expect(isClip({ type: 'video/quicktime', name: 'IMG_1.MOV' })).toBe(true);
    expect(isClip({ type: '', name: 'rec.webm' })).toBe(true);
    expect(isClip({ type: 'image/jpeg', name: 'fake.mp4' })).toBe(false);
    expect(isClip({ type: '', name: 'photo.jpg' })).toBe(false);
  });

  it('names each clip uniquely, and its poster after it', () => {
    expect(clipFileName(1, { type: 'video/mp4', name: 'video.mp4' })).toBe('clip-1.mp4');
    expect(clipFileName(2, { type: '', name: 'IMG_7.MOV' })).toBe('clip-2.mov');
    expect(clipFileName(3, { type: 'video/webm', name: 'blob' })).toBe('clip-3.webm');
    expect(posterNameFor('clip-1.mp4')).toBe('clip-1.mp4.poster.jpg');
    expect(clipNameOfPoster('clip-1.mp4.poster.jpg')).toBe('clip-1.mp4');
    expect(clipNameOfPoster('clip-1.mp4.poster.JPG')).toBe('clip-1.mp4');
    expect(clipNameOfPoster('.poster.jpg')).toBeNull();
    expect(clipNameOfPoster('photo.jpg')).toBeNull();
  });

  it('takes the limits from the meta answer, and the defaults from one kept before clips existed', () => {
    expect(videoLimitsOf({ media: { video: { maxMb: 20, maxSeconds: 30, serverPoster: true } } })).toEqual({ maxMb: 20, maxSeconds: 30, serverPoster: true });
    expect(videoLimitsOf({})).toEqual({ maxMb: 50, maxSeconds: 60, serverPoster: false });
  });

  it('writes a length as a player does', () => {
    expect([formatClipLength(0), formatClipLength(9_600), formatClipLength(75_400), formatClipLength(3_725_000)]).toEqual(['0:00', '0:10', '1:15', '1:02:05']);
  });
});
