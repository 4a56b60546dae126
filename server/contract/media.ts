import { z } from 'zod';
import { PhotoRef } from './workflow';
import { ErrorBody, errorResponses } from './common';
import { endpoints } from './endpoint';
import { PEOPLE, READERS } from './roles';

/** `GET /media/:hash[/screen|/thumb]` path (a photo's or a clip's). */
export const MediaParams = z.object({
  hash: z
    .string()
    .regex(/^[0-9a-f]{64}$/, 'a media name is the 64-hex-digit hash the API gave out')
    .meta({ description: 'SHA-256 of the photo or clip, hex' }),
});

/** What the `photos` parts of an upload may be, for the documentation of both upload routes. */
export const MEDIA_PARTS =
  'one or more JPEG/PNG/WebP photos or MP4/WebM clips, each checked by its content; a clip’s poster frame made by the browser is one more part named ' +
  '`<clip file name>.poster.jpg` (sent when GET /api/meta says `media.video.serverPoster: false`)';

/** `POST /api/media` multipart body (documentation; the route parses it by hand). */
export const MediaUploadForm = z
  .object({
    photos: z
      .array(z.string().meta({ format: 'binary' }))
      .min(1)
      .meta({ description: MEDIA_PARTS }),
  })
  .meta({ id: 'MediaUploadForm' });

/** `POST /api/media` response: the stored photos and clips (not yet attached to a problem). */
export const MediaUploadResponse = z
  .object({ photos: z.array(PhotoRef.omit({ role: true, distanceM: true, far: true, historySeq: true })) })
  .meta({ id: 'MediaUploadResponse' });
export type MediaUploadResponse = z.infer<typeof MediaUploadResponse>;

/** 100 MiB: the gate's ceiling for an upload of photos and clips (so MAX_VIDEO_MB is at most 95); each file's own limit is checked after it. */
export const PHOTO_UPLOAD_BODY_LIMIT = 100 * 1024 * 1024;

/** 415 as the upload routes mean it. */
export const NOT_MEDIA_415 = { description: 'A file that is neither a JPEG/PNG/WebP photo nor an MP4/WebM clip (by content)', schema: ErrorBody } as const;
/** 413/422 as the upload routes mean them. */
export const MEDIA_LIMIT_RESPONSES = {
  413: { description: 'A photo over MAX_PHOTO_MB or a clip over MAX_VIDEO_MB (or the whole upload over 100 MB): `error` says the limit', schema: ErrorBody },
  422: {
    description: 'A broken photo or clip, or a clip longer than MAX_VIDEO_SECONDS or whose length cannot be read: `error` says the limit',
    schema: ErrorBody,
  },
} as const;

const copyOf = (variant: 'screen' | 'thumb') =>
  ({
    tag: 'workflow',
    summary: `A stored photo’s ${variant} copy, or a clip’s poster frame (JPEG, EXIF orientation applied)`,
    access: READERS,
    params: MediaParams,
    responses: { 200: { description: 'The image', contentType: 'image/jpeg' }, ...errorResponses(400, 404) },
  }) as const;

/** Photo and clip upload, and the stored media (immutable, named by content). */
export const MEDIA_API = endpoints({
  'POST /api/media': {
    tag: 'workflow',
    summary: 'Upload photos or clips (e.g. after-photos) to attach to a transition by hash',
    description:
      'Photos: JPEG, PNG or WebP by content, each at most MAX_PHOTO_MB (default 15 MB); EXIF orientation applied to the copies, EXIF GPS and time kept. ' +
      'Clips: MP4 (or QuickTime) with a video track, or WebM, each at most MAX_VIDEO_MB (default 50 MB) and MAX_VIDEO_SECONDS long (default 60), ' +
      'the length read from the container; the poster frame (the screen copy and thumbnail) is ffmpeg’s when the server has it, else the browser’s, else a drawn play mark.',
    access: PEOPLE,
    bodyLimit: PHOTO_UPLOAD_BODY_LIMIT,
    body: MediaUploadForm,
    bodyContentType: 'multipart/form-data',
    responses: {
      200: { description: 'The stored photos and clips', schema: MediaUploadResponse },
      ...errorResponses(400),
      ...MEDIA_LIMIT_RESPONSES,
      415: NOT_MEDIA_415,
    },
  },
  'GET /media/:hash': {
    tag: 'workflow',
    summary: 'A stored photo or clip as uploaded; byte ranges (Range: bytes=…) for a player',
    description:
      'Answers `Accept-Ranges: bytes`; a `Range` of one byte range gives 206 with `Content-Range`, one past the end 416. Streamed from the file. ' +
      'A unit account reads the media of its own problems and its own uploads only (404 otherwise).',
    access: READERS,
    params: MediaParams,
    responses: {
      200: { description: 'The whole file (image/* or video/*)', contentType: 'application/octet-stream' },
      206: { description: 'The byte range asked for (Content-Range says which)', contentType: 'application/octet-stream' },
      416: { description: 'The range starts past the end of the file (Content-Range: bytes */size)', schema: ErrorBody },
      ...errorResponses(400, 404),
    },
  },
  'GET /media/:hash/screen': copyOf('screen'),
  'GET /media/:hash/thumb': copyOf('thumb'),
});
