import { createHash } from 'node:crypto';
import type Sharp from 'sharp';
import type { OverlayOptions } from 'sharp';
import { mosaicCell, regionPixels, type RedactionRegion } from '../contract/media-rules';
import { SCREEN_PX, THUMB_PX } from './process-photo';

/** Pixels of the photos this server stores are at most this many (the upload's check); the same bound here. */
const MAX_PIXELS = 100_000_000;

/** A blurred copy, ready to store as a medium of its own: the full-size JPEG and its two copies. */
export interface BlurredPhoto {
  hash: string;
  original: Buffer;
  screen: Buffer;
  thumb: Buffer;
  width: number;
  height: number;
}

/**
 * Covers `regions` of a stored photo with a mosaic (马赛克) and makes the copy's screen and thumbnail
 * JPEGs. Works on the upright picture (EXIF orientation applied), as the editor showed it, from the
 * original every time (never a blur of a blur). Each rectangle is shrunk to about eight cells across and
 * enlarged back with square cells: the detail is gone, not softened, so no sharpening brings a face back.
 * The copy carries no EXIF: a photo shown in public does not say where or when it was taken.
 */
export async function blurPhoto(original: Buffer, regions: readonly RedactionRegion[]): Promise<BlurredPhoto> {
  // Loaded on first use, like the upload's: a server that never blurs never loads it.
  const sharp: typeof Sharp = (await import('sharp')).default;
  const upright = await sharp(original, { limitInputPixels: MAX_PIXELS, failOn: 'error' }).rotate().removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const { width, height, channels } = upright.info;
  const raw = { width, height, channels };
  const tiles: OverlayOptions[] = [];
  for (const r of regions) {
    const px = regionPixels(r, width, height);
    const cell = mosaicCell(px.width, px.height);
    const small = await sharp(upright.data, { raw })
      .extract(px)
      .resize(Math.max(1, Math.round(px.width / cell)), Math.max(1, Math.round(px.height / cell)), { kernel: 'linear', fit: 'fill' })
      .raw()
      .toBuffer({ resolveWithObject: true });
    const cells = await sharp(small.data, { raw: small.info }).resize(px.width, px.height, { kernel: 'nearest', fit: 'fill' }).raw().toBuffer();
    tiles.push({ input: cells, raw: { width: px.width, height: px.height, channels }, left: px.left, top: px.top });
  }
  const full = await sharp(upright.data, { raw }).composite(tiles).jpeg({ quality: 88 }).toBuffer();
  const screen = await sharp(full).resize({ width: SCREEN_PX, height: SCREEN_PX, fit: 'inside', withoutEnlargement: true }).jpeg({ quality: 82 }).toBuffer();
  const thumb = await sharp(screen).resize({ width: THUMB_PX, height: THUMB_PX, fit: 'inside', withoutEnlargement: true }).jpeg({ quality: 75 }).toBuffer();
  return { hash: createHash('sha256').update(full).digest('hex'), original: full, screen, thumb, width, height };
}
