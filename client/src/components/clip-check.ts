/**
 * The page's own check of a clip before it is sent (the server checks again, by content): which files
 * are clips, whether one is over the size or length limit GET /api/meta gives, and the names a clip and
 * its poster frame travel under. Pure, so it is tested without a browser.
 */
import { DEFAULT_MAX_VIDEO_MB, DEFAULT_MAX_VIDEO_SECONDS } from '../../../server/contract/media-rules';
import type { MessageKey } from '../app/i18n';

/** The clip limits, and whether the server takes poster frames itself (it has ffmpeg). */
export interface VideoLimits {
  maxMb: number;
  maxSeconds: number;
  serverPoster: boolean;
}

/**
 * The limits from GET /api/meta's `media`. A meta answer kept from before clips existed (the field
 * page's offline copy) has none: then the defaults, and the page makes the poster (the safe side).
 */
export function videoLimitsOf(meta: { media?: { video: VideoLimits } }): VideoLimits {
  return meta.media?.video ?? { maxMb: DEFAULT_MAX_VIDEO_MB, maxSeconds: DEFAULT_MAX_VIDEO_SECONDS, serverPoster: false };
}

const CLIP_NAME = /\.(mp4|m4v|mov|webm)$/i;

/** Is this chosen file a clip (by its type, or by its name when the browser gives no type)? */
export function isClip(file: { type: string; name: string }): boolean {
  return file.type.startsWith('video/') || (file.type === '' && CLIP_NAME.test(file.name));
}

/** A reason to refuse a clip, as a message key and its parameters. */
export interface ClipProblem {
  key: Extract<MessageKey, 'video.tooBig' | 'video.tooLong'>;
  params: Record<string, string | number>;
}

const oneDecimal = (n: number) => String(Math.round(n * 10) / 10);

/**
 * Why `clip` may not be sent, or null. A length the browser could not read is left to the server,
 * which reads the container itself (a live recording's WebM tells the browser no length, the server
 * its last frame's time).
 *
 * @example clipProblem({ name: 'a.mp4', bytes: 80 * 2 ** 20, durationS: 12 }, limits) // { key: 'video.tooBig', … }
 */
export function clipProblem(
  clip: { name: string; bytes: number; durationS: number | null },
  limits: Pick<VideoLimits, 'maxMb' | 'maxSeconds'>,
): ClipProblem | null {
  const mb = clip.bytes / (1024 * 1024);
  if (mb > limits.maxMb) return { key: 'video.tooBig', params: { name: clip.name, mb: oneDecimal(mb), max: limits.maxMb } };
  // A recorder's stamps may run a few ms past a whole second: that is not a longer clip.
  if (clip.durationS !== null && Number.isFinite(clip.durationS) && clip.durationS > limits.maxSeconds + 0.05) {
    return { key: 'video.tooLong', params: { name: clip.name, s: oneDecimal(clip.durationS), max: limits.maxSeconds } };
  }
  return null;
}

const EXT_OF_TYPE: Record<string, string> = { 'video/mp4': 'mp4', 'video/webm': 'webm', 'video/quicktime': 'mov' };

/**
 * The name clip number `n` (from 1) is sent under: unique within the upload, because its poster frame
 * names it (`<name>.poster.jpg`) and two phone clips are often both `video.mp4`.
 */
export function clipFileName(n: number, file: { type: string; name: string }): string {
  const ext = EXT_OF_TYPE[file.type] ?? CLIP_NAME.exec(file.name)?.[1]?.toLowerCase() ?? 'mp4';
  return `clip-${n}.${ext}`;
}
