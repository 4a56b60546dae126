import { createHash, randomUUID } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Sharp from 'sharp';
import { bilingual } from '../errors';
import { toCityIso } from '../contract/city-time';
import { formatClipLength, type PosterSource } from '../contract/media-rules';
import { PhotoError } from './errors';
import { extractFrame } from './ffmpeg';
import { SCREEN_PX, THUMB_PX } from './process-photo';
import { sniffPhotoType, type VideoMime } from './sniff';
import { ContainerError, readMp4, readWebm, type VideoFacts } from './video-container';

/** What a clip may be, and how its poster is made. */
export interface VideoLimits {
  /** Largest clip, bytes (MAX_VIDEO_MB). */
  maxBytes: number;
  /** Longest clip, ms (MAX_VIDEO_SECONDS). */
  maxMs: number;
  /** Largest poster frame a browser may send, bytes (the photo limit). */
  maxPosterBytes: number;
  /** The ffmpeg found on PATH at start, or null: then the browser's poster, else a drawn one. */
  ffmpeg: string | null;
}

/** A checked clip with its poster's copies, ready to store. */
export interface ProcessedVideo {
  kind: 'video';
  /** SHA-256 of the uploaded bytes, hex. */
  hash: string;
  mime: VideoMime;
  bytes: number;
  /** Picture size (the container's, else the poster's). */
  width: number;
  height: number;
  durationMs: number;
  /** Capture time from the container, city time; null when the recorder wrote none. */
  takenAt: string | null;
  gps: [number, number] | null;
  original: Buffer;
  /** The poster frame, 1600 px and 320 px JPEG: every place that shows a thumbnail shows these. */
  screen: Buffer;
  thumb: Buffer;
  poster: PosterSource;
}

const MAX_PIXELS = 100_000_000;
/** Hashing yields to other requests between slices (a 50 MB clip is 40–150 ms of SHA-256 at once). */
const HASH_SLICE = 4 * 1024 * 1024;
const MB = 1024 * 1024;
const mb = (n: number) => (n / MB).toFixed(1).replace(/\.0$/, '');
const seconds = (ms: number) => String(Math.round(ms / 100) / 10);

/** SHA-256 hex of `data`, in slices with a turn of the event loop between them. */
export async function sha256Hex(data: Uint8Array): Promise<string> {
  const h = createHash('sha256');
  for (let at = 0; at < data.length; at += HASH_SLICE) {
    h.update(data.subarray(at, at + HASH_SLICE));
    if (at + HASH_SLICE < data.length) await new Promise((res) => setImmediate(res));
  }
  return h.digest('hex');
}

/**
 * Checks one uploaded clip and makes its poster: at most `maxBytes` (413), its container readable with a
 * video track (415 for an audio-only file, 422 for one cut off), a length the container tells and at
 * most `maxMs` (422: a length is not a size, and the clip is otherwise well-formed). The poster frame is
 * ffmpeg's when the server has it, else the one the browser sent (`browserPoster`, checked as an image),
 * else a drawn play mark; never a broken image.
 *
 * @throws PhotoError 413, 415 or 422 with the clip's name and the limit in both languages.
 */
