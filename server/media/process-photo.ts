import { createHash } from 'node:crypto';
import type Sharp from 'sharp';
import { bilingual } from '../errors';
import { PhotoError } from './errors';
import { readExif, type PhotoExif } from './exif';
import { type PhotoMime, sniffPhotoType } from './sniff';

/** Longest side of the screen copy (px). */
export const SCREEN_PX = 1600;
/** Longest side of the thumbnail (px). */
export const THUMB_PX = 320;
/** Images with more pixels than this are refused before decoding (a decompression bomb). */
const MAX_PIXELS = 100_000_000;

/** The 415 sentence for a file that is neither an accepted photo nor an accepted clip. */
export function notAcceptedMessage(name: string): string {
  return bilingual(
    `“${name}”不是可接受的文件：只接受 JPEG/PNG/WebP 照片或 MP4/WebM 视频（按文件内容判断，不看文件名）。`,
    `"${name}" is not a JPEG, PNG or WebP photo nor an MP4 or WebM clip (checked by its content, not its name). Take or export the photo as JPEG, the clip as MP4.`,
  );
}

/** A checked photo with its derived copies, ready to store. */
export interface ProcessedPhoto extends PhotoExif {
  kind: 'photo';
  /** SHA-256 of the uploaded bytes, hex: the file name and the id. */
  hash: string;
  mime: PhotoMime;
  bytes: number;
  /** Size after EXIF orientation. */
  width: number;
  height: number;
  original: Buffer;
  screen: Buffer;
  thumb: Buffer;
}

/**
 * Checks one uploaded photo and makes its copies: type by content (JPEG, PNG, WebP), at most
 * `maxBytes`, decodable; EXIF orientation applied to the screen copy (longest side 1600 px, JPEG) and
 * the thumbnail (320 px, JPEG); EXIF GPS and time read. The original bytes are kept untouched as the
 * evidence, named by their hash.
 *
 * @throws PhotoError 415 (not a JPEG/PNG/WebP), 413 (too large), 422 (broken image); `name` is in the message.
 */
export async function processPhoto(data: Uint8Array, name: string, maxBytes: number): Promise<ProcessedPhoto> {
  if (data.length > maxBytes) {
    throw new PhotoError(
      413,
      bilingual(
        `照片“${name}”为 ${(data.length / 1048576).toFixed(1)} MB，超过每张 ${(maxBytes / 1048576).toFixed(1)} MB 的上限。`,
        `Photo "${name}" is ${(data.length / 1048576).toFixed(1)} MB; the limit is ${(maxBytes / 1048576).toFixed(1)} MB per photo. Send a smaller photo (the server's MAX_PHOTO_MB sets the limit).`,
      ),
    );
  }
  const mime = sniffPhotoType(data);
  if (!mime) {
    throw new PhotoError(415, notAcceptedMessage(name));
  }
  const original = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  // Loaded on the first photo, so a server start (and every page that never sees a photo) skips it.
  const sharp: typeof Sharp = (await import('sharp')).default;
  let screen: Buffer;
  let thumb: Buffer;
  let width: number;
  let height: number;
  try {
    const base = sharp(original, { limitInputPixels: MAX_PIXELS, failOn: 'error' }).rotate();
    const s = await base
      .resize({ width: SCREEN_PX, height: SCREEN_PX, fit: 'inside', withoutEnlargement: true })
      .jpeg({ quality: 82 })
      .toBuffer({ resolveWithObject: true });
    // From the screen copy (already upright, at most 1600 px), so the full photo is decoded once.
    const t = await sharp(s.data).resize({ width: THUMB_PX, height: THUMB_PX, fit: 'inside', withoutEnlargement: true }).jpeg({ quality: 75 }).toBuffer();
    screen = s.data;
    thumb = t;
    const meta = await sharp(original, { limitInputPixels: MAX_PIXELS }).metadata();
    const w = meta.width ?? s.info.width;
    const h = meta.height ?? s.info.height;
    // EXIF orientations 5–8 turn the picture a quarter: the shown width is the stored height.
    const turned = (meta.orientation ?? 1) >= 5;
    width = turned ? h : w;
    height = turned ? w : h;
  } catch (err) {
    throw new PhotoError(
      422,
      `Photo "${name}" looks like a ${mime.slice(6).toUpperCase()} but cannot be read (${err instanceof Error ? err.message.split('\n')[0] : String(err)}). It may be cut off or damaged; take or upload it again.`,
      { cause: err },
    );
  }
  const exif = await readExif(original);
  return {
    kind: 'photo',
    hash: createHash('sha256').update(original).digest('hex'),
    mime,
    bytes: original.length,
    width,
    height,
    original,
    screen,
    thumb,
    ...exif,
  };
}
