import { describe, expect, it } from 'vitest';
import { sniffPhotoType, sniffVideoType } from '../../../server/media/sniff';
import { ContainerError, readMp4, readWebm } from '../../../server/media/video-container';
import { byteRange } from '../../../server/media/byte-range';
import { clip, mp4WithoutMovieDuration, progressiveMp4, syntheticWebm, webmWithoutDuration } from '../../fixtures/media/clips';
import { jpegWithExif } from '../../fixtures/media/photos';

describe('clip type by content', () => {
  it("knows a browser's MP4 and WebM recordings by their first bytes, whatever the name", async () => {
    expect(sniffVideoType(clip('clip-2s.mp4'))).toBe('video/mp4');
    expect(sniffVideoType(clip('clip-2s.webm'))).toBe('video/webm');
    expect(sniffPhotoType(clip('clip-2s.mp4'))).toBeNull();
    expect(sniffVideoType(await jpegWithExif())).toBeNull();
    expect(sniffVideoType(new TextEncoder().encode('this is a text file named clip.mp4'))).toBeNull();
  });

  it('refuses audio-only brands and EBML files that are not WebM; knows QuickTime', () => {
    expect(sniffVideoType(progressiveMp4({ duration: 600, brand: 'M4A ', compatible: ['M4A ', 'mp42', 'isom'] }))).toBeNull();
    expect(sniffVideoType(progressiveMp4({ duration: 600, brand: 'qt  ', compatible: ['qt  '] }))).toBe('video/quicktime');
    expect(sniffVideoType(progressiveMp4({ duration: 600, brand: 'abcd', compatible: ['wxyz'] }))).toBeNull();
    expect(sniffVideoType(syntheticWebm({ docType: 'matroska', duration: 1000 }))).toBeNull();
    expect(sniffVideoType(syntheticWebm({ duration: 1000 }))).toBe('video/webm');
  });
});

describe('readMp4', () => {
  it("reads a browser recording's length, picture size and capture time (mvhd version 1)", () => {
    const facts = readMp4(clip('clip-2s.mp4'));
    expect(facts).toMatchObject({ hasVideo: true, hasAudio: false, width: 192, height: 108, gps: null });
    // Recorded for 2 s: the recorder's own stamps end a frame or two short of it.
    expect(facts.durationMs).toBeGreaterThan(1800);
    expect(facts.durationMs).toBeLessThanOrEqual(2100);
    expect(facts.createdMs).toBeGreaterThan(Date.UTC(2024, 0, 1));
  });

  it('reads the length of a fragmented file from its fragments when mvhd leaves it 0', () => {
    const whole = readMp4(clip('clip-2s.mp4')).durationMs!;
    const fromFragments = readMp4(mp4WithoutMovieDuration(clip('clip-2s.mp4'))).durationMs!;
    // The fragments' sample durations add up to the track's length, within a frame (15 fps: 67 ms).
    expect(Math.abs(fromFragments - whole)).toBeLessThan(70);
  });

  it('reads mvhd version 0 and 1, the video track, the ©xyz position and the capture time', () => {
    const created = 3_856_000_000; // seconds since 1904: 2026-03-11
    expect(readMp4(progressiveMp4({ duration: 27_000, timescale: 600, width: 1920, height: 1080, created, location: '+36.4481+115.9841/' }))).toEqual({
      hasVideo: true,
      hasAudio: false,
      durationMs: 45_000,
      width: 1920,
      height: 1080,
      createdMs: (created - 2_082_844_800) * 1000,
      gps: [115.9841, 36.4481],
    });
    expect(readMp4(progressiveMp4({ version: 1, duration: 90_090, timescale: 1000 })).durationMs).toBe(90_090);
    expect(readMp4(progressiveMp4({ duration: 1, timescale: 3 })).durationMs).toBe(333);
  });

  it('tells an audio-only file (an isom file with a sound track only)', () => {
    expect(readMp4(clip('tone-1s.m4a'))).toMatchObject({ hasVideo: false, hasAudio: true });
    expect(readMp4(progressiveMp4({ duration: 600, handler: 'soun' }))).toMatchObject({ hasVideo: false, hasAudio: true });
  });

  it('gives no length for a file that does not say it, and refuses a cut-off one', () => {
    expect(readMp4(progressiveMp4({ duration: 0 })).durationMs).toBeNull();
    const whole = clip('clip-2s.mp4');
    expect(() => readMp4(whole.subarray(0, whole.length - 100))).toThrow(ContainerError);
    expect(() => readMp4(whole.subarray(0, 200))).toThrow(/cut off/);
    expect(() => readMp4(progressiveMp4({ duration: 600 }).subarray(0, 40))).toThrow(ContainerError);
  });
});

