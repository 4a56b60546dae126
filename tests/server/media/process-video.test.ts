import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { findFfmpeg } from '../../../server/media/ffmpeg';
import { processVideo, sha256Hex, type VideoLimits } from '../../../server/media/process-video';
import { processAll } from '../../../server/services/media/media';
import { posterNameFor } from '../../../server/contract/media-rules';
import { clip, paddedMp4, progressiveMp4 } from '../../fixtures/media/clips';
import { jpegWithExif } from '../../fixtures/media/photos';

const MB = 1024 * 1024;
const LIMITS: VideoLimits = { maxBytes: 50 * MB, maxMs: 60_000, maxPosterBytes: 15 * MB, ffmpeg: null };
const dir = mkdtempSync(join(tmpdir(), 'xuncha-video-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A stand-in for ffmpeg: checks it was given the clip as a file (`-i`), then prints `frame` (or fails as ffmpeg does on a bad file). */
function fakeFfmpeg(name: string, frame: Buffer | null): string {
  const framePath = join(dir, `${name}.jpg`);
  if (frame) writeFileSync(framePath, frame);
  const script = frame
    ? `#!/bin/sh\nprev=\nfor a in "$@"; do if [ "$prev" = "-i" ]; then test -s "$a" || exit 3; fi; prev="$a"; done\ncat '${framePath}'\n`
    : '#!/bin/sh\necho "Invalid data found when processing input" >&2\nexit 1\n';
  const file = join(dir, `${name}-ffmpeg`);
  writeFileSync(file, script);
  chmodSync(file, 0o755);
  return file;
}

describe('processVideo', () => {
  it('keeps the clip as uploaded, reads its facts, and draws a poster when nobody else can', async () => {
    const data = clip('clip-2s.webm');
    const v = await processVideo(data, 'lane.webm', 'video/webm', LIMITS, null);
    expect(v).toMatchObject({ kind: 'video', mime: 'video/webm', bytes: data.length, width: 192, height: 108, poster: 'generated', gps: null });
    expect(v.durationMs).toBeGreaterThan(1800);
    expect(v.original.equals(data)).toBe(true);
    expect(v.hash).toBe(await sha256Hex(data));
    // The drawn poster: a JPEG in the clip's proportions (16:9), the thumbnail 320 px wide.
    expect(await sharp(v.thumb).metadata()).toMatchObject({ format: 'jpeg', width: 320, height: 180 });
    expect(await sharp(v.screen).metadata()).toMatchObject({ format: 'jpeg', width: 640, height: 360 });
  });

  it("takes the browser's poster frame (checked as an image) when the server has no ffmpeg", async () => {
    const poster = await jpegWithExif({ width: 192, height: 108, color: '#00ff00' });
    const v = await processVideo(clip('clip-2s.mp4'), 'lane.mp4', 'video/mp4', LIMITS, poster);
    expect(v.poster).toBe('browser');
    const { data, info } = await sharp(v.thumb).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height]).toEqual([192, 108]);
    expect(data[1]).toBeGreaterThan(200); // green: the browser's frame, not the drawn one
    await expect(processVideo(clip('clip-2s.mp4'), 'lane.mp4', 'video/mp4', LIMITS, new TextEncoder().encode('<svg/>'))).rejects.toMatchObject({
      status: 415,
      message: expect.stringContaining('poster'),
    });
    await expect(processVideo(clip('clip-2s.mp4'), 'lane.mp4', 'video/mp4', { ...LIMITS, maxPosterBytes: 100 }, poster)).rejects.toMatchObject({ status: 413 });
  });

  it("prefers ffmpeg's frame when the server has ffmpeg, and falls back when it fails", async () => {
    const frame = await jpegWithExif({ width: 100, height: 50, color: '#0000ff' });
    const good = await processVideo(clip('clip-2s.mp4'), 'a.mp4', 'video/mp4', { ...LIMITS, ffmpeg: fakeFfmpeg('good', frame) }, null);
    expect(good.poster).toBe('ffmpeg');
    expect(await sharp(good.thumb).metadata()).toMatchObject({ width: 100, height: 50 });
    const problems: string[] = [];
    const browserPoster = await jpegWithExif({ width: 40, height: 20 });
    const failing = { ...LIMITS, ffmpeg: fakeFfmpeg('bad', null) };
    const fellBack = await processVideo(clip('clip-2s.mp4'), 'b.mp4', 'video/mp4', failing, browserPoster, (m) => problems.push(m));
    expect(fellBack.poster).toBe('browser');
    expect(problems.join('\n')).toMatch(/b\.mp4.*ffmpeg ended with 1: Invalid data/);
    expect((await processVideo(clip('clip-2s.mp4'), 'c.mp4', 'video/mp4', failing, null)).poster).toBe('generated');
  });

  it('refuses a clip too big (413), too long or of unknown length (422), audio only (415) or cut off (422), saying the limit', async () => {
    const long = progressiveMp4({ duration: 61 * 600, timescale: 600 });
    await expect(processVideo(long, 'long.mp4', 'video/mp4', LIMITS, null)).rejects.toMatchObject({
      status: 422,
      message: expect.stringMatching(/61 秒.*60 秒.*61 s long.*at most 60 s.*MAX_VIDEO_SECONDS/),
    });
    await expect(processVideo(progressiveMp4({ duration: 0 }), 'nolength.mp4', 'video/mp4', LIMITS, null)).rejects.toMatchObject({
      status: 422,
      message: expect.stringMatching(/nolength\.mp4.*60 秒.*cannot be read.*at most 60 s/),
    });
    const big = paddedMp4(clip('clip-2s.mp4'), 2 * MB);
    await expect(processVideo(big, 'big.mp4', 'video/mp4', { ...LIMITS, maxBytes: MB }, null)).rejects.toMatchObject({
      status: 413,
      message: expect.stringMatching(/big\.mp4.*2 MB.*1 MB.*MAX_VIDEO_MB/),
    });
    await expect(processVideo(clip('tone-1s.m4a'), 'tone.m4a', 'video/mp4', LIMITS, null)).rejects.toMatchObject({
      status: 415,
      message: expect.stringContaining('只接受 JPEG/PNG/WebP 照片或 MP4/WebM 视频'),
    });
    await expect(processVideo(clip('tone-1s.webm'), 'tone.webm', 'video/webm', LIMITS, null)).rejects.toMatchObject({ status: 415 });
    const cut = clip('clip-2s.mp4').subarray(0, 1000);
    await expect(processVideo(cut, 'cut.mp4', 'video/mp4', LIMITS, null)).rejects.toMatchObject({
      status: 422,
      message: expect.stringMatching(/cut\.mp4.*cut off/),
    });
  });
});

