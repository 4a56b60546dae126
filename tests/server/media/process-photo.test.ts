import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { exifTimeToIso } from '../../../server/media/exif';
import { processPhoto } from '../../../server/media/process-photo';
import { isMediaHash, sniffPhotoType } from '../../../server/media/sniff';
import { jpegWithExif, noisyPng, png, webp } from '../../fixtures/media/photos';

const MB = 1024 * 1024;

describe('type by content', () => {
  it('knows JPEG, PNG and WebP by their first bytes, whatever the name', async () => {
    expect(sniffPhotoType(await jpegWithExif())).toBe('image/jpeg');
    expect(sniffPhotoType(await png())).toBe('image/png');
    expect(sniffPhotoType(await webp())).toBe('image/webp');
    expect(sniffPhotoType(new TextEncoder().encode('GIF89a……'))).toBeNull();
    expect(sniffPhotoType(new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeNull();
    expect(sniffPhotoType(new Uint8Array([0xff, 0xd8]))).toBeNull();
  });

  it('accepts only a 64-hex hash as a media name', () => {
    expect(isMediaHash('a'.repeat(64))).toBe(true);
    expect(isMediaHash('../' + 'a'.repeat(61))).toBe(false);
    expect(isMediaHash('A'.repeat(64))).toBe(false);
  });
});

describe('processPhoto', () => {
  it('applies EXIF orientation to the copies and reads GPS and time', async () => {
    const data = await jpegWithExif({ width: 64, height: 32, orientation: 6, gps: [115.9841, 36.4481], takenAt: '2026:03:20 10:15:00' });
    const p = await processPhoto(data, 'a.jpg', 15 * MB);
    expect(p).toMatchObject({ mime: 'image/jpeg', bytes: data.length, width: 32, height: 64, takenAt: '2026-03-20T10:15:00+08:00' });
    expect(p.gps![0]).toBeCloseTo(115.9841, 5);
    expect(p.gps![1]).toBeCloseTo(36.4481, 5);
    expect(isMediaHash(p.hash)).toBe(true);
    expect(p.original.equals(data)).toBe(true);
    const thumb = await sharp(p.thumb).metadata();
    expect([thumb.format, thumb.width, thumb.height]).toEqual(['jpeg', 32, 64]);
  });

  it('shrinks the screen copy and thumbnail, never enlarges', async () => {
    const big = await jpegWithExif({ width: 2400, height: 1200 });
    const p = await processPhoto(big, 'big.jpg', 15 * MB);
    expect(await sharp(p.screen).metadata()).toMatchObject({ width: 1600, height: 800 });
    expect(await sharp(p.thumb).metadata()).toMatchObject({ width: 320, height: 160 });
    const small = await processPhoto(await png(), 'small.png', 15 * MB);
    expect(await sharp(small.screen).metadata()).toMatchObject({ width: 16, height: 12, format: 'jpeg' });
    expect(small).toMatchObject({ gps: null, takenAt: null, mime: 'image/png' });
  });

  it('refuses wrong types (415), oversize (413) and broken images (422) with the file name', async () => {
    await expect(processPhoto(new TextEncoder().encode('not a photo'), 'note.jpg', MB)).rejects.toMatchObject({
      status: 415,
      message: expect.stringContaining('note.jpg'),
    });
    const noisy = await noisyPng(200, 200);
    await expect(processPhoto(noisy, 'noise.png', 50_000)).rejects.toMatchObject({ status: 413, message: expect.stringContaining('MAX_PHOTO_MB') });
    const jpeg = await jpegWithExif();
    await expect(processPhoto(jpeg.subarray(0, 60), 'cut.jpg', MB)).rejects.toMatchObject({ status: 422, message: expect.stringContaining('cut.jpg') });
  });

  it('reads EXIF times with and without an offset', () => {
    expect(exifTimeToIso('2026:03:20 10:15:00', null)).toBe('2026-03-20T10:15:00+08:00');
    expect(exifTimeToIso('2026:03:20 10:15:00', '+09:00')).toBe('2026-03-20T10:15:00+09:00');
    expect(exifTimeToIso('0000:00:00 00:00:00', null)).toBeNull();
    expect(exifTimeToIso('garbage', null)).toBeNull();
  });
});