export async function processVideo(
  data: Uint8Array,
  name: string,
  mime: VideoMime,
  limits: VideoLimits,
  browserPoster: Uint8Array | null,
  log: (message: string) => void = () => {},
): Promise<ProcessedVideo> {
  if (data.length > limits.maxBytes) {
    throw new PhotoError(
      413,
      bilingual(
        `视频“${name}”为 ${mb(data.length)} MB，超过每段 ${mb(limits.maxBytes)} MB 的上限。请拍摄更短的视频。`,
        `Clip "${name}" is ${mb(data.length)} MB; the limit is ${mb(limits.maxBytes)} MB per clip (the server's MAX_VIDEO_MB). Record a shorter clip.`,
      ),
    );
  }
  let facts: VideoFacts;
  try {
    facts = mime === 'video/webm' ? readWebm(data) : readMp4(data);
  } catch (err) {
    if (!(err instanceof ContainerError)) throw err;
    throw new PhotoError(
      422,
      bilingual(
        `视频“${name}”无法读取，可能没有完整上传，请重新拍摄或上传。`,
        `Clip "${name}" cannot be read: ${err.message}. It may be cut off; record or upload it again.`,
      ),
      { cause: err },
    );
  }
  if (!facts.hasVideo) {
    throw new PhotoError(
      415,
      bilingual(
        `“${name}”不含视频画面（可能是录音）。只接受 JPEG/PNG/WebP 照片或 MP4/WebM 视频。`,
        `"${name}" holds no video track (an audio recording?). Only JPEG/PNG/WebP photos or MP4/WebM clips are accepted.`,
      ),
    );
  }
  const maxS = seconds(limits.maxMs);
  if (facts.durationMs === null) {
    throw new PhotoError(
      422,
      bilingual(
        `无法读出视频“${name}”的时长；只接受能读出时长、不超过 ${maxS} 秒的视频。请用手机相机重新拍摄。`,
        `The length of clip "${name}" cannot be read from its container; clips must state their length and be at most ${maxS} s (MAX_VIDEO_SECONDS). Record it again with the phone's camera.`,
      ),
    );
  }
  if (facts.durationMs > limits.maxMs) {
    throw new PhotoError(
      422,
      bilingual(
        `视频“${name}”长 ${seconds(facts.durationMs)} 秒，超过每段 ${maxS} 秒的上限。请剪短或重新拍摄。`,
        `Clip "${name}" is ${seconds(facts.durationMs)} s long; clips of at most ${maxS} s are accepted (the server's MAX_VIDEO_SECONDS). Trim it or record a shorter one.`,
      ),
    );
  }
  const original = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const hash = await sha256Hex(original);
  const sharp: typeof Sharp = (await import('sharp')).default;
  const { copies, source } = await posterCopies(sharp, original, name, facts, facts.durationMs, limits, browserPoster, log);
  return {
    kind: 'video',
    hash,
    mime,
    bytes: original.length,
    width: facts.width || copies.width,
    height: facts.height || copies.height,
    durationMs: facts.durationMs,
    takenAt: facts.createdMs === null ? null : toCityIso(facts.createdMs),
    gps: facts.gps,
    original,
    screen: copies.screen,
    thumb: copies.thumb,
    poster: source,
  };
}

interface Copies {
  screen: Buffer;
  thumb: Buffer;
  width: number;
  height: number;
}

/** The screen copy and thumbnail of a poster image (EXIF orientation applied, JPEG). @throws sharp's error for a broken image. */
async function copiesOf(sharp: typeof Sharp, image: Buffer): Promise<Copies> {
  const s = await sharp(image, { limitInputPixels: MAX_PIXELS, failOn: 'error' })
    .rotate()
    .resize({ width: SCREEN_PX, height: SCREEN_PX, fit: 'inside', withoutEnlargement: true })
    .jpeg({ quality: 82 })
    .toBuffer({ resolveWithObject: true });
  const thumb = await sharp(s.data).resize({ width: THUMB_PX, height: THUMB_PX, fit: 'inside', withoutEnlargement: true }).jpeg({ quality: 75 }).toBuffer();
  return { screen: s.data, thumb, width: s.info.width, height: s.info.height };
}