describe('readWebm', () => {
  it("reads a browser recording's Duration (a 32-bit float × TimecodeScale) and picture size", () => {
    const facts = readWebm(clip('clip-2s.webm'));
    expect(facts).toMatchObject({ hasVideo: true, hasAudio: false, width: 192, height: 108, gps: null });
    expect(facts.durationMs).toBeGreaterThan(1800);
    expect(facts.durationMs).toBeLessThanOrEqual(2100);
  });

  it('reads the length from the last block when Duration is missing (a live recording)', () => {
    const withDuration = readWebm(clip('clip-2s.webm')).durationMs!;
    const fromBlocks = readWebm(webmWithoutDuration(clip('clip-2s.webm'))).durationMs!;
    // The last block starts one frame (15 fps) before the end.
    expect(fromBlocks).toBeLessThanOrEqual(withDuration);
    expect(withDuration - fromBlocks).toBeLessThan(140);
    expect(readWebm(syntheticWebm({ blockTicks: [0, 400, 1200, 800] })).durationMs).toBe(1200);
    expect(readWebm(syntheticWebm({ scaleNs: 500_000, blockTicks: [3000] })).durationMs).toBe(1500);
    expect(readWebm(syntheticWebm({})).durationMs).toBeNull();
  });

  it('reads a 64-bit float Duration with another TimecodeScale', () => {
    expect(readWebm(syntheticWebm({ duration: 90_000, scaleNs: 100_000 })).durationMs).toBe(9000);
    expect(readWebm(syntheticWebm({ duration: 12_345.6 }))).toMatchObject({ durationMs: 12_346, width: 320, height: 240, hasVideo: true });
  });

  it('tells an audio-only file, and refuses one cut off or without tracks', () => {
    expect(readWebm(clip('tone-1s.webm'))).toMatchObject({ hasVideo: false, hasAudio: true });
    expect(readWebm(syntheticWebm({ duration: 1000, trackTypes: [2] }))).toMatchObject({ hasVideo: false, hasAudio: true });
    const s = syntheticWebm({ duration: 1000 });
    expect(() => readWebm(s.subarray(0, s.length - 3))).toThrow(/cut off/);
    expect(() => readWebm(s.subarray(0, 60))).toThrow(ContainerError);
  });
});

describe('byteRange', () => {
  it('answers one range, a suffix, an open end, and cuts an end past the file', () => {
    expect(byteRange('bytes=0-99', 1000)).toEqual({ kind: 'part', start: 0, end: 99 });
    expect(byteRange('bytes=900-', 1000)).toEqual({ kind: 'part', start: 900, end: 999 });
    expect(byteRange('bytes=-100', 1000)).toEqual({ kind: 'part', start: 900, end: 999 });
    expect(byteRange('bytes=-5000', 1000)).toEqual({ kind: 'part', start: 0, end: 999 });
    expect(byteRange('bytes=990-2000', 1000)).toEqual({ kind: 'part', start: 990, end: 999 });
  });

  it('refuses a start past the end, and ignores what it does not read (the whole file)', () => {
    expect(byteRange('bytes=1000-', 1000)).toEqual({ kind: 'unsatisfiable' });
    expect(byteRange('bytes=-0', 1000)).toEqual({ kind: 'unsatisfiable' });
    for (const h of [undefined, '', 'bytes=', 'bytes=5-2', 'items=0-1', 'bytes=0-1,5-9', 'bytes=a-b'])
      expect(byteRange(h, 1000), String(h)).toEqual({ kind: 'whole' });
  });
});
