/**
 * What the server and the page agree on about photos and clips: the kinds, the default limits and how a
 * poster frame the browser made travels with its clip. Zod-free, so the page imports it as values.
 */

/** What a stored medium is: a photo, or a short video clip (视频证据). */
export const MEDIA_KINDS = ['photo', 'video'] as const;
export type MediaKind = (typeof MEDIA_KINDS)[number];

/** Where a clip's poster frame came from: the server's ffmpeg, the uploading browser, or drawn by the server (a play mark). */
export const POSTER_SOURCES = ['ffmpeg', 'browser', 'generated'] as const;
export type PosterSource = (typeof POSTER_SOURCES)[number];

/** Default size limit of one clip (MAX_VIDEO_MB). */
export const DEFAULT_MAX_VIDEO_MB = 50;
/** Default length limit of one clip (MAX_VIDEO_SECONDS). */
export const DEFAULT_MAX_VIDEO_SECONDS = 60;
/**
 * Largest MAX_VIDEO_MB a server accepts: one clip and the form around it must fit in one upload
 * (PHOTO_UPLOAD_BODY_LIMIT, 100 MiB).
 */
export const MAX_VIDEO_MB_CEILING = 95;

/** The `accept` of a file input that takes clips (QuickTime: the iPhone camera's .MOV, the same container as MP4). */
export const CLIP_ACCEPT = 'video/mp4,video/webm,video/quicktime';
/** The `accept` of a file input that takes photos and clips. */
export const MEDIA_ACCEPT = `image/jpeg,image/png,image/webp,${CLIP_ACCEPT}`;

const POSTER_SUFFIX = '.poster.jpg';

/**
 * The file name of the poster frame the browser made for the clip named `clipName`. It is sent as one
 * more part of `photos`, and the server keeps it as that clip's screen copy and thumbnail instead of
 * storing it as a photo; a clip sent without one gets the server's own (ffmpeg, or a drawn play mark).
 *
 * @example posterNameFor('clip-1.webm') // 'clip-1.webm.poster.jpg'
 */
export function posterNameFor(clipName: string): string {
  return `${clipName}${POSTER_SUFFIX}`;
}

/** The clip name a poster part names, or null when `name` is not a poster's (see posterNameFor). */
export function clipNameOfPoster(name: string): string | null {
  return name.toLowerCase().endsWith(POSTER_SUFFIX) && name.length > POSTER_SUFFIX.length ? name.slice(0, -POSTER_SUFFIX.length) : null;
}

/** `75_400` ms → `1:15`; under an hour as m:ss, as a player shows it. */
export function formatClipLength(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(s / 3600);
  const mm = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(mm).padStart(2, '0')}:${ss}` : `${mm}:${ss}`;
}

/**
 * A photo's check before it is shown in public (曝光: the 暗访片, the 通报): blurred (faces and number plates
 * covered by hand, the blurred copy shown), clear (checked, nothing to cover) or excluded (never shown).
 * A clip cannot be blurred here (that needs a video encoder), only cleared or excluded.
 */
export const REDACTION_STATUSES = ['blurred', 'clear', 'excluded'] as const;
export type RedactionStatus = (typeof REDACTION_STATUSES)[number];
/** Most rectangles one photo takes (a crowd is excluded, not covered face by face). */
export const REDACTION_REGIONS_MAX = 40;
/** Smallest side of a rectangle, as a share of the picture's side (a stray click is not a region). */
export const REDACTION_MIN_SIDE = 0.005;

/** A rectangle to cover, in shares (0…1) of the upright picture's width and height, from its top left. */
export interface RedactionRegion {
  x: number;
  y: number;
  w: number;
  h: number;
}

/**
 * The mosaic's cell (px) for a rectangle of `w`×`h` px: about eight cells across its longer side, never
 * under 10 px, so a face or a plate is gone however small it was drawn. Shared so the editor's preview
 * shows what the server will make.
 */
export function mosaicCell(w: number, h: number): number {
  return Math.max(10, Math.ceil(Math.max(w, h) / 8));
}

/** The rectangle in whole pixels of a `width`×`height` picture, at least 1×1 and inside it. */
export function regionPixels(r: RedactionRegion, width: number, height: number): { left: number; top: number; width: number; height: number } {
  const left = Math.min(width - 1, Math.max(0, Math.floor(r.x * width)));
  const top = Math.min(height - 1, Math.max(0, Math.floor(r.y * height)));
  const right = Math.min(width, Math.max(left + 1, Math.ceil((r.x + r.w) * width)));
  const bottom = Math.min(height, Math.max(top + 1, Math.ceil((r.y + r.h) * height)));
  return { left, top, width: right - left, height: bottom - top };
}