async function posterCopies(
  sharp: typeof Sharp,
  original: Buffer,
  name: string,
  facts: VideoFacts,
  durationMs: number,
  limits: VideoLimits,
  browserPoster: Uint8Array | null,
  log: (message: string) => void,
): Promise<{ copies: Copies; source: PosterSource }> {
  if (limits.ffmpeg) {
    const frame = await ffmpegFrame(limits.ffmpeg, original, durationMs, (why) => log(`poster of clip "${name}": ${why}`));
    if (frame) {
      try {
        return { copies: await copiesOf(sharp, frame), source: 'ffmpeg' };
      } catch (err) {
        // ffmpeg's own output that sharp cannot read: the next source makes the poster.
        log(`poster of clip "${name}": ffmpeg's frame is not a readable JPEG (${err instanceof Error ? err.message : String(err)})`);
      }
    }
  }
  if (browserPoster) {
    if (browserPoster.length > limits.maxPosterBytes) {
      throw new PhotoError(
        413,
        bilingual(
          `视频“${name}”的封面图为 ${mb(browserPoster.length)} MB，超过 ${mb(limits.maxPosterBytes)} MB 的上限。`,
          `The poster frame of clip "${name}" is ${mb(browserPoster.length)} MB; the limit is ${mb(limits.maxPosterBytes)} MB (MAX_PHOTO_MB).`,
        ),
      );
    }
    if (!sniffPhotoType(browserPoster)) {
      throw new PhotoError(
        415,
        bilingual(
          `视频“${name}”的封面图不是 JPEG/PNG/WebP 图片。`,
          `The poster frame sent with clip "${name}" is not a JPEG, PNG or WebP image (checked by its content).`,
        ),
      );
    }
    try {
      return { copies: await copiesOf(sharp, Buffer.from(browserPoster)), source: 'browser' };
    } catch (err) {
      throw new PhotoError(
        422,
        bilingual(`视频“${name}”的封面图无法读取。`, `The poster frame sent with clip "${name}" cannot be read; send the clip again.`),
        { cause: err },
      );
    }
  }
  return {
    copies: await copiesOf(
      sharp,
      await sharp(Buffer.from(drawnPosterSvg(facts.width, facts.height, durationMs)))
        .jpeg({ quality: 85 })
        .toBuffer(),
    ),
    source: 'generated',
  };
}

/** A frame a little into the clip (the first is often black), through a temporary file: an MP4's index may be at its end, so ffmpeg must seek. */
async function ffmpegFrame(ffmpeg: string, original: Buffer, durationMs: number, onProblem: (why: string) => void): Promise<Buffer | null> {
  const file = join(tmpdir(), `xuncha-clip-${randomUUID()}`);
  await writeFile(file, original);
  try {
    return await extractFrame(ffmpeg, file, Math.min(1, durationMs / 3000), onProblem);
  } finally {
    await rm(file, { force: true });
  }
}

/**
 * The poster of a clip nobody could take a frame of: a play mark, 视频 and its length, in the clip's
 * proportions (16:9 when unknown). Drawn from SVG, so it needs no image file; the word needs a CJK font
 * on the server (fonts-noto-cjk on Debian), the mark and the length do not.
 */
export function drawnPosterSvg(width: number, height: number, durationMs: number): string {
  const aspect = width > 0 && height > 0 ? Math.min(2, Math.max(0.5, width / height)) : 16 / 9;
  const w = 640;
  const h = Math.round(w / aspect);
  const r = Math.round(Math.min(w, h) * 0.15);
  const cx = w / 2;
  const cy = Math.round(h * 0.44);
  const font = `'Noto Sans CJK SC', 'Source Han Sans SC', 'WenQuanYi Micro Hei', 'Microsoft YaHei', 'PingFang SC', sans-serif`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}">
<rect width="${w}" height="${h}" fill="#2b3a42"/>
<circle cx="${cx}" cy="${cy}" r="${r}" fill="#ffffff" fill-opacity="0.92"/>
<path d="M${cx - r * 0.3} ${cy - r * 0.45} L${cx - r * 0.3} ${cy + r * 0.45} L${cx + r * 0.5} ${cy} Z" fill="#2b3a42"/>
<text x="${cx}" y="${Math.round(cy + r + h * 0.16)}" font-family="${font}" font-size="${Math.round(h * 0.1)}" fill="#ffffff" text-anchor="middle">视频 ${formatClipLength(durationMs)}</text>
</svg>`;
}