describe('processAll', () => {
  const wf = { maxPhotoBytes: 15 * MB, video: { maxBytes: 50 * MB, maxMs: 60_000, ffmpeg: null } };

  it('takes photos and clips in order, each clip with the poster named after it', async () => {
    const photo = await jpegWithExif();
    const poster = await jpegWithExif({ width: 192, height: 108, color: '#00ff00' });
    const out = await processAll(
      [
        { name: 'clip-1.webm', data: clip('clip-2s.webm') },
        { name: 'p.jpg', data: photo },
        { name: posterNameFor('clip-1.webm'), data: poster },
        { name: 'clip-2.mp4', data: clip('clip-2s.mp4') },
      ],
      wf,
    );
    expect(out.map((m) => [m.kind, m.kind === 'video' ? m.poster : m.mime])).toEqual([
      ['video', 'browser'],
      ['photo', 'image/jpeg'],
      ['video', 'generated'],
    ]);
  });

  it('refuses a text file named .mp4 (415) and a poster that names no single clip (400)', async () => {
    await expect(processAll([{ name: 'clip.mp4', data: new TextEncoder().encode('not a video at all') }], wf)).rejects.toMatchObject({
      status: 415,
      message: expect.stringMatching(/clip\.mp4.*只接受 JPEG\/PNG\/WebP 照片或 MP4\/WebM 视频/),
    });
    const poster = await jpegWithExif();
    await expect(processAll([{ name: posterNameFor('gone.webm'), data: poster }], wf)).rejects.toMatchObject({ status: 400 });
    const twice = { name: 'same.webm', data: clip('clip-2s.webm') };
    await expect(processAll([twice, { ...twice }, { name: posterNameFor('same.webm'), data: poster }], wf)).rejects.toMatchObject({
      status: 400,
      message: expect.stringContaining('2 clips have that name'),
    });
  });
});

describe('findFfmpeg', () => {
  it('finds an executable named ffmpeg on PATH, and nothing on a PATH without one', () => {
    const bin = mkdtempSync(join(dir, 'bin-'));
    writeFileSync(join(bin, 'ffmpeg'), '#!/bin/sh\n');
    expect(findFfmpeg(['/nonexistent', dir].join(':'))).toBeNull();
    // Not executable yet: not ffmpeg.
    expect(findFfmpeg(bin)).toBeNull();
    chmodSync(join(bin, 'ffmpeg'), 0o755);
    expect(findFfmpeg(['/nonexistent', bin].join(':'))).toBe(join(bin, 'ffmpeg'));
    expect(findFfmpeg('')).toBeNull();
  });
});
